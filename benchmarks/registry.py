"""Registry ingestion: status events through the API against raw SQL into the same tables.

Fills the registry to ONEDOOR_BENCH_CASES cases (default 1,000,000) with `onedoor generate`,
starts `onedoor serve` with production settings (2 workers x 4 threads) and, in one run, sends
status events of many VSAA cases, each a valid status of the case's service, with fresh ids:

a. batches of 1,000 through POST /api/v1/status-events/batch (OAuth token, validation,
   idempotency check, row locks, outbox, audit), against psycopg `executemany` of the same rows
   (the events, the cases' current status, the outbox events), one transaction per batch;
b. single events through POST /api/v1/cases/{n}/status-events from 8 concurrent clients with
   kept-alive connections, against the same three statements per event from 8 connections.
"""

import contextlib
import http.client
import json
import os
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from benchmarks.support import (
    fill_registry,
    oauth_token,
    percentiles,
    post,
    setup_django,
    web_server,
)

DEFAULT_CASES = 1_000_000
SEED = 20261122
HOLDER = "VSAA"
SYSTEM_CODE = "vsaa-bench"
BATCH = 1000
BATCHES = 20
CLIENTS = 8
REQUESTS_PER_CLIENT = 150
WARM_UP = 3  # requests per client before the clock starts
WORKERS, THREADS = 2, 4
DEADLINE_SECONDS = 150.0  # per measurement: stop sending rather than run over
DISTINCT_CASES = 50_000

INSERT_EVENT = """
    INSERT INTO cases_casestatusevent
        (case_id, event_id, status, lifecycle, is_final, occurred_at, received_at,
         actor_kind, actor_id, actor_label, acting_for, note)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
UPDATE_CASE = """
    UPDATE cases_case SET status = %s, lifecycle = %s, is_closed = %s, status_occurred_at = %s, updated_at = %s
    WHERE id = %s
