"""Whom devidp can sign in: the persons the population and persons registers know, as the national
identity provider knows every holder of a Latvian personal code."""

import json
from pathlib import Path

from onedoor.parties.identifiers import format_personal_code
from onedoor.parties.registers.persons import PERSONS_PATH
from onedoor.parties.registers.population import POPULATION_PATH, RegisteredPerson
from onedoor.parties.services import registered_person


def _extract_codes(path: Path) -> list[str]:
    return [record["personal_code"] for record in json.loads(path.read_text(encoding="utf-8"))["persons"]]


def demo_persons() -> list[RegisteredPerson]:
    """The living persons of the local register extracts, by name: the login page offers each of them.

    The registers' interface answers about one code at a time, so the codes come from the extracts
    and every person is then asked of the registers in use.
    """
    codes = dict.fromkeys([*_extract_codes(POPULATION_PATH), *_extract_codes(PERSONS_PATH)])
    persons = [person for code in codes if (person := registered_person(code)) is not None and person.is_alive]
    return sorted(persons, key=lambda person: (person.family_name, person.given_name, person.personal_code))


def display_code(person: RegisteredPerson) -> str:
    return format_personal_code(person.personal_code)
