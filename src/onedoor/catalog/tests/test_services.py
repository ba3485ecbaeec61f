"""CAT-6: holders edit only their own services; every change is versioned and audited."""

import pytest

from onedoor.audit.models import AuditRecord
from onedoor.audit.selectors import audit_chain_verify
from onedoor.catalog.errors import NotServiceHolder
from onedoor.catalog.models import Lifecycle, Service, ServiceVersion
from onedoor.catalog.services import service_record_change
from onedoor.conftest import staff_actor

pytestmark = pytest.mark.django_db


def _childbirth_benefit() -> Service:
    return Service.objects.get(pilot_reference="P.11")


def test_demo_services_start_at_version_one_with_the_whole_generic_lifecycle(demo_catalog: None) -> None:
    service = _childbirth_benefit()
    assert service.name_lv == "Bērna piedzimšanas pabalsts"
    assert service.version == 1
    assert service.versions.count() == 1
    codes = set(service.status_types.values_list("code", flat=True))
    assert set(Lifecycle.values) <= codes
    finals = set(service.status_types.filter(is_final=True).values_list("code", flat=True))
    assert {"closed", "rejected", "withdrawn"} <= finals


def test_loading_the_demo_again_changes_nothing(demo_catalog: None) -> None:
    from onedoor.catalog.demo_data import load_catalog
    from onedoor.core.actors import SYSTEM

    services, versions, audits = Service.objects.count(), ServiceVersion.objects.count(), AuditRecord.objects.count()
    load_catalog(actor=SYSTEM)
    assert (Service.objects.count(), ServiceVersion.objects.count(), AuditRecord.objects.count()) == (
        services,
        versions,
        audits,
    )


def test_holder_edit_creates_a_version_with_the_changed_fields_and_an_audit_record(demo_catalog: None) -> None:
    service = _childbirth_benefit()
    editor = staff_actor("VSAA", "catalog_editor")
    service.sla_days = 7
    service.save()
    version = service_record_change(actor=editor, service=service)
    assert version is not None
    assert version.number == 2
    assert version.changed_fields == ["sla_days"]
    assert version.snapshot["sla_days"] == 7
    assert version.changed_by_label == "test user of VSAA"
    service.refresh_from_db()
    assert service.version == 2
    record = AuditRecord.objects.order_by("-sequence").first()
    assert record is not None
    assert (record.action, record.object_id, record.outcome) == ("catalog.service.update", service.code, "success")
    assert record.details == {"version": 2, "changed_fields": ["sla_days"]}
    assert record.holder_id == str(service.holder_id)
    assert audit_chain_verify().intact


def test_saving_without_a_change_creates_no_version(demo_catalog: None) -> None:
    service = _childbirth_benefit()
    assert service_record_change(actor=staff_actor("VSAA", "catalog_editor"), service=service) is None
    assert service.versions.count() == 1


def test_another_holders_editor_is_refused_and_the_refusal_is_audited(demo_catalog: None) -> None:
    service = _childbirth_benefit()
    before = service.versions.count()
    with pytest.raises(NotServiceHolder):
        service_record_change(actor=staff_actor("VID", "catalog_editor"), service=service)
    assert service.versions.count() == before
    denied = AuditRecord.objects.filter(action="catalog.service.edit_denied", object_id=service.code)
    assert denied.count() == 1


def test_staff_without_the_editor_role_are_refused(demo_catalog: None) -> None:
    with pytest.raises(NotServiceHolder):
        service_record_change(actor=staff_actor("VSAA"), service=_childbirth_benefit())


def test_platform_admin_may_edit_any_service(demo_catalog: None) -> None:
    service = _childbirth_benefit()
    service.summary_en = "Paid to a parent after a child is born."
    service.save()
    version = service_record_change(actor=staff_actor("VRAA", "platform_admin", platform_admin=True), service=service)
    assert version is not None
    assert version.changed_fields == ["summary_en"]
