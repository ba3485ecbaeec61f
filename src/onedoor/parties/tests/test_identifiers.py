"""Latvian personal codes (old and new formats) and registration numbers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.lv import pvn

from onedoor.parties.identifiers import format_personal_code, normalize_personal_code, normalize_registration_number


def _personal_code(first_ten: str) -> str:
    return first_ten + pvn.calc_check_digit_pers(first_ten)


def test_old_format_with_hyphen_and_new_format_are_accepted() -> None:
    assert normalize_personal_code("161175-19997") == "16117519997"
    assert normalize_personal_code("32579461005") == "32579461005"
    assert format_personal_code("16117519997") == "161175-19997"


@pytest.mark.parametrize("value", ["161175-19998", "12345", "991399-19997", "", "abcdefghijk"])
def test_invalid_personal_codes_are_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        normalize_personal_code(value)


@translation.override("en")
def test_registration_number_is_not_a_personal_code_and_vice_versa() -> None:
    assert normalize_registration_number("40003032949") == "40003032949"
    with pytest.raises(ValidationError, match="registration number of a legal person"):
        normalize_personal_code("40003032949")
    with pytest.raises(ValidationError, match="personal code"):
        normalize_registration_number("161175-19997")
    with pytest.raises(ValidationError):
        normalize_registration_number("40003032948")


@given(st.from_regex(r"32[0-9]{8}", fullmatch=True))
def test_every_new_format_code_with_its_check_digit_is_valid(first_ten: str) -> None:
    code = _personal_code(first_ten)
    assert normalize_personal_code(code) == code
    assert normalize_personal_code(f"{code[:6]}-{code[6:]}") == code


@given(st.from_regex(r"32[0-9]{8}", fullmatch=True), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(first_ten: str, offset: int) -> None:
    code = _personal_code(first_ten)
    wrong = code[:10] + str((int(code[10]) + offset) % 10)
    with pytest.raises(ValidationError):
        normalize_personal_code(wrong)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2016, 12, 31)), st.from_regex(r"[0-9]{3}", fullmatch=True))
def test_old_format_codes_carry_a_real_birth_date(birth: date, serial: str) -> None:
    century = {19: "1", 20: "2"}[birth.year // 100]
    code = _personal_code(f"{birth:%d%m%y}{century}{serial}")
    assert normalize_personal_code(code) == code


def test_an_impossible_birth_date_is_refused() -> None:
    with pytest.raises(ValidationError):
        normalize_personal_code(_personal_code("3102851234"))
