"""The webhook dispatcher: claims due deliveries, sends them, records every attempt (INT-2).

Safe with any number of workers on PostgreSQL. A worker claims a batch in a short transaction
(`SELECT … FOR UPDATE SKIP LOCKED`) and leases each delivery; it sends outside any transaction
and then records the attempt. A worker killed mid-send simply lets its leases expire: the
delivery is claimed and sent again. Delivery is therefore at least once, and receivers
deduplicate by the CloudEvent id.

Order: only the earliest pending delivery (by event position) of a (subscription, ordering key)
can be claimed, so the events of one case reach a subscriber in the order they were committed.

Failures are retried with exponential backoff and full jitter until
`ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS` have passed since the first attempt; then the delivery is
a dead letter, sent again only on request (administration or API).
"""

import random
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.actors import Actor, ActorKind

from .errors import DeliveryPending, IntegrationNotAllowed
from .models import Delivery, DeliveryAttempt, DeliveryStatus
from .webhooks import WebhookResult, webhook_client, webhook_post

BATCH_SIZE = 20
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 3600.0
log = structlog.get_logger(__name__)


def backoff_seconds(attempts: int) -> float:
    """The wait before the next try after `attempts` failures: full jitter over 2 s, 4 s, 8 s, … capped at 1 hour."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** min(max(attempts, 1) - 1, 32))
    return random.uniform(0, ceiling)  # noqa: S311 - jitter spreads retries; it protects no secret


def _send_budget() -> timedelta:
    """How long one send may take: connecting, writing and reading may each use the whole timeout."""
    return timedelta(seconds=3 * settings.ONEDOOR_WEBHOOK_TIMEOUT_SECONDS + 1)


def deliveries_claim(*, limit: int = BATCH_SIZE) -> list[Delivery]:
    """Lease up to `limit` due deliveries for this worker and return them in the order to send them.

    Due means: pending, its time has come, not leased by a live worker, its subscription and
    system active, and no earlier pending delivery of the same (subscription, ordering key) —
    which is what keeps the events of one case in order.

    A dead delivery is not pending, so it does not hold back the later events of its case:
    holding them for a receiver that failed for 72 hours would turn one bad event into a stuck
    case. The order holds among the events that arrive; a dead one, once redelivered, arrives
    late and carries its `onedoorposition`, by which the receiver can tell.

    The n-th delivery of the batch is leased for n send budgets, since the batch is sent one
    after another; a lease that runs out makes the delivery claimable again.
    """
    now = timezone.now()
    earlier_pending = Delivery.objects.filter(
        subscription_id=OuterRef("subscription_id"),
        ordering_key=OuterRef("ordering_key"),
        status=DeliveryStatus.PENDING,
        position__lt=OuterRef("position"),
    )
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=DeliveryStatus.PENDING,
                next_attempt_at__lte=now,
                subscription__is_active=True,
                subscription__system__is_active=True,
            )
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
            .exclude(Exists(earlier_pending))
            .select_related("event", "subscription")
            .order_by("position", "id")[:limit]
        )
        budget = _send_budget()
        for index, delivery in enumerate(claimed, start=1):
            delivery.leased_until = now + budget * index
        Delivery.objects.bulk_update(claimed, ["leased_until"])
    return claimed


def deliveries_send(deliveries: list[Delivery]) -> None:
    """Send claimed deliveries one after another (outside any transaction) and record each attempt."""
    with webhook_client() as client:
        for delivery in deliveries:
            attempted_at = timezone.now()
            result = webhook_post(
                client=client,
                url=delivery.subscription.url,
                secret=delivery.subscription.secret,
                event=delivery.event,
            )
            delivery_attempt_record(delivery=delivery, attempted_at=attempted_at, result=result)


def deliveries_send_due(*, batch_size: int = BATCH_SIZE) -> int:
    """Claim and send batches until nothing is due. Returns how many sends were attempted."""
    attempted = 0
    while batch := deliveries_claim(limit=batch_size):
        deliveries_send(batch)
        attempted += len(batch)
    return attempted


def delivery_attempt_record(*, delivery: Delivery, attempted_at: datetime, result: WebhookResult) -> None:
    """Record one attempt and move the delivery on: delivered, retried later, or dead.

    `delivery.leased_until` is the lease this worker holds. If the lease ran out and another
    worker claimed the delivery meanwhile, only the attempt is recorded; the state is theirs.
    `attempts` counts the attempts since the delivery was last queued, so the give-up window of
    a redelivery starts at its own first attempt.
    """
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            attempted_at=attempted_at,
            status_code=result.status_code,
            latency_ms=result.latency_ms,
            error=result.error,
        )
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
        current = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery.pk, status=DeliveryStatus.PENDING, leased_until=delivery.leased_until)
            .first()
        )
        if current is None:
            log.info("webhook attempt recorded after the lease ran out", delivery=delivery.pk)
            return
        current.leased_until = None
        current.last_error = result.error
        if result.delivered:
            current.status = DeliveryStatus.DELIVERED
            current.delivered_at = now
        else:
            give_up_at = _series_started_at(current, default=attempted_at) + timedelta(
                hours=settings.ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS
            )
            if now >= give_up_at:
                current.status = DeliveryStatus.DEAD
                log.warning("webhook delivery is a dead letter", delivery=current.pk, error=result.error)
            else:
                current.next_attempt_at = min(now + timedelta(seconds=backoff_seconds(current.attempts)), give_up_at)
        current.save(update_fields=["leased_until", "last_error", "status", "delivered_at", "next_attempt_at"])


def _series_started_at(delivery: Delivery, *, default: datetime) -> datetime:
    """When the first of the delivery's `attempts` latest attempts was made."""
    latest_first = delivery.attempt_log.order_by("-attempted_at", "-id").values_list("attempted_at", flat=True)
    started = list(latest_first[delivery.attempts - 1 : delivery.attempts])
    return started[0] if started else default


