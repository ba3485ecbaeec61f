from enum import StrEnum

from onedoor.core.errors import NotFound, PermissionDenied


class CatalogErrorCode(StrEnum):
    SERVICE_NOT_FOUND = "service_not_found"
    NOT_SERVICE_HOLDER = "not_service_holder"
    PLACE_LOCATION_UNKNOWN = "place_location_unknown"


class ServiceNotFound(NotFound):
    code: str = CatalogErrorCode.SERVICE_NOT_FOUND


class NotServiceHolder(PermissionDenied):
    code: str = CatalogErrorCode.NOT_SERVICE_HOLDER
