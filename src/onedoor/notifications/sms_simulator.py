"""A local simulator of an SMS provider's HTTP interface (see `sms.py`), for the demo and tests.

Started by `onedoor sms-simulator --port N` or in a test thread. It accepts

    POST /messages   {"to", "text", "reference"} → 202 {"id", "status": "accepted"}
    GET  /messages   → 200 [every message received, oldest first]
    POST /control    {"fail_next": n, "failure_rate": x} → 200 (the current settings)

checks the bearer token when one is set, answers 400 for a number that is not in E.164 form,
keeps each reference once (a repeated reference gets the first id back — providers deduplicate
so), keeps messages in memory and, when given a journal file, appends each as one JSON line.
It answers 503 to the next `fail_next` messages and to a random `failure_rate` share of the rest,
so that retries can be shown.
"""

import json
import random
import re
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import structlog

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_BODY_BYTES = 64 * 1024
log = structlog.get_logger("onedoor.sms_simulator")


@dataclass(frozen=True, slots=True)
class SimulatedSms:
    id: str
    to: str
    text: str
    reference: str
    received_at: str


class SmsSimulator:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "",
        journal: Path | None = None,
        fail_next: int = 0,
        failure_rate: float = 0.0,
        seed: int | None = None,
    ):
        self.host = host
        self.token = token
        self.journal = journal
        self.fail_next = fail_next
        self.failure_rate = failure_rate
        self.messages: list[SimulatedSms] = []
        self.requests = 0
        self.refused = 0
        self._by_reference: dict[str, SimulatedSms] = {}
        self._random = random.Random(seed)  # noqa: S311 - simulated failures protect nothing
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        port: int = self._server.server_address[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/messages"

    def start(self) -> "SmsSimulator":
        self._thread = threading.Thread(target=self._server.serve_forever, name="sms-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def control(self, *, fail_next: int | None = None, failure_rate: float | None = None) -> dict[str, Any]:
        with self._lock:
            if fail_next is not None:
                self.fail_next = max(0, int(fail_next))
            if failure_rate is not None:
                self.failure_rate = min(1.0, max(0.0, float(failure_rate)))
            return {"fail_next": self.fail_next, "failure_rate": self.failure_rate}

    def _accept(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        to, text, reference = body.get("to"), body.get("text"), body.get("reference")
        if not isinstance(to, str) or not E164.match(to):
            return 400, {"error": "invalid_number", "detail": "`to` must be a phone number in E.164 form."}
        if not isinstance(text, str) or not text.strip() or not isinstance(reference, str) or not reference:
            return 400, {"error": "invalid_message", "detail": "`text` and `reference` are required."}
        with self._lock:
            self.requests += 1
            if self.fail_next > 0 or (self.failure_rate and self._random.random() < self.failure_rate):
                self.fail_next = max(0, self.fail_next - 1)
                self.refused += 1
                return 503, {"error": "unavailable", "detail": "Simulated outage: try again later."}
            known = self._by_reference.get(reference)
            if known is not None:
                return 202, {"id": known.id, "status": "accepted"}
            sms = SimulatedSms(
                id=f"sim-{len(self.messages) + 1:06d}",
                to=to,
                text=text,
                reference=reference,
                received_at=datetime.now(UTC).isoformat(),
            )
            self.messages.append(sms)
            self._by_reference[reference] = sms
            if self.journal is not None:
                self.journal.parent.mkdir(parents=True, exist_ok=True)
                with self.journal.open("a", encoding="utf-8") as journal:
                    journal.write(json.dumps(asdict(sms), ensure_ascii=False) + "\n")
        log.info("sms accepted", id=sms.id, reference=reference)
        return 202, {"id": sms.id, "status": "accepted"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _reply(self, status: int, body: Any) -> None:
                payload = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _authorized(self) -> bool:
                if simulator.token and self.headers.get("Authorization") != f"Bearer {simulator.token}":
                    self._reply(401, {"error": "unauthorized"})
                    return False
                return True

            def _json_body(self) -> dict[str, Any] | None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY_BYTES:
                    self._reply(413, {"error": "too_large"})
                    return None
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    self._reply(400, {"error": "invalid_json"})
                    return None
                return body

            def do_GET(self) -> None:
                if self.path.rstrip("/") != "/messages":
                    self._reply(404, {"error": "not_found"})
                    return
                if self._authorized():
                    with simulator._lock:
                        listing = [asdict(sms) for sms in simulator.messages]
                    self._reply(200, listing)

            def do_POST(self) -> None:
                path = self.path.rstrip("/")
                if path not in {"/messages", "/control"}:
                    self._reply(404, {"error": "not_found"})
                    return
                if not self._authorized():
                    return
                body = self._json_body()
                if body is None:
                    return
                if path == "/control":
                    self._reply(
                        200, simulator.control(fail_next=body.get("fail_next"), failure_rate=body.get("failure_rate"))
                    )
                    return
                status, answer = simulator._accept(body)
                self._reply(status, answer)

        return Handler
