"""The company register adapter (INT-5, ACC-1, ACC-2): legal persons and who may represent them.

The adapter gives the register's own facts: each officer's role and whether they may represent
the company alone or only jointly with others. Which services a representative may use follows
from these facts and from the company's mandates, elsewhere.

`LocalCompanyRegister` answers from a local extract (demo and tests); a connection to the state
company register plugs in behind the same interface through the ONEDOOR_COMPANY_REGISTER setting.
"""

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from onedoor.parties.identifiers import normalize_personal_code, normalize_registration_number

COMPANY_REGISTER_PATH = Path(__file__).resolve().parent.parent / "demo" / "company_register.json"


class CompanyStatus(StrEnum):
    ACTIVE = "active"
    LIQUIDATION = "liquidation"  # represented by its liquidators
    EXCLUDED = "excluded"  # struck off the register: nobody represents it


class RepresentativeRole(StrEnum):
    BOARD_MEMBER = "board_member"
    PROCURIST = "procurist"
    OWNER = "owner"  # e.g. the merchant of an individual merchant (IK)
    OTHER = "other"  # e.g. a liquidator


class RepresentationKind(StrEnum):
    SOLE = "sole"  # may represent the company alone
    JOINT = "joint"  # only together with other representatives


@dataclass(frozen=True, slots=True)
class RegisteredCompany:
    """A legal person as the company register knows it."""

    registration_number: str  # the 11 digits
    name: str
    legal_form: str  # SIA, AS, IK, …
    address: str  # the legal address
    status: CompanyStatus


@dataclass(frozen=True, slots=True)
class Representation:
    """One person's right, recorded in the company register, to represent one company."""

    company: RegisteredCompany
    personal_code: str  # the representative's 11 digits
    given_name: str
    family_name: str
    role: RepresentativeRole
    representation: RepresentationKind
    since: date
    until: date | None  # the last day of the right (inclusive); None while it has no end


class CompanyRegister(Protocol):
    def lookup(self, registration_number: str) -> RegisteredCompany | None:
        """The company with this registration number, in any status, or None when the register does not know it.

        An invalid registration number raises ValidationError.
        """

    def representations(self, personal_code: str, *, on: date) -> list[Representation]:
        """The rights in force on `on` of this person to represent companies that are not excluded.

        An invalid personal code raises ValidationError.
        """

    def representatives(self, registration_number: str, *, on: date) -> list[Representation]:
        """The rights in force on `on` to represent this company; none when it is excluded from the register.

        An invalid registration number raises ValidationError.
        """


class LocalCompanyRegister:
    """The company register answered from a local extract: companies and their officers."""

    def __init__(self, path: Path = COMPANY_REGISTER_PATH):
        data = json.loads(path.read_text(encoding="utf-8"))
        self._companies: dict[str, RegisteredCompany] = {}
        self._representations: list[Representation] = []
        for record in data["companies"]:
            company = RegisteredCompany(
                registration_number=record["registration_number"],
                name=record["name"],
                legal_form=record["legal_form"],
                address=record["address"],
                status=CompanyStatus(record["status"]),
            )
            self._companies[company.registration_number] = company
            self._representations.extend(
                Representation(
                    company=company,
                    personal_code=officer["personal_code"],
                    given_name=officer["given_name"],
                    family_name=officer["family_name"],
                    role=RepresentativeRole(officer["role"]),
                    representation=RepresentationKind(officer["representation"]),
                    since=date.fromisoformat(officer["since"]),
                    until=date.fromisoformat(officer["until"]) if officer["until"] else None,
                )
                for officer in record["officers"]
            )

    def lookup(self, registration_number: str) -> RegisteredCompany | None:
        return self._companies.get(normalize_registration_number(registration_number))

    def representations(self, personal_code: str, *, on: date) -> list[Representation]:
        code = normalize_personal_code(personal_code)
        return [right for right in self._in_force(on) if right.personal_code == code]

    def representatives(self, registration_number: str, *, on: date) -> list[Representation]:
        number = normalize_registration_number(registration_number)
        return [right for right in self._in_force(on) if right.company.registration_number == number]

    def _in_force(self, on: date) -> list[Representation]:
        """The rights that hold on `on`, in register order; an excluded company has none."""
        return [
            right
            for right in self._representations
            if right.company.status != CompanyStatus.EXCLUDED
            and right.since <= on
            and (right.until is None or on <= right.until)
        ]


@cache
def _register(dotted_path: str) -> CompanyRegister:
    register: CompanyRegister = import_string(dotted_path)()
    return register


def company_register() -> CompanyRegister:
    """The company register chosen by the ONEDOOR_COMPANY_REGISTER setting (the local extract by default)."""
    return _register(
        getattr(settings, "ONEDOOR_COMPANY_REGISTER", "onedoor.parties.registers.company.LocalCompanyRegister")
    )
