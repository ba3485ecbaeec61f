"""Settings of the worker and scheduler processes the reliability tests start: the test settings,
with the webhook sweep every second instead of every few seconds."""

from onedoor.settings.test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "deliver-webhooks": {"task": "onedoor.integration.tasks.deliver_due", "schedule": 1.0},
}
