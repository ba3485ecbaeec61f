"""Reading mandates: the ones a party gave, the ones a person received, and what was done under one."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from onedoor.audit.models import AuditRecord
from onedoor.catalog.models import Service
from onedoor.core.actors import Actor
from onedoor.parties.models import Person

from .errors import MandateNotFound
from .models import Mandate, MandateStatus

_RELATED = ("mandator_person", "mandator_organisation", "mandatary", "granted_by")


def _given_by_acting_party(actor: Actor) -> Q | None:
    if not actor.is_client or actor.mandate_id:
        return None
    if actor.acting_for_kind == "person":
        return Q(mandator_person_id=actor.acting_for_id)
    return Q(mandator_organisation_id=actor.acting_for_id)


def mandates_given(*, actor: Actor) -> QuerySet[Mandate]:
    """The mandates the party the actor acts for has given, newest first (only the party itself sees them)."""
    given = _given_by_acting_party(actor)
    if given is None:
        return Mandate.objects.none()
    return Mandate.objects.filter(given).select_related(*_RELATED).order_by("-granted_at")


def mandates_received(*, person: Person) -> QuerySet[Mandate]:
    return Mandate.objects.filter(mandatary=person).select_related(*_RELATED).order_by("-granted_at")


def mandates_given_or_received(*, actor: Actor, person: Person | None) -> QuerySet[Mandate]:
    """Both lists at once (the API): what the acting party gave and what the signed-in person received,
    newest first, each annotated `is_given` (given by the acting party)."""
    given = _given_by_acting_party(actor)
    received = Q(mandatary=person) if person is not None else None
    if given is None and received is None:
        return Mandate.objects.none()
    wanted = given | received if given is not None and received is not None else given or received
    assert wanted is not None
    is_given = ExpressionWrapper(given, output_field=BooleanField()) if given is not None else Value(False)
    return (
        Mandate.objects.filter(wanted)
        .annotate(is_given=is_given)
        .select_related(*_RELATED)
        .order_by("-granted_at", "reference")
    )


def mandates_in_status(mandates: QuerySet[Mandate], *, status: str, at: datetime) -> QuerySet[Mandate]:
    """The mandates whose status at `at` is `status` (as `Mandate.status_at` tells it), in the database."""
    ended = Q(revoked_at__isnull=False) | Q(declined_at__isnull=False)
    match status:
        case MandateStatus.REVOKED:
            return mandates.filter(revoked_at__isnull=False)
        case MandateStatus.DECLINED:
            return mandates.filter(revoked_at__isnull=True, declined_at__isnull=False)
        case MandateStatus.PENDING:
            return mandates.exclude(ended).filter(valid_from__gt=at)
        case MandateStatus.EXPIRED:
            return mandates.exclude(ended).filter(valid_until__lte=at)
        case MandateStatus.ACTIVE:
            return mandates.exclude(ended).filter(valid_from__lte=at, valid_until__gt=at)
    return mandates.none()


def mandate_services(mandates: Iterable[Mandate]) -> dict[str, Service]:
    """The catalog entries of the services the mandates name, by code (one query for a whole list)."""
    codes = {code for mandate in mandates for code in mandate.service_codes}
    if not codes:
        return {}
    return {
        service.code: service for service in Service.objects.filter(code__in=codes).only("code", "name_lv", "name_en")
    }


def mandate_get(*, actor: Actor, person: Person | None, reference: str) -> Mandate:
    """A mandate its mandator (acting as itself) or its mandatary may see; MandateNotFound otherwise."""
    given = mandates_given(actor=actor).filter(reference=reference)
    mandate = given.first()
    if mandate is None and person is not None:
        mandate = mandates_received(person=person).filter(reference=reference).first()
    if mandate is None:
        raise MandateNotFound(f"No mandate {reference}.")
    return mandate


def mandate_activity(mandate: Mandate) -> QuerySet[AuditRecord]:
    """What was done under the mandate, newest first, as both sides see it (ACC-5)."""
    return AuditRecord.objects.filter(mandate_id=mandate.reference).order_by("-sequence")
