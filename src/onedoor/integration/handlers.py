"""How the integration app reacts to published outbox events: it records the webhooks to send.

The handler runs inside the relay's transaction (`core.outbox.outbox_publish_pending`), so it
only writes Delivery rows — no HTTP — and is idempotent: a delivery exists once per
(subscription, event). Once the relay commits, a worker is nudged to send them.
"""

from django.utils import timezone

from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_register_handler

from .delivery import dispatcher_nudge_on_commit
from .models import Delivery, DeliveryStatus
from .selectors import subscriptions_for_event


def deliveries_record(event: OutboxEvent) -> None:
    """Record a pending delivery of a just-published event for every subscription that wants it."""
    subscriptions = subscriptions_for_event(event)
    if not subscriptions:
        return
    assert event.position is not None, "the relay gives an event its position before handing it over"
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=subscription,
                event=event,
                position=event.position,
                ordering_key=event.ordering_key,
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
            )
            for subscription in subscriptions
        ],
        ignore_conflicts=True,
    )
    dispatcher_nudge_on_commit()


outbox_register_handler("", deliveries_record)
