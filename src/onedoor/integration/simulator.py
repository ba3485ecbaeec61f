"""A faithful simulator of an institution's back-office system (INT-4), for demos and tests.

It speaks to OneDoor only through the published API, as a real system would: it takes an
OAuth token with its client credentials, subscribes to its webhooks, verifies every signature,
deduplicates events by id, moves the cases it is told about through the service's statuses with
realistic delays, delivers results, and now and then fails (HTTP 500 or no answer in time) so
that OneDoor's retries are exercised.
"""

import heapq
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import structlog

from .webhooks import verify_signature

WEBHOOK_PATH = "/onedoor-simulator/webhook"
JOURNEY_START = {"case.registered", "case.submitted"}
log = structlog.get_logger("onedoor.simulator")


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    api: str
    institution: str
    client_id: str
    client_secret: str
    listen_host: str = "127.0.0.1"
    listen_port: int = 0
    failure_rate: float = 0.1
    timeout_rate: float = 0.03
    hang_seconds: float = 12.0
    step_delay: tuple[float, float] = (5.0, 20.0)
    rejection_rate: float = 0.1
    seed: int | None = None


@dataclass(order=True)
class _Step:
    due: float
    case_number: str = field(compare=False)
    index: int = field(compare=False)
    status: str = field(compare=False)
    note: str = field(compare=False, default="")


def journey(statuses: list[dict[str, Any]], *, rejected: bool) -> list[tuple[str, str]]:
    """The statuses a case goes through after registration, as (code, note): the service's own
    in-progress steps, then a decision (or a rejection), the result, and closing."""
    by_lifecycle: dict[str, list[str]] = {}
    for status in statuses:
        by_lifecycle.setdefault(status["lifecycle"], []).append(status["code"])

    def own(lifecycle: str) -> list[str]:
        return [code for code in by_lifecycle.get(lifecycle, []) if code != lifecycle]

    steps = [("in_progress", "Application accepted for processing")]
    steps += [(code, "") for code in own("in_progress")]
    if rejected:
        return [*steps, ("rejected", "The conditions of the service are not met")]
    decision = own("decided")[:1] or ["decided"]
    steps += [(decision[0], "Decision made")]
    result = own("result_delivered")[:1] or ["result_delivered"]
    steps += [(result[0], "Decision sent to the client's e-account")]
    return [*steps, ("closed", "")]


