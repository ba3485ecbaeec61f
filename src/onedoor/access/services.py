"""Giving, declining and revoking mandates (ACC-5). Every change is audited for the mandator."""

import secrets
from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.catalog.models import Service
from onedoor.core.actors import Actor
from onedoor.parties.identifiers import normalize_personal_code
from onedoor.parties.models import Organisation, Person
from onedoor.parties.services import person_from_register, registered_person

from . import events
from .errors import MandateEnded, MandateInvalid, MandateNotAllowed
from .models import Mandate, MandateScope

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone


def _new_reference() -> str:
    return "M-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def mandate_period(*, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """`valid_from` and `valid_until` of a mandate held from its first to its last day inclusive, in the
    platform's time zone (settings.TIME_ZONE): from the start of the first day to the start of the day
    after the last one."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _audited(mandate: Mandate) -> AuditedObject:
    holder = mandate.mandator_person_id or mandate.mandator_organisation_id
    return AuditedObject(
        type="access.mandate", id=mandate.reference, label=mandate.mandator_label, holder_id=str(holder)
    )


def _invalid(field: str, message: str) -> MandateInvalid:
    return MandateInvalid(message, invalid_params={field: [message]})


def _mandatary(personal_code: str) -> Person:
    try:
        code = normalize_personal_code(personal_code)
    except ValidationError:
        raise _invalid("mandatary", _("Enter a valid personal code.")) from None
    registered = registered_person(code)
    if registered is None or not registered.is_alive:
        raise _invalid("mandatary", _("No living person with this personal code is known to the registers."))
    return person_from_register(registered)


def mandate_grant(
    *,
    actor: Actor,
    granted_by: Person,
    may_grant: bool,
    mandatary_code: str,
    scope: str,
    service_codes: Collection[str] = (),
    valid_from: datetime,
    valid_until: datetime,
) -> Mandate:
    """A mandate from the party the actor acts for. Only a person acting for themself, or a company's
    representative who may represent it alone, gives mandates; never under a mandate (no sub-delegation)."""
    if not actor.is_client or actor.mandate_id or not may_grant or not actor.may_act:
        audit_record(
            actor=actor,
            action="access.mandate.grant_denied",
            outcome=Outcome.DENIED,
            obj=AuditedObject(type="access.mandate", id="", holder_id=actor.acting_for_id or None),
        )
        raise MandateNotAllowed(_("Only the person themself, or a company's sole representative, can give mandates."))
    errors: dict[str, list[str]] = {}
    if scope not in MandateScope.values:
        errors["scope"] = [_("Choose what the mandate covers.")]
    codes = sorted(set(service_codes)) if scope == MandateScope.CHOSEN_SERVICES else []
    if scope == MandateScope.CHOSEN_SERVICES:
        known = set(Service.objects.filter(code__in=codes, is_published=True).values_list("code", flat=True))
        if not codes:
            errors["service_codes"] = [_("Choose at least one service.")]
        elif unknown := [code for code in codes if code not in known]:
            errors["service_codes"] = [_("Unknown services: %(codes)s.") % {"codes": ", ".join(unknown)}]
    now = timezone.now()
    start_of_today, _end_of_today = mandate_period(first_day=timezone.localdate(now), last_day=timezone.localdate(now))
    if valid_from < start_of_today:
        # What was done before a mandate was given cannot have been done under it.
        errors["valid_from"] = [_("The mandate cannot begin before today.")]
    if valid_until <= valid_from:
        errors["valid_until"] = [_("The mandate must end after it begins.")]
    elif valid_until <= now:
        errors["valid_until"] = [_("The end of the mandate must be in the future.")]
    mandatary = None
    try:
        mandatary = _mandatary(mandatary_code)
    except MandateInvalid as error:
        errors.update(error.invalid_params)
    if mandatary is not None and actor.acting_for_kind == "person" and str(mandatary.pk) == actor.acting_for_id:
        errors["mandatary"] = [_("A mandate is given to someone else.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise MandateInvalid(first, invalid_params=errors)
    assert mandatary is not None
    organisation = None
    if actor.acting_for_kind == "organisation":
        organisation = Organisation.objects.get(pk=actor.acting_for_id)
    with transaction.atomic():
        mandate = Mandate.objects.create(
            reference=_new_reference(),
            mandator_person_id=actor.acting_for_id if organisation is None else None,
            mandator_organisation=organisation,
            mandatary=mandatary,
            scope=scope,
            service_codes=codes,
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=granted_by,
            granted_at=now,
        )
        audit_record(
            actor=actor,
            action="access.mandate.grant",
            obj=_audited(mandate),
            details={
                "mandatary": mandatary.personal_code,
                "scope": scope,
                "service_codes": codes,
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
        )
        events.mandate_event_append(mandate, events.MANDATE_GRANTED, occurred_at=now)
    return mandate


def _check_open(mandate: Mandate, *, at: datetime) -> None:
    if mandate.revoked_at is not None or mandate.declined_at is not None or mandate.valid_until <= at:
        raise MandateEnded(_("This mandate has already ended."))


def mandate_revoke(*, actor: Actor, mandate: Mandate, may_revoke: bool = False) -> Mandate:
    """The mandator ends the mandate; the mandatary loses access with their next request.

    `may_revoke` is the acting context's right to give mandates (`may_grant_mandates`): taking one
    back needs the same right as giving it, so neither a joint representative of a company nor a
    parent acting for a child can revoke."""
    mandator_id = str(mandate.mandator_person_id or mandate.mandator_organisation_id)
    if (
        not actor.is_client
        or actor.mandate_id
        or actor.acting_for_id != mandator_id
        or not actor.may_act
        or not may_revoke
    ):
        audit_record(actor=actor, action="access.mandate.revoke_denied", outcome=Outcome.DENIED, obj=_audited(mandate))
        raise MandateNotAllowed(_("Only the mandator can revoke a mandate."))
    now = timezone.now()
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        _check_open(locked, at=now)
        locked.revoked_at = now
        locked.revoked_by_label = actor.label
        locked.save(update_fields=["revoked_at", "revoked_by_label", "updated_at"])
        audit_record(actor=actor, action="access.mandate.revoke", obj=_audited(locked))
        events.mandate_event_append(locked, events.MANDATE_REVOKED, occurred_at=now)
    return locked


def mandate_decline(*, actor: Actor, person: Person, mandate: Mandate) -> Mandate:
    """The mandatary refuses the mandate (acting as themself)."""
    if actor.acting_for_id != str(person.pk) or actor.mandate_id or mandate.mandatary_id != person.pk:
        audit_record(actor=actor, action="access.mandate.decline_denied", outcome=Outcome.DENIED, obj=_audited(mandate))
        raise MandateNotAllowed(_("Only the mandatary can decline a mandate."))
    now = timezone.now()
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        _check_open(locked, at=now)
        locked.declined_at = now
        locked.save(update_fields=["declined_at", "updated_at"])
        audit_record(actor=actor, action="access.mandate.decline", obj=_audited(locked))
        events.mandate_event_append(locked, events.MANDATE_DECLINED, occurred_at=now)
    return locked
