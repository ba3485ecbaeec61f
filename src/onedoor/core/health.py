"""Liveness, readiness and metrics endpoints for load balancers and monitoring."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics
from .celery import broker_reachable
from .models import Heartbeat


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the reason is reported
        return f"database unreachable: {error.__class__.__name__}"
    return None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    database_problem = _database_problem()
    checks["database"] = database_problem or "ok"
    broker_problem = broker_reachable()
    checks["broker"] = broker_problem or "ok"
    heartbeats = {}
    if database_problem is None:
        now = timezone.now()
        heartbeats = {beat.process: round((now - beat.beat_at).total_seconds()) for beat in Heartbeat.objects.all()}
    ready = database_problem is None and broker_problem is None
    body = {"status": "ok" if ready else "unavailable", "checks": checks, "heartbeat_age_seconds": heartbeats}
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    payload, content_type = metrics.exposition()
    return HttpResponse(payload, content_type=content_type)
