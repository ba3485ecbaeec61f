"""Platform administrators look up mandates here (ACC-5, AUD-2), e.g. when a client calls about one.

Read-only: a mandate is given, revoked and declined only by its parties through the e-account,
where every change is checked and audited; an administrator never edits one. Reading the list or a
mandate is audited (AUD-1: reads of personal data).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.identity.admin_access import ReadOnlyForPlatformAdmins
from onedoor.identity.selectors import actor_for_request

from .models import Mandate


@admin.register(Mandate)
class MandateAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["reference", "mandator", "mandatary", "scope", "status", "valid_from", "valid_until", "granted_at"]
    list_filter = ["scope"]
    list_select_related = ["mandator_person", "mandator_organisation", "mandatary"]
    search_fields = [
        "=reference",
        "=mandatary__personal_code",
        "=mandator_person__personal_code",
        "=mandator_organisation__registration_number",
    ]
    date_hierarchy = "granted_at"
    fields = readonly_fields = (
        "reference",
        "mandator_person",
        "mandator_organisation",
        "mandatary",
        "scope",
        "service_codes",
        "valid_from",
        "valid_until",
        "granted_by",
        "granted_at",
        "declined_at",
        "revoked_at",
        "revoked_by_label",
    )

    @admin.display(description=_("Mandator"))
    def mandator(self, mandate: Mandate) -> str:
        return mandate.mandator_label

    @admin.display(description=_("Status"))
    def status(self, mandate: Mandate) -> str:
        return mandate.status_label_at(timezone.now())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_record(
                actor=actor_for_request(request),
                action="access.mandate.admin_list",
                details={"query": dict(request.GET.items())},
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        mandate = self.get_object(request, object_id)
        if response.status_code == 200 and mandate is not None:
            audit_record(
                actor=actor_for_request(request),
                action="access.mandate.admin_view",
                obj=AuditedObject(
                    type="access.mandate",
                    id=mandate.reference,
                    label=mandate.mandator_label,
                    holder_id=str(mandate.mandator_person_id or mandate.mandator_organisation_id),
                ),
            )
        return response
