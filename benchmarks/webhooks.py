"""Webhook delivery: events/s to a local receiver with 2 workers, and commit-to-receipt latency.

As in production: production settings, PostgreSQL and Redis, two Celery worker processes
(prefork, one child each, the options of `onedoor worker`) and the scheduler (`celery beat`
with the settings' schedule: relay and webhook sweeps every 5 s). A dedicated VSAA system
(not a demo account, random secret, events:read and statuses:write) subscribes a receiver on
127.0.0.1 that checks every signature, notes the first arrival of each event id and answers 204.

This process plays the web process: it commits status events through
`cases.services.status_events_record`, 20 per transaction over many open cases, and notes the
time right after each commit. The on-commit nudges go through Redis to the workers, which
relay the outbox, record the deliveries and send them. Two phases:

a. a burst of EVENTS events committed as fast as one writer can: delivered events/s from the
   first commit to the last receipt, and commit-to-receipt latency (it includes the backlog);
b. a steady rate of half what the burst achieved, for STEADY_SECONDS: the latency a subscriber
   sees when the workers keep up.

Baseline from the same run: the same receiver fed directly by 2 threads posting the burst's
signed envelopes over kept-alive httpx clients, with no database or queue in between.
"""

import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from benchmarks.support import ROOT, free_port, percentiles, production_environment, setup_django

SEED = 20261123
HOLDER = "VSAA"
SYSTEM_CODE = "vsaa-webhook-bench"
WORKERS = 2
EVENTS = 2000
PER_TRANSACTION = 20
MIN_OPEN_CASES = 3000  # distinct cases for the events of both phases
GENERATE_CASES, GENERATE_ROUNDS = 40_000, 4
STEADY_SHARE = 0.5  # of the burst's delivery rate
STEADY_SECONDS = 10.0
START_SECONDS = 60.0  # workers to answer a ping, the warm-up event to arrive
PRODUCE_SECONDS = 60.0  # stop committing rather than run over
ARRIVE_SECONDS = 90.0  # after the last commit, for the last event to arrive
DIRECT_SECONDS = 60.0
DIRECT_WARM_UP = 5  # requests per thread before the clock starts
LOGS = ROOT / "var" / "bench"


# --- the receiver ---------------------------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 that checks signatures and notes when each event id first arrived."""

    def __init__(self, secret: str):
        self.secret = secret
        self.port = free_port()
        self.first: dict[str, float] = {}  # CloudEvent id -> time.time() of its first arrival
        self.by_status_event: dict[str, float] = {}  # the status event id in `data` -> the same
        self.arrivals: Counter[str] = Counter()
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/onedoor-events"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver.accept(self.headers.get("X-OneDoor-Timestamp", ""), self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def accept(self, timestamp: str, headers: Any, body: bytes) -> int:
        from onedoor.integration.webhooks import verify_signature

        if not verify_signature(self.secret, timestamp, body, headers.get("X-OneDoor-Signature", "")):
            with self._lock:
                self.bad_signatures += 1
            return 401
        arrived = time.time()
        envelope = json.loads(body)
        with self._lock:
            self.arrivals[envelope["id"]] += 1
            if envelope["id"] not in self.first:
                self.first[envelope["id"]] = arrived
                self.by_status_event.setdefault(envelope["data"].get("event_id", ""), arrived)
        return 204

    def received(self, status_event_ids: set[str]) -> int:
        with self._lock:
            return len(status_event_ids & self.by_status_event.keys())

    def wait_for(self, status_event_ids: set[str], *, seconds: float) -> bool:
        """Whether every one of these status events arrived within `seconds`."""
        deadline = time.monotonic() + seconds
        while self.received(status_event_ids) < len(status_event_ids):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def snapshot(self) -> tuple[dict[str, float], Counter[str]]:
        """First arrivals and arrivals per CloudEvent id, so far."""
        with self._lock:
            return dict(self.first), Counter(self.arrivals)

    def reset(self) -> None:
        with self._lock:
            self.first.clear()
            self.by_status_event.clear()
            self.arrivals.clear()
            self.bad_signatures = 0

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


# --- set-up ---------------------------------------------------------------------------------------


