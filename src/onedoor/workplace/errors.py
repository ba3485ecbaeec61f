from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class WorkplaceErrorCode(StrEnum):
    TASK_NOT_FOUND = "task_not_found"
    TASK_TAKEN = "task_taken"
    TASK_NOT_ALLOWED = "task_not_allowed"
    CLIENT_NOT_FOUND = "client_not_found"
    CLIENT_VIEW_NOT_FOUND = "client_view_not_found"
    PURPOSE_REQUIRED = "purpose_required"
    CONSENT_REQUIRED = "consent_required"
    CALLER_NOT_VERIFIED = "caller_not_verified"
    APPLICATION_NOT_FOUND = "application_not_found"
    SERVICE_NOT_ASSISTED = "service_not_assisted"
    INVALID_AUTHORISATION = "invalid_authorisation"
    APPLICATION_STATE = "application_state"
    INVALID_FORM_DATA = "invalid_form_data"
    UNSUPPORTED_FORM_SCHEMA = "unsupported_form_schema"


class TaskNotFound(NotFound):
    code: str = WorkplaceErrorCode.TASK_NOT_FOUND


class TaskTaken(Conflict):
    code: str = WorkplaceErrorCode.TASK_TAKEN


class TaskNotAllowed(PermissionDenied):
    code: str = WorkplaceErrorCode.TASK_NOT_ALLOWED


class ClientNotFound(NotFound):
    code: str = WorkplaceErrorCode.CLIENT_NOT_FOUND


class ClientViewNotFound(NotFound):
    code: str = WorkplaceErrorCode.CLIENT_VIEW_NOT_FOUND


class PurposeRequired(ValidationFailed):
    code: str = WorkplaceErrorCode.PURPOSE_REQUIRED


class ConsentRequired(ValidationFailed):
    code: str = WorkplaceErrorCode.CONSENT_REQUIRED


class CallerNotVerified(PermissionDenied):
    code: str = WorkplaceErrorCode.CALLER_NOT_VERIFIED


class ApplicationNotFound(NotFound):
    code: str = WorkplaceErrorCode.APPLICATION_NOT_FOUND


class ServiceNotAssisted(PermissionDenied):
    code: str = WorkplaceErrorCode.SERVICE_NOT_ASSISTED


class InvalidAuthorisation(ValidationFailed):
    code: str = WorkplaceErrorCode.INVALID_AUTHORISATION


class ApplicationState(Conflict):
    code: str = WorkplaceErrorCode.APPLICATION_STATE


class InvalidFormData(ValidationFailed):
    code: str = WorkplaceErrorCode.INVALID_FORM_DATA


class UnsupportedFormSchema(ValidationFailed):
    """The catalog's application form of a service is outside what the e-assistant can show (FORM-3)."""

    code: str = WorkplaceErrorCode.UNSUPPORTED_FORM_SCHEMA
