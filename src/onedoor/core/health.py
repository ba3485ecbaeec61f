"""Liveness, readiness and metrics endpoints for load balancers and monitoring."""

from collections.abc import Callable

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


# Services some features need and the rest of the platform runs without (the virus scanner for uploads).
# Each answers "ok", "off" (not configured) or what is wrong; a problem makes readiness "degraded", not 503:
# taking every instance out of the load balancer would stop the whole platform for one feature.
FeatureCheck = Callable[[], str]
_feature_checks: dict[str, FeatureCheck] = {}


def feature_check_register(name: str, check: FeatureCheck) -> None:
    """Report `check` under `name` in /readyz (called from an app's `ready()`)."""
    _feature_checks[name] = check


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
    features = {name: check() for name, check in sorted(_feature_checks.items())}
    checks.update(features)
    ready = database_problem is None and broker_problem is None
    degraded = any(state not in ("ok", "off") for state in features.values())
    status = "unavailable" if not ready else "degraded" if degraded else "ok"
    body = {"status": status, "checks": checks, "heartbeat_age_seconds": heartbeats}
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    payload, content_type = metrics.exposition()
    return HttpResponse(payload, content_type=content_type)