def delivery_redeliver(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Queue a dead (or delivered) delivery again, due now, with a fresh give-up window.

    Allowed to platform administrators and to the system that owns the subscription. A pending
    delivery is refused (DeliveryPending): it is already on its way.
    """
    system_id = delivery.subscription.system_id
    if not (actor.is_platform_admin or (actor.kind == ActorKind.SYSTEM and actor.id == str(system_id))):
        raise IntegrationNotAllowed(_("Only the subscribing system or a platform administrator may redeliver."))
    with transaction.atomic():
        current = (
            Delivery.objects.select_for_update().select_related("event", "subscription__system").get(pk=delivery.pk)
        )
        if current.status == DeliveryStatus.PENDING:
            raise DeliveryPending(_("The delivery is already pending."))
        previous = current.status
        current.status = DeliveryStatus.PENDING
        current.attempts = 0
        current.next_attempt_at = timezone.now()
        current.leased_until = None
        current.delivered_at = None
        current.last_error = ""
        current.save(
            update_fields=["status", "attempts", "next_attempt_at", "leased_until", "delivered_at", "last_error"]
        )
        audit_record(
            actor=actor,
            action="integration.delivery.redeliver",
            obj=AuditedObject(
                type="integration.delivery",
                id=str(current.pk),
                label=f"{current.event.type} {current.event.subject}",
                holder_id=str(current.subscription.system.institution_id),
            ),
            details={"event": str(current.event_id), "subscription": str(current.subscription_id), "was": previous},
        )
        dispatcher_nudge_on_commit()
    return current


def dispatcher_nudge_on_commit() -> None:
    """Have a worker send due deliveries once the current transaction commits (once per transaction)."""
    # Django keeps the transaction's pending callbacks here; a relay batch of many events nudges once.
    if not any(entry[1] is _nudge_dispatcher for entry in connection.run_on_commit):
        transaction.on_commit(_nudge_dispatcher)


def _nudge_dispatcher() -> None:
    from .tasks import deliver_due

    try:
        deliver_due.delay()
    except OperationalError as error:
        # The broker being down must not fail the caller: the scheduler's sweep sends anyway.
        log.warning("webhook dispatcher not nudged", error=str(error))
