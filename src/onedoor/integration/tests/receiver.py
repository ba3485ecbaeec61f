"""A real webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread, scripted per request.

Each request gets the next action of its plan (then `ok` for ever):
- `ok`: answer 200; the event counts as accepted.
- `fail`: answer 500.
- `hang`: answer 200 only after `hang_seconds` (longer than the client's timeout): not accepted.
- `block`: accepted on arrival, then wait until `release()` (bounded) before answering 200 —
  a request in flight, to kill the sender in the middle of it.
"""

import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from onedoor.integration.webhooks import verify_signature

BLOCK_LIMIT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Request:
    event_id: str
    subject: str
    position: int
    action: str
    signature_valid: bool
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self, *, secret: str, plan: list[str] | None = None, hang_seconds: float = 3.0, port: int = 0):
        self.secret = secret
        self.plan = list(plan or [])
        self.hang_seconds = hang_seconds
        self.port = port or free_port()
        self.requests: list[Request] = []
        self.accepted: list[Request] = []
        self.in_flight = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/onedoor-events"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.handle(self, body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def release(self) -> None:
        self._released.set()

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        envelope = json.loads(body)
        headers = dict(handler.headers.items())
        with self._lock:
            action = self.plan.pop(0) if self.plan else "ok"
            request = Request(
                event_id=envelope["id"],
                subject=envelope["subject"],
                position=envelope["onedoorposition"],
                action=action,
                signature_valid=verify_signature(
                    self.secret,
                    headers.get("X-OneDoor-Timestamp", ""),
                    body,
                    headers.get("X-OneDoor-Signature", ""),
                ),
                headers=headers,
                body=body,
            )
            self.requests.append(request)
            if action in {"ok", "block"}:
                self.accepted.append(request)
        if action == "block":
            self.in_flight.set()
            self._released.wait(BLOCK_LIMIT_SECONDS)
        elif action == "hang":
            time.sleep(self.hang_seconds)
        status = 500 if action == "fail" else 200
        try:
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        except OSError:
            return  # the sender is gone (timed out or killed)

    def accepted_ids(self) -> set[str]:
        with self._lock:
            return {request.event_id for request in self.accepted}

    def accepted_counts(self) -> Counter[str]:
        with self._lock:
            return Counter(request.event_id for request in self.accepted)

    def first_arrivals_by_subject(self) -> dict[str, list[int]]:
        """Per case, the positions of its events in the order they first arrived."""
        seen: set[str] = set()
        order: dict[str, list[int]] = {}
        with self._lock:
            for request in self.accepted:
                if request.event_id not in seen:
                    seen.add(request.event_id)
                    order.setdefault(request.subject, []).append(request.position)
        return order
