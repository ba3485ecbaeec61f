"""SMS through a gateway adapter: a small provider interface, its HTTP form, and the settings that pick it.

The HTTP interface (what `HttpSmsGateway` speaks and `sms_simulator` implements):

    POST <ONEDOOR_SMS_GATEWAY_URL>
    Authorization: Bearer <ONEDOOR_SMS_GATEWAY_TOKEN>
    Content-Type: application/json

    {"to": "+37120000000", "text": "…", "reference": "<dispatch id>"}

    → 2xx {"id": "<provider's message id>", "status": "accepted" | "queued" | "sent" | "rejected"}

The reference is the same on every try of a dispatch, so a provider can drop repeats. Answers:
2xx with a status other than `rejected` — sent; `rejected`, 400, 404, 410, 413 or 422 — the
number or text is refused, permanently; anything else (429, 5xx, 401/403, timeouts, refused
connections) — retried. A real provider's own API is wrapped in another class with the same
`send` and `close`; delivery receipts (the provider calling back) are not handled yet.
"""

import time
from typing import Any, Protocol

import httpx
from django.conf import settings

from .sending import SendResult, elapsed_ms

PERMANENT_STATUS_CODES = frozenset({400, 404, 410, 413, 422})
REJECTED = "rejected"


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> SendResult: ...

    def close(self) -> None: ...


class HttpSmsGateway:
    """A provider reached over HTTP with a bearer token (see the module docstring for the interface)."""

    def __init__(self, *, url: str, token: str, timeout: float, client: httpx.Client | None = None):
        self.url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = client or httpx.Client(timeout=timeout)

    def send(self, *, to: str, text: str, reference: str) -> SendResult:
        started = time.monotonic()
        try:
            response = self._client.post(
                self.url, json={"to": to, "text": text, "reference": reference}, headers=self._headers
            )
        except httpx.HTTPError as error:
            return SendResult(sent=False, latency_ms=elapsed_ms(started), error=f"{type(error).__name__}: {error}")
        latency = elapsed_ms(started)
        if not response.is_success:
            return SendResult(
                sent=False,
                latency_ms=latency,
                error=f"HTTP {response.status_code}: {response.text[:200]}",
                permanent=response.status_code in PERMANENT_STATUS_CODES,
            )
        body = _json_object(response)
        provider_id = str(body.get("id") or "")[:200]
        status = str(body.get("status") or "")
        if status == REJECTED:
            return SendResult(
                sent=False, latency_ms=latency, error=f"rejected by the provider: {body}"[:900], permanent=True
            )
        # Accepted (even with an answer we cannot read): sending it again would risk a duplicate SMS.
        return SendResult(sent=True, latency_ms=latency, provider_message_id=provider_id)

    def close(self) -> None:
        self._client.close()


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class UnconfiguredSmsGateway:
    """Used when no gateway is set: every SMS fails (and is retried), saying what is missing."""

    def send(self, *, to: str, text: str, reference: str) -> SendResult:
        return SendResult(sent=False, latency_ms=0, error="no SMS gateway is configured (ONEDOOR_SMS_GATEWAY_URL)")

    def close(self) -> None:
        return None


def sms_gateway() -> SmsGateway:
    """The gateway of the current settings (read at call time)."""
    url = str(getattr(settings, "ONEDOOR_SMS_GATEWAY_URL", "") or "")
    if not url:
        return UnconfiguredSmsGateway()
    return HttpSmsGateway(
        url=url,
        token=str(getattr(settings, "ONEDOOR_SMS_GATEWAY_TOKEN", "") or ""),
        timeout=float(getattr(settings, "ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS", 10.0)),
    )
