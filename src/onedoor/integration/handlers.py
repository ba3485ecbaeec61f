"""How the integration app reacts to published outbox events: it records the webhooks to send.

The handler runs inside the relay's transaction (`core.outbox.outbox_publish_pending`), so it
only writes Delivery rows — no HTTP — and is idempotent: a delivery exists once per
(subscription, event). Once the relay commits, a worker is nudged to send them.
"""

from django.utils import timezone

from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_register_batch_handler

from .delivery import dispatcher_nudge_on_commit
from .models import Delivery, DeliveryStatus
from .selectors import subscriptions_for_events


def deliveries_record(event: OutboxEvent) -> None:
    """Record a pending delivery of a just-published event for every subscription that wants it."""
    deliveries_record_batch([event])


def deliveries_record_batch(events: list[OutboxEvent]) -> None:
    """The same for all the events of one relay run, with one subscription query for the batch."""
    wanted = subscriptions_for_events(events)
    now = timezone.now()
    deliveries = []
    for event in events:
        assert event.position is not None, "the relay gives an event its position before handing it over"
        deliveries += [
            Delivery(
                subscription=subscription,
                event=event,
                position=event.position,
                ordering_key=event.ordering_key,
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
            )
            for subscription in wanted.get(event.id, [])
        ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        dispatcher_nudge_on_commit()


outbox_register_batch_handler(deliveries_record_batch)
