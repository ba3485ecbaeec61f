"""REG-1: case numbers per service without duplicates or gaps, also under concurrency."""

import threading

import pytest
from django.db import connection

from onedoor.cases.models import Case
from onedoor.cases.numbers import format_case_number, parse_case_number, url_case_number
from onedoor.cases.services import PartyRef, case_register
from onedoor.conftest import staff_actor


def test_numbers_are_shown_with_a_space_and_written_with_a_hyphen() -> None:
    assert format_case_number("2011", 42) == "2011 0042"
    assert url_case_number("2011 0042") == "2011-0042"
    assert parse_case_number("2011-0042") == "2011 0042"
    assert parse_case_number("2011 42") == "2011 0042"
    assert parse_case_number(" 801001-123456 ") == "801001 123456"
    assert parse_case_number("20-1") is None
    assert parse_case_number("2011") is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_consecutive_numbers_without_gaps(demo_catalog: None) -> None:
    actor = staff_actor("VSAA", "cases:write", system=True)
    threads, per_thread = 8, 15
    errors: list[BaseException] = []

    def register() -> None:
        try:
            for _ in range(per_thread):
                case_register(actor=actor, service_code="2011", applicant=PartyRef(anonymous=True), channel="kac")
        except BaseException as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=register) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors
    sequences = sorted(Case.objects.filter(service__code="2011").values_list("sequence", flat=True))
    assert sequences == list(range(1, threads * per_thread + 1))
    assert Case.objects.filter(service__code="2011").values("number").distinct().count() == threads * per_thread


@pytest.mark.django_db
def test_each_service_counts_on_its_own(demo_catalog: None) -> None:
    actor = staff_actor("VSAA", "cases:write", system=True)
    first = case_register(actor=actor, service_code="2011", applicant=PartyRef(anonymous=True), channel="kac").case
    other = case_register(actor=actor, service_code="2013", applicant=PartyRef(anonymous=True), channel="kac").case
    second = case_register(actor=actor, service_code="2011", applicant=PartyRef(anonymous=True), channel="kac").case
    assert (first.number, other.number, second.number) == ("2011 0001", "2013 0001", "2011 0002")
