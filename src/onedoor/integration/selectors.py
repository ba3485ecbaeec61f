"""Reading subscriptions, deliveries and the event feed; every query starts from what the actor may see.

A system receives an event — pushed or pulled — when the event belongs to its institution, the
system is active, holds the `events:read` scope and may use the event's service (a system
limited to some services does not receive events without a service).
"""

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from onedoor.core.actors import Actor, ActorKind
from onedoor.core.models import OutboxEvent

from .errors import DeliveryNotFound, SubscriptionNotFound
from .models import Delivery, DeliveryAttempt, InstitutionSystem, Scope, Subscription
from .simulator import WEBHOOK_PATH


def _system_receives(system: InstitutionSystem, event: OutboxEvent) -> bool:
    service_codes = {service.code for service in system.services.all()}
    return (
        system.is_active
        and Scope.EVENTS_READ in system.scopes
        and (not service_codes or event.service_code in service_codes)
    )


def _subscription_wants(subscription: Subscription, event: OutboxEvent) -> bool:
    return (not subscription.event_types or event.type in subscription.event_types) and (
        not subscription.service_codes or event.service_code in subscription.service_codes
    )


def subscriptions_for_events(events: list[OutboxEvent]) -> dict[object, list[Subscription]]:
    """For each event (by id), the active subscriptions it is to be pushed to — one query for them all.

    Types and services are matched in Python: the lists are short and JSON containment is not
    available on SQLite (the demo database).
    """
    institutions = {event.institution_id for event in events if event.institution_id is not None}
    if not institutions:
        return {}
    subscriptions = list(
        Subscription.objects.filter(is_active=True, system__is_active=True, system__institution_id__in=institutions)
        .select_related("system")
        .prefetch_related("system__services")
    )
    return {
        event.id: [
            subscription
            for subscription in subscriptions
            if subscription.system.institution_id == event.institution_id
            and _system_receives(subscription.system, event)
            and _subscription_wants(subscription, event)
        ]
        for event in events
    }


def feed_events(*, actor: Actor, after: int, limit: int) -> list[OutboxEvent]:
    """The actor's published events after position `after`, in commit order, at most `limit`."""
    events = OutboxEvent.objects.filter(position__gt=after)
    if not actor.is_platform_admin:
        if actor.institution_id is None:
            return []
        events = events.filter(institution_id=UUID(actor.institution_id))
        if actor.service_codes is not None:
            events = events.filter(service_code__in=actor.service_codes)
    return list(events.order_by("position")[:limit])


def _own(actor: Actor, subscriptions_path: str) -> dict[str, object] | None:
    """The filter to the acting system's own rows: empty (all rows) for a platform admin, None (no rows) for others."""
    if actor.is_platform_admin:
        return {}
    if actor.kind != ActorKind.SYSTEM:
        return None
    return {subscriptions_path: UUID(actor.id)}


def subscriptions_of(*, actor: Actor) -> QuerySet[Subscription]:
    """The acting system's subscriptions (every one for a platform admin), oldest first."""
    own = _own(actor, "system_id")
    if own is None:
        return Subscription.objects.none()
    return Subscription.objects.filter(**own).select_related("system").order_by("created_at", "id")


def subscription_get(*, actor: Actor, pk: UUID) -> Subscription:
    """One of the actor's subscriptions; SubscriptionNotFound also when it is another system's."""
    subscription = subscriptions_of(actor=actor).filter(pk=pk).first()
    if subscription is None:
        raise SubscriptionNotFound(_("No such subscription."))
    return subscription


def deliveries_of(*, actor: Actor, status: str | None = None) -> QuerySet[Delivery]:
    """The deliveries to the acting system's subscriptions, newest first, with their attempts."""
    own = _own(actor, "subscription__system_id")
    if own is None:
        return Delivery.objects.none()
    deliveries = Delivery.objects.filter(**own)
    if status:
        deliveries = deliveries.filter(status=status)
    return (
        deliveries.select_related("event", "subscription__system")
        .prefetch_related(Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("attempted_at", "id")))
        .order_by("-id")
    )


def delivery_get(*, actor: Actor, pk: int) -> Delivery:
    """One of the actor's deliveries; DeliveryNotFound also when it is another system's."""
    delivery = deliveries_of(actor=actor).filter(pk=pk).first()
    if delivery is None:
        raise DeliveryNotFound(_("No such delivery."))
    return delivery


def simulator_subscribed(institution_code: str) -> bool:
    """Whether a back-office simulator of the institution has an active subscription."""
    return Subscription.objects.filter(
        system__institution__code=institution_code, is_active=True, url__endswith=WEBHOOK_PATH
    ).exists()
