"""Events as CloudEvents 1.0 (structured-mode JSON) and the signed webhook request that carries them.

The same envelope is a webhook body and a pull-feed item, so a system sees the same event ids
whichever way it reads. A webhook is signed with HMAC-SHA256 over `"<timestamp>.<body>"`:

    X-OneDoor-Timestamp: 1767225600
    X-OneDoor-Signature: t=1767225600,v1=<hex digest>

Receivers check it with `verify_signature()` and deduplicate by the event id (delivery is at
least once).
"""

import functools
import hashlib
import hmac
import json
import ssl
import time
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import httpx
from django.conf import settings

from onedoor.core.models import OutboxEvent

CONTENT_TYPE = "application/cloudevents+json"
SIGNATURE_VERSION = "v1"


def cloudevent(event: OutboxEvent) -> dict[str, Any]:
    """The CloudEvents 1.0 envelope of a published event; `onedoorposition` is its place in commit order."""
    return {
        "specversion": "1.0",
        "id": str(event.id),
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "data": event.data,
        "onedoorposition": event.position,
    }


def cloudevent_body(event: OutboxEvent) -> bytes:
    """The exact bytes sent (and signed) for an event."""
    return json.dumps(cloudevent(event), ensure_ascii=False, separators=(",", ":")).encode()


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _digest(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of `X-OneDoor-Signature` for a body sent at `timestamp` (unix seconds)."""
    return f"t={timestamp},{SIGNATURE_VERSION}={_digest(secret, str(timestamp), body)}"


def signed_headers(*, secret: str, event_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of a webhook request: content type, event id, timestamp and signature."""
    sent_at = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": CONTENT_TYPE,
        "X-OneDoor-Event-Id": event_id,
        "X-OneDoor-Timestamp": str(sent_at),
        "X-OneDoor-Signature": signature_header(secret, sent_at, body),
    }


def verify_signature(
    secret: str,
    timestamp: str | int,
    body: str | bytes,
    header: str,
    tolerance_seconds: int = 300,
    *,
    now: float | None = None,
) -> bool:
    """Whether `header` (X-OneDoor-Signature) signs `body` sent at `timestamp` (X-OneDoor-Timestamp) with `secret`.

    False when the header is malformed, names another timestamp, is further than
    `tolerance_seconds` from now (a replay) or no `v1` digest matches (compared in constant time).
    """
    try:
        sent_at = int(timestamp)
        parts = [item.split("=", 1) for item in header.split(",")]
        fields = [(name.strip(), value.strip()) for name, value in parts]
    except ValueError:
        return False
    stamps = {value for name, value in fields if name == "t"}
    if stamps != {str(sent_at)}:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_seconds:
        return False
    expected = _digest(secret, str(sent_at), _as_bytes(body))
    digests = [value for name, value in fields if name == SIGNATURE_VERSION]
    return any(hmac.compare_digest(expected.encode(), digest.encode()) for digest in digests)


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """What one attempt to post an event came to: a status code, or an error when no response came."""

    status_code: int | None
    latency_ms: int
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs more than a webhook on a fast network: do it once per process."""
    return ssl.create_default_context()


def webhook_client() -> httpx.Client:
    """An HTTP client for a batch of webhooks; the timeout is read from settings at call time."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.ONEDOOR_WEBHOOK_TIMEOUT_SECONDS), follow_redirects=False, verify=_tls_context()
    )


def webhook_post(*, client: httpx.Client, url: str, secret: str, event: OutboxEvent) -> WebhookResult:
    """Post one signed CloudEvent; any 2xx answer counts as delivered, anything else as a failure."""
    body = cloudevent_body(event)
    headers = signed_headers(secret=secret, event_id=str(event.id), body=body)
    started = time.monotonic()
    try:
        response = client.post(url, content=body, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL) as failure:
        return WebhookResult(None, _elapsed_ms(started), f"{failure.__class__.__name__}: {failure}"[:500])
    return WebhookResult(
        response.status_code, _elapsed_ms(started), "" if response.is_success else f"HTTP {response.status_code}"
    )


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
