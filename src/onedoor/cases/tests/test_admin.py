"""A holder without a system of its own sets case statuses in the administration."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localtime

from onedoor.cases.models import Case, CaseStatusEvent
from onedoor.cases.services import PartyRef, case_register
from onedoor.conftest import staff_actor
from onedoor.identity.models import User

pytestmark = pytest.mark.django_db


def _roja_case() -> Case:
    actor = staff_actor("ROJA", "cases:write", system=True)
    return case_register(actor=actor, service_code="803001", applicant=PartyRef(phone="29123456"), channel="kac").case


def test_case_handler_records_a_status_and_it_enters_the_history(client: Client, demo_catalog: None) -> None:
    case = _roja_case()
    client.force_login(User.objects.get(username="roja-handler"))
    page = client.get(f"/en/admin/cases/case/{case.pk}/status/")
    assert page.status_code == 200
    response = client.post(
        f"/en/admin/cases/case/{case.pk}/status/",
        {
            "status": "in_progress",
            "occurred_at": f"{localtime(timezone.now() + timedelta(minutes=1)):%Y-%m-%d %H:%M:%S}",
            "note": "Documents received",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress"
    event = CaseStatusEvent.objects.get(case=case, status="in_progress")
    assert (event.actor_label, event.note) == ("Aija Zvejniece", "Documents received")


def test_unknown_status_is_a_form_error_and_nothing_is_written(client: Client, demo_catalog: None) -> None:
    case = _roja_case()
    client.force_login(User.objects.get(username="roja-handler"))
    response = client.post(
        f"/en/admin/cases/case/{case.pk}/status/", {"status": "teleported", "occurred_at": "2026-11-22 10:00:00"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert CaseStatusEvent.objects.filter(case=case).count() == 1


def test_other_institutions_staff_cannot_see_or_change_the_case(client: Client, demo_catalog: None) -> None:
    case = _roja_case()
    user = User.objects.get(username="vsaa-editor")
    user.roles = ["case_handler"]
    user.save()
    client.force_login(user)
    assert client.get(f"/en/admin/cases/case/{case.pk}/status/").status_code == 404
    response = client.post(
        f"/en/admin/cases/case/{case.pk}/status/", {"status": "closed", "occurred_at": "2026-11-22 10:00:00"}
    )
    assert response.status_code == 404
    assert CaseStatusEvent.objects.filter(case=case).count() == 1
