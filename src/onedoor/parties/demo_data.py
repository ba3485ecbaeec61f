"""Loads the demo institutions, persons and organisations (idempotent: keyed by code or identifier)."""

import json
from pathlib import Path

from django.db import transaction

from .models import Institution, Organisation, Person

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@transaction.atomic
def load_institutions() -> int:
    rows = json.loads((DEMO_DIR / "institutions.json").read_text(encoding="utf-8"))
    for row in rows:
        code = row.pop("code")
        Institution.objects.update_or_create(code=code, defaults=row)
    return len(rows)


@transaction.atomic
def load_people() -> tuple[int, int]:
    data = json.loads((DEMO_DIR / "people.json").read_text(encoding="utf-8"))
    municipalities = {institution.code: institution for institution in Institution.objects.all()}
    for row in data["persons"]:
        personal_code = row.pop("personal_code")
        municipality = row.pop("municipality", None)
        Person.objects.update_or_create(
            personal_code=personal_code,
            defaults={**row, "municipality": municipalities.get(municipality) if municipality else None},
        )
    for row in data["organisations"]:
        registration_number = row.pop("registration_number")
        Organisation.objects.update_or_create(registration_number=registration_number, defaults=row)
    return len(data["persons"]), len(data["organisations"])
