from enum import StrEnum

from onedoor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class IntegrationErrorCode(StrEnum):
    SUBSCRIPTION_NOT_FOUND = "subscription_not_found"
    DELIVERY_NOT_FOUND = "delivery_not_found"
    DELIVERY_PENDING = "delivery_pending"
    NOT_ALLOWED = "integration_not_allowed"
    UNKNOWN_SERVICE = "unknown_service"


class SubscriptionNotFound(NotFound):
    code: str = IntegrationErrorCode.SUBSCRIPTION_NOT_FOUND


class DeliveryNotFound(NotFound):
    code: str = IntegrationErrorCode.DELIVERY_NOT_FOUND


class DeliveryPending(Conflict):
    code: str = IntegrationErrorCode.DELIVERY_PENDING


class IntegrationNotAllowed(PermissionDenied):
    code: str = IntegrationErrorCode.NOT_ALLOWED


class UnknownService(ValidationFailed):
    code: str = IntegrationErrorCode.UNKNOWN_SERVICE