def _setup_django() -> None:
    """Production settings (see support.setup_django), with the Celery app loaded."""
    setup_django()
    # The web process gets the Celery app through its URLconf (core.health imports it); without it
    # the nudges would go through Celery's default app, which finds the broker only by the
    # CELERY_BROKER_URL environment variable and ignores the CELERY_* settings.
    import onedoor.core.celery  # noqa: F401


def _prepare() -> str:
    """Schema, catalog and enough open VSAA cases; returns how the registry was filled."""
    from django.core.management import call_command

    from onedoor.cases.generator import cases_generate
    from onedoor.cases.models import Case
    from onedoor.catalog.demo_data import load_catalog
    from onedoor.core.actors import SYSTEM
    from onedoor.parties.demo_data import load_institutions

    call_command("migrate", verbosity=0)
    load_institutions()
    load_catalog(actor=SYSTEM)

    def open_cases() -> int:
        return Case.objects.filter(holder__code=HOLDER, is_closed=False).count()

    already = open_cases()
    if already >= MIN_OPEN_CASES:
        return f"{already} open {HOLDER} cases already there"
    # Generated cases are spread over three years, so most are closed by now: generate in rounds.
    generated, seconds = 0, 0.0
    for _round in range(GENERATE_ROUNDS):
        report = cases_generate(actor=SYSTEM, count=GENERATE_CASES, seed=SEED + Case.objects.count())
        generated, seconds = generated + report.cases, seconds + report.seconds
        if open_cases() >= MIN_OPEN_CASES:
            break
    return f"generated {generated} cases in {seconds:.0f} s; {open_cases()} open {HOLDER} cases"


def _publish_backlog() -> tuple[int, float]:
    """Relay what earlier benchmarks committed with no worker running, before the subscription exists.

    Otherwise the workers would first relay (and send) tens of thousands of older events.
    """
    from onedoor.core.outbox import outbox_publish_pending

    started = time.perf_counter()
    published = 0
    while (count := outbox_publish_pending()) > 0:
        published += count
    return published, time.perf_counter() - started


def _bench_system(url: str, secret: str) -> Any:
    """A VSAA system with fresh credentials (production refuses the demo systems), subscribed to `url`.

    Returns the system's actor, with the scopes a token of it would carry.
    """
    from oauth2_provider.models import Application

    from onedoor.cases.events import CASE_STATUS_CHANGED
    from onedoor.core.actors import Actor, ActorKind
    from onedoor.integration.models import InstitutionSystem, Scope, Subscription
    from onedoor.integration.services import subscription_create
    from onedoor.parties.models import Institution

    application, _ = Application.objects.update_or_create(
        client_id=SYSTEM_CODE,
        defaults={
            "name": "VSAA webhook receiver (benchmark)",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "client_secret": secrets.token_urlsafe(32),
        },
    )
    scopes = [Scope.EVENTS_READ.value, Scope.STATUSES_WRITE.value]
    system, _ = InstitutionSystem.objects.update_or_create(
        code=SYSTEM_CODE,
        defaults={
            "name": "VSAA webhook receiver (benchmark)",
            "institution": Institution.objects.get(code=HOLDER),
            "application": application,
            "scopes": scopes,
            "is_active": True,
            "is_demo_account": False,
        },
    )
    actor = Actor(
        kind=ActorKind.SYSTEM,
        id=str(system.pk),
        label=system.code,
        institution_id=str(system.institution_id),
        institution_code=HOLDER,
        acting_for=HOLDER,
        roles=frozenset(scopes),
    )
    Subscription.objects.filter(system=system).delete()  # an earlier run's receiver is gone
    subscription_create(actor=actor, url=url, secret=secret, event_types=[CASE_STATUS_CHANGED])
    return actor


def _purge_broker() -> int:
    """Drop the nudges earlier benchmarks queued with no worker running (the sweep would find their work anyway)."""
    from onedoor.core.celery import app

    return int(app.control.purge() or 0)


