"""The population register adapter (INT-5, ACC-1, ACC-2): residents' base data and custody of minors.

`LocalPopulationRegister` answers from a local extract (demo and tests); a connection to the
state population register plugs in behind the same interface through the
ONEDOOR_POPULATION_REGISTER setting.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from onedoor.parties.identifiers import normalize_personal_code

POPULATION_PATH = Path(__file__).resolve().parent.parent / "demo" / "population.json"
AGE_OF_MAJORITY = 18


@dataclass(frozen=True, slots=True)
class RegisteredPerson:
    """A natural person as the population register (residents) or the persons register (non-residents) knows them."""

    personal_code: str  # the 11 digits
    given_name: str
    family_name: str
    birth_date: date
    declared_address: str  # empty when none is declared (e.g. after death)
    # Code of the municipality of the declared address, as Institution.code (e.g. "RIGA"); None abroad or undeclared.
    municipality_code: str | None
    is_alive: bool


def person_from_record(record: Mapping[str, Any]) -> RegisteredPerson:
    """A person from one record of a local register extract (the JSON files under parties/demo/)."""
    return RegisteredPerson(
        personal_code=record["personal_code"],
        given_name=record["given_name"],
        family_name=record["family_name"],
        birth_date=date.fromisoformat(record["birth_date"]),
        declared_address=record["declared_address"],
        municipality_code=record["municipality_code"],
        is_alive=record["is_alive"],
    )


def is_minor(birth_date: date, *, on: date) -> bool:
    """Whether someone born on `birth_date` is under 18 on `on`.

    They come of age on their 18th birthday; someone born on 29 February, on 1 March (a leap
    year plus 18 is never a leap year).
    """
    year = birth_date.year + AGE_OF_MAJORITY
    if (birth_date.month, birth_date.day) == (2, 29):
        return on < date(year, 3, 1)
    return on < birth_date.replace(year=year)


class PopulationRegister(Protocol):
    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        """The resident with this personal code (hyphenated or not), or None when the register does not know them.

        An invalid personal code raises ValidationError.
        """

    def minor_children(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        """The living persons under 18 on `on` of whom this living person is a parent or guardian with custody."""

    def guardians(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        """The living parents and guardians with custody of this person while they are under 18 on `on`."""


class LocalPopulationRegister:
    """The population register answered from a local extract: persons and custody relations."""

    def __init__(self, path: Path = POPULATION_PATH):
        data = json.loads(path.read_text(encoding="utf-8"))
        self._persons = {record["personal_code"]: person_from_record(record) for record in data["persons"]}
        # A parent without custody stays on record in the register but acts for no one.
        self._custody = [
            (self._persons[relation["parent_or_guardian"]], self._persons[relation["child"]])
            for relation in data["custody"]
            if relation["has_custody"]
        ]

    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        return self._persons.get(normalize_personal_code(personal_code))

    def minor_children(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        code = normalize_personal_code(personal_code)
        return [child for custodian, child in self._custody_in_force(on) if custodian.personal_code == code]

    def guardians(self, personal_code: str, *, on: date) -> list[RegisteredPerson]:
        code = normalize_personal_code(personal_code)
        return [custodian for custodian, child in self._custody_in_force(on) if child.personal_code == code]

    def _custody_in_force(self, on: date) -> Iterator[tuple[RegisteredPerson, RegisteredPerson]]:
        """(custodian, child) pairs in register order: custody ends with the child's majority or either's death."""
        for custodian, child in self._custody:
            if custodian.is_alive and child.is_alive and is_minor(child.birth_date, on=on):
                yield custodian, child


@cache
def _register(dotted_path: str) -> PopulationRegister:
    register: PopulationRegister = import_string(dotted_path)()
    return register


def population_register() -> PopulationRegister:
    """The population register chosen by the ONEDOOR_POPULATION_REGISTER setting (the local extract by default)."""
    return _register(
        getattr(settings, "ONEDOOR_POPULATION_REGISTER", "onedoor.parties.registers.population.LocalPopulationRegister")
    )
