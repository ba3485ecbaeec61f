"""SMS through the HTTP gateway adapter and the provider simulator: retries, backoff, giving up."""

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.models import ContactKind, Dispatch, DispatchStatus, NoticeKind, NotificationPreference
from onedoor.notifications.sms import HttpSmsGateway
from onedoor.notifications.sms_simulator import SmsSimulator
from onedoor.parties.models import Person

from .conftest import PHONE, SMS_TOKEN, contact, publish, record_status, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_sms(janis: Person) -> Person:
    contact(janis, ContactKind.PHONE, PHONE)
    NotificationPreference.objects.create(person=janis, kind=NoticeKind.CASE_STATUS, channel="sms")
    return janis


def _make_due() -> None:
    Dispatch.objects.filter(status=DispatchStatus.FAILED).update(next_attempt_at=timezone.now())


def test_the_simulator_receives_the_sms(by_sms: Person, sms_simulator: SmsSimulator) -> None:
    case = register_case()
    record_status(case, "benefit-granted")
    publish()
    assert dispatches_send_due() == 1
    (sms,) = sms_simulator.messages
    dispatch = Dispatch.objects.get()
    assert (sms.to, sms.reference) == (PHONE, str(dispatch.pk))
    assert (
        sms.text
        == f"OneDoor: lietas {case.number} statuss – Pabalsts piešķirts. Sīkāk e-kontā: http://127.0.0.1:8000/lv/account/inbox/"
    )
    assert (dispatch.status, dispatch.provider_message_id, dispatch.attempts) == (DispatchStatus.SENT, "sim-000001", 1)


def test_a_503_is_retried_with_backoff_and_then_sent(by_sms: Person, sms_simulator: SmsSimulator) -> None:
    sms_simulator.control(fail_next=1)
    record_status(register_case(), "benefit-granted")
    publish()
    before = timezone.now()
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.FAILED
    assert dispatch.last_error.startswith("HTTP 503")
    assert before <= dispatch.next_attempt_at <= timezone.now() + timedelta(seconds=15)
    assert sms_simulator.messages == []

    _make_due()
    assert dispatches_send_due() == 1
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts, dispatch.last_error) == (DispatchStatus.SENT, 2, "")
    attempts = list(dispatch.attempt_log.order_by("attempted_at").values_list("succeeded", "error"))
    assert [succeeded for succeeded, _ in attempts] == [False, True]
    assert attempts[0][1].startswith("HTTP 503")
    assert len(sms_simulator.messages) == 1


def test_an_sms_is_given_up_after_the_last_attempt(
    by_sms: Person, sms_simulator: SmsSimulator, settings: Settings
) -> None:
    settings.ONEDOOR_NOTIFICATION_MAX_ATTEMPTS = 3
    sms_simulator.control(fail_next=100)
    record_status(register_case(), "benefit-granted")
    publish()
    for _ in range(4):
        dispatches_send_due()
        _make_due()
    dispatch = Dispatch.objects.get()
    assert (dispatch.status, dispatch.attempts) == (DispatchStatus.DEAD, 3)
    assert dispatch.attempt_log.count() == 3
    assert sms_simulator.refused == 3
    assert sms_simulator.messages == []


def test_an_sms_is_given_up_when_the_window_has_passed(
    by_sms: Person, sms_simulator: SmsSimulator, settings: Settings
) -> None:
    settings.ONEDOOR_NOTIFICATION_GIVE_UP_AFTER_HOURS = 24
    sms_simulator.control(fail_next=100)
    record_status(register_case(), "benefit-granted")
    publish()
    dispatches_send_due()
    Dispatch.objects.update(first_attempt_at=timezone.now() - timedelta(hours=25), next_attempt_at=timezone.now())
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert (dispatch.status, dispatch.attempts) == (DispatchStatus.DEAD, 2)


def test_a_wrong_token_is_retried_not_given_up(by_sms: Person, sms_simulator: SmsSimulator, settings: Settings) -> None:
    settings.ONEDOOR_SMS_GATEWAY_TOKEN = "not-the-token"
    record_status(register_case(), "benefit-granted")
    publish()
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.FAILED
    assert dispatch.last_error.startswith("HTTP 401")


def test_without_a_gateway_the_sms_waits(by_sms: Person, settings: Settings) -> None:
    settings.ONEDOOR_SMS_GATEWAY_URL = ""
    record_status(register_case(), "benefit-granted")
    publish()
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.FAILED
    assert dispatch.last_error == "no SMS gateway is configured (ONEDOOR_SMS_GATEWAY_URL)"


def test_the_gateway_reads_the_provider_answers(sms_simulator: SmsSimulator) -> None:
    gateway = HttpSmsGateway(url=sms_simulator.url, token=SMS_TOKEN, timeout=5)
    try:
        first = gateway.send(to=PHONE, text="Sveiki", reference="ref-1")
        again = gateway.send(to=PHONE, text="Sveiki", reference="ref-1")
        invalid = gateway.send(to="0000", text="Sveiki", reference="ref-2")
    finally:
        gateway.close()
    assert (first.sent, first.provider_message_id) == (True, "sim-000001")
    assert (again.sent, again.provider_message_id) == (True, "sim-000001")  # the provider drops the repeat
    assert (invalid.sent, invalid.permanent) == (False, True)
    assert invalid.error.startswith("HTTP 400")
    assert len(sms_simulator.messages) == 1


def test_a_rejected_status_is_permanent() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "x1", "status": "rejected"}))
    gateway = HttpSmsGateway(
        url="http://sms.test/messages", token="t", timeout=1, client=httpx.Client(transport=transport)
    )
    result = gateway.send(to=PHONE, text="Sveiki", reference="ref")
    assert (result.sent, result.permanent) == (False, True)


def test_the_simulator_keeps_a_journal_and_can_be_controlled(tmp_path: Path) -> None:
    journal = tmp_path / "sms.jsonl"
    simulator = SmsSimulator(journal=journal).start()
    try:
        control = httpx.post(simulator.url.replace("/messages", "/control"), json={"fail_next": 1})
        refused = httpx.post(simulator.url, json={"to": PHONE, "text": "a", "reference": "r1"})
        accepted = httpx.post(simulator.url, json={"to": PHONE, "text": "a", "reference": "r1"})
        listing = httpx.get(simulator.url)
    finally:
        simulator.stop()
    assert control.json() == {"fail_next": 1, "failure_rate": 0.0}
    assert refused.status_code == 503
    assert accepted.status_code == 202
    assert [item["reference"] for item in listing.json()] == ["r1"]
    (line,) = journal.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == PHONE
