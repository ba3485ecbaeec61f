"""Fan-out, claiming in per-case order, retries with backoff, dead letters and redelivery."""

import threading
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from onedoor.audit.models import AuditRecord
from onedoor.catalog.models import Service
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.outbox import outbox_append, outbox_publish_pending
from onedoor.integration import delivery as dispatcher
from onedoor.integration.delivery import (
    backoff_seconds,
    deliveries_claim,
    deliveries_send,
    deliveries_send_due,
    delivery_attempt_record,
    delivery_redeliver,
)
from onedoor.integration.errors import DeliveryPending, IntegrationNotAllowed
from onedoor.integration.handlers import deliveries_record
from onedoor.integration.models import Delivery, DeliveryAttempt, DeliveryStatus, InstitutionSystem, Scope
from onedoor.integration.tasks import deliver_due
from onedoor.integration.webhooks import WebhookResult

from .conftest import publish, subscribe
from .receiver import Receiver

pytestmark = pytest.mark.django_db

Systems = dict[str, InstitutionSystem]
FAILED = WebhookResult(500, 3, "HTTP 500")
OK = WebhookResult(200, 2)


def _system_actor(system: InstitutionSystem) -> Actor:
    return Actor(
        kind=ActorKind.SYSTEM,
        id=str(system.pk),
        label=system.code,
        institution_id=str(system.institution_id),
        roles=frozenset({Scope.EVENTS_READ}),
    )


ADMIN = Actor(kind=ActorKind.USER, id="admin", label="admin", is_platform_admin=True)


# --- fan-out ------------------------------------------------------------------------------------


def test_an_event_fans_out_to_the_subscriptions_of_its_institution(systems: Systems) -> None:
    vsaa, vid = systems["VSAA"], systems["VID"]
    first, second = subscribe(vsaa, "https://a.example/hook"), subscribe(vsaa, "https://b.example/hook")
    subscribe(vid, "https://vid.example/hook")
    (event,) = publish(vsaa.institution, "2011-0001")
    deliveries = Delivery.objects.order_by("subscription__url")
    assert [delivery.subscription_id for delivery in deliveries] == [first.pk, second.pk]
    for delivery in deliveries:
        assert (delivery.event_id, delivery.position, delivery.ordering_key) == (event.pk, event.position, "2011-0001")
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at <= timezone.now()
        assert (delivery.attempts, delivery.leased_until) == (0, None)


@pytest.mark.parametrize(
    ("event_types", "service_codes", "expected"),
    [
        ([], [], {("case.registered", "1001"), ("case.status_changed", "1001"), ("case.registered", "1002")}),
        (["case.registered"], [], {("case.registered", "1001"), ("case.registered", "1002")}),
        ([], ["1001"], {("case.registered", "1001"), ("case.status_changed", "1001")}),
        (["case.status_changed"], ["1002"], set()),
    ],
)
def test_a_subscription_receives_only_its_types_and_services(
    systems: Systems, event_types: list[str], service_codes: list[str], expected: set[tuple[str, str]]
) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook", event_types=event_types, service_codes=service_codes)
    publish(vsaa.institution, "A", type="case.registered", service_code="1001")
    publish(vsaa.institution, "A", type="case.status_changed", service_code="1001")
    publish(vsaa.institution, "B", type="case.registered", service_code="1002")
    assert {(d.event.type, d.event.service_code) for d in Delivery.objects.select_related("event")} == expected


@pytest.mark.parametrize("change", ["subscription_inactive", "system_inactive", "no_events_scope"])
def test_inactive_or_unscoped_systems_get_nothing(systems: Systems, change: str) -> None:
    vsaa = systems["VSAA"]
    subscription = subscribe(vsaa, "https://a.example/hook")
    if change == "subscription_inactive":
        subscription.is_active = False
        subscription.save()
    elif change == "system_inactive":
        vsaa.is_active = False
        vsaa.save()
    else:
        vsaa.scopes = [scope for scope in vsaa.scopes if scope != Scope.EVENTS_READ]
        vsaa.save()
    publish(vsaa.institution, "A")
    assert not Delivery.objects.exists()


