"""Fixtures of the notification tests: cases moved through real services, a real SMTP server, the SMS simulator."""

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from itertools import count
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, StatusEventInput, case_register, status_events_record
from onedoor.conftest import staff_actor
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.outbox import outbox_publish_pending
from onedoor.notifications.models import ContactPoint
from onedoor.notifications.sms_simulator import SmsSimulator
from onedoor.parties.models import Person

JANIS = "14037812342"  # Jānis Bērziņš, a demo person
EMAIL = "janis.berzins@example.lv"
PHONE = "+37129123456"
SMS_TOKEN = "sms-test-token"
_event_ids = count(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def vsaa_system() -> Actor:
    return staff_actor("VSAA", "cases:write", "statuses:write", system=True)


def citizen(person: Person) -> Actor:
    """A signed-in person acting for themself."""
    return Actor(
        kind=ActorKind.USER, id=f"citizen-{person.personal_code}", label="citizen", acting_for=person.personal_code
    )


def register_case(*, personal_code: str = JANIS, registration_number: str = "") -> Case:
    acting_for = PartyRef(registration_number=registration_number) if registration_number else None
    return case_register(
        actor=vsaa_system(),
        service_code="2011",
        applicant=PartyRef(personal_code=personal_code),
        acting_for=acting_for,
        channel="web_portal",
        submitted_at=timezone.now() - timedelta(days=1),
    ).case


def record_status(case: Case, status: str, *, event_id: str = "") -> None:
    (result,) = status_events_record(
        actor=vsaa_system(),
        items=[
            StatusEventInput(
                case_number=case.number,
                event_id=event_id or f"ev-{next(_event_ids)}",
                status=status,
                occurred_at=timezone.now(),
            )
        ],
    )
    assert result.outcome == "created", result.error


def publish() -> int:
    """Run the relay as a worker would, until nothing is left."""
    total = 0
    while published := outbox_publish_pending():
        total += published
    return total


def contact(person: Person, kind: str, value: str, *, confirmed: bool = True) -> ContactPoint:
    return ContactPoint.objects.create(
        person=person, kind=kind, value=value, confirmed_at=timezone.now() if confirmed else None
    )


@pytest.fixture
def janis(demo_catalog: None) -> Person:
    return Person.objects.get(personal_code=JANIS)


@dataclass
class SmtpSink:
    """Answers every SMTP transaction; refuses the recipients in `refuse` with 550."""

    port: int = 0
    refuse: set[str] = field(default_factory=set)
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on a free 127.0.0.1 port, with Django's SMTP backend pointed at it."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "OneDoor <pazinojumi@onedoor.example>"
    settings.ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS = 5
    yield sink
    controller.stop()


@pytest.fixture
def sms_simulator(settings: Settings) -> Iterator[SmsSimulator]:
    """The SMS provider simulator in a thread, with the gateway settings pointed at it."""
    simulator = SmsSimulator(token=SMS_TOKEN).start()
    settings.ONEDOOR_SMS_GATEWAY_URL = simulator.url
    settings.ONEDOOR_SMS_GATEWAY_TOKEN = SMS_TOKEN
    settings.ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS = 5
    yield simulator
    simulator.stop()
