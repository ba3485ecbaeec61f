"""The whole way: an institution's system reports a status through the API; the client gets an inbox
message and an e-mail that a real SMTP server receives — through the outbox, never in the request."""

import json
from typing import Any

import pytest
from django.test import Client

from onedoor.conftest import system_token
from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.models import ContactKind, Dispatch, Message
from onedoor.notifications.selectors import inbox_for
from onedoor.parties.models import Person

from .conftest import EMAIL, JANIS, SmtpSink, contact, publish

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_status_event_through_the_api_reaches_the_inbox_and_the_smtp_server(
    client: Client, janis: Person, smtp_server: SmtpSink
) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {system_token('VSAA')}"
    created = _post(
        client,
        "/api/v1/cases",
        {
            "service": "2011",
            "applicant": {"personal_code": JANIS},
            "channel": "web_portal",
            "external_id": "VSAA-2026-777",
            "submitted_at": "2026-11-20T08:00:00Z",
        },
    )
    assert created.status_code == 201, created.content
    number = created.json()["case_number"]
    event = _post(
        client,
        f"/api/v1/cases/{number}/status-events",
        {"id": "vsaa-ev-777", "status": "benefit-granted", "occurred_at": "2026-11-21T10:00:00Z"},
    )
    assert event.status_code == 201, event.content
    assert Message.objects.count() == 0  # nothing happens in the request
    assert smtp_server.received == []

    publish()
    assert dispatches_send_due() == 1

    (message,) = inbox_for(person=janis)
    assert message.subject_lv == "Lieta 2011 0001: Pabalsts piešķirts"
    assert message.case_number == "2011 0001"
    (received,) = smtp_server.received
    assert received["Subject"] == "Lieta 2011 0001: Pabalsts piešķirts"
    assert received["To"] == EMAIL
    assert (
        "Jūsu lietas 2011 0001 „Bērna piedzimšanas pabalsts” statuss ir mainījies"
        in received.get_body(preferencelist=("plain",)).get_content()
    )
    assert Dispatch.objects.get().status == "sent"
