"""Writing the catalog. Holders edit only their own services (CAT-6); every change is versioned and audited."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.actors import Actor
from onedoor.core.text import fold

from .errors import NotServiceHolder
from .lifecycle import GENERIC_STATUSES, is_final
from .models import Lifecycle, Service, ServiceStatusType, ServiceVersion

CATALOG_EDITOR = "catalog_editor"
_LIFECYCLE_ORDER = {value: index for index, value in enumerate(Lifecycle.values)}


def can_edit_service(*, actor: Actor, service: Service | None) -> bool:
    """Platform admins edit every service; a holder's catalog editors edit that holder's services."""
    if actor.is_platform_admin:
        return True
    if not actor.has_role(CATALOG_EDITOR) or actor.institution_id is None:
        return False
    return service is None or str(service.holder_id) == actor.institution_id


def service_check_edit(*, actor: Actor, service: Service | None) -> None:
    if not can_edit_service(actor=actor, service=service):
        audit_record(
            actor=actor,
            action="catalog.service.edit_denied",
            outcome="denied",
            obj=_audited(service) if service else None,
        )
        raise NotServiceHolder("Only the holder's catalog editors may change this service.")


def _audited(service: Service) -> AuditedObject:
    return AuditedObject(
        type="catalog.service", id=service.code, label=service.name_lv, holder_id=str(service.holder_id)
    )


def service_snapshot(service: Service) -> dict[str, Any]:
    """Everything a version records: fields, relations by code, legal basis and status types."""
    excluded = {"id", "created_at", "updated_at", "version", "search_text", "search_title", "holder", "municipality"}
    snapshot: dict[str, Any] = {
        field.name: getattr(service, field.attname)
        for field in Service._meta.concrete_fields
        if field.name not in excluded
    }
    snapshot["holder"] = service.holder.code
    snapshot["municipality"] = service.municipality.code if service.municipality else None
    snapshot["providers"] = sorted(service.providers.values_list("code", flat=True))
    snapshot["application_channels"] = sorted(service.application_channels.values_list("code", flat=True))
    snapshot["result_channels"] = sorted(service.result_channels.values_list("code", flat=True))
    snapshot["categories"] = sorted(service.categories.values_list("code", flat=True))
    snapshot["life_situations"] = sorted(service.life_situations.values_list("code", flat=True))
    snapshot["legal_basis"] = list(service.legal_basis.order_by("position").values("title_lv", "title_en", "url"))
    snapshot["statuses"] = list(
        service.status_types.order_by("position", "code").values(
            "code", "lifecycle", "name_lv", "name_en", "client_text_lv", "client_text_en", "informs_client", "is_final"
        )
    )
    return snapshot


def service_refresh_search(service: Service) -> None:
    holder = service.holder
    title = " ".join([service.code, service.pilot_reference, service.name_lv, service.name_en])
    body = " ".join(
        [
            title,
            service.summary_lv,
            service.summary_en,
            service.description_lv,
            service.description_en,
            holder.code,
            holder.name_lv,
            holder.name_en,
        ]
    )
    service.search_title = fold(title)[:600]
    service.search_text = fold(body)


def service_ensure_generic_statuses(service: Service) -> None:
    """Every service can use the whole generic lifecycle; missing generic status types are added."""
    existing = set(service.status_types.values_list("code", flat=True))
    ServiceStatusType.objects.bulk_create(
        [
            ServiceStatusType(
                service=service,
                code=lifecycle,
                lifecycle=lifecycle,
                name_lv=defaults.name_lv,
                name_en=defaults.name_en,
                client_text_lv=defaults.client_text_lv,
                client_text_en=defaults.client_text_en,
                informs_client=defaults.informs_client,
                is_final=is_final(lifecycle),
                position=_LIFECYCLE_ORDER[lifecycle] * 10,
            )
            for lifecycle, defaults in GENERIC_STATUSES.items()
            if lifecycle not in existing
        ]
    )


def status_position(lifecycle: str, index_within: int) -> int:
    """Service-specific statuses sort after the generic status of their lifecycle phase."""
    return _LIFECYCLE_ORDER[lifecycle] * 10 + 1 + index_within


def service_record_change(
    *, actor: Actor, service: Service, action: str = "catalog.service.update"
) -> ServiceVersion | None:
    """After a service and its relations were saved: refresh search, and if anything changed, version and audit.

    Returns the new version, or None when the service is identical to its latest version
    (so loading the same data twice creates nothing). A refusal is audited before it is raised.
    """
    service_check_edit(actor=actor, service=service)
    with transaction.atomic():
        return _service_record_version(actor=actor, service=service, action=action)


def _service_record_version(*, actor: Actor, service: Service, action: str) -> ServiceVersion | None:
    service_ensure_generic_statuses(service)
    service_refresh_search(service)
    snapshot = service_snapshot(service)
    latest = service.versions.order_by("-number").first()
    if latest is not None and latest.snapshot == snapshot:
        Service.objects.filter(pk=service.pk).update(search_title=service.search_title, search_text=service.search_text)
        return None
    number = latest.number + 1 if latest else 1
    changed = sorted(key for key in snapshot if latest is None or latest.snapshot.get(key) != snapshot[key])
    service.version = number
    Service.objects.filter(pk=service.pk).update(
        version=number, search_title=service.search_title, search_text=service.search_text, updated_at=timezone.now()
    )
    version = ServiceVersion.objects.create(
        service=service,
        number=number,
        snapshot=snapshot,
        changed_fields=changed,
        changed_by_id=actor.id,
        changed_by_label=actor.label,
        changed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="catalog.service.create" if latest is None else action,
        obj=_audited(service),
        details={"version": number, "changed_fields": changed},
    )
    return version
