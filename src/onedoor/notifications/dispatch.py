"""The notice dispatcher: claims due e-mails and SMS, sends them, records every attempt (NOTE-1).

It follows the webhook dispatcher (integration/delivery.py, ADR 0004): a worker claims a batch
in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED`) and leases it; it sends outside any
transaction and then records the attempt. A worker killed mid-send lets its leases expire and
the dispatch is sent again — at least once; the e-mail's Message-ID and the SMS reference stay
the same on every try, so the receiving side can tell a repeat.

Failures are retried with exponential backoff and full jitter; a dispatch is given up (`dead`)
after ONEDOOR_NOTIFICATION_MAX_ATTEMPTS tries, once ONEDOOR_NOTIFICATION_GIVE_UP_AFTER_HOURS have
passed since its first try, or at once when the address is refused. The inbox has the notice
whatever happens to its e-mail or SMS.

Rate limit: a person gets at most ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR e-mails and SMS
together in any hour (0: no limit). Sent dispatches of the last hour and those in flight count;
a dispatch over the limit is deferred to the moment a slot frees, never dropped. Claims are
serialised by a transaction-level advisory lock so two workers cannot both use the last slot;
the lock is held only while claiming, never while sending.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .mail import EmailSender, send_timeout_seconds
from .models import OPEN_DISPATCH_STATUSES, Dispatch, DispatchAttempt, DispatchChannel, DispatchStatus
from .sending import SendResult
from .sms import SmsGateway, sms_gateway

BATCH_SIZE = 20
BACKOFF_BASE_SECONDS = 15.0
BACKOFF_CAP_SECONDS = 3600.0
RATE_WINDOW = timedelta(hours=1)
_CLAIM_LOCK_KEY = 0x0D00_0002
log = structlog.get_logger(__name__)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def rate_limit_per_hour() -> int:
    return int(_setting("ONEDOOR_NOTIFICATION_RATE_LIMIT_PER_HOUR", 10))


def max_attempts() -> int:
    return int(_setting("ONEDOOR_NOTIFICATION_MAX_ATTEMPTS", 8))


def give_up_after() -> timedelta:
    return timedelta(hours=_setting("ONEDOOR_NOTIFICATION_GIVE_UP_AFTER_HOURS", 24))


def backoff_seconds(attempts: int) -> float:
    """The wait after `attempts` failures: full jitter over 15 s, 30 s, 60 s, … capped at one hour."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** min(max(attempts, 1) - 1, 32))
    return random.uniform(0, ceiling)  # noqa: S311 - jitter spreads retries; it protects no secret


def _send_budget() -> timedelta:
    """How long one send may take: connecting, writing and reading may each use the whole timeout."""
    return timedelta(seconds=3 * send_timeout_seconds() + 1)


@dataclass(frozen=True, slots=True)
class Claim:
    dispatches: list[Dispatch]
    deferred: int


def _usage(person_ids: set[Any], now: datetime) -> dict[Any, tuple[int, datetime | None]]:
    """Per person: dispatches sent in the last hour or now in flight, and the earliest of those sends."""
    rows = (
        Dispatch.objects.filter(person_id__in=person_ids)
        .filter(Q(sent_at__gte=now - RATE_WINDOW) | Q(status__in=OPEN_DISPATCH_STATUSES, leased_until__gt=now))
        .values("person_id")
        .annotate(used=Count("id"), oldest=Min("sent_at"))
    )
    return {row["person_id"]: (row["used"], row["oldest"]) for row in rows}


def dispatches_claim(*, limit: int = BATCH_SIZE) -> Claim:
    """Lease up to `limit` due dispatches within each person's rate limit; defer the rest of theirs.

    The n-th dispatch of the batch is leased for n send budgets, since the batch is sent one after
    another; a lease that runs out makes the dispatch claimable again.
    """
    now = timezone.now()
    per_hour = rate_limit_per_hour()
    budget = _send_budget()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLAIM_LOCK_KEY])
        candidates = list(
            Dispatch.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=OPEN_DISPATCH_STATUSES, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
            .order_by("next_attempt_at", "id")[:limit]
        )
        if not candidates:
            return Claim([], 0)
        usage = _usage({dispatch.person_id for dispatch in candidates}, now) if per_hour > 0 else {}
        claimed: list[Dispatch] = []
        deferred: list[Dispatch] = []
        for dispatch in candidates:
            used, oldest = usage.get(dispatch.person_id, (0, None))
            if per_hour > 0 and used >= per_hour:
                # A slot frees when the earliest send of the window leaves it (or an in-flight one ends).
                dispatch.next_attempt_at = oldest + RATE_WINDOW if oldest else now + budget
                deferred.append(dispatch)
                continue
            usage[dispatch.person_id] = (used + 1, oldest)
            dispatch.leased_until = now + budget * (len(claimed) + 1)
            claimed.append(dispatch)
        Dispatch.objects.bulk_update(claimed, ["leased_until"])
        Dispatch.objects.bulk_update(deferred, ["next_attempt_at"])
    if deferred:
        log.info("notices deferred by the rate limit", count=len(deferred))
    return Claim(claimed, len(deferred))


