"""Reliability of webhook delivery against real PostgreSQL, Redis, Celery workers and an HTTP receiver.

- A subscriber that is down for its first attempts and then recovers receives every event
  exactly once by id and in per-case order, and every attempt is recorded.
- A worker killed in the middle of a delivery loses nothing: the lease runs out and another
  worker sends it again (a duplicate by id, which receivers drop).
- Redis restarted during delivery loses nothing: the scheduler's sweep relays and sends what the
  lost broker messages would have.

Needs the services of scripts/with-test-services.sh (it restarts that Redis).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_append
from onedoor.integration import delivery as dispatcher
from onedoor.integration.delivery import deliveries_send_due
from onedoor.integration.models import Delivery, DeliveryAttempt, DeliveryStatus, InstitutionSystem
from onedoor.parties.models import Institution

from .conftest import publish, subscribe
from .receiver import Receiver, free_port

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

REDIS_PORT = os.environ.get("ONEDOOR_TEST_REDIS_PORT", "")
WORKER_TIMEOUT_SECONDS = "2"  # webhook timeout in the worker processes: leases run out after 3 × 2 + 1 s
Systems = dict[str, InstitutionSystem]


@pytest.fixture(autouse=True)
def _needs_the_test_services() -> None:
    if not REDIS_PORT or connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis from scripts/with-test-services.sh")


def wait_until(condition: Callable[[], bool], *, seconds: float, what: str, logs: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            details = ""
            if logs is not None:
                details = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in sorted(logs.glob("*.log")))
            pytest.fail(f"timed out after {seconds} s waiting for {what}\n{details}")
        time.sleep(0.1)


def _publish_one(institution: Institution, subject: str) -> OutboxEvent:
    """Commit one event the way a service does; the relay is nudged through the broker, as in production."""
    with transaction.atomic():
        return outbox_append(
            type="case.status_changed",
            source="/onedoor/registry",
            subject=subject,
            ordering_key=subject,
            data={"case_number": subject},
            occurred_at=timezone.now(),
            institution_id=institution.pk,
            service_code="1001",
        )


def _assert_per_case_order(receiver: Receiver, events: list[OutboxEvent]) -> None:
    positions = {str(event.pk): OutboxEvent.objects.get(pk=event.pk).position for event in events}
    arrived = receiver.first_arrivals_by_subject()
    for subject in {event.subject for event in events}:
        expected = sorted(positions[str(event.pk)] for event in events if event.subject == subject)
        assert arrived[subject] == expected, f"case {subject} arrived out of order"


def _all_delivered(count: int) -> Callable[[], bool]:
    return lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == count


# --- processes ------------------------------------------------------------------------------------


class Processes:
    """Celery workers and a scheduler as real subprocesses against the test database and Redis."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.running: list[subprocess.Popen[bytes]] = []
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "onedoor.integration.tests.reliability_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
                f"/{database['NAME']}"
            ),
            "ONEDOOR_WEBHOOK_TIMEOUT_SECONDS": WORKER_TIMEOUT_SECONDS,
            "ONEDOOR_VAR_DIR": str(directory),
        }

    def _start(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{name}.log").open("wb")
        celery = [sys.executable, "-m", "celery", "--app", "onedoor.core.celery:app"]
        process = subprocess.Popen([*celery, *arguments], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        return self._start(
            name,
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
            "-n",
            f"{name}@%h",
        )

    def scheduler(self) -> subprocess.Popen[bytes]:
        return self._start("beat", "beat", "--schedule", str(self.directory / "beat-schedule"), "--loglevel", "INFO")

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def processes(transactional_db: None, tmp_path: Path) -> Iterator[Processes]:
    """Started on demand, stopped before the database is flushed."""
    redis.Redis(port=int(REDIS_PORT)).flushdb()  # no broker messages left over from other tests
    started = Processes(tmp_path)
    yield started
    started.stop_all()


class RedisServer:
    """The harness's Redis: crash it and start it again on the same port, pid file, directory and log."""

    def __init__(self, port: int):
        self.port = port
        client = redis.Redis(port=port)
        self.options = {name: client.config_get(name)[name] for name in ("dir", "pidfile", "logfile")}

    def pid(self) -> int:
        return int(redis.Redis(port=self.port).info("server")["process_id"])

    def kill(self) -> None:
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not self.answers(), seconds=10, what="Redis to go away")

    def start(self) -> None:
        subprocess.run(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", self.options["dir"],
                "--pidfile", self.options["pidfile"],
                "--logfile", self.options["logfile"],
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "yes",
            ],
            check=True,
            timeout=10,
        )  # fmt: skip
        wait_until(self.answers, seconds=10, what="Redis to answer again")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False


