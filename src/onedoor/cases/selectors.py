"""Reading the request registry; every query starts from what the acting context may see."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from onedoor.catalog.models import Lifecycle
from onedoor.core.actors import Actor

from .errors import CaseNotFound
from .models import Case, CaseStatusEvent, Consultation
from .numbers import parse_case_number

RESULT_LIFECYCLES = frozenset({Lifecycle.DECIDED, Lifecycle.RESULT_DELIVERED, Lifecycle.CLOSED, Lifecycle.REJECTED})


def _client_cases(actor: Actor) -> QuerySet[Case]:
    """A client's cases: those for the party or applied for by it (a parent's application for a child),
    narrowed to a mandate's services, and under a mandate for results only, to cases with a result."""
    party = actor.acting_for_id
    if actor.acting_for_kind == "person":
        cases = Case.objects.filter(Q(for_person_id=party) | Q(applicant_person_id=party))
    else:
        cases = Case.objects.filter(Q(for_organisation_id=party) | Q(applicant_organisation_id=party))
    if actor.service_codes is not None:
        cases = cases.filter(service__code__in=actor.service_codes)
    if actor.mandate_id and not actor.may_act:
        cases = cases.filter(lifecycle__in=RESULT_LIFECYCLES)
    return cases


def cases_visible_to(*, actor: Actor) -> QuerySet[Case]:
    """Platform admins see every case; an institution sees cases it holds, provides or requested, or
    that were applied for at its application places (a KAC, ASST-1); a system limited to some
    services sees only those; a client sees their own (ACC-2)."""
    cases = Case.objects.all()
    if actor.is_platform_admin:
        return cases
    if actor.is_client:
        return _client_cases(actor)
    if actor.institution_id is None:
        return cases.none()
    institution = actor.institution_id
    cases = cases.filter(
        Q(holder_id=institution)
        | Q(provider_id=institution)
        | Q(requesting_institution_id=institution)
        | Q(place__institution_id=institution)
    )
    if actor.service_codes is not None:
        cases = cases.filter(service__code__in=actor.service_codes)
    return cases


def consultations_visible_to(*, actor: Actor) -> QuerySet[Consultation]:
    consultations = Consultation.objects.all()
    if actor.is_platform_admin:
        return consultations
    if actor.is_client:
        if actor.mandate_id and not actor.may_act:
            return consultations.none()
        party = (
            Q(person_id=actor.acting_for_id)
            if actor.acting_for_kind == "person"
            else Q(organisation_id=actor.acting_for_id)
        )
        consultations = consultations.filter(party)
        if actor.service_codes is not None:
            consultations = consultations.filter(service__code__in=actor.service_codes)
        return consultations
    if actor.institution_id is None:
        return consultations.none()
    institution = actor.institution_id
    consultations = consultations.filter(Q(institution_id=institution) | Q(service__holder_id=institution))
    if actor.service_codes is not None:
        consultations = consultations.filter(service__code__in=actor.service_codes)
    return consultations


def case_history(case: Case) -> QuerySet[CaseStatusEvent]:
    """The status history in the order things happened (late arrivals fall into place)."""
    return case.status_events.order_by("occurred_at", "received_at", "id")


def case_get(*, actor: Actor, number: str) -> Case:
    """One case with its history; CaseNotFound also when it exists but is not the actor's to see."""
    canonical = parse_case_number(number)
    case = (
        cases_visible_to(actor=actor)
        .select_related(
            "service",
            "holder",
            "provider",
            "applicant_person",
            "applicant_organisation",
            "for_person",
            "for_organisation",
        )
        .prefetch_related(
            Prefetch("status_events", queryset=CaseStatusEvent.objects.order_by("occurred_at", "received_at", "id"))
        )
        .filter(number=canonical or "")
        .first()
    )
    if case is None:
        raise CaseNotFound(f"No case {number}.")
    return case


def cases_filtered(
    *,
    actor: Actor,
    service: str = "",
    status: str = "",
    personal_code: str = "",
    registration_number: str = "",
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
) -> QuerySet[Case]:
    cases = cases_visible_to(actor=actor).select_related(
        "service", "holder", "applicant_person", "applicant_organisation", "for_person", "for_organisation"
    )
    if service:
        cases = cases.filter(service__code=service)
    if status:
        cases = cases.filter(status=status)
    if personal_code:
        cases = cases.filter(
            Q(for_person__personal_code=personal_code) | Q(applicant_person__personal_code=personal_code)
        )
    if registration_number:
        cases = cases.filter(
            Q(for_organisation__registration_number=registration_number)
            | Q(applicant_organisation__registration_number=registration_number)
        )
    if submitted_from:
        cases = cases.filter(submitted_at__gte=submitted_from)
    if submitted_to:
        cases = cases.filter(submitted_at__lt=submitted_to)
    return cases.order_by("-submitted_at", "-sequence")
