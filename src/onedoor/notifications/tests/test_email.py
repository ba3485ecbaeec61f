"""E-mail through Django's SMTP backend to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.models import ContactKind, Dispatch, DispatchStatus
from onedoor.parties.models import Person

from .conftest import EMAIL, SmtpSink, contact, free_port, publish, record_status, register_case

pytestmark = pytest.mark.django_db


def test_the_smtp_server_receives_the_notice(janis: Person, smtp_server: SmtpSink) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    case = register_case()
    record_status(case, "benefit-granted")
    publish()
    assert dispatches_send_due() == 1
    (received,) = smtp_server.received
    assert smtp_server.envelopes[0].rcpt_tos == [EMAIL]
    assert received["Subject"] == f"Lieta {case.number}: Pabalsts piešķirts"
    assert received["To"] == EMAIL
    assert received["From"] == "OneDoor <pazinojumi@onedoor.example>"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Content-Language"] == "lv"
    plain = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    assert "Pabalsts piešķirts" in plain.get_content()
    assert '<a href="http://127.0.0.1:8000/lv/account/inbox/"' in html.get_content()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.SENT
    assert received["Message-ID"] == dispatch.provider_message_id
    assert dispatch.attempt_log.get().succeeded


def test_a_refused_recipient_is_given_up_at_once(janis: Person, smtp_server: SmtpSink) -> None:
    smtp_server.refuse.add(EMAIL)
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(), "benefit-granted")
    publish()
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.DEAD
    assert dispatch.attempts == 1
    assert dispatch.last_error == "recipient refused: 550 5.1.1 No such mailbox here"
    assert smtp_server.received == []


def test_an_unreachable_server_is_retried_later(janis: Person, smtp_server: SmtpSink, settings: Settings) -> None:
    settings.EMAIL_PORT = free_port()  # nobody listens there
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(), "benefit-granted")
    publish()
    before = timezone.now()
    dispatches_send_due()
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.FAILED
    assert dispatch.attempts == 1
    assert dispatch.last_error.startswith("ConnectionRefusedError")
    assert before <= dispatch.next_attempt_at <= timezone.now() + timedelta(seconds=15)
    assert dispatch.leased_until is None
    assert dispatches_send_due() == 0  # not due yet

    settings.EMAIL_PORT = smtp_server.port
    Dispatch.objects.update(next_attempt_at=timezone.now())
    assert dispatches_send_due() == 1
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.attempts, dispatch.last_error) == (DispatchStatus.SENT, 2, "")
    assert [attempt.succeeded for attempt in dispatch.attempt_log.order_by("attempted_at")] == [False, True]
    assert len(smtp_server.received) == 1
