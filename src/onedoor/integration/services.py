"""Writing webhook subscriptions (INT-2). Redelivery lives with the dispatcher in `delivery.py`."""

from collections.abc import Sequence
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.events import EVENT_TYPES
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.errors import ValidationFailed

from .errors import IntegrationNotAllowed, UnknownService
from .models import InstitutionSystem, Scope, Subscription

MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 128
MAX_URL_LENGTH = 500
_webhook_url = URLValidator(schemes=["http", "https"])


def _acting_system(actor: Actor) -> InstitutionSystem:
    system = None
    if actor.kind == ActorKind.SYSTEM and actor.has_role(Scope.EVENTS_READ):
        system = (
            InstitutionSystem.objects.filter(pk=UUID(actor.id), is_active=True).select_related("institution").first()
        )
    if system is None:
        raise IntegrationNotAllowed(_("Only an institution system with the events:read scope manages subscriptions."))
    return system


def _is_webhook_url(url: str) -> bool:
    try:
        _webhook_url(url)
    except ValidationError:
        return False
    return len(url) <= MAX_URL_LENGTH


def _audited(subscription: Subscription, system: InstitutionSystem) -> AuditedObject:
    return AuditedObject(
        type="integration.subscription",
        id=str(subscription.pk),
        label=subscription.url,
        holder_id=str(system.institution_id),
    )


def subscription_create(
    *,
    actor: Actor,
    url: str,
    secret: str,
    event_types: Sequence[str] = (),
    service_codes: Sequence[str] = (),
) -> Subscription:
    """Subscribe the acting system to its institution's events, pushed to `url` and signed with `secret`.

    Empty `event_types` or `service_codes` mean all. A service must be one the institution holds
    and the system may use; otherwise nothing is written.
    """
    system = _acting_system(actor)
    if not _is_webhook_url(url):
        message = _("Give an http or https address of at most %(length)d characters.") % {"length": MAX_URL_LENGTH}
        raise ValidationFailed(message, invalid_params={"url": [message]})
    if not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH:
        message = _("The secret must be %(min)d to %(max)d characters long.") % {
            "min": MIN_SECRET_LENGTH,
            "max": MAX_SECRET_LENGTH,
        }
        raise ValidationFailed(message, invalid_params={"secret": [message]})
    unknown_types = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown_types:
        message = _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown_types)}
        raise ValidationFailed(message, invalid_params={"event_types": [message]})
    codes = sorted(set(service_codes))
    held = set(system.institution.held_services.filter(code__in=codes).values_list("code", flat=True))
    outside = [code for code in codes if code not in held or not actor.may_use_service(code)]
    if outside:
        message = _("These services are not your institution's or not open to these credentials: %(codes)s.") % {
            "codes": ", ".join(outside)
        }
        raise UnknownService(message, invalid_params={"service_codes": [message]})
    with transaction.atomic():
        subscription = Subscription.objects.create(
            system=system,
            url=url,
            secret=secret,
            event_types=[event_type for event_type in EVENT_TYPES if event_type in event_types],
            service_codes=codes,
        )
        audit_record(
            actor=actor,
            action="integration.subscription.create",
            obj=_audited(subscription, system),
            details={"event_types": subscription.event_types, "service_codes": codes},
        )
    return subscription


def subscription_delete(*, actor: Actor, subscription: Subscription) -> None:
    """Remove one of the acting system's subscriptions with its deliveries; the audit log keeps the trace."""
    system = _acting_system(actor)
    if subscription.system_id != system.pk:
        raise IntegrationNotAllowed(_("This subscription belongs to another system."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="integration.subscription.delete",
            obj=_audited(subscription, system),
            details={"deliveries": subscription.deliveries.count()},
        )
        subscription.delete()
