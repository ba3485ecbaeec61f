"""Loads the demo catalog: categories, life situations, services and application places.

Idempotent: keyed by codes, and a service gets a new version only when its content changed.
"""

import json
from datetime import time
from pathlib import Path
from typing import Any

from django.db import transaction

from onedoor.core.actors import Actor
from onedoor.core.channels import Channel
from onedoor.parties.models import Institution

from .models import (
    ApplicationPlace,
    Category,
    ChannelOption,
    LegalBasis,
    LifeSituation,
    OpeningHours,
    Service,
    ServiceStatusType,
)
from .services import service_record_change, status_position

DEMO_DIR = Path(__file__).resolve().parent / "demo"

_AUDIENCE_FIELDS = {"natural": "for_natural_persons", "legal": "for_legal_persons", "internal": "is_internal"}


def _load_taxonomy(model: type[Category] | type[LifeSituation], rows: list[dict[str, Any]]) -> None:
    for position, row in enumerate(rows):
        model.objects.update_or_create(code=row["code"], defaults={**row, "position": position})


def _service_fields(row: dict[str, Any], institutions: dict[str, Institution]) -> dict[str, Any]:
    simple = {
        key: row.get(key, "")
        for key in (
            "pilot_reference",
            "name_lv",
            "name_en",
            "summary_lv",
            "summary_en",
            "description_lv",
            "description_en",
            "fee_note_lv",
            "fee_note_en",
            "external_url",
        )
    }
    audiences = set(row["audiences"])
    return {
        **simple,
        "holder": institutions[row["holder"]],
        "municipality": institutions[row["municipality"]] if row.get("municipality") else None,
        "fee_kind": row["fee_kind"],
        "fee_amount_cents": row.get("fee_amount_cents"),
        "payment_timing": row["payment_timing"],
        "sla_days": row.get("sla_days"),
        "e_assistant_allowed": row["e_assistant_allowed"],
        "application_form": row.get("application_form", {}),
        "execution": row["execution"],
        "is_published": True,
        **{field: audience in audiences for audience, field in _AUDIENCE_FIELDS.items()},
    }


def _load_service(row: dict[str, Any], *, actor: Actor, institutions: dict[str, Institution]) -> Service:
    service, _ = Service.objects.update_or_create(code=row["code"], defaults=_service_fields(row, institutions))
    service.providers.set([institutions[code] for code in row.get("providers", [])])
    service.application_channels.set(ChannelOption.objects.filter(code__in=row["application_channels"]))
    service.result_channels.set(ChannelOption.objects.filter(code__in=row["result_channels"]))
    service.categories.set(Category.objects.filter(code__in=row["categories"]))
    service.life_situations.set(LifeSituation.objects.filter(code__in=row.get("life_situations", [])))
    service.legal_basis.all().delete()
    LegalBasis.objects.bulk_create(
        LegalBasis(service=service, position=position, **link)
        for position, link in enumerate(row.get("legal_basis", []))
    )
    per_phase: dict[str, int] = {}
    for status in row.get("statuses", []):
        index = per_phase.get(status["lifecycle"], 0)
        per_phase[status["lifecycle"]] = index + 1
        ServiceStatusType.objects.update_or_create(
            service=service,
            code=status["code"],
            defaults={**status, "position": status_position(status["lifecycle"], index)},
        )
    service_record_change(actor=actor, service=service)
    return service


def _load_place(row: dict[str, Any], institutions: dict[str, Institution]) -> None:
    fields = {
        key: row[key]
        for key in (
            "name_lv",
            "name_en",
            "kind",
            "address",
            "municipality_name",
            "latitude",
            "longitude",
            "phone",
            "email",
        )
    }
    institution = institutions[row["institution"]]
    place, _ = ApplicationPlace.objects.update_or_create(
        code=row["code"], defaults={**fields, "institution": institution, "is_active": True}
    )
    if row["services"] == "e_assistant":
        place.services.set(Service.objects.filter(e_assistant_allowed=True, is_internal=False))
    else:
        place.services.set(Service.objects.filter(holder=institution))
    place.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(
            place=place,
            weekday=weekday,
            opens=time.fromisoformat(hours["opens"]),
            closes=time.fromisoformat(hours["closes"]),
        )
        for hours in row["opening_hours"]
        for weekday in hours["weekdays"]
    )


@transaction.atomic
def load_catalog(*, actor: Actor) -> dict[str, int]:
    catalog = json.loads((DEMO_DIR / "catalog.json").read_text(encoding="utf-8"))
    places = json.loads((DEMO_DIR / "places.json").read_text(encoding="utf-8"))
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    # The migration creates the channel rows; a flushed database (transactional tests) has lost them.
    ChannelOption.objects.bulk_create([ChannelOption(code=code) for code in Channel.values], ignore_conflicts=True)
    _load_taxonomy(Category, catalog["categories"])
    _load_taxonomy(LifeSituation, catalog["life_situations"])
    for row in catalog["services"]:
        _load_service(row, actor=actor, institutions=institutions)
    for row in places:
        _load_place(row, institutions)
    return {
        "categories": len(catalog["categories"]),
        "life_situations": len(catalog["life_situations"]),
        "services": len(catalog["services"]),
        "places": len(places),
    }
