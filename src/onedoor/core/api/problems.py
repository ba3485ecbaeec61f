"""One exception handler for the whole API: every error is application/problem+json (RFC 9457)."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from ..errors import ApplicationError, CoreErrorCode

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://onedoor.example.lv/problems/"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(
    *, status_code: int, code: str, detail: str, invalid_params: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def _flatten(errors: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error structure as a flat list of {name, code, reason}."""
    flat: list[dict[str, str]] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                # An error of the object as a whole is named after the object ("applicant"), or "__all__".
                flat.extend(_flatten(value, prefix))
            else:
                flat.extend(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in errors):
            for item in errors:
                flat.append(
                    {"name": prefix or "__all__", "code": getattr(item, "code", "invalid"), "reason": str(item)}
                )
        else:
            for index, item in enumerate(errors):
                flat.extend(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat.append({"name": prefix or "__all__", "code": getattr(errors, "code", "invalid"), "reason": str(errors)})
    return flat


def _from_drf(exc: exceptions.APIException) -> tuple[int, dict[str, Any]]:
    code_by_class = {
        exceptions.NotAuthenticated: CoreErrorCode.NOT_AUTHENTICATED,
        exceptions.AuthenticationFailed: CoreErrorCode.NOT_AUTHENTICATED,
        exceptions.PermissionDenied: CoreErrorCode.PERMISSION_DENIED,
        exceptions.NotFound: CoreErrorCode.NOT_FOUND,
        exceptions.MethodNotAllowed: CoreErrorCode.METHOD_NOT_ALLOWED,
        exceptions.UnsupportedMediaType: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
        exceptions.ParseError: CoreErrorCode.PARSE_ERROR,
        exceptions.Throttled: CoreErrorCode.THROTTLED,
    }
    code = next((c for cls, c in code_by_class.items() if isinstance(exc, cls)), CoreErrorCode.INVALID)
    if isinstance(exc, exceptions.ValidationError):
        params = _flatten(exc.detail)
        return exc.status_code, problem(
            status_code=exc.status_code,
            code=CoreErrorCode.INVALID,
            detail=_("The request has invalid fields: %(names)s.") % {"names": ", ".join(p["name"] for p in params)},
            invalid_params=params,
        )
    return exc.status_code, problem(status_code=exc.status_code, code=code, detail=str(exc.detail))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        params = [
            {"name": name, "code": exc.code, "reason": reason}
            for name, reasons in exc.invalid_params.items()
            for reason in reasons
        ]
        status_code, body = (
            exc.status,
            problem(status_code=exc.status, code=exc.code, detail=exc.detail, invalid_params=params),
        )
    elif isinstance(exc, Http404):
        status_code, body = 404, problem(status_code=404, code=CoreErrorCode.NOT_FOUND, detail=_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        status_code, body = (
            403,
            problem(status_code=403, code=CoreErrorCode.PERMISSION_DENIED, detail=_("You may not do this.")),
        )
    elif isinstance(exc, exceptions.APIException):
        status_code, body = _from_drf(exc)
    else:
        return None
    response = Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return response


def problem_response(request: HttpRequest, *, status_code: int, code: str, detail: str) -> JsonResponse:
    """problem+json outside DRF (Django's 404/500 handlers for /api/ paths)."""
    return JsonResponse(
        problem(status_code=status_code, code=code, detail=detail),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
