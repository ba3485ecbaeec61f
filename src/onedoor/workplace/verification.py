"""Caller verification on the phone (CLI-3): questions answered from the client's profile data.

The specialist reads the questions to the caller and types the answers; the expected answers stay
on the server. Which questions are asked is fixed per view (seeded by its id), so the page and the
check that follows agree without storing anything. Answers are compared folded (case, diacritics
and spaces ignored); at least two of three must be right.
"""

import random
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from onedoor.cases.models import Case
from onedoor.core.text import fold
from onedoor.notifications.models import ContactKind, ContactPoint
from onedoor.parties.models import BankAccount, Organisation, Person
from onedoor.parties.registers.company import company_register
from onedoor.parties.services import registered_person

from .models import ClientView

QUESTIONS_ASKED = 3
RIGHT_ANSWERS_NEEDED = 2
ATTEMPTS_ALLOWED = 3

# The generic word of a street name the caller may leave out ("Krišjāņa Barona iela" → "Krišjāņa Barona").
_STREET_KINDS = frozenset({"iela", "prospekts", "bulvaris", "gatve", "laukums", "krastmala", "ceļš", "cels", "aleja"})
_HOUSE_NUMBER = re.compile(r"\s+\d[\w/-]*$")


NEW_FORMAT_PREFIX = "32"  # personal codes given since 1 July 2017 carry no birth date


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its key (the form field), what the specialist asks, and the answers accepted."""

    key: str
    prompt: StrOrPromise
    accepted: tuple[str, ...]

    def is_answered_by(self, answer: str) -> bool:
        given = _folded(answer)
        return bool(given) and given in {_folded(expected) for expected in self.accepted}


def _folded(text: str) -> str:
    return fold(text).replace(" ", "")


def _street(address: str) -> tuple[str, ...]:
    """The street of an address ("Krišjāņa Barona iela 55-7, Rīga, LV-1011"), with and without its kind."""
    street = _HOUSE_NUMBER.sub("", address.split(",")[0].strip())
    if not street:
        return ()
    words = street.split()
    if len(words) > 1 and fold(words[-1]) in {fold(kind) for kind in _STREET_KINDS}:
        return (street, " ".join(words[:-1]))
    return (street,)


def _latest_case(*, person: Person | None, organisation: Organisation | None) -> Case | None:
    party = (
        Q(for_person=person) | Q(applicant_person=person)
        if person is not None
        else Q(for_organisation=organisation) | Q(applicant_organisation=organisation)
    )
    return Case.objects.filter(party).select_related("service").order_by("-submitted_at").first()


def _case_question(case: Case | None) -> list[Question]:
    if case is None:
        return []
    service = case.service
    return [
        Question(
            "latest_service",
            _("For which service did the client apply most recently? (the service's name or code)"),
            (service.name_lv, service.name_en, service.code),
        )
    ]


def _person_questions(person: Person) -> list[Question]:
    questions: list[Question] = []
    registered = registered_person(person.personal_code)
    address = registered.declared_address if registered else person.address
    birth_date = registered.birth_date if registered else person.birth_date
    if street := _street(address):
        questions.append(Question("street", _("On which street is the client's declared address?"), street))
    # An old-format personal code (before July 2017) spells out the birth date: a caller who has it knows the year.
    if birth_date is not None and person.personal_code.startswith(NEW_FORMAT_PREFIX):
        questions.append(Question("birth_year", _("In which year was the client born?"), (str(birth_date.year),)))
    account = BankAccount.objects.filter(person=person).first()
    if account is not None:
        questions.append(
            Question(
                "iban_last4", _("What are the last four characters of the client's bank account?"), (account.iban[-4:],)
            )
        )
    contacts = list(ContactPoint.objects.filter(person=person, confirmed_at__isnull=False).order_by("-confirmed_at"))
    email = next((contact.value for contact in contacts if contact.kind == ContactKind.EMAIL), None)
    if email is not None:
        questions.append(
            Question(
                "email_domain", _("What comes after @ in the client's e-mail address?"), (email.rsplit("@", 1)[-1],)
            )
        )
    phone = next((contact.value for contact in contacts if contact.kind == ContactKind.PHONE), None)
    if phone is not None:
        questions.append(
            Question("phone_last4", _("What are the last four digits of the client's mobile number?"), (phone[-4:],))
        )
    return questions + _case_question(_latest_case(person=person, organisation=None))


def _organisation_questions(organisation: Organisation) -> list[Question]:
    questions: list[Question] = []
    registered = company_register().lookup(organisation.registration_number)
    address = registered.address if registered else organisation.address
    if street := _street(address):
        questions.append(Question("street", _("On which street is the company's legal address?"), street))
    legal_form = registered.legal_form if registered else organisation.legal_form
    if legal_form:
        questions.append(Question("legal_form", _("What is the company's legal form (e.g. SIA, AS)?"), (legal_form,)))
    return questions + _case_question(_latest_case(person=None, organisation=organisation))


def verification_questions(view: ClientView) -> list[Question]:
    """The questions of this view: three drawn from what the profile holds (fewer when it holds less)."""
    if view.person is not None:
        available = _person_questions(view.person)
    else:
        assert view.organisation is not None
        available = _organisation_questions(view.organisation)
    chooser = random.Random(view.pk.int)  # noqa: S311 — not a secret, only a stable choice per view
    chosen = chooser.sample(available, min(QUESTIONS_ASKED, len(available)))
    return sorted(chosen, key=available.index)


def right_answers(questions: list[Question], answers: dict[str, str]) -> int:
    """How many questions the answers (by question key) answer right."""
    return sum(question.is_answered_by(answers.get(question.key, "")) for question in questions)


def may_verify(questions: list[Question]) -> bool:
    """Whether the profile holds enough to verify a caller at all."""
    return len(questions) >= RIGHT_ANSWERS_NEEDED
