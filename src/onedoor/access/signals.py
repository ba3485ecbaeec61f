from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from onedoor.identity.contexts import SESSION_KEY
from onedoor.identity.models import User

from .contexts import institution_context
from .middleware import CHOICE_PENDING_KEY, context_to_session

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"  # noqa: S105 - a dotted path, not a password


@receiver(user_logged_in)
def ask_for_acting_context(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A fresh sign-in starts without a chosen context: the next page asks whom the user acts for.
    A password sign-in to the administration is a member of staff at work: they act for their institution."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    institution = institution_context(user) if isinstance(user, User) else None
    if getattr(user, "backend", "") == PASSWORD_BACKEND and institution is not None:
        request.session[SESSION_KEY] = context_to_session(institution)
        return
    request.session[CHOICE_PENDING_KEY] = True
