"""Finding the parties that cases and consultations refer to."""

import phonenumbers
from django.core.exceptions import ValidationError

from .identifiers import normalize_personal_code, normalize_registration_number
from .models import Organisation, Person


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
