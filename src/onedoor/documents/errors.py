"""The document store's error codes (DOC-1, DOC-2)."""

from enum import StrEnum

from onedoor.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed


class DocumentErrorCode(StrEnum):
    DOCUMENT_REFUSED = "document_refused"
    VIRUS_FOUND = "virus_found"
    SCANNER_UNAVAILABLE = "scanner_unavailable"
    DOCUMENT_NOT_FOUND = "document_not_found"
    DOCUMENT_DAMAGED = "document_damaged"
    DOCUMENTS_NOT_ALLOWED = "documents_not_allowed"
    SHIPMENT_NOT_FOUND = "shipment_not_found"
    SHIPMENT_NOT_ALLOWED = "shipment_not_allowed"
    SHIPMENT_STATE = "shipment_state"
    SHIPMENT_DOCUMENT = "shipment_document"


class DocumentRefused(ValidationFailed):
    """The file was not stored: empty, too large, of a type not accepted, or infected."""

    code: str = DocumentErrorCode.DOCUMENT_REFUSED


class VirusFound(DocumentRefused):
    code: str = DocumentErrorCode.VIRUS_FOUND


class ScannerUnavailable(DocumentRefused):
    """A virus scanner is configured but did not answer: nothing is stored unscanned."""

    status = 503
    code: str = DocumentErrorCode.SCANNER_UNAVAILABLE


class DocumentNotFound(NotFound):
    code: str = DocumentErrorCode.DOCUMENT_NOT_FOUND


class DocumentDamaged(ApplicationError):
    """The stored file is missing or no longer matches the SHA-256 digest taken when it arrived."""

    status = 500
    code: str = DocumentErrorCode.DOCUMENT_DAMAGED


class DocumentsNotAllowed(PermissionDenied):
    code: str = DocumentErrorCode.DOCUMENTS_NOT_ALLOWED


class ShipmentNotFound(NotFound):
    code: str = DocumentErrorCode.SHIPMENT_NOT_FOUND


class ShipmentNotAllowed(PermissionDenied):
    code: str = DocumentErrorCode.SHIPMENT_NOT_ALLOWED


class ShipmentState(Conflict):
    code: str = DocumentErrorCode.SHIPMENT_STATE


class ShipmentDocumentInvalid(ValidationFailed):
    code: str = DocumentErrorCode.SHIPMENT_DOCUMENT
