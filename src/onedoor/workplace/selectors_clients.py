"""Reading for the client 360 view (CLI-1 … CLI-3): finding clients, the specialist's views, the profile.

The profile is registry-wide by design (CLI-1): a client's cases and consultations at every
institution. Its safeguards are the purpose, consent, expiry and the audit of every opening and
every section shown (services_clients), not narrower data; these selectors never audit by
themselves and are only called for a view that is open and, on the phone, verified.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.access.models import Mandate
from onedoor.access.selectors import mandates_received
from onedoor.accounts.profile import PartyFacts, organisation_facts, person_facts
from onedoor.cases.models import Case, Consultation
from onedoor.notifications.models import ContactPoint
from onedoor.notifications.selectors import persons_with_confirmed_phone
from onedoor.parties.identifiers import normalize_personal_code, normalize_registration_number
from onedoor.parties.models import BankAccount, Organisation, Person
from onedoor.parties.registers.company import company_register
from onedoor.parties.services import registered_person

from .desk import Desk
from .errors import ClientNotFound, ClientViewNotFound
from .models import ClientView, Verification

SECTION_ROWS = 20


class ClientKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class ClientMatch:
    """A search result: only who it is, never what the profile holds."""

    kind: ClientKind
    key: str  # the personal code or registration number (the open form's parameter)
    name: str

    @property
    def masked(self) -> str:
        return mask_identifier(self.key, kind=self.kind)


def mask_identifier(key: str, *, kind: str) -> str:
    """A personal code as "328714-*****", a registration number as "400035*****"."""
    if kind == ClientKind.PERSON:
        return f"{key[:6]}-*****"
    return f"{key[:6]}*****"


def client_by_personal_code(code: str) -> ClientMatch | None:
    """The person with this (normalised) personal code known to the platform or to the registers."""
    person = Person.objects.filter(personal_code=code).first()
    if person is not None and person.full_name.strip():
        return ClientMatch(ClientKind.PERSON, code, person.full_name)
    registered = registered_person(code)
    if registered is None:
        return ClientMatch(ClientKind.PERSON, code, person.full_name) if person is not None else None
    return ClientMatch(ClientKind.PERSON, code, f"{registered.given_name} {registered.family_name}")


def client_by_registration_number(number: str) -> ClientMatch | None:
    """The organisation with this (normalised) registration number known to the platform or the company register."""
    organisation = Organisation.objects.filter(registration_number=number).first()
    if organisation is not None and organisation.name:
        return ClientMatch(ClientKind.ORGANISATION, number, organisation.name)
    registered = company_register().lookup(number)
    if registered is None:
        return None
    return ClientMatch(ClientKind.ORGANISATION, number, registered.name)


def client_match(*, kind: str, key: str) -> ClientMatch:
    """The client a `person` or `organisation` key names; ClientNotFound when it is invalid or unknown."""
    try:
        if kind == ClientKind.PERSON:
            found = client_by_personal_code(normalize_personal_code(key))
        elif kind == ClientKind.ORGANISATION:
            found = client_by_registration_number(normalize_registration_number(key))
        else:
            found = None
    except ValidationError:
        found = None
    if found is None:
        raise ClientNotFound(_("No such client."))
    return found


def clients_by_phone(phone: str) -> list[ClientMatch]:
    """The persons whose confirmed phone is this number (E.164)."""
    return [
        ClientMatch(ClientKind.PERSON, person.personal_code, person.full_name)
        for person in persons_with_confirmed_phone(phone=phone).order_by("family_name", "given_name")
    ]


def client_view_get(*, desk: Desk, view_id: UUID | str) -> ClientView:
    """One of the specialist's own client views, in any state; ClientViewNotFound for anyone else's."""
    try:
        pk = UUID(str(view_id))
    except ValueError:
        pk = None
    view = (
        ClientView.objects.select_related("person__municipality", "organisation", "case__service", "service")
        .filter(pk=pk, opened_by=desk.user, institution=desk.institution)
        .first()
        if pk
        else None
    )
    if view is None:
        raise ClientViewNotFound(_("No such client view."))
    return view


def client_view_is_open(view: ClientView, *, at: datetime | None = None) -> bool:
    """Not closed and not expired."""
    return view.closed_at is None and (at or timezone.now()) < view.expires_at


def client_view_may_disclose(view: ClientView) -> bool:
    """Whether the profile may be shown: open, and in person or with the caller verified."""
    return client_view_is_open(view) and view.verification in {Verification.NOT_NEEDED, Verification.PASSED}


def client_of_view(view: ClientView) -> ClientMatch:
    """Who the view is of."""
    if view.person is not None:
        return ClientMatch(ClientKind.PERSON, view.person.personal_code, view.person.full_name)
    assert view.organisation is not None
    return ClientMatch(ClientKind.ORGANISATION, view.organisation.registration_number, view.organisation.name)


def client_of_disclosing_view(*, desk: Desk, view_id: str) -> ClientMatch | None:
    """The client of one of the specialist's own views that may show the profile now, to fill in a form
    from it (a consultation, an application); None for any other id."""
    try:
        view = client_view_get(desk=desk, view_id=view_id)
    except ClientViewNotFound:
        return None
    return client_of_view(view) if client_view_may_disclose(view) else None


# --- the profile's sections -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the profile: its key, what it shows, and how many there are in all."""

    key: str
    rows: list[Any]
    total: int

    @property
    def shown(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class ClientProfile:
    facts: PartyFacts
    sections: dict[str, Section]


def _client_cases(view: ClientView) -> QuerySet[Case]:
    if view.person is not None:
        party = Q(for_person=view.person) | Q(applicant_person=view.person)
    else:
        party = Q(for_organisation=view.organisation) | Q(applicant_organisation=view.organisation)
    return Case.objects.filter(party)


def _client_consultations(view: ClientView) -> QuerySet[Consultation]:
    if view.person is not None:
        return Consultation.objects.filter(person=view.person)
    return Consultation.objects.filter(organisation=view.organisation)


def _mandates_given(view: ClientView) -> QuerySet[Mandate]:
    given = Q(mandator_person=view.person) if view.person is not None else Q(mandator_organisation=view.organisation)
    return Mandate.objects.filter(given).select_related("mandator_person", "mandator_organisation", "mandatary")


@dataclass(frozen=True, slots=True)
class MandateRow:
    mandate: Mandate
    status: str  # in words, in the active language


def _section(key: str, items: QuerySet[Any]) -> Section:
    rows = list(items[:SECTION_ROWS])
    total = len(rows) if len(rows) < SECTION_ROWS else items.count()
    return Section(key, rows, total)


def _mandates_section(key: str, mandates: QuerySet[Mandate], *, at: datetime) -> Section:
    section = _section(key, mandates)
    return Section(key, [MandateRow(mandate, mandate.status_label_at(at)) for mandate in section.rows], section.total)


def client_profile(*, view: ClientView, language: str) -> ClientProfile:
    """The client's profile under an open view: base data, contacts, bank account, cases, consultations,
    mandates. Lists keep the newest 20 with a count of all; a constant number of queries."""
    cases = _client_cases(view).select_related("service", "holder").order_by("-submitted_at", "-number")
    consultations = _client_consultations(view).select_related("service", "institution").order_by("-occurred_at")
    now = timezone.now()
    sections = {
        "cases": _section("cases", cases),
        "consultations": _section("consultations", consultations),
        "mandates_given": _mandates_section("mandates_given", _mandates_given(view).order_by("-granted_at"), at=now),
    }
    if view.person is not None:
        person = view.person
        facts = person_facts(person, language=language)
        contacts = list(
            ContactPoint.objects.filter(person=person, confirmed_at__isnull=False).order_by("kind", "-confirmed_at")
        )
        account = BankAccount.objects.filter(person=person).first()
        sections["contacts"] = Section("contacts", contacts, len(contacts))
        sections["bank_account"] = Section(
            "bank_account", [masked_iban(account.iban)] if account else [], int(bool(account))
        )
        sections["mandates_received"] = _mandates_section("mandates_received", mandates_received(person=person), at=now)
    else:
        assert view.organisation is not None
        facts = organisation_facts(view.organisation)
    sections["identity"] = Section("identity", [facts], 1)
    return ClientProfile(facts=facts, sections=sections)


def masked_iban(iban: str) -> str:
    """Only the country, check digits and last four characters: "LV80 **** 5001"."""
    return f"{iban[:4]} **** {iban[-4:]}"