def test_a_system_limited_to_services_gets_only_their_events(demo_catalog: None) -> None:
    vsaa = InstitutionSystem.objects.get(institution__code="VSAA")
    own, other = Service.objects.filter(holder__code="VSAA").order_by("code")[:2]
    vsaa.services.set([own])
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A", service_code=own.code)
    publish(vsaa.institution, "B", service_code=other.code)
    publish(vsaa.institution, "C", service_code="")
    assert [delivery.ordering_key for delivery in Delivery.objects.all()] == ["A"]


def test_fan_out_is_idempotent(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    (event,) = publish(vsaa.institution, "A")
    deliveries_record(event)
    deliveries_record(event)
    assert Delivery.objects.count() == 1


def test_events_without_an_institution_go_nowhere(systems: Systems) -> None:
    subscribe(systems["VSAA"], "https://a.example/hook")
    with transaction.atomic():
        outbox_append(
            type="case.registered",
            source="/onedoor/registry",
            subject="x",
            ordering_key="x",
            data={},
            occurred_at=timezone.now(),
        )
    outbox_publish_pending()
    assert not Delivery.objects.exists()


# --- claiming and order -------------------------------------------------------------------------


def _keys(deliveries: list[Delivery]) -> list[tuple[str, int]]:
    return [(delivery.ordering_key, delivery.event.data["n"]) for delivery in deliveries]


def test_only_the_earliest_pending_delivery_of_a_case_is_claimed(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    for _round in range(3):
        publish(vsaa.institution, "A", "B")
    first = deliveries_claim()
    assert [delivery.ordering_key for delivery in first] == ["A", "B"]
    assert deliveries_claim() == []  # leased, and the rest wait behind them
    a1, b1 = first
    delivery_attempt_record(delivery=a1, attempted_at=timezone.now(), result=FAILED)
    delivery_attempt_record(delivery=b1, attempted_at=timezone.now(), result=OK)
    Delivery.objects.filter(pk=a1.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    (b2,) = deliveries_claim()
    assert b2.ordering_key == "B"
    assert b2.position > b1.position
    delivery_attempt_record(delivery=b2, attempted_at=timezone.now(), result=OK)
    Delivery.objects.filter(pk=a1.pk).update(next_attempt_at=timezone.now())
    assert [d.pk for d in deliveries_claim()] == [a1.pk, Delivery.objects.get(ordering_key="B", status="pending").pk]


def test_a_dead_delivery_does_not_hold_back_its_case(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    first, second = publish(vsaa.institution, "A", "A")
    Delivery.objects.filter(event=first).update(status=DeliveryStatus.DEAD)
    (claimed,) = deliveries_claim()
    assert claimed.event_id == second.pk


def test_a_paused_subscription_keeps_its_deliveries_pending(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscription = subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    subscription.is_active = False
    subscription.save()
    assert deliveries_claim() == []
    subscription.is_active = True
    subscription.save()
    assert len(deliveries_claim()) == 1


@override_settings(ONEDOOR_WEBHOOK_TIMEOUT_SECONDS=2)
def test_leases_cover_the_sends_before_them_and_expire(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A", "B", "C")
    before = timezone.now()
    claimed = deliveries_claim()
    budget = timedelta(seconds=3 * 2 + 1)
    for index, delivery in enumerate(claimed, start=1):
        stored = Delivery.objects.get(pk=delivery.pk).leased_until
        assert stored == delivery.leased_until
        assert before + budget * index <= stored <= timezone.now() + budget * index
    Delivery.objects.filter(pk=claimed[0].pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert [delivery.pk for delivery in deliveries_claim()] == [claimed[0].pk]


def test_a_result_after_the_lease_was_lost_only_adds_the_attempt(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    (mine,) = deliveries_claim()
    Delivery.objects.filter(pk=mine.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    (theirs,) = deliveries_claim()
    delivery_attempt_record(delivery=mine, attempted_at=timezone.now(), result=FAILED)
    stored = Delivery.objects.get(pk=mine.pk)
    assert (stored.status, stored.leased_until, stored.last_error) == ("pending", theirs.leased_until, "")
    delivery_attempt_record(delivery=theirs, attempted_at=timezone.now(), result=OK)
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.attempt_log.count()) == ("delivered", 2, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_delivery(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, *(f"case-{index}" for index in range(40)))
    claims: list[list[int]] = []
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        try:
            while batch := deliveries_claim(limit=3):
                claims.append([delivery.pk for delivery in batch])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    claimed = [pk for batch in claims for pk in batch]
    assert len(claimed) == len(set(claimed)) == 40


# --- sending, retrying, dead letters ------------------------------------------------------------


def test_backoff_doubles_from_two_seconds_up_to_an_hour_with_full_jitter() -> None:
    with mock.patch.object(dispatcher.random, "uniform", side_effect=lambda low, high: (low, high)):
        bounds = [backoff_seconds(attempts) for attempts in range(1, 15)]
    assert bounds[:6] == [(0, 2.0), (0, 4.0), (0, 8.0), (0, 16.0), (0, 32.0), (0, 64.0)]
    assert bounds[-1] == (0, 3600.0)
    assert all(high <= 3600.0 for _low, high in bounds)
    assert backoff_seconds(10_000) <= 3600.0
    samples = [backoff_seconds(3) for _ in range(500)]
    assert all(0 <= sample <= 8.0 for sample in samples)
    assert max(samples) - min(samples) > 4  # spread, not a fixed delay


def test_sending_records_every_attempt_and_retries_until_delivered(
    systems: Systems, receiver: Callable[..., Receiver]
) -> None:
    listening = receiver(plan=["fail", "fail"])
    vsaa = systems["VSAA"]
    subscribe(vsaa, listening.url)
    (event,) = publish(vsaa.institution, "A")
    assert deliveries_send_due() >= 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    for _retry in range(3):
        Delivery.objects.filter(pk=delivery.pk, status="pending").update(next_attempt_at=timezone.now())
        deliveries_send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert delivery.delivered_at is not None
    attempts = list(delivery.attempt_log.order_by("attempted_at"))
    assert [(a.status_code, a.error) for a in attempts] == [(500, "HTTP 500"), (500, "HTTP 500"), (200, "")]
    assert all(attempt.latency_ms < 5000 for attempt in attempts)
    assert [request.event_id for request in listening.accepted] == [str(event.pk)]


def test_a_failure_schedules_the_retry_within_the_backoff(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    (claimed,) = deliveries_claim()
    before = timezone.now()
    delivery_attempt_record(delivery=claimed, attempted_at=before, result=FAILED)
    stored = Delivery.objects.get()
    assert (stored.status, stored.attempts, stored.leased_until, stored.last_error) == ("pending", 1, None, "HTTP 500")
    assert before <= stored.next_attempt_at <= timezone.now() + timedelta(seconds=2)


@override_settings(ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS=72)
def test_a_delivery_is_dead_once_its_first_attempt_is_72_hours_old(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    (claimed,) = deliveries_claim()
    delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=FAILED)
    # Move time: the first attempt was made almost 72 hours ago.
    first_attempt_at = timezone.now() - timedelta(hours=71, minutes=59, seconds=50)
    DeliveryAttempt.objects.update(attempted_at=first_attempt_at)
    Delivery.objects.update(next_attempt_at=timezone.now())
    (claimed,) = deliveries_claim()
    delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=FAILED)
    stored = Delivery.objects.get()
    assert stored.status == DeliveryStatus.PENDING
    assert stored.next_attempt_at <= first_attempt_at + timedelta(hours=72)  # the last try is at the deadline
    DeliveryAttempt.objects.filter(pk=DeliveryAttempt.objects.order_by("id").first().pk).update(
        attempted_at=timezone.now() - timedelta(hours=72, seconds=1)
    )
    Delivery.objects.update(next_attempt_at=timezone.now())
    (claimed,) = deliveries_claim()
    delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=WebhookResult(None, 10000, "timeout"))
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.last_error, stored.leased_until) == ("dead", 3, "timeout", None)
    assert DeliveryAttempt.objects.count() == 3
    assert deliveries_claim() == []


@override_settings(ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS=0)
def test_with_no_window_the_first_failure_is_a_dead_letter(systems: Systems, receiver: Callable[..., Receiver]) -> None:
    listening = receiver(plan=["fail"])
    vsaa = systems["VSAA"]
    subscribe(vsaa, listening.url)
    publish(vsaa.institution, "A")
    deliveries_send(deliveries_claim())
    assert Delivery.objects.get().status == DeliveryStatus.DEAD


def test_the_task_relays_unpublished_events_and_sends_them(systems: Systems, receiver: Callable[..., Receiver]) -> None:
    listening = receiver()
    vsaa = systems["VSAA"]
    subscribe(vsaa, listening.url)
    with transaction.atomic():
        events = [
            outbox_append(
                type="case.registered",
                source="/onedoor/registry",
                subject=subject,
                ordering_key=subject,
                data={},
                occurred_at=timezone.now(),
                institution_id=vsaa.institution_id,
                service_code="1001",
            )
            for subject in ("A", "B", "A")
        ]
    deliver_due()
    assert [request.event_id for request in listening.accepted] == [str(event.pk) for event in events]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


@pytest.mark.django_db(transaction=True)
def test_a_relay_nudges_the_dispatcher_once_after_commit_even_without_a_broker(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    with mock.patch.object(deliver_due, "delay") as delay:
        publish(vsaa.institution, "A", "B", "C")
    assert delay.call_count == 1
    with mock.patch.object(deliver_due, "delay", side_effect=OperationalError("broker down")) as delay:
        publish(vsaa.institution, "D")
    assert delay.call_count == 1
    assert Delivery.objects.count() == 4


# --- redelivery ---------------------------------------------------------------------------------


def _dead_delivery(systems: Systems) -> Delivery:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    (claimed,) = deliveries_claim()
    with override_settings(ONEDOOR_WEBHOOK_GIVE_UP_AFTER_HOURS=0):
        delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=FAILED)
    delivery = Delivery.objects.select_related("subscription").get()
    assert delivery.status == DeliveryStatus.DEAD
    return delivery


@pytest.mark.parametrize("who", ["owner", "platform_admin"])
def test_a_dead_delivery_is_redelivered_now_and_audited(systems: Systems, who: str) -> None:
    delivery = _dead_delivery(systems)
    actor = _system_actor(systems["VSAA"]) if who == "owner" else ADMIN
    before = timezone.now()
    delivery_redeliver(actor=actor, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.leased_until, delivery.last_error) == ("pending", 0, None, "")
    assert before <= delivery.next_attempt_at <= timezone.now()
    record = AuditRecord.objects.get(action="integration.delivery.redeliver")
    assert (record.object_id, record.actor_id, record.details["was"]) == (str(delivery.pk), actor.id, "dead")
    assert record.holder_id == str(systems["VSAA"].institution_id)
    assert [d.pk for d in deliveries_claim()] == [delivery.pk]


def test_a_redelivery_gets_a_fresh_give_up_window(systems: Systems) -> None:
    delivery = _dead_delivery(systems)
    DeliveryAttempt.objects.update(attempted_at=timezone.now() - timedelta(hours=100))
    delivery_redeliver(actor=ADMIN, delivery=delivery)
    (claimed,) = deliveries_claim()
    delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=FAILED)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)


def test_another_system_may_not_redeliver(systems: Systems) -> None:
    delivery = _dead_delivery(systems)
    with pytest.raises(IntegrationNotAllowed):
        delivery_redeliver(actor=_system_actor(systems["VID"]), delivery=delivery)
    staff = Actor(kind=ActorKind.USER, id="u", institution_id=str(systems["VSAA"].institution_id))
    with pytest.raises(IntegrationNotAllowed):
        delivery_redeliver(actor=staff, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert not AuditRecord.objects.filter(action="integration.delivery.redeliver").exists()


def test_a_pending_delivery_is_not_redelivered(systems: Systems) -> None:
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://a.example/hook")
    publish(vsaa.institution, "A")
    delivery = Delivery.objects.select_related("subscription").get()
    with pytest.raises(DeliveryPending):
        delivery_redeliver(actor=ADMIN, delivery=delivery)
    assert not AuditRecord.objects.filter(action="integration.delivery.redeliver").exists()
