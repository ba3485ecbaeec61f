"""Pages of the client 360 view (CLI-1 … CLI-3): find a client, open the profile with a purpose, verify a
caller on the phone, see the profile, close it.

Views stay thin: a form takes the input, one service or selector does the work (and the audit), a
refusal is shown on the form. Another specialist's view is a 404; an ended view says so (410).

Personal codes never travel in addresses, where they would stay in browser histories and access logs:
a search result links to the purpose form by a random reference kept in the specialist's session, and
pages opened from a profile name the client by the view.
"""

import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from onedoor.catalog.selectors import services_visible_to
from onedoor.core.errors import ValidationFailed
from onedoor.core.forms import add_service_errors
from onedoor.core.i18n import current_language

from .desk import Desk, specialist_required
from .errors import CallerNotVerified, ClientNotFound, ClientViewNotFound
from .forms_clients import ClientOpenForm, ClientSearchForm, VerificationForm
from .models import ClientView, Verification
from .selectors_clients import ClientMatch, client_match, client_of_view, client_view_get, client_view_is_open
from .services_clients import (
    client_search,
    client_view_close,
    client_view_open,
    client_view_show,
    client_view_verify,
)
from .verification import ATTEMPTS_ALLOWED, may_verify, verification_questions


def _page(
    request: HttpRequest, template: str, desk: Desk, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(
        request, template, {"active_nav": "workplace", "desk": desk, "section": "clients", **context}, status=status
    )


MATCHES_REMEMBERED = 20
_MATCHES_SESSION_KEY = "workplace.client_matches"


@dataclass(frozen=True, slots=True)
class Found:
    match: ClientMatch
    reference: str  # the purpose form's `?match=` parameter, valid in this session only

    @property
    def open_url(self) -> str:
        return f"{reverse('workplace:client-open')}?match={self.reference}"


def _remember(request: HttpRequest, matches: list[ClientMatch]) -> list[Found]:
    """Give each match a reference in the session (the newest MATCHES_REMEMBERED are kept)."""
    remembered: dict[str, list[str]] = request.session.get(_MATCHES_SESSION_KEY, {})
    found = [Found(match, secrets.token_urlsafe(12)) for match in matches]
    remembered |= {item.reference: [item.match.kind.value, item.match.key] for item in found}
    request.session[_MATCHES_SESSION_KEY] = dict(list(remembered.items())[-MATCHES_REMEMBERED:])
    return found


def _remembered(request: HttpRequest) -> tuple[str, str]:
    """The kind and key of the client the `?match=` reference stands for; 404 when the session has none."""
    remembered = request.session.get(_MATCHES_SESSION_KEY, {}).get(request.GET.get("match", ""))
    if remembered is None:
        raise Http404("No such search result in this session.")
    kind, key = remembered
    return kind, key


@specialist_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def client_find(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    searched = request.method == "POST"  # the code searched for stays out of the address
    form = ClientSearchForm(request.POST if searched else None)
    matches = None
    if searched and form.is_valid():
        try:
            matches = _remember(
                request, client_search(desk=desk, kind=form.cleaned_data["kind"], value=form.cleaned_data["value"])
            )
        except ValidationFailed as error:
            add_service_errors(form, error)
    return _page(
        request,
        "workplace/client_find.html",
        desk,
        {"form": form, "matches": matches},
        status=400 if form.errors else 200,
    )


@specialist_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def client_open(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    kind, key = _remembered(request)  # found by an audited search, or from the specialist's own view
    try:
        match = client_match(kind=kind, key=key)
    except ClientNotFound as error:
        raise Http404(error.detail) from None
    language = current_language()
    services = list(
        services_visible_to(actor=desk.actor).only("code", "name_lv", "name_en", "client_view_consent_required")
    )
    form = ClientOpenForm(
        request.POST if request.method == "POST" else None,
        services=services,
        language=language,
        in_person=desk.place is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            view = client_view_open(
                desk=desk,
                client_kind=kind,
                client_key=match.key,
                channel=form.cleaned_data["channel"],
                case_number=form.cleaned_data["case_number"],
                service_code=form.cleaned_data["service"],
                note=form.cleaned_data["note"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            return redirect("workplace:client-view", view_id=view.pk)
    return _page(
        request,
        "workplace/client_open.html",
        desk,
        {"form": form, "match": match, "action": f"{request.path}?{request.GET.urlencode()}"},
        status=400 if form.errors else 200,
    )


def _own_view(desk: Desk, view_id: UUID) -> ClientView:
    try:
        return client_view_get(desk=desk, view_id=view_id)
    except ClientViewNotFound as error:
        raise Http404(error.detail) from None


def _ended(request: HttpRequest, desk: Desk, view: ClientView) -> HttpResponse:
    (again,) = _remember(request, [client_of_view(view)])
    return _page(
        request, "workplace/client_view_ended.html", desk, {"view": view, "reopen": again.open_url}, status=410
    )


def _verification_page(
    request: HttpRequest, desk: Desk, view: ClientView, form: VerificationForm, *, status: int = 200
) -> HttpResponse:
    questions = verification_questions(view)
    return _page(
        request,
        "workplace/client_verify.html",
        desk,
        {
            "view": view,
            "form": form,
            "may_verify": may_verify(questions),
            "attempts_left": ATTEMPTS_ALLOWED - view.verification_attempts,
        },
        status=status,
    )


@specialist_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def client_view(request: HttpRequest, view_id: UUID, *, desk: Desk) -> HttpResponse:
    view = _own_view(desk, view_id)
    if not client_view_is_open(view):
        return _ended(request, desk, view)
    if view.verification == Verification.PENDING:
        return _verification_page(request, desk, view, VerificationForm(questions=verification_questions(view)))
    try:
        profile = client_view_show(desk=desk, view=view, language=current_language())
    except (ClientViewNotFound, CallerNotVerified):
        return _ended(request, desk, view)
    from_view = f"?client_view={view.pk}"
    return _page(
        request,
        "workplace/client_view.html",
        desk,
        {
            "view": view,
            "facts": profile.facts,
            "sections": profile.sections,
            "consultation_url": reverse("workplace:consultation-new") + from_view,
            "application_url": reverse("workplace:applications") + from_view,
        },
    )


@specialist_required
@require_POST
def client_verify(request: HttpRequest, view_id: UUID, *, desk: Desk) -> HttpResponse:
    view = _own_view(desk, view_id)
    if not client_view_is_open(view) or view.verification != Verification.PENDING:
        return redirect("workplace:client-view", view_id=view.pk)
    questions = verification_questions(view)
    form = VerificationForm(request.POST, questions=questions)
    form.is_valid()
    try:
        view, _right = client_view_verify(desk=desk, view=view, answers=form.answers())
    except (ClientViewNotFound, CallerNotVerified):
        return redirect("workplace:client-view", view_id=view.pk)
    if view.verification != Verification.PENDING:
        return redirect("workplace:client-view", view_id=view.pk)
    retry = VerificationForm({}, questions=questions)  # the answers are not shown again
    retry.is_valid()
    retry.add_error(None, _not_verified_message(ATTEMPTS_ALLOWED - view.verification_attempts))
    return _verification_page(request, desk, view, retry, status=400)


def _not_verified_message(attempts_left: int) -> str:
    return ngettext(
        "The answers do not verify the caller. %(count)d attempt is left.",
        "The answers do not verify the caller. %(count)d attempts are left.",
        attempts_left,
    ) % {"count": attempts_left}


@specialist_required
@require_POST
def client_view_end(request: HttpRequest, view_id: UUID, *, desk: Desk) -> HttpResponse:
    view = _own_view(desk, view_id)
    client_view_close(desk=desk, view=view)
    return redirect("workplace:client-find")
