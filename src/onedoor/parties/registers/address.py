"""The address register adapter (INT-5, ADDR-1): turns a typed address into a point.

`LocalAddressRegister` answers from a local extract of settlements (demo and tests); a
connection to the state address register plugs in behind the same interface through the
ONEDOOR_ADDRESS_REGISTER setting.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from onedoor.core.text import fold

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "demo" / "gazetteer.json"
_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Location:
    label: str
    latitude: float
    longitude: float
    municipality: str = ""


class AddressRegister(Protocol):
    def locate(self, text: str) -> Location | None:
        """The best-known point for a typed address or place name, or None when it is not known."""

    def known_names(self) -> list[str]:
        """Names a user may choose from (for suggestions)."""


class LocalAddressRegister:
    def __init__(self, path: Path = GAZETTEER_PATH):
        entries = json.loads(path.read_text(encoding="utf-8"))
        self._entries = [
            (fold(entry["name"]), Location(entry["name"], entry["latitude"], entry["longitude"], entry["municipality"]))
            for entry in entries
        ]
        self._entries.sort(key=lambda item: len(item[0]), reverse=True)

    def locate(self, text: str) -> Location | None:
        match = _COORDINATES.match(text)
        if match:
            latitude, longitude = float(match.group(1)), float(match.group(2))
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                return Location(f"{latitude:.4f}, {longitude:.4f}", latitude, longitude)
        folded = fold(text)
        if not folded:
            return None
        # The longest settlement name that stands in the text as whole words wins:
        # "Brīvības iela 1, Imanta, Rīga" finds Imanta rather than Rīga.
        for name, location in self._entries:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
                return location
        return None

    def known_names(self) -> list[str]:
        return sorted(location.label for _, location in self._entries)


@cache
def _register(dotted_path: str) -> AddressRegister:
    register: AddressRegister = import_string(dotted_path)()
    return register


def address_register() -> AddressRegister:
    return _register(
        getattr(settings, "ONEDOOR_ADDRESS_REGISTER", "onedoor.parties.registers.address.LocalAddressRegister")
    )
