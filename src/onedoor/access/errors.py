from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class MandateErrorCode(StrEnum):
    MANDATE_NOT_FOUND = "mandate_not_found"
    MANDATE_NOT_ALLOWED = "mandate_not_allowed"
    MANDATE_INVALID = "mandate_invalid"
    MANDATE_ENDED = "mandate_ended"


class MandateNotFound(NotFound):
    code: str = MandateErrorCode.MANDATE_NOT_FOUND


class MandateNotAllowed(PermissionDenied):
    code: str = MandateErrorCode.MANDATE_NOT_ALLOWED


class MandateInvalid(ValidationFailed):
    code: str = MandateErrorCode.MANDATE_INVALID


class MandateEnded(Conflict):
    code: str = MandateErrorCode.MANDATE_ENDED
