"""The transactional outbox: append events with the change, publish them after commit.

`outbox_append()` is called by services inside their transaction. The relay
(`outbox_publish_pending()`, run by the worker on commit and swept by the scheduler) gives
committed events their positions in order and, in the same transaction, hands each to the
registered handlers, which only record work (deliveries, messages) — so publishing and fan-out
happen exactly once, and nothing is lost if a worker or the broker is down.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import structlog
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxEvent

Handler = Callable[[OutboxEvent], None]
BatchHandler = Callable[[list[OutboxEvent]], None]
_handlers: list[tuple[str, Handler]] = []
_batch_handlers: list[BatchHandler] = []
_RELAY_LOCK_KEY = 0x0D00_0001
log = structlog.get_logger(__name__)


def outbox_register_handler(type_prefix: str, handler: Handler) -> None:
    """Call `handler` for every published event whose type starts with `type_prefix` ("" for all)."""
    if (type_prefix, handler) not in _handlers:
        _handlers.append((type_prefix, handler))


def outbox_register_batch_handler(handler: BatchHandler) -> None:
    """Call `handler` once per relay run with all the events it published, in position order.

    For handlers whose cost is mostly per query rather than per event (fan-out to subscribers).
    """
    if handler not in _batch_handlers:
        _batch_handlers.append(handler)


def outbox_append(
    *,
    type: str,
    source: str,
    subject: str,
    ordering_key: str,
    data: dict[str, Any],
    occurred_at: datetime,
    institution_id: UUID | None = None,
    service_code: str = "",
) -> OutboxEvent:
    """Record an event in the caller's transaction; the relay is nudged once the transaction commits."""
    event = OutboxEvent.objects.create(
        type=type,
        source=source,
        subject=subject,
        ordering_key=ordering_key,
        data=data,
        occurred_at=occurred_at,
        institution_id=institution_id,
        service_code=service_code,
    )
    transaction.on_commit(_nudge_relay)
    return event


def _nudge_relay() -> None:
    from .tasks import relay_outbox

    try:
        relay_outbox.delay()
    except OperationalError as error:
        # The broker being down must not fail the request: the scheduler's sweep publishes anyway.
        log.warning("outbox relay not nudged", error=str(error))


def outbox_publish_pending(*, limit: int = 500) -> int:
    """Give committed, unpublished events their positions in order and run the handlers. Returns how many."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RELAY_LOCK_KEY])
        pending = list(OutboxEvent.objects.filter(position__isnull=True).order_by("created_at", "id")[:limit])
        if not pending:
            return 0
        last = OutboxEvent.objects.aggregate(last=Max("position"))["last"] or 0
        now = timezone.now()
        for offset, event in enumerate(pending, start=1):
            event.position = last + offset
            event.published_at = now
        OutboxEvent.objects.bulk_update(pending, ["position", "published_at"])
        for event in pending:
            for prefix, handler in _handlers:
                if event.type.startswith(prefix):
                    handler(event)
        for batch_handler in _batch_handlers:
            batch_handler(pending)
    return len(pending)


def outbox_append_many(events: list[OutboxEvent]) -> None:
    """Record several unsaved events at once, in the caller's transaction."""
    if events:
        OutboxEvent.objects.bulk_create(events)
        transaction.on_commit(_nudge_relay)