class BackOfficeSimulator:
    def __init__(self, config: SimulatorConfig, *, http: httpx.Client | None = None):
        self.config = config
        self.random = random.Random(config.seed)  # noqa: S311 - simulated behaviour, not security
        self.http = http or httpx.Client(base_url=config.api, timeout=10.0)
        self.secret = secrets.token_urlsafe(24)
        self.seen_events: set[str] = set()
        self.received: list[dict[str, Any]] = []
        self.rejected_signatures = 0
        self._token = ""
        self._steps: list[_Step] = []
        self._service_statuses: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # --- OneDoor API -------------------------------------------------------------------------

    def _authenticate(self) -> None:
        response = self.http.post(
            "/oauth/token/",
            data={"grant_type": "client_credentials"},
            auth=(self.config.client_id, self.config.client_secret),
        )
        response.raise_for_status()
        self._token = response.json()["access_token"]

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for _ in range(2):
            if not self._token:
                self._authenticate()
            response = self.http.request(method, path, headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
            if response.status_code != 401:
                return response
            self._token = ""
        return response

    def subscribe(self, url: str) -> None:
        """Replace earlier simulator subscriptions of this system with one to `url`."""
        listed = self._call("GET", "/api/v1/subscriptions").json()
        for subscription in listed.get("results", listed if isinstance(listed, list) else []):
            if subscription["url"].endswith(WEBHOOK_PATH):
                self._call("DELETE", f"/api/v1/subscriptions/{subscription['id']}")
        response = self._call(
            "POST",
            "/api/v1/subscriptions",
            json={"url": url, "secret": self.secret, "event_types": sorted(JOURNEY_START | {"case.status_changed"})},
        )
        response.raise_for_status()
        log.info("back-office simulator subscribed", institution=self.config.institution, webhook=url)

    def _statuses(self, service_code: str) -> list[dict[str, Any]]:
        if service_code not in self._service_statuses:
            response = self.http.get(f"/api/v1/services/{service_code}")
            response.raise_for_status()
            self._service_statuses[service_code] = response.json()["statuses"]
        return self._service_statuses[service_code]

    # --- receiving webhooks ------------------------------------------------------------------

    def handle_webhook(self, headers: dict[str, str], body: bytes) -> int:
        """Verify, deduplicate and act on one delivery; returns the HTTP status to answer."""
        timestamp = headers.get("x-onedoor-timestamp", "")
        if not verify_signature(self.secret, timestamp, body, headers.get("x-onedoor-signature", "")):
            self.rejected_signatures += 1
            return 401
        roll = self.random.random()
        if roll < self.config.failure_rate:
            return 500
        if roll < self.config.failure_rate + self.config.timeout_rate:
            time.sleep(self.config.hang_seconds)
        event = json.loads(body)
        with self._lock:
            if event["id"] in self.seen_events:
                return 200
            self.seen_events.add(event["id"])
            self.received.append(event)
        if event["type"] in JOURNEY_START:
            self._start_journey(event["data"])
        return 200

    def resume(self) -> int:
        """Plan the remaining steps of every open case (after a restart, nothing already done is redone)."""
        resumed = 0
        page = 1
        while True:
            response = self._call("GET", "/api/v1/cases", params={"page": page, "page_size": 100})
            if response.status_code != 200:
                break
            listing = response.json()
            for case in listing["results"]:
                if not case["is_closed"]:
                    self._start_journey(case)
                    resumed += 1
            if not listing["next"]:
                break
            page += 1
        return resumed

    def _start_journey(self, case: dict[str, Any]) -> None:
        steps = journey(self._statuses(case["service"]), rejected=self.random.random() < self.config.rejection_rate)
        done = [status for status, _ in steps]
        if case.get("status") in done:
            steps = steps[done.index(case["status"]) + 1 :]
        due = time.monotonic()
        with self._lock:
            for index, (status, note) in enumerate(steps):
                due += self.random.uniform(*self.config.step_delay)
                heapq.heappush(self._steps, _Step(due, case["case_number"], index, status, note))
            self._wakeup.notify()
        log.info("journey planned", case=case["case_number"], steps=[status for status, _ in steps])

    # --- moving cases ------------------------------------------------------------------------

    def _post_step(self, step: _Step) -> None:
        response = self._call(
            "POST",
            f"/api/v1/cases/{step.case_number}/status-events",
            json={
                "id": f"sim-{step.case_number}-{step.status}",
                "status": step.status,
                "occurred_at": datetime.now(UTC).isoformat(),
                "note": step.note,
            },
        )
        log.info("status sent", case=step.case_number, status=step.status, answer=response.status_code)

    def _run_steps(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                while not self._stopping.is_set() and (not self._steps or self._steps[0].due > time.monotonic()):
                    timeout = self._steps[0].due - time.monotonic() if self._steps else 1.0
                    self._wakeup.wait(timeout=max(0.05, timeout))
                if self._stopping.is_set():
                    return
                step = heapq.heappop(self._steps)
            try:
                self._post_step(step)
            except httpx.HTTPError as error:
                log.warning("status not sent; retrying", case=step.case_number, error=str(error))
                with self._lock:
                    step.due = time.monotonic() + 2.0
                    heapq.heappush(self._steps, step)

    # --- running -----------------------------------------------------------------------------

    def start(self) -> str:
        """Start the webhook receiver and the step runner; return the webhook URL to subscribe."""
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = (
                    simulator.handle_webhook({k.lower(): v for k, v in self.headers.items()}, body)
                    if self.path == WEBHOOK_PATH
                    else 404
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((self.config.listen_host, self.config.listen_port), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        url = f"http://{host!s}:{port}{WEBHOOK_PATH}"
        threading.Thread(target=self._server.serve_forever, daemon=True, name="simulator-http").start()
        threading.Thread(target=self._run_steps, daemon=True, name="simulator-steps").start()
        return url

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            self._wakeup.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wait_until(self, condition: Callable[[], bool], *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return condition()
