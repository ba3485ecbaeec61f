"""Helpers shared by the benchmarks: a production-like server process, in-process timing against raw SQL,
latency statistics and the data they measure."""

import base64
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    """Production settings against the benchmark database, with a throw-away secret."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onedoor.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ONEDOOR_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ONEDOOR_LOG_LEVEL": "WARNING",
        "ONEDOOR_VAR_DIR": str(ROOT / "var" / "bench"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def web_server(*, workers: int = 1, threads: int = 4) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`onedoor serve` as in production; yields (port, gunicorn master process)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onedoor.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=production_environment(),
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = get(port, "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the web server did not start")
            time.sleep(0.2)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def worker_rss_mib(master_pid: int) -> float:
    """Resident memory of the first gunicorn worker (a child of the master)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kib / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def oauth_token(port: int, client_id: str, client_secret: str) -> str:
    """An access token from the server's OAuth 2.0 token endpoint (client credentials, HTTP basic auth)."""
    credentials = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/oauth/token/",
            body="grant_type=client_credentials",
            headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"no access token: {response.status} {body[:200]!r}")
    token: str = json.loads(body)["access_token"]
    return token


def post(connection: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST on a kept-alive connection; reconnects once if the server closed it while idle."""
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        connection.close()  # http.client opens a new connection on the next request
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
    return response.status, response.read()


def setup_django() -> None:
    """Production settings, unless an earlier benchmark of this run already set Django up."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.update(production_environment())
        django.setup()


def fill_registry(target: int, *, seed: int) -> str:
    """Schema, demo institutions and catalog, and `target` generated cases (those already there count);
    returns how the registry was filled."""
    from django.core.management import call_command

    from onedoor.cases.generator import cases_generate
    from onedoor.cases.models import Case
    from onedoor.catalog.demo_data import load_catalog
    from onedoor.core.actors import SYSTEM
    from onedoor.parties.demo_data import load_institutions

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_institutions()
    load_catalog(actor=SYSTEM)
    existing = Case.objects.count()
    if existing >= target:
        return f"{existing} cases already there"
    report = cases_generate(actor=SYSTEM, count=target - existing, seed=seed + existing)
    return (
        f"generated {report.cases} cases with {report.status_events} status events "
        f"in {report.seconds:.0f} s ({report.cases / report.seconds:.0f} cases/s)"
    )


# In-process benchmarks (the Django test client against raw SQL for the same rows): rounds measured
# after a few unmeasured ones.
ROUNDS = 200
WARM_UP = 10


def time_requests(
    get: Callable[[str], Any], path: str, check: Callable[[Any], None], *, rounds: int = ROUNDS, warm_up: int = WARM_UP
) -> list[float]:
    """Seconds each of `rounds` calls of `get(path)` took, after `warm_up` unmeasured ones; every response checked."""
    for _ in range(warm_up):
        check(get(path))
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        response = get(path)
        samples.append(time.perf_counter() - began)
        check(response)
    return samples


def time_statements(
    raw: psycopg.Connection[Any],
    statements: Sequence[str],
    params: dict[str, Any],
    *,
    rows: int,
    rounds: int = ROUNDS,
    warm_up: int = WARM_UP,
) -> list[float]:
    """Seconds each of `rounds` runs of the statements took (all fetched), after `warm_up` unmeasured runs;
    the last statement must return `rows` rows."""

    def once() -> None:
        with raw.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params)
                fetched = cursor.fetchall()
        assert len(fetched) == rows, (len(fetched), rows)

    for _ in range(warm_up):
        once()
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        once()
        samples.append(time.perf_counter() - began)
    return samples


def query_count(get: Callable[[str], Any], path: str) -> int:
    """How many SQL statements one `get(path)` runs (the response must be a 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def figure_line(label: str, samples: list[float]) -> str:
    p50, p95 = percentiles(samples)
    return f"  {label:<52} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms"


def ratio_line(label: str, measured: list[float], baseline: list[float]) -> str:
    (p50, p95), (raw_p50, raw_p95) = percentiles(measured), percentiles(baseline)
    return f"  {label:<52} p50 {p50 / raw_p50:7.2f}x    p95 {p95 / raw_p95:7.2f}x"


HISTORY_SERVICES = ("2011", "2013", "2019", "4006", "3006", "4003", "7002", "801003")


def give_history(person: Any, *, cases: int, consultations: int) -> None:
    """Tops the person's history up to `cases` cases (every eighth of them filed by phone or in person),
    the newest a day old, one every five days back, all but the ten newest closed; and to `consultations`
    consultations, one every fifty days. Those already there count, so a second call only adds."""
    from django.db import connection
    from django.utils import timezone

    from onedoor.cases.models import Case, Consultation
    from onedoor.cases.services import PartyRef, StatusEventInput, case_register, consultation_register
    from onedoor.cases.services import status_events_record as record
    from onedoor.core.actors import Actor, ActorKind
    from onedoor.core.channels import Channel
    from onedoor.parties.models import Institution

    desk = Actor(kind=ActorKind.SYSTEM, id="bench-history", label="History benchmark", is_platform_admin=True)
    now = timezone.now()
    channels = (Channel.E_ACCOUNT, Channel.WEB_PORTAL, Channel.E_ACCOUNT, Channel.KAC, Channel.PHONE)
    events = []
    for index in range(Case.objects.filter(for_person=person).count(), cases):
        submitted = now - timedelta(days=1 + 5 * index, hours=index % 7)
        case = case_register(
            actor=desk,
            service_code=HISTORY_SERVICES[index % len(HISTORY_SERVICES)],
            applicant=PartyRef(personal_code=person.personal_code),
            channel=channels[index % len(channels)],
            external_id=f"bench-history-{index}",
            submitted_at=submitted,
        ).case
        statuses = ["in_progress"] if index < 10 else ["in_progress", "result_delivered", "closed"]
        events += [
            StatusEventInput(case.number, f"bench-{index}-{step}", status, submitted + timedelta(days=step + 1))
            for step, status in enumerate(statuses)
        ]
    if events:
        record(actor=desk, items=events)
    consulting = Institution.objects.get(code="VSAA")
    for index in range(Consultation.objects.filter(person=person).count(), consultations):
        consultation_register(
            actor=desk,
            channel=Channel.PHONE,
            client=PartyRef(personal_code=person.personal_code),
            topic=f"Jautājums nr. {index}",
            occurred_at=now - timedelta(days=3 + 50 * index),
            service_code=HISTORY_SERVICES[index % 3],
            institution=consulting,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case, cases_consultation, cases_casestatusevent")