"""
INSERT_OUTBOX = """
    INSERT INTO core_outboxevent
        (id, type, source, subject, ordering_key, institution_id, service_code, data, occurred_at, created_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


@dataclass(frozen=True, slots=True)
class Event:
    """One status event of one case, as the API receives it and as raw rows."""

    case_id: UUID
    number: str
    holder_id: UUID
    service_code: str
    event_id: str
    status: str
    lifecycle: str
    is_final: bool
    occurred_at: datetime

    def api_item(self) -> dict[str, str]:
        """The event as an item of the batch request."""
        return {
            "case_number": self.number.replace(" ", "-"),
            "id": self.event_id,
            "status": self.status,
            "occurred_at": self.occurred_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Result:
    """One measurement: events written, wall time, per-request (or per-batch) latencies, outcomes."""

    events: int
    seconds: float
    samples: list[float]
    outcomes: Counter[str]

    @property
    def per_second(self) -> float:
        return self.events / self.seconds


def _bench_system() -> tuple[str, str]:
    """Credentials of a VSAA system with a fresh secret: production refuses the demo systems' published ones."""
    from oauth2_provider.models import Application

    from onedoor.integration.models import InstitutionSystem, Scope
    from onedoor.parties.models import Institution

    secret = secrets.token_urlsafe(32)
    application, _ = Application.objects.update_or_create(
        client_id=SYSTEM_CODE,
        defaults={
            "name": "VSAA back office (benchmark)",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "client_secret": secret,
        },
    )
    InstitutionSystem.objects.update_or_create(
        code=SYSTEM_CODE,
        defaults={
            "name": "VSAA back-office system (benchmark)",
            "institution": Institution.objects.get(code=HOLDER),
            "application": application,
            "scopes": list(Scope.values),
            "is_active": True,
            "is_demo_account": False,
        },
    )
    return SYSTEM_CODE, secret


def _events(count: int, rng: random.Random) -> Callable[[int], list[Event]]:
    """A source of `count` fresh events over up to DISTINCT_CASES VSAA cases (open ones first), in turn.

    Each is a non-final status of the case's service happening now, so it becomes the current
    status (a closed case is reopened: the benchmark system has the scope for it).
    """
    from onedoor.cases.models import Case
    from onedoor.catalog.models import Lifecycle, ServiceStatusType

    statuses: dict[UUID, list[ServiceStatusType]] = {}
    for status in ServiceStatusType.objects.filter(service__holder__code=HOLDER, is_final=False).exclude(
        lifecycle=Lifecycle.REGISTERED
    ):
        statuses.setdefault(status.service_id, []).append(status)
    cases = list(
        Case.objects.filter(holder__code=HOLDER, service_id__in=statuses)
        .order_by("is_closed", "?")
        .values_list("id", "number", "holder_id", "service_id", "service__code")[: min(count, DISTINCT_CASES)]
    )
    if not cases:
        raise RuntimeError("the registry has no VSAA cases to send events for")
    run = secrets.token_hex(4)
    sent = 0

    def take(how_many: int) -> list[Event]:
        nonlocal sent
        taken = []
        for offset in range(how_many):
            case_id, number, holder_id, service_id, service_code = cases[(sent + offset) % len(cases)]
            status = rng.choice(statuses[service_id])
            taken.append(
                Event(
                    case_id=case_id,
                    number=number,
                    holder_id=holder_id,
                    service_code=service_code,
                    event_id=f"bench-{run}-{sent + offset}",
                    status=status.code,
                    lifecycle=status.lifecycle,
                    is_final=status.is_final,
                    occurred_at=datetime.now(UTC),
                )
            )
        sent += how_many
        return taken

    return take


@dataclass(frozen=True, slots=True)
class RawRows:
    """What the API writes for some events: their rows, the cases' new current status, the outbox events."""

    events: list[tuple[Any, ...]]
    cases: list[tuple[Any, ...]]
    outbox: list[tuple[Any, ...]]


def _raw_rows(events: Sequence[Event]) -> RawRows:
    """The rows, made before the clock starts; the outbox payload is made by the registry's own code."""
    from onedoor.cases import events as registry_events
    from onedoor.cases.models import Case, CaseStatusEvent
    from onedoor.catalog.models import Service

    now = datetime.now(UTC)
    rows = RawRows([], [], [])
    for event in events:
        case = Case(
            pk=event.case_id,
            number=event.number,
            holder_id=event.holder_id,
            service=Service(code=event.service_code),
            status=event.status,
            lifecycle=event.lifecycle,
            is_closed=event.is_final,
        )
        status_event = CaseStatusEvent(
            case=case,
            event_id=event.event_id,
            status=event.status,
            lifecycle=event.lifecycle,
            is_final=event.is_final,
            occurred_at=event.occurred_at,
            actor_label=SYSTEM_CODE,
        )
        outbox = registry_events.status_changed_event(case, status_event)
        rows.events.append(
            (
                *(event.case_id, event.event_id, event.status, event.lifecycle, event.is_final),
                *(event.occurred_at, now, "system", "", SYSTEM_CODE, HOLDER, ""),
            )
        )
        rows.cases.append((event.status, event.lifecycle, event.is_final, event.occurred_at, now, event.case_id))
        rows.outbox.append(
            (
                *(outbox.id, outbox.type, outbox.source, outbox.subject, outbox.ordering_key, outbox.institution_id),
                *(outbox.service_code, Jsonb(outbox.data), outbox.occurred_at, now),
            )
        )
    return rows


def _raw_write(raw: psycopg.Connection[Any], rows: RawRows) -> None:
    """One transaction: `executemany` per table (psycopg pipelines the statements)."""
    with raw.transaction(), raw.cursor() as cursor:
        cursor.executemany(INSERT_EVENT, rows.events)
        cursor.executemany(UPDATE_CASE, rows.cases)
        cursor.executemany(INSERT_OUTBOX, rows.outbox)


def _api_batches(port: int, token: str, take: Callable[[int], list[Event]]) -> Result:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [json.dumps({"events": [event.api_item() for event in take(BATCH)]}).encode() for _ in range(BATCHES + 1)]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    replies: list[bytes] = []
    samples: list[float] = []

    def send(body: bytes) -> bytes:
        status, reply = post(connection, "/api/v1/status-events/batch", body, headers)
        if status != 200:
            raise RuntimeError(f"batch refused: {status} {reply[:300]!r}")
        return reply

    try:
        send(bodies[0])  # warm-up
        started = time.perf_counter()
        for body in bodies[1:]:
            began = time.perf_counter()
            replies.append(send(body))
            samples.append(time.perf_counter() - began)
            if began - started > DEADLINE_SECONDS:
                break
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    outcomes = Counter(result["result"] for reply in replies for result in json.loads(reply)["results"])
    return Result(len(replies) * BATCH, seconds, samples, outcomes)


def _raw_batches(take: Callable[[int], list[Event]]) -> Result:
    batches = [_raw_rows(take(BATCH)) for _ in range(BATCHES + 1)]
    samples: list[float] = []
    with psycopg.connect(os.environ["DATABASE_URL"]) as raw:
        _raw_write(raw, batches[0])  # warm-up
        started = time.perf_counter()
        for batch in batches[1:]:
            began = time.perf_counter()
            _raw_write(raw, batch)
            samples.append(time.perf_counter() - began)
            if began - started > DEADLINE_SECONDS:
                break
        seconds = time.perf_counter() - started
    return Result(len(samples) * BATCH, seconds, samples, Counter(created=len(samples) * BATCH))


def _run_clients(
    work: list[list[Any]],
    connect: Callable[[], Any],
    send: Callable[[Any, Any], str],
    close: Callable[[Any], None],
) -> Result:
    """One thread per list of work, each with its own connection; the clock starts once all have warmed up.

    `send` does one item and says what became of it.
    """
    ready = threading.Barrier(len(work) + 1, timeout=120)
    samples: list[list[float]] = [[] for _ in work]
    outcomes: list[Counter[str]] = [Counter() for _ in work]
    errors: list[BaseException] = []

    def client(index: int) -> None:
        try:
            connection = connect()
            try:
                for item in work[index][:WARM_UP]:
                    send(connection, item)
                ready.wait()
                deadline = time.perf_counter() + DEADLINE_SECONDS
                for item in work[index][WARM_UP:]:
                    began = time.perf_counter()
                    outcomes[index][send(connection, item)] += 1
                    samples[index].append(time.perf_counter() - began)
                    if began > deadline:
                        break
            finally:
                close(connection)
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)
            ready.abort()

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(len(work))]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: its error is raised below
        ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS + 120)
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    every = [sample for client_samples in samples for sample in client_samples]
    return Result(len(every), seconds, every, sum(outcomes, Counter()))