def _events(count: int) -> Callable[[int], list[Any]]:
    """A source of fresh status events over open VSAA cases, in turn: a non-final status of the case's
    service, happening now, so each becomes the current status and the case stays open."""
    from onedoor.cases.models import Case
    from onedoor.cases.services import StatusEventInput
    from onedoor.catalog.models import Lifecycle, ServiceStatusType

    rng = random.Random(SEED)
    statuses: dict[Any, list[str]] = {}
    for status in ServiceStatusType.objects.filter(service__holder__code=HOLDER, is_final=False).exclude(
        lifecycle=Lifecycle.REGISTERED
    ):
        statuses.setdefault(status.service_id, []).append(status.code)
    cases = list(
        Case.objects.filter(holder__code=HOLDER, is_closed=False, service_id__in=statuses)
        .order_by("?")
        .values_list("number", "service_id")[:count]
    )
    if len(cases) < PER_TRANSACTION:
        raise RuntimeError(f"too few open {HOLDER} cases to send events for: {len(cases)}")
    run = secrets.token_hex(4)
    sent = 0

    def take(how_many: int) -> list[StatusEventInput]:
        nonlocal sent
        now = datetime.now(UTC)
        taken = []
        for offset in range(sent, sent + how_many):
            number, service_id = cases[offset % len(cases)]
            taken.append(
                StatusEventInput(
                    case_number=number,
                    event_id=f"webhook-bench-{run}-{offset}",
                    status=rng.choice(statuses[service_id]),
                    occurred_at=now,
                )
            )
        sent += how_many
        return taken

    return take


# --- the worker processes -------------------------------------------------------------------------


def _celery(name: str, *arguments: str) -> subprocess.Popen[bytes]:
    log = (LOGS / f"webhooks-{name}.log").open("wb")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "--app", "onedoor.core.celery:app", *arguments],
            env=production_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        log.close()  # the child has its own copy


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Warm shutdown; if that takes too long, kill the process and its pool children, by pid."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(child), signal.SIGKILL)
        process.kill()
        process.wait(timeout=10)


def _log_tails() -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text()[-2000:]}" for log in sorted(LOGS.glob("webhooks-*.log")))


@contextlib.contextmanager
def _workers_and_scheduler() -> Iterator[None]:
    """WORKERS workers as `onedoor worker --concurrency 1` starts them (with a node name each), and beat."""
    from onedoor.core.celery import app

    LOGS.mkdir(parents=True, exist_ok=True)
    running: list[subprocess.Popen[bytes]] = []
    try:
        for number in range(1, WORKERS + 1):
            running.append(
                _celery(
                    f"worker-{number}",
                    *("worker", "--loglevel", "INFO", "--concurrency", "1", "--pool", "prefork"),
                    *("--queues", "celery", "--without-gossip", "--without-mingle"),
                    *("--hostname", f"bench-webhooks-{number}@%h"),
                )
            )
        running.append(
            _celery("beat", "beat", "--loglevel", "INFO", "--schedule", str(LOGS / "webhooks-beat-schedule"))
        )
        deadline = time.monotonic() + START_SECONDS
        while len(app.control.ping(timeout=0.5) or []) < WORKERS:
            if time.monotonic() > deadline or any(process.poll() is not None for process in running):
                raise RuntimeError(f"the workers did not start\n{_log_tails()}")
        yield
    finally:
        for process in running:
            _stop(process)


# --- measuring ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Phase:
    """One run of events through the pipeline: when each was committed and what arrived."""

    label: str
    started: float = 0.0  # time.time() when the first transaction began
    committed: dict[str, float] = field(default_factory=dict)  # status event id -> commit time
    arrived: bool = False
    received: int = 0
    duplicates: int = 0
    latencies: list[float] = field(default_factory=list)
    last_arrival: float = 0.0
    relay_lags: list[float] = field(default_factory=list)  # commit -> published by the relay
    outbox_ids: list[str] = field(default_factory=list)

    @property
    def events(self) -> int:
        return len(self.committed)

    def commit_rate(self) -> float:
        span = max(self.committed.values()) - self.started
        return self.events / span if span > 0 else 0.0

    def delivery_rate(self) -> float:
        """Delivered events per second, from the first commit to the last arrival."""
        span = self.last_arrival - min(self.committed.values())
        return self.received / span if self.received and span > 0 else 0.0


