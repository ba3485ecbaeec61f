"""Which contexts a signed-in user may act in (ACC-1, ACC-2, ACC-5), from the registers and mandates.

`contexts_for` lists them all (for the switcher); `context_confirm` checks again, on every request,
that the chosen one still holds — a revoked or expired mandate, a child come of age or a lost
representation right ends the context at once.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from onedoor.identity.contexts import ActingContext, ContextKind, PartyKind
from onedoor.identity.models import User
from onedoor.parties.models import Person
from onedoor.parties.registers.company import (
    CompanyStatus,
    Representation,
    RepresentationKind,
    RepresentativeRole,
    company_register,
)
from onedoor.parties.registers.population import population_register
from onedoor.parties.services import organisation_from_register, person_from_register

from .models import Mandate, MandateScope, MandateStatus
from .selectors import mandates_in_status


def self_context(person: Person) -> ActingContext:
    return ActingContext(
        kind=ContextKind.SELF,
        party_kind=PartyKind.PERSON,
        party_id=str(person.pk),
        key=person.personal_code,
        label=person.full_name,
        may_grant_mandates=True,
    )


def mandate_context(mandate: Mandate) -> ActingContext:
    organisation = mandate.mandator_organisation
    return ActingContext(
        kind=ContextKind.MANDATOR,
        party_kind=PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
        party_id=str(mandate.mandator_organisation_id or mandate.mandator_person_id),
        key=mandate.mandator_key,
        label=mandate.mandator_label,
        mandate_id=mandate.reference,
        service_codes=frozenset(mandate.service_codes) if mandate.scope == MandateScope.CHOSEN_SERVICES else None,
        may_act=mandate.scope != MandateScope.RESULTS_ONLY,
    )


def mandates_in_force(person: Person, *, at: datetime) -> list[Mandate]:
    """Mandates the person may act under now: given, not declined or revoked, within their period."""
    active = mandates_in_status(Mandate.objects.filter(mandatary=person), status=MandateStatus.ACTIVE, at=at)
    return list(active.select_related("mandator_person", "mandator_organisation").order_by("granted_at"))


def _children(person: Person, *, at: datetime) -> list[ActingContext]:
    return [
        ActingContext(
            kind=ContextKind.CHILD,
            party_kind=PartyKind.PERSON,
            party_id=str(child.pk),
            key=child.personal_code,
            label=child.full_name,
        )
        for child in (
            person_from_register(registered)
            for registered in population_register().minor_children(person.personal_code, on=timezone.localdate(at))
        )
    ]


@dataclass(frozen=True, slots=True)
class ContextChoice:
    """A context as the switcher shows it, with the right behind it: a company representative's roles
    and whether they may represent it alone (ACC-1), or the mandate a mandatary acts under (ACC-5)."""

    context: ActingContext
    roles: tuple[RepresentativeRole, ...] = ()
    representation: RepresentationKind | None = None
    company_status: CompanyStatus | None = None
    mandate: Mandate | None = None


def _company_choices(person: Person, *, at: datetime) -> list[ContextChoice]:
    """Every company the person may represent; board members and owners have all rights, and a right
    to represent alone also lets them give the company's mandates (joint representatives cannot alone)."""
    rights: dict[str, list[Representation]] = {}
    for right in company_register().representations(person.personal_code, on=timezone.localdate(at)):
        rights.setdefault(right.company.registration_number, []).append(right)
    choices = []
    for number, held in rights.items():
        organisation = organisation_from_register(held[0].company)
        alone = any(right.representation == RepresentationKind.SOLE for right in held)
        choices.append(
            ContextChoice(
                context=ActingContext(
                    kind=ContextKind.ORGANISATION,
                    party_kind=PartyKind.ORGANISATION,
                    party_id=str(organisation.pk),
                    key=number,
                    label=organisation.name,
                    may_grant_mandates=alone,
                ),
                roles=tuple(dict.fromkeys(right.role for right in held)),
                representation=RepresentationKind.SOLE if alone else RepresentationKind.JOINT,
                company_status=held[0].company.status,
            )
        )
    return choices


def _companies(person: Person, *, at: datetime) -> list[ActingContext]:
    return [choice.context for choice in _company_choices(person, at=at)]


def institution_context(user: User) -> ActingContext | None:
    institution = user.institution
    if institution is None or not user.is_staff or not user.is_active:
        return None
    return ActingContext(
        kind=ContextKind.INSTITUTION,
        party_kind=PartyKind.INSTITUTION,
        party_id=str(institution.pk),
        key=institution.code,
        label=institution.name_lv,
    )


def context_choices(user: User, *, at: datetime) -> list[ContextChoice]:
    """Every context the user may choose now, with the right behind each: themself first, then
    children, companies, mandators and, for staff, their institution."""
    choices: list[ContextChoice] = []
    person = user.person
    if person is not None:
        choices.append(ContextChoice(self_context(person)))
        choices.extend(ContextChoice(child) for child in _children(person, at=at))
        choices.extend(_company_choices(person, at=at))
        choices.extend(
            ContextChoice(mandate_context(mandate), mandate=mandate) for mandate in mandates_in_force(person, at=at)
        )
    institution = institution_context(user)
    if institution is not None:
        choices.append(ContextChoice(institution))
    return choices


def contexts_for(user: User, *, at: datetime) -> list[ActingContext]:
    """Every context the user may choose now: themself first, then children, companies, mandators and,
    for staff, their institution."""
    return [choice.context for choice in context_choices(user, at=at)]


def default_context(user: User) -> ActingContext | None:
    """Before any choice: themself; a staff account without a person, its institution."""
    if user.person is not None:
        return self_context(user.person)
    return institution_context(user)


def context_confirm(user: User, chosen: ActingContext, *, at: datetime) -> ActingContext | None:
    """The chosen context as it holds now, or None when the right behind it has ended."""
    person = user.person
    match chosen.kind:
        case ContextKind.SELF:
            return self_context(person) if person is not None and person.personal_code == chosen.key else None
        case ContextKind.INSTITUTION:
            current = institution_context(user)
            return current if current is not None and current.key == chosen.key else None
        case ContextKind.MANDATOR:
            if person is None:
                return None
            chosen_mandate = Mandate.objects.filter(
                Q(mandator_person__personal_code=chosen.key) | Q(mandator_organisation__registration_number=chosen.key),
                reference=chosen.mandate_id,
                mandatary=person,
            )
            mandate = (
                mandates_in_status(chosen_mandate, status=MandateStatus.ACTIVE, at=at)
                .select_related("mandator_person", "mandator_organisation")
                .first()
            )
            return mandate_context(mandate) if mandate is not None else None
        case ContextKind.CHILD:
            if person is None:
                return None
            children = population_register().minor_children(person.personal_code, on=timezone.localdate(at))
            return chosen if any(child.personal_code == chosen.key for child in children) else None
        case ContextKind.ORGANISATION:
            if person is None:
                return None
            return next((ctx for ctx in _companies(person, at=at) if ctx.key == chosen.key), None)
    return None