def _api_single(port: int, token: str, take: Callable[[int], list[Event]]) -> Result:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(event: Event) -> tuple[str, bytes]:
        item = event.api_item()
        return f"/api/v1/cases/{item.pop('case_number')}/status-events", json.dumps(item).encode()

    def send(connection: http.client.HTTPConnection, request: tuple[str, bytes]) -> str:
        status, reply = post(connection, *request, headers)
        if status not in (200, 201):
            raise RuntimeError(f"event refused: {status} {reply[:300]!r}")
        return "created" if status == 201 else "duplicate"

    work = [[request(event) for event in take(WARM_UP + REQUESTS_PER_CLIENT)] for _ in range(CLIENTS)]
    return _run_clients(
        work, lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=60), send, lambda c: c.close()
    )


def _raw_single(take: Callable[[int], list[Event]]) -> Result:
    def send(raw: psycopg.Connection[Any], rows: RawRows) -> str:
        _raw_write(raw, rows)
        return "created"

    work = [[_raw_rows([event]) for event in take(WARM_UP + REQUESTS_PER_CLIENT)] for _ in range(CLIENTS)]
    return _run_clients(work, lambda: psycopg.connect(os.environ["DATABASE_URL"]), send, lambda c: c.close())


def _line(label: str, result: Result, unit: str) -> str:
    p50, p95 = percentiles(result.samples)
    return (
        f"  {label:<46} {result.events:6d} events {result.per_second:8.0f} events/s"
        f"   {unit} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
    )


def _refusals(result: Result) -> str:
    others = {outcome: count for outcome, count in result.outcomes.items() if outcome != "created"}
    return f"   (not created: {others})" if others else ""


def run() -> None:
    setup_django()
    from django.db import connections

    from onedoor.cases.models import Case

    target = int(os.environ.get("ONEDOOR_BENCH_CASES", DEFAULT_CASES))
    started = time.perf_counter()
    filled = fill_registry(target, seed=SEED)
    client_id, secret = _bench_system()
    rng = random.Random(SEED)
    take = _events(BATCH * (BATCHES + 1) * 2 + CLIENTS * (WARM_UP + REQUESTS_PER_CLIENT) * 2, rng)
    total, vsaa = Case.objects.count(), Case.objects.filter(holder__code=HOLDER).count()
    connections.close_all()
    ready = time.perf_counter() - started
    print(f"registry ingestion: {total} cases, {vsaa} of {HOLDER} ({filled}; ready in {ready:.0f} s)")
    with web_server(workers=WORKERS, threads=THREADS) as (port, _master):
        token = oauth_token(port, client_id, secret)
        api_batches = _api_batches(port, token, take)
        raw_batches = _raw_batches(take)
        api_single = _api_single(port, token, take)
        raw_single = _raw_single(take)
    print(f"  a. batches of {BATCH} events over many cases, one client; server {WORKERS} workers x {THREADS} threads")
    print(_line("API  POST /api/v1/status-events/batch", api_batches, "batch") + _refusals(api_batches))
    print(_line("raw  executemany: events, cases, outbox", raw_batches, "batch"))
    print(f"  ratio API/raw {api_batches.per_second / raw_batches.per_second:.2f}x   (aim: at least 0.3x)")
    print(f"  b. single events, {CLIENTS} concurrent clients with kept-alive connections")
    print(_line("API  POST /api/v1/cases/{n}/status-events", api_single, "event") + _refusals(api_single))
    print(_line("raw  one transaction per event", raw_single, "event"))
    print(f"  ratio API/raw {api_single.per_second / raw_single.per_second:.2f}x")