def _commit(actor: Any, items: list[Any]) -> float:
    """One transaction of status events; the time right after it committed (before the nudges go out)."""
    from django.db import transaction

    from onedoor.cases.services import status_events_record

    committed_at: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed_at.append(time.time()))  # runs first: registered first
        results = status_events_record(actor=actor, items=items)
    refused = [result for result in results if result.outcome != "created"]
    if refused:
        raise RuntimeError(f"status events refused: {[(r.case_number, r.error) for r in refused[:3]]}")
    return committed_at[0]


def _produce(phase: Phase, actor: Any, take: Callable[[int], list[Any]], *, transactions: int, every: float) -> None:
    """Commit `transactions` transactions, one every `every` seconds (0: as fast as possible)."""
    started = time.monotonic()
    phase.started = time.time()
    for index in range(transactions):
        if every:
            time.sleep(max(0.0, started + index * every - time.monotonic()))
        if time.monotonic() - started > PRODUCE_SECONDS:
            break
        items = take(PER_TRANSACTION)
        committed_at = _commit(actor, items)
        for item in items:
            phase.committed[item.event_id] = committed_at


def _measure(phase: Phase, receiver: Receiver) -> None:
    """Wait (bounded) for the phase's events, then compare what arrived with what was committed."""
    from onedoor.cases.events import CASE_STATUS_CHANGED
    from onedoor.core.models import OutboxEvent

    expected = set(phase.committed)
    phase.arrived = receiver.wait_for(expected, seconds=ARRIVE_SECONDS)
    time.sleep(0.5)  # a late duplicate, if any, has a moment to show
    outbox = list(
        OutboxEvent.objects.filter(type=CASE_STATUS_CHANGED, data__event_id__in=expected).values_list(
            "id", "data__event_id", "published_at"
        )
    )
    phase.outbox_ids = [str(pk) for pk, _, _ in outbox]
    first, arrivals = receiver.snapshot()
    for pk, status_event_id, published_at in outbox:
        committed_at = phase.committed[status_event_id]
        if published_at is not None:
            phase.relay_lags.append(max(0.0, published_at.timestamp() - committed_at))
        if str(pk) in first:
            phase.received += 1
            phase.duplicates += arrivals[str(pk)] - 1
            phase.latencies.append(first[str(pk)] - committed_at)
            phase.last_arrival = max(phase.last_arrival, first[str(pk)])

    if len(outbox) != len(expected):
        print(f"  ! {phase.label}: {len(outbox)} outbox events for {len(expected)} committed status events")


# --- the baseline ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Direct:
    events: int
    seconds: float
    samples: list[float]
    received: int

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def _direct(receiver: Receiver, outbox_ids: list[str]) -> Direct:
    """The same signed envelopes posted by WORKERS threads, each over one kept-alive httpx client."""
    from onedoor.core.models import OutboxEvent
    from onedoor.integration.webhooks import cloudevent_body, signed_headers

    envelopes = [
        (str(event.pk), cloudevent_body(event))
        for event in OutboxEvent.objects.filter(pk__in=outbox_ids).order_by("position")
    ]
    shares = [envelopes[index::WORKERS] for index in range(WORKERS)]
    warmed = threading.Barrier(WORKERS + 1, timeout=60)
    go = threading.Barrier(WORKERS + 1, timeout=60)
    samples: list[list[float]] = [[] for _ in shares]
    errors: list[BaseException] = []

    def client(index: int) -> None:
        try:
            with httpx.Client(timeout=10) as http:

                def send(event_id: str, body: bytes) -> None:
                    headers = signed_headers(secret=receiver.secret, event_id=event_id, body=body)
                    response = http.post(receiver.url, content=body, headers=headers)
                    if response.status_code != 204:
                        raise RuntimeError(f"the receiver answered {response.status_code}")

                for event_id, body in shares[index][:DIRECT_WARM_UP]:
                    send(event_id, body)
                warmed.wait()
                go.wait()
                deadline = time.perf_counter() + DIRECT_SECONDS
                for event_id, body in shares[index]:
                    began = time.perf_counter()
                    send(event_id, body)
                    samples[index].append(time.perf_counter() - began)
                    if began > deadline:
                        break
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)
            warmed.abort()
            go.abort()

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(WORKERS)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: its error is raised below
        warmed.wait()
        receiver.reset()  # the warm-up requests do not count
        go.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=DIRECT_SECONDS + 30)
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    every = [sample for client_samples in samples for sample in client_samples]
    return Direct(len(every), seconds, every, len(receiver.snapshot()[0]))


