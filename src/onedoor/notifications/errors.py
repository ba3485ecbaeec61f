"""The notifications app's error codes."""

from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class NotificationErrorCode(StrEnum):
    NOT_ALLOWED = "notifications_not_allowed"
    MESSAGE_NOT_FOUND = "message_not_found"
    INVALID_CONTACT = "invalid_contact"
    INVALID_PREFERENCE = "invalid_preference"
    DISPATCH_NOT_RETRYABLE = "dispatch_not_retryable"
    CONTACT_NOT_FOUND = "contact_not_found"
    CONFIRMATION_INVALID = "confirmation_invalid"
    CONFIRMATION_LIMIT = "confirmation_limit"
    CONFIRMATION_NOT_SENT = "confirmation_not_sent"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
    RECIPIENT_NOT_FOUND = "recipient_not_found"
    INVALID_MESSAGE = "invalid_message"


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


class ContactNotFound(NotFound):
    code: str = NotificationErrorCode.CONTACT_NOT_FOUND


class ConfirmationInvalid(ValidationFailed):
    """A confirmation link or code that is wrong, expired, used, locked or someone else's."""

    code: str = NotificationErrorCode.CONFIRMATION_INVALID


class ConfirmationLimit(Conflict):
    """Too many confirmations asked for in the last hour."""

    code: str = NotificationErrorCode.CONFIRMATION_LIMIT


class ConfirmationNotSent(Conflict):
    """The e-mail server or SMS gateway did not take the confirmation message; ask again later."""

    code: str = NotificationErrorCode.CONFIRMATION_NOT_SENT


class AttachmentNotFound(NotFound):
    code: str = NotificationErrorCode.ATTACHMENT_NOT_FOUND


class RecipientNotFound(NotFound):
    """Nobody with this personal code is known to the platform or the population and persons registers."""

    code: str = NotificationErrorCode.RECIPIENT_NOT_FOUND


class InvalidMessage(ValidationFailed):
    """A message from an institution that cannot be delivered as given (text, attachments, case)."""

    code: str = NotificationErrorCode.INVALID_MESSAGE
