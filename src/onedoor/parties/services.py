"""Finding the parties that cases and consultations refer to."""

import phonenumbers
from django.core.exceptions import ValidationError

from .identifiers import normalize_personal_code, normalize_registration_number
from .models import Organisation, Person
from .registers.company import RegisteredCompany
from .registers.persons import persons_register
from .registers.population import RegisteredPerson, population_register


def person_by_code(personal_code: str) -> Person:
    """The person with this (validated) personal code; one not yet known is recorded by code alone,
    and the population-register adapter fills in the rest."""
    digits = normalize_personal_code(personal_code)
    person, _ = Person.objects.get_or_create(personal_code=digits)
    return person


def organisation_by_number(registration_number: str) -> Organisation:
    digits = normalize_registration_number(registration_number)
    organisation, _ = Organisation.objects.get_or_create(registration_number=digits)
    return organisation


def normalize_phone(phone: str) -> str:
    """E.164 form of a phone number (Latvian when no country code is given), or ValidationError."""
    try:
        number = phonenumbers.parse(phone, "LV")
    except phonenumbers.NumberParseException:
        raise ValidationError("This is not a phone number.", code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("This is not a valid phone number.", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def registered_person(personal_code: str) -> RegisteredPerson | None:
    """The person with this personal code as the registers know them: residents from the population
    register, others from the persons register; None when neither does. An invalid code raises
    ValidationError."""
    return population_register().lookup(personal_code) or persons_register().lookup(personal_code)


def person_from_register(registered: RegisteredPerson) -> Person:
    """The platform's record of a person the population or persons register knows, with the register's
    name and birth date (updated when they changed there)."""
    facts = {
        "given_name": registered.given_name,
        "family_name": registered.family_name,
        "birth_date": registered.birth_date,
    }
    person, created = Person.objects.get_or_create(personal_code=registered.personal_code, defaults=facts)
    if not created and any(getattr(person, name) != value for name, value in facts.items()):
        for name, value in facts.items():
            setattr(person, name, value)
        person.save(update_fields=[*facts, "updated_at"])
    return person


def organisation_from_register(company: RegisteredCompany) -> Organisation:
    """The platform's record of a company the company register knows, with its current name and form."""
    facts = {"name": company.name, "legal_form": company.legal_form, "address": company.address}
    organisation, created = Organisation.objects.get_or_create(
        registration_number=company.registration_number, defaults=facts
    )
    if not created and any(getattr(organisation, name) != value for name, value in facts.items()):
        for name, value in facts.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=[*facts, "updated_at"])
    return organisation
