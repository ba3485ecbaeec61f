"""The platform's error vocabulary: every app raises ApplicationError subclasses with a code."""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NOT_AUTHENTICATED = "not_authenticated"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PARSE_ERROR = "parse_error"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"


class ApplicationError(Exception):
    """A refusal the client can act on; becomes problem+json in the API and a message on pages."""

    status = 400
    code: str = CoreErrorCode.INVALID

    def __init__(self, detail: str, *, code: str | None = None, invalid_params: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.invalid_params = invalid_params or {}


class ValidationFailed(ApplicationError):
    status = 400
    code: str = CoreErrorCode.INVALID


class NotFound(ApplicationError):
    status = 404
    code: str = CoreErrorCode.NOT_FOUND


class PermissionDenied(ApplicationError):
    status = 403
    code: str = CoreErrorCode.PERMISSION_DENIED


class Conflict(ApplicationError):
    status = 409
    code: str = CoreErrorCode.CONFLICT
