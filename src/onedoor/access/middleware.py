"""Puts the acting context on every request of a signed-in user (ACC-1, SEC-2)."""

from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onedoor.identity.contexts import SESSION_KEY, ActingContext, ContextKind, PartyKind
from onedoor.identity.models import User

from .contexts import context_confirm, contexts_for, default_context, institution_context

# Set by the sign-in: the user has not chosen yet. Pages ask them to choose when they have a choice.
CHOICE_PENDING_KEY = "onedoor.acting_context_choice_pending"


def context_to_session(context: ActingContext) -> dict[str, Any]:
    data = asdict(context)
    data["service_codes"] = sorted(context.service_codes) if context.service_codes is not None else None
    return data


def context_from_session(data: Any) -> ActingContext | None:
    try:
        codes = data["service_codes"]
        return ActingContext(
            **{
                **data,
                "kind": ContextKind(data["kind"]),
                "party_kind": PartyKind(data["party_kind"]),
                "service_codes": frozenset(codes) if codes is not None else None,
            }
        )
    except (KeyError, TypeError, ValueError):
        return None


def context_choose(request: HttpRequest, context: ActingContext) -> None:
    """Act for `context` from now on; a new session key, as at sign-in, since the rights change."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = context_to_session(context)
    request.session.pop(CHOICE_PENDING_KEY, None)
    request.acting_context = context  # type: ignore[attr-defined]


def _is_administration(request: HttpRequest) -> bool:
    """The Django administration, in any language: the staff's tool of their institution."""
    prefixes = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes.append(reverse("admin:index"))
    return request.path.startswith(tuple(prefixes))


def _is_page(request: HttpRequest) -> bool:
    path = request.path
    return request.method == "GET" and not path.startswith(("/api/", "/oidc/", "/devidp/", "/static/", "/oauth/"))


class ActingContextMiddleware:
    """Confirms the chosen context on every request: a right that ended since (a revoked mandate,
    a child come of age) drops the user back to acting for themself, with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.acting_context = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            redirect = self._resolve(request, user)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def _resolve(self, request: HttpRequest, user: User) -> HttpResponse | None:
        now = timezone.now()
        chosen = context_from_session(request.session.get(SESSION_KEY))
        if chosen is not None:
            current = context_confirm(user, chosen, at=now)
            if current is not None:
                request.acting_context = current  # type: ignore[attr-defined]
                return None
            if _is_page(request):
                messages.warning(
                    request,
                    _("You can no longer act for %(party)s: the right to do so has ended.") % {"party": chosen.label},
                )
            request.session.pop(SESSION_KEY, None)
        if chosen is None and _is_administration(request):
            # Before any choice (a password sign-in to the administration, ADR 0007) staff act there for
            # their institution; the portal still asks them whom they act for.
            institution = institution_context(user)
            if institution is not None:
                request.acting_context = institution  # type: ignore[attr-defined]
                return None
        fallback = default_context(user)
        request.acting_context = fallback  # type: ignore[attr-defined]
        if fallback is not None and chosen is None and request.session.get(CHOICE_PENDING_KEY) and _is_page(request):
            request.session.pop(CHOICE_PENDING_KEY, None)
            if len(contexts_for(user, at=now)) > 1:
                chooser = reverse("accounts:acting-for")
                return HttpResponseRedirect(f"{chooser}?{urlencode({'next': request.get_full_path()})}")
        return None
