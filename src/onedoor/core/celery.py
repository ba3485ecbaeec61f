"""The Celery application; configured from Django settings (CELERY_*) and autodiscovering app tasks."""

import os

from celery import Celery
from django.conf import settings
from kombu import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onedoor.settings.production")

app = Celery("onedoor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def broker_reachable(timeout: int = 2) -> str | None:
    """None when the broker accepts a connection, else the reason it does not."""
    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        with Connection(url, transport_options=options, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the reason is reported
        return f"broker unreachable: {error.__class__.__name__}"
    return None
