from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_healthz_says_the_process_is_alive(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_broker_and_the_virus_scanner(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "broker": "ok", "scanner": "ok"}  # the test harness's clamd


def test_readyz_without_a_scanner_configured_says_it_is_off(client: Client) -> None:
    with override_settings(ONEDOOR_CLAMD_SOCKET="", ONEDOOR_CLAMD_HOST=""):
        body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["scanner"] == "off"


def test_readyz_is_degraded_but_ready_when_the_scanner_is_down(client: Client, tmp_path: Path) -> None:
    # Only uploads need clamd: the instance stays in the load balancer and says what is wrong.
    with override_settings(ONEDOOR_CLAMD_SOCKET=str(tmp_path / "no-clamd.sock")):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"] == {
        "database": "ok",
        "broker": "ok",
        "scanner": "clamd unreachable: uploads are refused",
    }


def test_readyz_is_503_with_the_reason_when_the_broker_is_down(client: Client) -> None:
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("broker unreachable")


def test_request_id_is_returned_and_caller_ids_are_kept(client: Client) -> None:
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="caller-trace-0001")["X-Request-ID"] == "caller-trace-0001"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"] != "bad id!"


def test_metrics_count_requests_by_route(client: Client) -> None:
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'onedoor_http_requests_total{method="GET",route="healthz",status="200"}' in body


def test_heartbeat_task_records_the_worker(client: Client) -> None:
    from onedoor.core.tasks import heartbeat

    heartbeat()
    body = client.get("/readyz").json()
    assert body["heartbeat_age_seconds"]["worker"] <= 1
