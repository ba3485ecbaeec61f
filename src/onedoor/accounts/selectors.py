"""Reading the e-account's records (ACC-4, REG-3, ACC-8): the cases and consultations of the acting party,
and the documents institutions keep of its cases.

Every query starts from `cases_visible_to` / `consultations_visible_to`, which narrow a client to the
party they act for, a mandate's services and, under a mandate for result retrieval only, to cases with
a result. The pages, the /api/v1/me API and the benchmark use the same selectors; a list costs the same
few queries whatever its length (status names come in the same row, parties by join).
"""

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import CharField, F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from onedoor.cases.errors import CaseNotFound
from onedoor.cases.models import Case, CaseStatusEvent, Consultation, Feedback
from onedoor.cases.numbers import parse_case_number
from onedoor.cases.selectors import cases_visible_to, consultations_visible_to
from onedoor.catalog.models import Lifecycle, ServiceStatusType
from onedoor.core.actors import Actor
from onedoor.core.i18n import current_language
from onedoor.core.text import search_terms
from onedoor.documents.models import Document
from onedoor.documents.selectors import documents_visible_to
from onedoor.notifications.models import Message
from onedoor.parties.models import Person

ACTION_LIFECYCLES = frozenset({Lifecycle.AWAITING_CLIENT, Lifecycle.AWAITING_PAYMENT})
CASE, CONSULTATION = "case", "consultation"
_CASE_RELATIONS = ("service", "holder", "applicant_person", "applicant_organisation", "for_person", "for_organisation")
# Long texts a list never shows: left in the database, so a page of rows stays small.
_SERVICE_TEXTS = ("summary_lv", "summary_en", "description_lv", "description_en", "search_title", "search_text")
_UNLISTED = ("data", *(f"service__{name}" for name in _SERVICE_TEXTS))


@dataclass(frozen=True, slots=True)
class HistoryFilters:
    """What the history is narrowed to; empty values do not narrow."""

    submitted_from: date | None = None
    submitted_to: date | None = None
    service: str = ""  # a code, or words of the name
    institution: str = ""  # institution code
    lifecycle: str = ""
    channel: str = ""


def _day_start(day: date) -> datetime:
    """Midnight at the start of the day where the client lives (the site's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _with_status_names(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with `status_name`: its status as the service names it, in the active language (Latvian when
    the English name is missing), read in the same row."""
    name = f"name_{current_language()}"
    status_type = ServiceStatusType.objects.filter(service_id=OuterRef("service_id"), code=OuterRef("status"))
    label = status_type.annotate(label=Coalesce(NullIf(F(name), Value("")), F("name_lv"))).values("label")[:1]
    return cases.annotate(status_name=Subquery(label, output_field=CharField()))


def _narrowed(items: QuerySet[Any], filters: HistoryFilters, *, moment: str, institution: str) -> QuerySet[Any]:
    """Period, service, institution and channel filters on cases or consultations, whose fields for
    when it happened (`moment`) and for the institution differ."""
    if filters.submitted_from:
        items = items.filter(**{f"{moment}__gte": _day_start(filters.submitted_from)})
    if filters.submitted_to:
        items = items.filter(**{f"{moment}__lt": _day_start(filters.submitted_to + timedelta(days=1))})
    for term in search_terms(filters.service):
        items = items.filter(service__search_title__contains=term)
    if filters.institution:
        items = items.filter(**{f"{institution}__code": filters.institution})
    if filters.channel:
        items = items.filter(channel=filters.channel)
    return items


def cases_narrowed(cases: QuerySet[Case], filters: HistoryFilters) -> QuerySet[Case]:
    """The cases that match the filters (the page's form and the API's query parameters)."""
    if filters.lifecycle:
        cases = cases.filter(lifecycle=filters.lifecycle)
    return _narrowed(cases, filters, moment="submitted_at", institution="holder")


def _filtered_cases(actor: Actor, filters: HistoryFilters) -> QuerySet[Case]:
    return cases_narrowed(cases_visible_to(actor=actor), filters)


def case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases ready to list: newest first, with the service, holder, parties and status name in one query."""
    listed = cases.select_related(*_CASE_RELATIONS).defer(*_UNLISTED)
    return _with_status_names(listed).order_by("-submitted_at", "-number")


def party_cases(*, actor: Actor, filters: HistoryFilters | None = None) -> QuerySet[Case]:
    """The acting party's cases, newest first, with the service, holder, parties and status names in one query."""
    return case_rows(_filtered_cases(actor, filters or HistoryFilters()))


