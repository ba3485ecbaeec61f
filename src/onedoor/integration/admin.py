"""Platform administrators manage institutions' systems and subscriptions and watch webhook deliveries here.

Changes to systems and subscriptions are audited. Deliveries and attempts are read-only: they
are the dispatcher's record. The only action on a delivery is "Redeliver", which goes through
`delivery_redeliver` (checked and audited).
"""

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.errors import ApplicationError
from onedoor.identity.admin_access import (
    PlatformAdminOnly,
    ReadOnlyForPlatformAdmins,
    ReadOnlyInline,
    is_platform_admin,
)
from onedoor.identity.selectors import actor_for_request

from .delivery import delivery_redeliver
from .models import Delivery, DeliveryAttempt, InstitutionSystem, Subscription


class AuditedForPlatformAdmins(PlatformAdminOnly):
    """Every add, change and delete is written to the audit log in the transaction of the change."""

    def institution_id(self, obj: Any) -> str:
        """The institution the changed object belongs to (it may read the audit record)."""
        raise NotImplementedError

    def _audit(self, request: HttpRequest, obj: Any, verb: str, changed: list[str] | None = None) -> None:
        audit_record(
            actor=actor_for_request(request),
            action=f"integration.{obj._meta.model_name}.{verb}",
            obj=AuditedObject(
                type=f"integration.{obj._meta.model_name}",
                id=str(obj.pk),
                label=str(obj),
                holder_id=self.institution_id(obj),
            ),
            details={"changed_fields": changed or [], "via": "admin"},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "update" if change else "create", sorted(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, "delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, "delete")
        super().delete_queryset(request, queryset)


@admin.register(InstitutionSystem)
class InstitutionSystemAdmin(AuditedForPlatformAdmins):
    list_display = ["code", "name", "institution", "is_active", "is_demo_account"]
    list_filter = ["is_active", "institution"]
    list_select_related = ["institution"]
    search_fields = ["code", "name"]
    filter_horizontal = ["services"]
    raw_id_fields = ["application"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deliveries and the audit log refer to systems: deactivate instead

    def institution_id(self, obj: InstitutionSystem) -> str:
        return str(obj.institution_id)


@admin.register(Subscription)
class SubscriptionAdmin(AuditedForPlatformAdmins):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["system", "url", "is_active", "created_at"]
    list_filter = ["is_active", "system__institution"]
    list_select_related = ["system"]
    search_fields = ["url", "system__code"]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The shared secret is entered once and never shown again.
        return ["secret"] if obj is not None else []

    def institution_id(self, obj: Subscription) -> str:
        return str(obj.system.institution_id)


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ["attempted_at", "status_code", "latency_ms", "error"]
    readonly_fields = ["attempted_at", "status_code", "latency_ms", "error"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyForPlatformAdmins):
    list_display = [
        "id",
        "event_type",
        "event_subject",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status"]
    list_select_related = ["event", "subscription__system"]
    search_fields = ["event__subject", "event__id", "subscription__system__code"]
    inlines = [DeliveryAttemptInline]
    actions = ["redeliver"]

    @admin.display(description=_("Event type"))
    def event_type(self, delivery: Delivery) -> str:
        return delivery.event.type

    @admin.display(description=_("Subject"))
    def event_subject(self, delivery: Delivery) -> str:
        return delivery.event.subject

    def has_redeliver_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request)

    @admin.action(description=_("Redeliver"), permissions=["redeliver"])
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        actor = actor_for_request(request)
        queued = 0
        for delivery in queryset.select_related("subscription"):
            try:
                delivery_redeliver(actor=actor, delivery=delivery)
            except ApplicationError as error:
                self.message_user(request, f"{delivery.pk}: {error.detail}", messages.WARNING)
            else:
                queued += 1
        message = ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", queued)
        self.message_user(request, message % {"count": queued}, messages.SUCCESS)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["delivery", "attempted_at", "status_code", "latency_ms", "error"]
    list_select_related = ["delivery"]
    date_hierarchy = "attempted_at"
