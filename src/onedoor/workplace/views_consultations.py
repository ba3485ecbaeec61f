"""The consultation form (REG-4) with its inline catalog search, and its confirmation.

The page hands the form a signed timer start when it loads; on submit the services register the
consultation, its follow-up task and the specialist's time together (`services_consultations`).
"""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onedoor.cases.models import ClientKind, Consultation
from onedoor.cases.selectors import consultations_visible_to
from onedoor.catalog.models import Service
from onedoor.catalog.selectors import services_matching, services_visible_to
from onedoor.core.errors import ValidationFailed
from onedoor.core.forms import add_service_errors

from .desk import Desk, specialist_required
from .forms_consultations import ConsultationForm, timer_token
from .selectors_clients import client_of_disclosing_view
from .selectors_tasks import colleagues_of
from .services_consultations import ConsultationRecorded, FollowUp, consultation_record
from .services_tasks import TaskTarget, desk_channel
from .views_queue import format_duration

SEARCH_RESULTS = 8
CLIENT_FIELD_ERRORS = {
    "client": "client_kind",
    "client.personal_code": "personal_code",
    "client.registration_number": "registration_number",
    "client.phone": "phone",
    "colleague": "follow_up_colleague",
    "target": "follow_up_target",
    "title": "follow_up_title",
}


def _form(desk: Desk, data: Any = None, initial: dict[str, Any] | None = None) -> ConsultationForm:
    return ConsultationForm(
        data,
        initial=initial,
        services=services_visible_to(actor=desk.actor),
        colleagues=colleagues_of(desk=desk),
    )


def _registered(desk: Desk, consultation_id: str) -> Consultation | None:
    """The consultation the desk's specialist just registered (for the confirmation), if it is theirs."""
    try:
        pk = uuid.UUID(consultation_id)
    except ValueError:
        return None
    return (
        consultations_visible_to(actor=desk.actor)
        .select_related("service", "person", "organisation")
        .filter(pk=pk, recorded_by_id=desk.actor.id)
        .first()
    )


def _render(
    request: HttpRequest, desk: Desk, form: ConsultationForm, token: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    started = form.started_at if form.is_bound and form.started_at is not None else timezone.now()
    context = {
        "desk": desk,
        "section": "consultation",
        "active_nav": "workplace",
        "form": form,
        "timer": token,
        "timer_started_ms": int(started.timestamp() * 1000),
        "timer_started": started,
        **extra,
    }
    return render(request, "workplace/consultation_new.html", context, status=status)


@specialist_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    if request.method == "GET":
        initial: dict[str, Any] = {
            "channel": desk_channel(desk).value,
            "client_kind": ClientKind.ANONYMOUS.value,
            "follow_up_target": TaskTarget.TEAM.value if desk.team else TaskTarget.INSTITUTION.value,
        }
        client = client_of_disclosing_view(desk=desk, view_id=request.GET.get("client_view", ""))
        if client is not None:  # the kinds of a view's client and of a consultation's have the same values
            key_field = "personal_code" if client.kind == ClientKind.PERSON else "registration_number"
            initial.update(client_kind=client.kind.value, **{key_field: client.key})
        registered = _registered(desk, request.GET.get("registered", ""))
        now = timezone.now()
        form = _form(desk, initial=initial)
        extra: dict[str, Any] = {"registered": registered}
        if registered is not None:
            extra["registered_duration"] = format_duration(registered.duration_seconds or 0)
            extra["registered_task"] = registered.tasks.filter(institution=desk.institution).first()
        return _render(request, desk, form, timer_token(now), **extra)
    form = _form(desk, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        assert form.started_at is not None
        follow_up = (
            FollowUp(
                title=data["follow_up_title"],
                target=TaskTarget(data["follow_up_target"] or TaskTarget.TEAM),
                colleague_id=data["follow_up_colleague"],
            )
            if data["follow_up"]
            else None
        )
        try:
            recorded: ConsultationRecorded = consultation_record(
                desk=desk,
                channel=data["channel"],
                client=form.client(),
                topic=data["topic"],
                started_at=form.started_at,
                service_code=data["service"],
                outcome=data["outcome"],
                duration=form.duration(),
                follow_up=follow_up,
            )
        except ValidationFailed as error:
            add_service_errors(form, error, field_for=CLIENT_FIELD_ERRORS)
        else:
            url = reverse("workplace:consultation-new")
            return HttpResponseRedirect(f"{url}?registered={recorded.consultation.pk}")
    # The timer runs on from its start while the specialist fixes the form; a forged one starts again.
    token = request.POST.get("timer", "") if form.started_at is not None else timer_token(timezone.now())
    return _render(request, desk, form, token, status=400)


@specialist_required
@require_GET
def service_search(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    """A few published services matching `?q=` (or the service field's own value, as htmx sends it)."""
    query = (request.GET.get("q") or request.GET.get("service") or "").strip()
    services: list[Service] = []
    if len(query) >= 2:
        services = list(services_matching(services_visible_to(actor=desk.actor), query)[:SEARCH_RESULTS])
    return render(
        request, "workplace/_consultation_services.html", {"services": services, "query": query, "desk": desk}
    )
