"""REG-2: status events that arrive late, twice or out of order."""

from datetime import UTC, datetime, timedelta

import pytest

from onedoor.audit.models import AuditRecord
from onedoor.cases.errors import CaseNotFound, ReopenNotAllowed, UnknownStatus
from onedoor.cases.models import Case, CaseStatusEvent
from onedoor.cases.selectors import case_history
from onedoor.cases.services import PartyRef, StatusEventInput, case_register, status_events_record
from onedoor.conftest import staff_actor
from onedoor.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SCOPES = ("cases:write", "statuses:write")


def _case(submitted_at: datetime = T0) -> Case:
    actor = staff_actor("VSAA", *SCOPES, system=True)
    return case_register(
        actor=actor,
        service_code="2011",
        applicant=PartyRef(personal_code="32579461005"),
        channel="web_portal",
        submitted_at=submitted_at,
    ).case


def _record(case: Case, event_id: str, status: str, minutes: int, *scopes: str):  # type: ignore[no-untyped-def]
    actor = staff_actor("VSAA", *(scopes or SCOPES), system=True)
    (result,) = status_events_record(
        actor=actor, items=[StatusEventInput(case.number, event_id, status, T0 + timedelta(minutes=minutes))]
    )
    case.refresh_from_db()
    return result


def test_history_is_ordered_by_occurrence_and_the_current_status_is_the_latest(demo_catalog: None) -> None:
    case = _case()
    _record(case, "e3", "decided", 30)
    _record(case, "e2", "in_progress", 10)  # arrives late
    assert case.status == "decided"
    assert [event.status for event in case_history(case)] == ["registered", "in_progress", "decided"]


def test_duplicate_event_id_changes_nothing_and_returns_the_original(demo_catalog: None) -> None:
    case = _case()
    first = _record(case, "e1", "in_progress", 10)
    outbox_before = OutboxEvent.objects.count()
    again = _record(case, "e1", "rejected", 20)
    assert again.outcome == "duplicate"
    assert again.event.pk == first.event.pk
    assert again.event.status == "in_progress"
    assert case.status == "in_progress"
    assert CaseStatusEvent.objects.filter(case=case).count() == 2
    assert OutboxEvent.objects.count() == outbox_before


def test_a_status_the_service_does_not_define_is_refused_and_nothing_is_written(demo_catalog: None) -> None:
    case = _case()
    result = _record(case, "e1", "teleported", 10)
    assert result.outcome == "refused"
    assert isinstance(result.error, UnknownStatus)
    assert result.error.invalid_params == {"status": ["Service 2011 has no status teleported."]}
    assert CaseStatusEvent.objects.filter(case=case).count() == 1
    assert case.status == "registered"


def test_final_status_closes_and_a_later_non_final_needs_the_reopen_scope(demo_catalog: None) -> None:
    case = _case()
    _record(case, "e1", "closed", 60)
    assert case.is_closed
    refused = _record(case, "e2", "in_progress", 90)
    assert isinstance(refused.error, ReopenNotAllowed)
    assert case.is_closed
    late = _record(case, "e0", "in_progress", 30)  # happened before it was closed: history only
    assert late.outcome == "created"
    assert case.status == "closed"
    reopened = _record(case, "e3", "in_progress", 90, "statuses:write", "cases:reopen")
    assert reopened.outcome == "created"
    assert (case.status, case.is_closed) == ("in_progress", False)


def test_other_institutions_cases_are_not_found(demo_catalog: None) -> None:
    case = _case()
    vid = staff_actor("VID", "statuses:write", system=True)
    (result,) = status_events_record(actor=vid, items=[StatusEventInput(case.number, "x", "closed", T0)])
    assert isinstance(result.error, CaseNotFound)
    assert CaseStatusEvent.objects.filter(case=case).count() == 1


def test_a_batch_records_each_item_on_its_own_and_audits_once(demo_catalog: None) -> None:
    first, second = _case(), _case()
    actor = staff_actor("VSAA", *SCOPES, system=True)
    audits = AuditRecord.objects.count()
    results = status_events_record(
        actor=actor,
        items=[
            StatusEventInput(first.number, "a", "in_progress", T0 + timedelta(minutes=5)),
            StatusEventInput("2011-9999", "b", "in_progress", T0),
            StatusEventInput(second.number, "c", "nonsense", T0),
            StatusEventInput(second.number, "d", "decided", T0 + timedelta(minutes=5)),
            StatusEventInput(first.number, "a", "decided", T0),
        ],
    )
    assert [result.outcome for result in results] == ["created", "refused", "refused", "created", "duplicate"]
    assert AuditRecord.objects.count() == audits + 1
    record = AuditRecord.objects.order_by("-sequence").first()
    assert record is not None
    assert record.details["created"] == 2
    assert record.details["refused"] == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("in_progress", "decided")
    assert OutboxEvent.objects.filter(type="case.status_changed").count() == 2