class _Senders:
    """The e-mail connection and the SMS gateway of a batch, made when first needed."""

    def __init__(self) -> None:
        self._email: EmailSender | None = None
        self._sms: SmsGateway | None = None

    def send(self, dispatch: Dispatch) -> SendResult:
        if dispatch.channel == DispatchChannel.EMAIL:
            self._email = self._email or EmailSender()
            return self._email.send(dispatch)
        self._sms = self._sms or sms_gateway()
        return self._sms.send(to=dispatch.address, text=dispatch.body, reference=str(dispatch.pk))

    def close(self) -> None:
        if self._email is not None:
            self._email.close()
        if self._sms is not None:
            self._sms.close()


def dispatches_send(dispatches: list[Dispatch]) -> None:
    """Send claimed dispatches one after another (outside any transaction) and record each attempt."""
    senders = _Senders()
    try:
        for dispatch in dispatches:
            attempted_at = timezone.now()
            result = senders.send(dispatch)
            dispatch_attempt_record(dispatch=dispatch, attempted_at=attempted_at, result=result)
    finally:
        senders.close()


def dispatches_send_due(*, batch_size: int = BATCH_SIZE) -> int:
    """Claim and send batches until nothing is due. Returns how many sends were attempted."""
    attempted = 0
    while True:
        claim = dispatches_claim(limit=batch_size)
        if not claim.dispatches and not claim.deferred:
            return attempted
        dispatches_send(claim.dispatches)
        attempted += len(claim.dispatches)


def dispatch_attempt_record(*, dispatch: Dispatch, attempted_at: datetime, result: SendResult) -> None:
    """Record one attempt and move the dispatch on: sent, failed (retried later) or dead.

    `dispatch.leased_until` is the lease this worker holds; if it ran out and another worker
    claimed the dispatch meanwhile, only the attempt is recorded — the state is theirs.
    """
    now = timezone.now()
    with transaction.atomic():
        DispatchAttempt.objects.create(
            dispatch=dispatch,
            attempted_at=attempted_at,
            succeeded=result.sent,
            error=result.error[:1000],
            latency_ms=result.latency_ms,
            provider_message_id=result.provider_message_id,
        )
        Dispatch.objects.filter(pk=dispatch.pk).update(attempts=F("attempts") + 1)
        current = (
            Dispatch.objects.select_for_update()
            .filter(pk=dispatch.pk, status__in=OPEN_DISPATCH_STATUSES, leased_until=dispatch.leased_until)
            .first()
        )
        if current is None:
            log.info("notice attempt recorded after the lease ran out", dispatch=dispatch.pk)
            return
        current.leased_until = None
        current.first_attempt_at = current.first_attempt_at or attempted_at
        if result.sent:
            current.status = DispatchStatus.SENT
            current.sent_at = now
            current.provider_message_id = result.provider_message_id
            current.last_error = ""
        else:
            current.last_error = result.error[:1000]
            give_up_at = current.first_attempt_at + give_up_after()
            if result.permanent or current.attempts >= max_attempts() or now >= give_up_at:
                current.status = DispatchStatus.DEAD
                log.warning("notice given up", dispatch=current.pk, channel=current.channel, error=result.error)
            else:
                current.status = DispatchStatus.FAILED
                current.next_attempt_at = min(now + timedelta(seconds=backoff_seconds(current.attempts)), give_up_at)
        current.save(
            update_fields=[
                "leased_until",
                "first_attempt_at",
                "status",
                "sent_at",
                "provider_message_id",
                "last_error",
                "next_attempt_at",
                "updated_at",
            ]
        )


def dispatcher_nudge_on_commit() -> None:
    """Have a worker send due notices once the current transaction commits (once per transaction)."""
    if not any(entry[1] is _nudge_dispatcher for entry in connection.run_on_commit):
        transaction.on_commit(_nudge_dispatcher)


def _nudge_dispatcher() -> None:
    from .tasks import send_due

    try:
        send_due.delay()
    except OperationalError as error:
        # The broker being down must not fail the caller: the scheduler's sweep sends anyway.
        log.warning("notice dispatcher not nudged", error=str(error))
