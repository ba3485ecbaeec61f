from celery import shared_task

from onedoor.core.outbox import outbox_publish_pending

from .delivery import deliveries_send_due


@shared_task(name="onedoor.integration.tasks.deliver_due", ignore_result=True)
def deliver_due() -> None:
    """Nudged after each relay and run by the scheduler every few seconds.

    It first publishes committed events the relay has not picked up (a nudge the broker lost),
    then sends every due webhook — so a broker restart loses nothing that the sweep cannot find.
    """
    while outbox_publish_pending() > 0:
        pass
    deliveries_send_due()
