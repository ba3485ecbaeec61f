"""Latvian identifiers, validated with python-stdnum (old DDMMYY-CNNNN and new 32NNNN-NNNNN codes)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.lv import pvn


def normalize_personal_code(value: str) -> str:
    """The 11 digits of a valid personal code, or ValidationError."""
    try:
        digits = pvn.validate(value)
    except StdnumError:
        raise ValidationError(_("This is not a valid Latvian personal code."), code="invalid_personal_code") from None
    if digits[0] > "3":
        raise ValidationError(
            _("This is a registration number of a legal person, not a personal code."), code="invalid_personal_code"
        )
    return str(digits)


def normalize_registration_number(value: str) -> str:
    """The 11 digits of a valid registration number of a legal person, or ValidationError."""
    try:
        digits = pvn.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid Latvian registration number."), code="invalid_registration_number"
        ) from None
    if digits[0] <= "3":
        raise ValidationError(
            _("This is a personal code, not a registration number."), code="invalid_registration_number"
        )
    return str(digits)


def format_personal_code(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


def validate_personal_code(value: str) -> None:
    normalize_personal_code(value)


def validate_registration_number(value: str) -> None:
    normalize_registration_number(value)
