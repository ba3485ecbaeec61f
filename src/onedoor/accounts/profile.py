"""The profile area of the e-account (ACC-2): who the person is, their bank account, what may change it.

Reads and writes of this one area live together here rather than in a shared `services.py` of the
e-account app, which several areas grow at once. Contact points, preferences and their
confirmation belong to `notifications` (its services check and audit them); this module adds the
bank account and the rule every profile page follows: only the person, acting for themself,
edits their profile. Acting for a child, a company or under a mandate shows the acting party's
basic data, read-only.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as StdnumValidationError

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.errors import PermissionDenied, ValidationFailed
from onedoor.core.i18n import localized
from onedoor.notifications.selectors import preferred_channel, recipient_language
from onedoor.notifications.services import notification_language_set, notification_preference_set
from onedoor.parties.identifiers import format_personal_code
from onedoor.parties.models import BankAccount, Institution, Organisation, Person
from onedoor.parties.registers.company import company_register
from onedoor.parties.registers.persons import persons_register
from onedoor.parties.registers.population import population_register

HOLDER_NAME_MAX = 200
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


class ProfileErrorCode(StrEnum):
    NOT_SELF = "profile_not_self"
    INVALID_BANK_ACCOUNT = "invalid_bank_account"


class ProfileNotSelf(PermissionDenied):
    """The profile is changed only by the person, acting for themself."""

    code: str = ProfileErrorCode.NOT_SELF


class InvalidBankAccount(ValidationFailed):
    code: str = ProfileErrorCode.INVALID_BANK_ACCOUNT


# --- who may see and change the profile ---------------------------------------------------------


def self_person(*, actor: Actor) -> Person | None:
    """The signed-in person when they act for themself (not a child, a company or a mandator), else None.

    A parent acting for a child also acts for a person without a mandate, so the acting party is
    checked to be the person the user account belongs to.
    """
    if actor.kind != ActorKind.USER or actor.acting_for_kind != "person" or actor.mandate_id:
        return None
    try:
        user_id = UUID(actor.id)
        person_id = UUID(actor.acting_for_id)
    except ValueError:
        return None
    return Person.objects.filter(pk=person_id, users__pk=user_id).select_related("municipality").first()


def self_person_require(*, actor: Actor, action: str) -> Person:
    """The person acting for themself, or ProfileNotSelf (audited as denied)."""
    person = self_person(actor=actor)
    if person is None:
        audit_record(
            actor=actor,
            action=action,
            outcome=Outcome.DENIED,
            obj=AuditedObject(type=f"parties.{actor.acting_for_kind or 'party'}", id=actor.acting_for_id),
        )
        raise ProfileNotSelf(_("Only the person, acting for themself, may change their profile."))
    return person


def person_object(person: Person) -> AuditedObject:
    return AuditedObject(type="parties.person", id=str(person.pk), label=person.full_name, holder_id=str(person.pk))


# --- what the profile shows ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyFacts:
    """A party's base data as the registers give it (ACC-2), for showing."""

    kind: str  # "person" or "organisation"
    name: str
    code: str  # personal code (formatted) or registration number
    address: str
    municipality: str  # the municipality's name in the page's language; "" when unknown
    legal_form: str = ""
    in_register: bool = True


def _municipality_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    institution = Institution.objects.filter(code=code).first()
    return localized(institution, "name", language) if institution else ""


def person_facts(person: Person, *, language: str) -> PartyFacts:
    """Name, personal code, declared address and municipality from the population register (residents)
    or the persons register (non-residents); what the platform holds when neither knows the person."""
    registered = population_register().lookup(person.personal_code) or persons_register().lookup(person.personal_code)
    if registered is None:
        municipality = localized(person.municipality, "name", language) if person.municipality else ""
        return PartyFacts(
            kind="person",
            name=person.full_name,
            code=format_personal_code(person.personal_code),
            address=person.address,
            municipality=municipality,
            in_register=False,
        )
    return PartyFacts(
        kind="person",
        name=f"{registered.given_name} {registered.family_name}",
        code=format_personal_code(registered.personal_code),
        address=registered.declared_address,
        municipality=_municipality_name(registered.municipality_code, language),
    )


def organisation_facts(organisation: Organisation) -> PartyFacts:
    """Name, registration number, legal form and legal address from the company register."""
    registered = company_register().lookup(organisation.registration_number)
    if registered is None:
        return PartyFacts(
            kind="organisation",
            name=organisation.name,
            code=organisation.registration_number,
            address=organisation.address,
            municipality="",
            legal_form=organisation.legal_form,
            in_register=False,
        )
    return PartyFacts(
        kind="organisation",
        name=registered.name,
        code=registered.registration_number,
        address=registered.address,
        municipality="",
        legal_form=registered.legal_form,
    )


