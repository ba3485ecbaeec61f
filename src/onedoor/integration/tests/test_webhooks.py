"""CloudEvents envelope, HMAC-SHA256 signing and verification, and one real webhook post."""

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.test import override_settings

from onedoor.core.models import OutboxEvent
from onedoor.integration.webhooks import (
    CONTENT_TYPE,
    cloudevent,
    cloudevent_body,
    signature_header,
    signed_headers,
    verify_signature,
    webhook_client,
    webhook_post,
)

from .receiver import Receiver, free_port

SECRET = "whsec-0123456789abcdef"
NOW = 1_767_225_600


def _event(**fields: object) -> OutboxEvent:
    values: dict[str, object] = {
        "id": uuid.UUID("0b7f4c3e-9a51-4a8e-b7a7-3c1d2e4f5a6b"),
        "position": 42,
        "type": "case.status_changed",
        "source": "/onedoor/registry",
        "subject": "2011-0042",
        "ordering_key": "case-1",
        "service_code": "2011",
        "data": {"case_number": "2011-0042", "status": "decided", "note": "Piešķirts"},
        "occurred_at": datetime(2026, 3, 1, 14, 30, 5, 123000, tzinfo=ZoneInfo("Europe/Riga")),
    }
    values.update(fields)
    return OutboxEvent(**values)


def test_envelope_is_cloudevents_1_0_structured_json() -> None:
    assert cloudevent(_event()) == {
        "specversion": "1.0",
        "id": "0b7f4c3e-9a51-4a8e-b7a7-3c1d2e4f5a6b",
        "source": "/onedoor/registry",
        "type": "case.status_changed",
        "subject": "2011-0042",
        "time": "2026-03-01T12:30:05.123000Z",
        "datacontenttype": "application/json",
        "data": {"case_number": "2011-0042", "status": "decided", "note": "Piešķirts"},
        "onedoorposition": 42,
    }


def test_body_is_the_envelope_as_compact_utf8_json() -> None:
    body = cloudevent_body(_event())
    assert json.loads(body) == cloudevent(_event())
    assert "Piešķirts".encode() in body
    assert b": " not in body


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"id":"x"}'
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + body, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, NOW, body) == f"t={NOW},v1={expected}"


def test_signed_headers_name_the_event_and_the_time() -> None:
    body = cloudevent_body(_event())
    headers = signed_headers(secret=SECRET, event_id="event-1", body=body, timestamp=NOW)
    assert headers == {
        "Content-Type": CONTENT_TYPE,
        "X-OneDoor-Event-Id": "event-1",
        "X-OneDoor-Timestamp": str(NOW),
        "X-OneDoor-Signature": signature_header(SECRET, NOW, body),
    }
    assert CONTENT_TYPE == "application/cloudevents+json"


def test_a_good_signature_verifies_as_bytes_or_text() -> None:
    body = cloudevent_body(_event())
    header = signature_header(SECRET, NOW, body)
    assert verify_signature(SECRET, str(NOW), body, header, now=NOW)
    assert verify_signature(SECRET, NOW, body.decode(), header, now=NOW + 299)


@pytest.mark.parametrize(
    ("secret", "timestamp", "body", "header_timestamp", "now"),
    [
        ("another-secret-0000", NOW, b'{"a":1}', NOW, NOW),  # wrong secret
        (SECRET, NOW, b'{"a":2}', NOW, NOW),  # body changed
        (SECRET, NOW + 1, b'{"a":1}', NOW, NOW),  # timestamp header changed
        (SECRET, NOW, b'{"a":1}', NOW, NOW + 301),  # stale: a replay
        (SECRET, NOW, b'{"a":1}', NOW, NOW - 301),  # from the future
    ],
)
def test_anything_changed_or_stale_fails(
    secret: str, timestamp: int, body: bytes, header_timestamp: int, now: int
) -> None:
    header = signature_header(SECRET, header_timestamp, b'{"a":1}')
    assert not verify_signature(secret, timestamp, body, header, now=now)


@pytest.mark.parametrize(
    "header",
    ["", "garbage", "t=abc,v1=00", f"v1={'0' * 64}", f"t={NOW}", f"t={NOW},v1=", f"t={NOW},t={NOW + 1},v1=00"],
)
def test_malformed_headers_fail(header: str) -> None:
    assert not verify_signature(SECRET, NOW, b"{}", header, now=NOW)


def test_a_rotated_secret_verifies_when_any_v1_matches() -> None:
    body = b"{}"
    old = signature_header("old-secret-000000000", NOW, body).split(",")[1]
    header = f"{signature_header(SECRET, NOW, body)},{old}"
    assert verify_signature(SECRET, NOW, body, header, now=NOW)
    assert verify_signature("old-secret-000000000", NOW, body, header, now=NOW)


def test_a_post_reaches_the_receiver_signed(receiver: Callable[..., Receiver]) -> None:
    listening = receiver()
    event = _event()
    with webhook_client() as client:
        result = webhook_post(client=client, url=listening.url, secret="a-shared-secret-of-32-characters", event=event)
    assert result.delivered
    assert (result.status_code, result.error) == (200, "")
    assert result.latency_ms >= 0
    (request,) = listening.requests
    assert request.signature_valid
    assert request.headers["Content-Type"] == CONTENT_TYPE
    assert request.headers["X-OneDoor-Event-Id"] == str(event.id)
    assert json.loads(request.body) == cloudevent(event)


def test_a_500_is_a_failure_with_the_status(receiver: Callable[..., Receiver]) -> None:
    listening = receiver(plan=["fail"])
    with webhook_client() as client:
        result = webhook_post(client=client, url=listening.url, secret=SECRET, event=_event())
    assert not result.delivered
    assert (result.status_code, result.error) == (500, "HTTP 500")


@override_settings(ONEDOOR_WEBHOOK_TIMEOUT_SECONDS=0.3)
def test_a_receiver_slower_than_the_timeout_fails_with_the_reason(receiver: Callable[..., Receiver]) -> None:
    listening = receiver(plan=["hang"], hang_seconds=1.0)
    with webhook_client() as client:
        result = webhook_post(client=client, url=listening.url, secret=SECRET, event=_event())
    assert not result.delivered
    assert result.status_code is None
    assert result.error.startswith("ReadTimeout")
    assert 250 <= result.latency_ms < 1000


def test_nobody_listening_fails_with_the_reason() -> None:
    with webhook_client() as client:
        result = webhook_post(client=client, url=f"http://127.0.0.1:{free_port()}/", secret=SECRET, event=_event())
    assert result.status_code is None
    assert result.error.startswith("ConnectError")


def test_a_redirect_is_not_followed() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "http://169.254.169.254/"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        result = webhook_post(client=client, url="https://example.org/hook", secret=SECRET, event=_event())
    assert (result.status_code, result.error) == (307, "HTTP 307")


def test_the_envelope_time_is_utc_whatever_the_zone() -> None:
    event = _event(occurred_at=datetime(2026, 7, 1, 0, 0, tzinfo=UTC))
    assert cloudevent(event)["time"] == "2026-07-01T00:00:00Z"
