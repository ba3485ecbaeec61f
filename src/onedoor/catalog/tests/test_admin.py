"""CAT-6 through the administration pages: a VSAA editor cannot change a VID service."""

import pytest
from django.test import Client

from onedoor.audit.models import AuditRecord
from onedoor.catalog.models import Service
from onedoor.identity.models import User

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def test_editor_sees_only_own_services_in_the_list(client: Client, demo_catalog: None) -> None:
    _login(client, "vsaa-editor")
    response = client.get("/en/admin/catalog/service/?all=")
    assert response.status_code == 200
    listed = {service.code for service in response.context["cl"].result_list}
    assert listed == set(Service.objects.filter(holder__code="VSAA").values_list("code", flat=True))


def test_vsaa_editor_cannot_open_or_change_a_vid_service(client: Client, demo_catalog: None) -> None:
    vid_service = Service.objects.filter(holder__code="VID").first()
    assert vid_service is not None
    _login(client, "vsaa-editor")
    url = f"/en/admin/catalog/service/{vid_service.pk}/change/"
    assert client.get(url).status_code in {302, 404}
    response = client.post(url, {"name_lv": "Mainīts"})
    assert response.status_code in {302, 403, 404}
    vid_service.refresh_from_db()
    assert vid_service.name_lv != "Mainīts"
    assert vid_service.version == 1


def test_editor_change_of_own_service_is_versioned_and_audited(client: Client, demo_catalog: None) -> None:
    service = Service.objects.get(pilot_reference="P.11")
    _login(client, "vsaa-editor")
    url = f"/en/admin/catalog/service/{service.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is not None and value is not False:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = getattr(value, "pk", value)
    data["sla_days"] = 9
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    service.refresh_from_db()
    assert service.sla_days == 9
    assert service.version == 2
    record = AuditRecord.objects.filter(action="catalog.service.update", object_id=service.code).get()
    assert record.actor_label == "Ilze Ozola"  # the staff member's name, as every audit record shows it
    assert record.details["changed_fields"] == ["sla_days"]
