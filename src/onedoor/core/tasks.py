from celery import shared_task
from django.utils import timezone

from .models import Heartbeat
from .outbox import outbox_publish_pending


@shared_task(name="onedoor.core.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Run by the scheduler through the worker: proves both are alive (see /readyz)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(process="worker", defaults={"beat_at": now})


@shared_task(name="onedoor.core.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> None:
    """Publish committed outbox events until none are left."""
    while outbox_publish_pending() > 0:
        pass