# --- the run --------------------------------------------------------------------------------------


def _phase_line(phase: Phase) -> str:
    p50, p95 = percentiles(phase.latencies) if phase.latencies else (float("nan"), float("nan"))
    return (
        f"    delivered {phase.received}/{phase.events} events ({phase.duplicates} duplicates)"
        f" {phase.delivery_rate():7.0f} events/s   commit-to-receipt p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
        + ("" if phase.arrived else f"   (not all arrived within {ARRIVE_SECONDS:.0f} s)")
    )


def _relay_line(phase: Phase) -> str:
    if not phase.relay_lags:
        return "    of which commit to relayed: no event was relayed"
    p50, p95 = percentiles(phase.relay_lags)
    return f"    of which commit to relayed (outbox position given)  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"


def run() -> None:
    _setup_django()
    from django.db import connections

    started = time.perf_counter()
    filled = _prepare()
    backlog, backlog_seconds = _publish_backlog()
    secret = secrets.token_urlsafe(32)
    receiver = Receiver(secret).start()
    try:
        actor = _bench_system(receiver.url, secret)
        take = _events(EVENTS * 2)
        purged = _purge_broker()
        ready = time.perf_counter() - started
        print(
            f"webhook delivery: {WORKERS} workers (prefork, 1 process each) + scheduler, receiver on 127.0.0.1,"
            f" {PER_TRANSACTION} status events per transaction"
        )
        print(
            f"  ({filled}; relayed {backlog} earlier events in {backlog_seconds:.0f} s, purged {purged} stale nudges;"
            f" ready in {ready:.0f} s)"
        )
        burst, steady = Phase("burst"), Phase("steady")
        with _workers_and_scheduler():
            warm_up = Phase("warm-up")
            _produce(warm_up, actor, take, transactions=1, every=0)
            if not receiver.wait_for(set(warm_up.committed), seconds=START_SECONDS):
                raise RuntimeError(f"the warm-up events never arrived\n{_log_tails()}")
            _produce(burst, actor, take, transactions=EVENTS // PER_TRANSACTION, every=0)
            _measure(burst, receiver)
            rate = max(PER_TRANSACTION / STEADY_SECONDS, STEADY_SHARE * burst.delivery_rate())
            every = PER_TRANSACTION / rate
            _produce(steady, actor, take, transactions=max(1, round(STEADY_SECONDS / every)), every=every)
            _measure(steady, receiver)
        connections.close_all()
        bad_signatures = receiver.bad_signatures
        direct = _direct(receiver, burst.outbox_ids)
        bad_signatures += receiver.bad_signatures
    finally:
        receiver.stop()
    print(f"  a. burst: {burst.events} events committed by one writer at {burst.commit_rate():.0f} events/s")
    print(_phase_line(burst))
    print(_relay_line(burst))
    print(f"  b. steady: {steady.events} events at {steady.commit_rate():.0f} events/s ({STEADY_SHARE:.0%} of a.)")
    print(_phase_line(steady))
    print(_relay_line(steady))
    d50, d95 = percentiles(direct.samples)
    print(f"  baseline: {WORKERS} threads posting the same signed envelopes, kept-alive httpx clients")
    print(
        f"    delivered {direct.received}/{direct.events} events {direct.per_second:14.0f} events/s"
        f"   request p50 {d50:7.1f} ms  p95 {d95:7.1f} ms"
    )
    print(f"  ratio pipeline/baseline {burst.delivery_rate() / direct.per_second:.2f}x (events/s, burst)")
    if bad_signatures:
        print(f"  ! {bad_signatures} requests with a bad signature (answered 401)")
