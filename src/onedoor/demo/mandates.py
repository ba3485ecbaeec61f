"""Demo mandates (ACC-5), so that the mandate pages and the context switcher have something to show:

- Līga Ozoliņa lets Edgars Ozols act for her for the family state benefit (a person's mandate for one
  service);
- AS "Baltijas Loģistika", through its sole board member Jānis Bērziņš, lets Anna Kalniņa receive the
  company's results (a company's mandate for result retrieval only).

Keyed by their fixed references: loading again restores them as they were (active from a month ago
for a year from today) and never duplicates them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onedoor.access.models import Mandate, MandateScope
from onedoor.access.services import mandate_period
from onedoor.parties.models import Organisation, Person
from onedoor.parties.registers.company import company_register
from onedoor.parties.registers.population import population_register
from onedoor.parties.services import organisation_from_register, person_from_register

LIGA, EDGARS, JANIS, ANNA = "30088813564", "25018614627", "14037812342", "32871452034"
BALTIJAS_LOGISTIKA = "40003119424"
FAMILY_STATE_BENEFIT = "2012"


@dataclass(frozen=True, slots=True)
class DemoMandate:
    reference: str
    mandator_person: str  # personal code, or "" for a company's mandate
    mandator_organisation: str  # registration number, or ""
    granted_by: str
    mandatary: str
    scope: str
    service_codes: tuple[str, ...] = ()


DEMO_MANDATES = (
    DemoMandate("M-DEMO0001", LIGA, "", LIGA, EDGARS, MandateScope.CHOSEN_SERVICES, (FAMILY_STATE_BENEFIT,)),
    DemoMandate("M-DEMO0002", "", BALTIJAS_LOGISTIKA, JANIS, ANNA, MandateScope.RESULTS_ONLY),
)


def _person(personal_code: str) -> Person:
    registered = population_register().lookup(personal_code)
    assert registered is not None, f"{personal_code} is not in the demo population register"
    return person_from_register(registered)


def _organisation(registration_number: str) -> Organisation:
    company = company_register().lookup(registration_number)
    assert company is not None, f"{registration_number} is not in the demo company register"
    return organisation_from_register(company)


@transaction.atomic
def load_mandates() -> int:
    """Give (or restore) the demo mandates; returns how many there are."""
    today = timezone.localdate()
    valid_from, valid_until = mandate_period(first_day=today - timedelta(days=30), last_day=today + timedelta(days=365))
    for demo in DEMO_MANDATES:
        Mandate.objects.update_or_create(
            reference=demo.reference,
            defaults={
                "mandator_person": _person(demo.mandator_person) if demo.mandator_person else None,
                "mandator_organisation": (
                    _organisation(demo.mandator_organisation) if demo.mandator_organisation else None
                ),
                "granted_by": _person(demo.granted_by),
                "mandatary": _person(demo.mandatary),
                "scope": demo.scope,
                "service_codes": list(demo.service_codes),
                "valid_from": valid_from,
                "valid_until": valid_until,
                "granted_at": valid_from,
                "declined_at": None,
                "revoked_at": None,
                "revoked_by_label": "",
            },
        )
    return len(DEMO_MANDATES)
