"""The notifications app's error codes."""

from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class NotificationErrorCode(StrEnum):
    NOT_ALLOWED = "notifications_not_allowed"
    MESSAGE_NOT_FOUND = "message_not_found"
    INVALID_CONTACT = "invalid_contact"
    INVALID_PREFERENCE = "invalid_preference"
    DISPATCH_NOT_RETRYABLE = "dispatch_not_retryable"


class NotificationsNotAllowed(PermissionDenied):
    code: str = NotificationErrorCode.NOT_ALLOWED


class MessageNotFound(NotFound):
    code: str = NotificationErrorCode.MESSAGE_NOT_FOUND


class InvalidContact(ValidationFailed):
    code: str = NotificationErrorCode.INVALID_CONTACT


class InvalidPreference(ValidationFailed):
    code: str = NotificationErrorCode.INVALID_PREFERENCE


class DispatchNotRetryable(Conflict):
    code: str = NotificationErrorCode.DISPATCH_NOT_RETRYABLE