# --- the tests ------------------------------------------------------------------------------------


def test_a_subscriber_down_at_first_gets_every_event_once_in_case_order(
    systems: Systems, receiver: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatcher, "BACKOFF_BASE_SECONDS", 0.05)  # the backoff's shape, on a shorter clock
    port = free_port()
    vsaa = systems["VSAA"]
    subscribe(vsaa, f"http://127.0.0.1:{port}/onedoor-events")
    events = [event for _round in range(3) for event in publish(vsaa.institution, "A", "B", "C")]
    listening: Receiver | None = None
    with override_settings(ONEDOOR_WEBHOOK_TIMEOUT_SECONDS=0.5):
        deadline = time.monotonic() + 40
        while Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() < len(events):
            assert time.monotonic() < deadline, "the subscriber never got everything"
            deliveries_send_due()
            refused = DeliveryAttempt.objects.filter(error__startswith="ConnectError").count()
            if listening is None and refused >= 6:
                # Back up, but answering 500, then too slowly, then 500 once more before it recovers.
                listening = receiver(port=port, plan=["fail", "hang", "fail"], hang_seconds=1.5)
            time.sleep(0.02)
    assert listening is not None
    assert listening.accepted_counts() == {str(event.pk): 1 for event in events}
    _assert_per_case_order(listening, events)
    assert all(request.signature_valid for request in listening.requests)
    attempts = list(DeliveryAttempt.objects.all())
    outcomes = [attempt.status_code or attempt.error.split(":")[0] for attempt in attempts]
    assert outcomes.count("ConnectError") >= 6
    assert outcomes.count(500) == 2
    assert outcomes.count("ReadTimeout") == 1
    assert outcomes.count(200) == len(events)
    assert len(attempts) == outcomes.count("ConnectError") + len(listening.requests)
    assert all(attempt.latency_ms < 5000 for attempt in attempts)


def test_a_worker_killed_in_the_middle_of_a_delivery_loses_nothing(
    systems: Systems, receiver: Callable[..., Receiver], processes: Processes
) -> None:
    listening = receiver(plan=["block"])
    vsaa = systems["VSAA"]
    subscribe(vsaa, listening.url)
    processes.scheduler()
    first_worker = processes.worker("first")
    events = [_publish_one(vsaa.institution, "A")]
    assert listening.in_flight.wait(40), "the first worker never sent the event"
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait(timeout=10)
    listening.release()  # its answer goes nowhere: the sender is dead
    events += [_publish_one(vsaa.institution, subject) for subject in ("B", "A", "B", "A", "B")]
    processes.worker("second")
    wait_until(_all_delivered(len(events)), seconds=45, what="every delivery", logs=processes.directory)
    counts = listening.accepted_counts()
    assert set(counts) == {str(event.pk) for event in events}
    assert counts[str(events[0].pk)] == 2  # sent again once its lease ran out
    assert all(counts[str(event.pk)] == 1 for event in events[1:])
    _assert_per_case_order(listening, events)
    killed = Delivery.objects.get(event=events[0])
    # The killed worker recorded nothing; the second worker's attempt succeeded.
    assert [(attempt.status_code, attempt.error) for attempt in killed.attempt_log.all()] == [(200, "")]


def test_redis_restarted_during_delivery_loses_nothing(
    systems: Systems, receiver: Callable[..., Receiver], processes: Processes
) -> None:
    listening = receiver(plan=["block"])
    vsaa = systems["VSAA"]
    subscribe(vsaa, listening.url)
    broker = RedisServer(int(REDIS_PORT))
    processes.scheduler()
    processes.worker("worker")
    events = [_publish_one(vsaa.institution, subject) for subject in ("A", "B")]
    assert listening.in_flight.wait(40), "the worker never sent an event"
    broker.kill()
    try:
        listening.release()  # the delivery in flight completes while the broker is gone
        during = [_publish_one(vsaa.institution, subject) for subject in ("A", "B", "A", "C")]
        assert OutboxEvent.objects.filter(pk__in=[event.pk for event in during], position__isnull=True).count() == 4
    finally:
        broker.start()
    events += during
    wait_until(_all_delivered(len(events)), seconds=60, what="every delivery", logs=processes.directory)
    assert listening.accepted_ids() == {str(event.pk) for event in events}
    _assert_per_case_order(listening, events)