def acting_party_facts(*, actor: Actor, language: str) -> PartyFacts | None:
    """The base data of the party the actor acts for (a child, a company, a mandator), read-only; audited."""
    party_id = actor.acting_for_id
    if not actor.is_client or not party_id:
        return None
    if actor.acting_for_kind == "organisation":
        organisation = Organisation.objects.filter(pk=party_id).first()
        if organisation is None:
            return None
        facts = organisation_facts(organisation)
        audited = AuditedObject(type="parties.organisation", id=party_id, label=organisation.name, holder_id=party_id)
    else:
        person = Person.objects.select_related("municipality").filter(pk=party_id).first()
        if person is None:
            return None
        facts = person_facts(person, language=language)
        audited = person_object(person)
    audit_record(actor=actor, action="accounts.profile.read", obj=audited, details={"read_only": True})
    return facts


# --- the bank account ---------------------------------------------------------------------------


def iban_compact(value: str) -> str:
    """The IBAN without spaces, upper case, checked (shape, check digits, country format); else InvalidBankAccount."""
    compact = str(stdnum_iban.compact(value))
    if not _IBAN_SHAPE.fullmatch(compact):
        message = _("Enter an account number in IBAN format, like LV80 BANK 0000 4351 9500 1.")
    else:
        try:
            return str(stdnum_iban.validate(compact))
        except InvalidChecksum:
            message = _("The account number is not right: its check digits do not match. Check it for typing errors.")
        except InvalidComponent:
            message = _("The account number does not start with a known country code.")
        except StdnumValidationError:  # the length or structure of that country's numbers
            message = _("The account number does not follow the format of its country.")
    raise InvalidBankAccount(message, invalid_params={"iban": [message]})


def iban_grouped(iban: str) -> str:
    """The IBAN as people read it: groups of four characters."""
    return str(stdnum_iban.format(iban))


def bank_account_of(*, person: Person) -> BankAccount | None:
    return BankAccount.objects.filter(person=person).first()


def bank_account_set(*, actor: Actor, iban: str, holder_name: str) -> BankAccount:
    """Give or replace the person's bank account. Only the person, acting for themself."""
    person = self_person_require(actor=actor, action="accounts.bank_account.set_denied")
    compact = iban_compact(iban)
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        message = _("Enter the name of the account holder.")
        raise InvalidBankAccount(message, invalid_params={"holder_name": [message]})
    if len(holder_name) > HOLDER_NAME_MAX:
        message = _("The name of the account holder can be at most %(max)d characters long.") % {"max": HOLDER_NAME_MAX}
        raise InvalidBankAccount(message, invalid_params={"holder_name": [message]})
    with transaction.atomic():
        previous = BankAccount.objects.select_for_update().filter(person=person).first()
        if previous is not None and (previous.iban, previous.holder_name) == (compact, holder_name):
            return previous
        account, _created = BankAccount.objects.update_or_create(
            person=person, defaults={"iban": compact, "holder_name": holder_name, "added_at": timezone.now()}
        )
        audit_record(
            actor=actor,
            action="accounts.bank_account.set",
            obj=person_object(person),
            # The country and last digits tell the change apart without copying the number into the log.
            details={
                "account": f"{compact[:2]}…{compact[-4:]}",
                "replaced": previous is not None,
            },
        )
    return account


def bank_account_remove(*, actor: Actor) -> bool:
    """Forget the person's bank account; False when there was none."""
    person = self_person_require(actor=actor, action="accounts.bank_account.remove_denied")
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().filter(person=person).first()
        if account is None:
            return False
        audit_record(
            actor=actor,
            action="accounts.bank_account.remove",
            obj=person_object(person),
            details={"account": f"{account.iban[:2]}…{account.iban[-4:]}"},
        )
        account.delete()
    return True


# --- notification settings ------------------------------------------------------------------------


def notification_settings_set(*, actor: Actor, person: Person, channels: dict[str, str], language: str) -> None:
    """Store the changed channels (by kind of notice) and language, all or nothing; each change is checked
    and audited by the notifications services."""
    with transaction.atomic():
        for kind, channel in channels.items():
            if preferred_channel(person=person, kind=kind) != channel:
                notification_preference_set(actor=actor, person=person, kind=kind, channel=channel)
        if recipient_language(person=person) != language:
            notification_language_set(actor=actor, person=person, language=language)
