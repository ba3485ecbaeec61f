"""Mandates in the administration (AUD-2): platform administrators look them up; nobody edits them there.
Staff reach the administration acting for their institution until they choose otherwise (ADR 0007)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.access.models import Mandate
from onedoor.access.services import mandate_period
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.core.models import OutboxEvent
from onedoor.identity.models import User
from onedoor.parties.registers.company import company_register
from onedoor.parties.registers.population import population_register
from onedoor.parties.services import organisation_from_register, person_from_register

pytestmark = pytest.mark.django_db


def _mandates() -> None:
    """A person's mandate for one service and a company's for results only."""
    today = timezone.localdate()
    valid_from, valid_until = mandate_period(first_day=today, last_day=today + timedelta(days=30))
    period = {"valid_from": valid_from, "valid_until": valid_until, "granted_at": timezone.now()}
    liga, edgars, anna = (
        person_from_register(population_register().lookup(code))  # type: ignore[arg-type]  # known demo people
        for code in ("30088813564", "25018614627", "32871452034")
    )
    company = company_register().lookup("40003119424")
    assert company is not None
    Mandate.objects.create(
        reference="M-DEMO0001",
        mandator_person=liga,
        granted_by=liga,
        mandatary=edgars,
        scope="services",
        service_codes=["2012"],
        **period,
    )
    Mandate.objects.create(
        reference="M-DEMO0002",
        mandator_organisation=organisation_from_register(company),
        granted_by=liga,
        mandatary=anna,
        scope="results",
        **period,
    )


def _state() -> dict[str, object]:
    """What a refused change must leave as it was: every mandate, the events and the successful audit records."""
    return {
        "mandates": list(Mandate.objects.order_by("pk").values()),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        "succeeded": list(AuditRecord.objects.filter(outcome=Outcome.SUCCESS).values_list("sequence", flat=True)),
    }


def test_platform_admins_read_mandates_and_cannot_change_them(client: Client, demo_catalog: None) -> None:
    _mandates()
    client.force_login(User.objects.get(username="admin"))
    listing = client.get("/en/admin/access/mandate/?q=M-DEMO0002")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "M-DEMO0002" in page
    assert "Result retrieval only" in page
    assert "Active" in page
    assert "M-DEMO0001" not in page
    mandate = listing.context["cl"].result_list[0]
    detail = client.get(f"/en/admin/access/mandate/{mandate.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert list(
        AuditRecord.objects.filter(action__startswith="access.mandate.admin").values_list("action", "object_id")
    ) == [
        ("access.mandate.admin_list", ""),
        ("access.mandate.admin_view", "M-DEMO0002"),
    ]
    before = _state()
    assert client.post(f"/en/admin/access/mandate/{mandate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/en/admin/access/mandate/add/").status_code == 403
    assert client.post(f"/en/admin/access/mandate/{mandate.pk}/change/", {"scope": "all"}).status_code == 403
    assert _state() == before


def test_staff_act_for_their_institution_in_the_administration_until_they_choose(
    client: Client, demo_catalog: None
) -> None:
    editor = User.objects.get(username="vsaa-editor")
    client.force_login(editor)
    admin_page = client.get("/en/admin/")
    assert admin_page.status_code == 200
    assert admin_page.context["acting_context"].key == "VSAA"
    # Not a platform administrator: mandates are not theirs to read.
    before = _state()
    assert client.get("/en/admin/access/mandate/").status_code == 403
    assert _state() == before
    # The portal still asks whom they act for (themself or VSAA).
    assert client.get("/en/services/").status_code == 302
