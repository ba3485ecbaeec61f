from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class CaseErrorCode(StrEnum):
    CASE_NOT_FOUND = "case_not_found"
    UNKNOWN_STATUS = "unknown_status"
    REOPEN_NOT_ALLOWED = "reopen_not_allowed"
    NOT_ALLOWED_FOR_SERVICE = "not_allowed_for_service"
    INVALID_PARTY = "invalid_party"
    FEEDBACK_NOT_YET = "feedback_not_yet"
    FEEDBACK_ALREADY_GIVEN = "feedback_already_given"
    CONSULTATION_NOT_FOUND = "consultation_not_found"
    ALREADY_SUBMITTED = "already_submitted"


class CaseNotFound(NotFound):
    code: str = CaseErrorCode.CASE_NOT_FOUND


class UnknownStatus(ValidationFailed):
    code: str = CaseErrorCode.UNKNOWN_STATUS


class ReopenNotAllowed(PermissionDenied):
    code: str = CaseErrorCode.REOPEN_NOT_ALLOWED


class NotAllowedForService(PermissionDenied):
    code: str = CaseErrorCode.NOT_ALLOWED_FOR_SERVICE


class InvalidParty(ValidationFailed):
    code: str = CaseErrorCode.INVALID_PARTY


class FeedbackNotYet(Conflict):
    code: str = CaseErrorCode.FEEDBACK_NOT_YET


class FeedbackAlreadyGiven(Conflict):
    code: str = CaseErrorCode.FEEDBACK_ALREADY_GIVEN


class ConsultationNotFound(NotFound):
    code: str = CaseErrorCode.CONSULTATION_NOT_FOUND


class AlreadySubmitted(Conflict):
    code: str = CaseErrorCode.ALREADY_SUBMITTED
