"""The persons register adapter (INT-5, ACC-2): base data of non-residents who hold a Latvian personal code.

`LocalPersonsRegister` answers from a local extract (demo and tests); a connection to the state
register plugs in behind the same interface through the ONEDOOR_PERSONS_REGISTER setting.
Residents are found in the population register (`registers.population`), not here.
"""

import json
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from onedoor.parties.identifiers import normalize_personal_code

from .population import RegisteredPerson, person_from_record

PERSONS_PATH = Path(__file__).resolve().parent.parent / "demo" / "persons_register.json"


class PersonsRegister(Protocol):
    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        """The non-resident with this personal code (hyphenated or not), or None when the register does not know them.

        An invalid personal code raises ValidationError.
        """


class LocalPersonsRegister:
    """The persons register answered from a local extract."""

    def __init__(self, path: Path = PERSONS_PATH):
        data = json.loads(path.read_text(encoding="utf-8"))
        self._persons = {record["personal_code"]: person_from_record(record) for record in data["persons"]}

    def lookup(self, personal_code: str) -> RegisteredPerson | None:
        return self._persons.get(normalize_personal_code(personal_code))


@cache
def _register(dotted_path: str) -> PersonsRegister:
    register: PersonsRegister = import_string(dotted_path)()
    return register


def persons_register() -> PersonsRegister:
    """The persons register chosen by the ONEDOOR_PERSONS_REGISTER setting (the local extract by default)."""
    return _register(
        getattr(settings, "ONEDOOR_PERSONS_REGISTER", "onedoor.parties.registers.persons.LocalPersonsRegister")
    )
