"""`onedoor generate`: synthetic registry data that keeps every invariant of the registry."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from onedoor.audit.models import AuditRecord
from onedoor.cases import generator
from onedoor.cases.generator import (
    ALWAYS_AVAILABLE,
    GENERATOR_ID,
    cases_generate,
    new_personal_code,
    new_registration_number,
)
from onedoor.cases.models import Case, CaseNumberCounter, CaseStatusEvent
from onedoor.cases.numbers import format_case_number
from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import Service, ServiceStatusType
from onedoor.core.actors import SYSTEM, Actor, ActorKind
from onedoor.core.errors import PermissionDenied
from onedoor.core.models import OutboxEvent
from onedoor.parties.identifiers import normalize_personal_code, normalize_registration_number
from onedoor.parties.models import Institution, Organisation, Person

UNTIL = datetime(2026, 6, 1, tzinfo=UTC)


def _register(service_code: str, count: int) -> list[Case]:
    return [
        case_register(actor=SYSTEM, service_code=service_code, applicant=PartyRef(anonymous=True), channel="kac").case
        for _ in range(count)
    ]


def _fingerprint() -> list[tuple[Any, ...]]:
    cases = Case.objects.filter(registered_by_id=GENERATOR_ID).order_by("number")
    events = CaseStatusEvent.objects.filter(actor_id=GENERATOR_ID).order_by("case__number", "occurred_at")
    return [
        *cases.values_list(
            "id",
            "number",
            "status",
            "submitted_at",
            "channel",
            "applicant_person__personal_code",
            "for_organisation__registration_number",
        ),
        *events.values_list("case__number", "event_id", "occurred_at", "received_at"),
    ]


def _generate_and_roll_back(*, seed: int, count: int) -> list[tuple[Any, ...]]:
    """The fingerprint of a run on the current database, which is then left as it was."""
    with transaction.atomic():
        cases_generate(actor=SYSTEM, count=count, seed=seed, until=UNTIL)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_generated_registry_keeps_the_registry_invariants(demo_catalog: None) -> None:
    existing = _register("2011", 3)
    outbox_before = OutboxEvent.objects.count()

    report = cases_generate(actor=SYSTEM, count=500, seed=7, until=UNTIL)

    generated = Case.objects.filter(registered_by_id=GENERATOR_ID)
    assert (report.cases, generated.count(), Case.objects.count()) == (500, 500, 503)
    assert report.status_events == CaseStatusEvent.objects.filter(case__in=generated).count()
    assert (report.persons, report.organisations) == (125, 20)
    assert Person.objects.filter(personal_code__startswith="32").count() >= 125
    # synthetic history, not actions: nothing for institutions' systems, one audit record for the run
    assert OutboxEvent.objects.count() == outbox_before
    (audit,) = AuditRecord.objects.filter(action="cases.generate")
    assert audit.actor_id == SYSTEM.id
    assert audit.details["cases"] == 500
    assert audit.details["status_events"] == report.status_events
    assert audit.details["seed"] == 7

    # numbering continues each service's counter without gaps or duplicates
    assert [case.number for case in existing] == ["2011 0001", "2011 0002", "2011 0003"]
    counters = dict(CaseNumberCounter.objects.values_list("service__code", "last_sequence"))
    for code, last in counters.items():
        sequences = sorted(Case.objects.filter(service__code=code).values_list("sequence", flat=True))
        assert sequences == list(range(1, last + 1)), code
    assert sum(counters.values()) == 503
    for number, code, sequence in Case.objects.values_list("number", "service__code", "sequence"):
        assert number == format_case_number(code, sequence)
    next_case = _register("2011", 1)[0]
    assert next_case.sequence == counters["2011"] + 1

    # within a service, later numbers were submitted later
    for code in counters:
        of_service = generated.filter(service__code=code).order_by("sequence")
        submitted = list(of_service.values_list("submitted_at", flat=True))
        assert submitted == sorted(submitted), code


@pytest.mark.django_db
def test_every_history_follows_the_service_and_ends_in_the_current_status(demo_catalog: None) -> None:
    cases_generate(actor=SYSTEM, count=500, seed=11, until=UNTIL)

    positions = {(status.service_id, status.code): status.position for status in ServiceStatusType.objects.all()}
    histories: dict[Any, list[CaseStatusEvent]] = {}
    for event in CaseStatusEvent.objects.order_by("occurred_at", "id"):
        histories.setdefault(event.case_id, []).append(event)
    cases = list(Case.objects.select_related("service"))
    old_cases = closed_old = 0
    for case in cases:
        history = histories[case.pk]
        assert 1 <= len(history) <= 5
        first, latest = history[0], history[-1]
        assert (first.status, first.occurred_at) == ("registered", case.submitted_at)
        assert first.event_id == f"registered-{case.url_number}"
        assert (case.status, case.lifecycle, case.is_closed, case.status_occurred_at) == (
            latest.status,
            latest.lifecycle,
            latest.is_final,
            latest.occurred_at,
        )
        assert [event.is_final for event in history[:-1]] == [False] * (len(history) - 1)
        order = [positions[(case.service_id, event.status)] for event in history if not event.is_final]
        assert order == sorted(set(order))
        assert len({event.occurred_at for event in history}) == len(history)
        assert all(event.received_at >= event.occurred_at for event in history)
        assert UNTIL - timedelta(days=3 * 365) <= case.submitted_at < latest.occurred_at + timedelta(seconds=1) <= UNTIL
        if case.submitted_at < UNTIL - timedelta(days=365):
            old_cases += 1
            closed_old += case.is_closed
    assert old_cases > 100
    assert closed_old / old_cases > 0.9


@pytest.mark.django_db
def test_generated_data_is_shaped_like_real_traffic(demo_catalog: None) -> None:
    cases_generate(actor=SYSTEM, count=500, seed=13, until=UNTIL)

    by_service = Counter(Case.objects.values_list("service__code", flat=True))
    top_five = sum(count for _code, count in by_service.most_common(5))
    assert top_five > 250  # a few services take most cases
    pilots = set(Service.objects.exclude(pilot_reference="").values_list("code", flat=True))
    assert sum(count for code, count in by_service.items() if code in pilots) > 300

    channels = Counter(Case.objects.values_list("channel", flat=True))
    assert channels["web_portal"] + channels["e_account"] > 250
    assert {"kac", "phone", "institution_system"} <= set(channels)
    for service in Service.objects.filter(cases__isnull=False).distinct().prefetch_related("application_channels"):
        offered = {channel.code for channel in service.application_channels.all()} | ALWAYS_AVAILABLE
        assert set(service.cases.values_list("channel", flat=True)) <= offered, service.code

    assert Case.objects.filter(for_organisation__isnull=False, applicant_kind="person").exists()  # for a company
    assert Case.objects.filter(applicant_kind="organisation").exists()
    assert not Case.objects.filter(applicant_kind="person", applicant_person__isnull=True).exists()
    for code in Person.objects.values_list("personal_code", flat=True):
        assert normalize_personal_code(code) == code
    for number in Organisation.objects.values_list("registration_number", flat=True):
        assert normalize_registration_number(number) == number


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data(demo_catalog: None) -> None:
    runs = [_generate_and_roll_back(seed=seed, count=200) for seed in (5, 5, 6)]
    assert len(runs[0]) > 400
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


@pytest.mark.django_db
def test_without_copy_bulk_create_writes_the_same_rows(demo_catalog: None, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = _generate_and_roll_back(seed=3, count=100)
    monkeypatch.setattr(generator, "_CopyWriter", generator._BulkCreateWriter)

    cases_generate(actor=SYSTEM, count=100, seed=3, until=UNTIL)

    assert _fingerprint() == copied


@pytest.mark.django_db
def test_only_the_platform_may_generate(demo_catalog: None) -> None:
    vsaa = Institution.objects.get(code="VSAA")
    institution_system = Actor(
        kind=ActorKind.SYSTEM,
        id="vsaa-backoffice",
        institution_id=str(vsaa.pk),
        institution_code="VSAA",
        roles=frozenset({"cases:write", "statuses:write"}),
    )
    with pytest.raises(PermissionDenied):
        cases_generate(actor=institution_system, count=10, seed=1, until=UNTIL)
    assert not Case.objects.exists()
    assert not AuditRecord.objects.filter(action="cases.generate").exists()


@pytest.mark.django_db
def test_the_command_prints_what_it_created(demo_catalog: None) -> None:
    out = StringIO()
    call_command("generate", "--cases", "50", "--seed", "2", stdout=out)
    assert out.getvalue().startswith("generated 50 cases of ")
    assert " s\n" in out.getvalue()
    assert Case.objects.count() == 50


@pytest.mark.django_db
def test_the_command_refuses_production_settings_without_confirmation(demo_catalog: None) -> None:
    with override_settings(ONEDOOR_DEMO=False), pytest.raises(CommandError, match="--load-test-database"):
        call_command("generate", "--cases", "50", stdout=StringIO())
    assert not Case.objects.exists()


@given(st.integers(min_value=0, max_value=2**32))
def test_made_up_identifiers_are_valid(seed: int) -> None:
    rng = random.Random(seed)
    code, number = new_personal_code(rng), new_registration_number(rng)
    assert code.startswith("32")
    assert normalize_personal_code(code) == code
    assert number.startswith("40")
    assert normalize_registration_number(number) == number
