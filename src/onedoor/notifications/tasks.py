from celery import shared_task

from .dispatch import dispatches_send_due


@shared_task(name="onedoor.notifications.tasks.send_due", ignore_result=True)
def send_due() -> None:
    """Nudged when notices are recorded or queued again, and run by the scheduler every few seconds:
    sends every due e-mail and SMS, so a lost nudge delays a notice by one sweep at most."""
    dispatches_send_due()
