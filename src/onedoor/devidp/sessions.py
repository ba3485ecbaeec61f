"""devidp's own sign-in session: a signed cookie naming the personal code, apart from the platform's session.

Signing out of the platform does not sign the person out here unless the platform asks (end-session),
exactly as with the national identity provider.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .models import Subject

COOKIE_NAME = "onedoor_devidp"
COOKIE_PATH = "/devidp/"
COOKIE_SALT = "onedoor.devidp.session"


def session_seconds() -> int:
    """How long a devidp sign-in lasts (ONEDOOR_DEVIDP_SESSION_SECONDS, 30 minutes by default)."""
    return int(getattr(settings, "ONEDOOR_DEVIDP_SESSION_SECONDS", 1800))


def signed_in_code(request: HttpRequest) -> str | None:
    """The personal code the request's devidp cookie names, if it is genuine and recent enough."""
    code: str | None = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=session_seconds())
    return code or None


def signed_in_subject(request: HttpRequest) -> Subject | None:
    code = signed_in_code(request)
    if code is None:
        return None
    return Subject.objects.select_related("user").filter(personal_code=code).first()


def remember(response: HttpResponse, request: HttpRequest, subject: Subject) -> None:
    response.set_signed_cookie(
        COOKIE_NAME,
        subject.personal_code,
        salt=COOKIE_SALT,
        max_age=session_seconds(),
        path=COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Lax")