def party_consultations(*, actor: Actor, filters: HistoryFilters | None = None) -> QuerySet[Consultation]:
    """The acting party's consultations (REG-4), newest first; a status filter leaves none (they have no status)."""
    filters = filters or HistoryFilters()
    consultations = consultations_visible_to(actor=actor)
    if filters.lifecycle:
        return consultations.none()
    consultations = _narrowed(consultations, filters, moment="occurred_at", institution="institution")
    return (
        consultations.select_related("service", "institution")
        .defer(*(f"service__{name}" for name in _SERVICE_TEXTS))
        .order_by("-occurred_at", "-id")
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of the history: a case or a consultation, at the time it was submitted or given."""

    kind: str
    at: datetime
    case: Case | None = None
    consultation: Consultation | None = None


def history_index(*, actor: Actor, filters: HistoryFilters | None = None) -> QuerySet[Any]:
    """(kind, id, at) of every case and consultation of the party, newest first, as one query to paginate."""
    filters = filters or HistoryFilters()

    def keyed(queryset: QuerySet[Any], kind: str, moment: str) -> QuerySet[Any]:
        # Only annotations, in the same order on both sides, so the UNION's columns line up.
        return (
            queryset.order_by()
            .annotate(entry_kind=Value(kind, output_field=CharField()), entry_id=F("id"), entry_at=F(moment))
            .values_list("entry_kind", "entry_id", "entry_at")
        )

    cases = keyed(_filtered_cases(actor, filters), CASE, "submitted_at")
    consultations = keyed(party_consultations(actor=actor, filters=filters), CONSULTATION, "occurred_at")
    return cases.union(consultations, all=True).order_by("-entry_at", "-entry_id")


def history_entries(*, actor: Actor, keys: list[tuple[str, Any, datetime]]) -> list[HistoryEntry]:
    """The cases and consultations behind a page of `history_index`, in its order: two queries at most."""
    case_ids = [pk for kind, pk, _at in keys if kind == CASE]
    consultation_ids = [pk for kind, pk, _at in keys if kind == CONSULTATION]
    cases = {case.pk: case for case in party_cases(actor=actor).filter(pk__in=case_ids)} if case_ids else {}
    consultations = (
        {item.pk: item for item in party_consultations(actor=actor).filter(pk__in=consultation_ids)}
        if consultation_ids
        else {}
    )
    entries = []
    for kind, pk, at in keys:
        if kind == CASE and pk in cases:
            entries.append(HistoryEntry(CASE, at, case=cases[pk]))
        elif kind == CONSULTATION and pk in consultations:
            entries.append(HistoryEntry(CONSULTATION, at, consultation=consultations[pk]))
    return entries


def history_stream(*, actor: Actor, filters: HistoryFilters | None = None, chunk: int = 500) -> Iterator[HistoryEntry]:
    """Every entry of the history, newest first, read in chunks (for the CSV export)."""
    cases = (
        HistoryEntry(CASE, case.submitted_at, case=case)
        for case in party_cases(actor=actor, filters=filters).iterator(chunk_size=chunk)
    )
    consultations = (
        HistoryEntry(CONSULTATION, item.occurred_at, consultation=item)
        for item in party_consultations(actor=actor, filters=filters).iterator(chunk_size=chunk)
    )
    return heapq.merge(cases, consultations, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True, slots=True)
class Overview:
    """What the e-account's first page shows about the acting party's cases."""

    open_count: int
    latest_open: list[Case]
    needs_action: list[Case]


def overview_for(*, actor: Actor, latest: int = 5, action_limit: int = 20) -> Overview:
    """Open cases (how many and the latest few) and the cases waiting for the client: three queries."""
    cases = party_cases(actor=actor)
    open_cases = cases.filter(is_closed=False)
    return Overview(
        open_count=_filtered_cases(actor, HistoryFilters()).filter(is_closed=False).count(),
        latest_open=list(open_cases[:latest]),
        needs_action=list(cases.filter(lifecycle__in=ACTION_LIFECYCLES)[:action_limit]),
    )


def client_case_get(*, actor: Actor, number: str) -> Case:
    """One case of the acting party with its history and, when a specialist applied for it, the place
    (ASST-1); CaseNotFound for another party's case, as for a missing one."""
    case = (
        cases_visible_to(actor=actor)
        .select_related(*_CASE_RELATIONS, "provider", "place")
        .prefetch_related(
            Prefetch("status_events", queryset=CaseStatusEvent.objects.order_by("occurred_at", "received_at", "id"))
        )
        .filter(number=parse_case_number(number) or "")
        .first()
    )
    if case is None:
        raise CaseNotFound(f"No case {number}.")
    return case


def case_status_types(case: Case) -> dict[str, ServiceStatusType]:
    """The case's service's status types by code, for naming the statuses of its history."""
    return {
        status_type.code: status_type for status_type in ServiceStatusType.objects.filter(service_id=case.service_id)
    }


def case_correspondence(*, person: Person, case: Case) -> list[Message]:
    """The messages about the case in the person's inbox (archived ones too), oldest first. Whose inbox
    the actor reads is `notifications.selectors.inbox_person`'s rule (ACC-3)."""
    return list(
        Message.objects.filter(recipient=person, case_number=case.number)
        .select_related("sender")
        .order_by("created_at", "id")
    )


def case_feedback_of_party(*, actor: Actor, case: Case) -> Feedback | None:
    """The acting party's feedback on the case, if given (once per client, REG-5)."""
    return Feedback.objects.filter(case=case, client_key=actor.acting_for).first()


def party_documents(*, actor: Actor) -> QuerySet[Document]:
    """The documents institutions keep of the acting party's cases (ACC-8, DOC-1: scans of paper handed in at
    a customer service centre, the signed application), newest first, with the case, place and shipment a
    row shows. What `documents_visible_to` gives the client, only of cases the actor may open — so under a
    mandate for result retrieval only, of cases with a result — since each is reached through its case."""
    return (
        documents_visible_to(actor=actor)
        .filter(case__in=cases_visible_to(actor=actor))
        .select_related("case", "case__service", "case__holder", "place", "institution", "shipment")
        .defer(*(f"case__{name}" for name in _UNLISTED))
        .order_by("-created_at", "-id")
    )
