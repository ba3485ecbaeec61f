"""Holders edit their own catalog entries here (CAT-6); every save is versioned and audited by services."""

from typing import Any
from uuid import UUID

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from onedoor.identity.admin_access import PlatformAdminOnly
from onedoor.identity.selectors import actor_for_request
from onedoor.parties.models import Institution

from .models import ApplicationPlace, Category, LegalBasis, LifeSituation, OpeningHours, Service, ServiceStatusType
from .services import can_edit_service, service_record_change


class LegalBasisInline(admin.TabularInline[LegalBasis, Service]):
    model = LegalBasis
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0


class StatusTypeInline(admin.TabularInline[ServiceStatusType, Service]):
    model = ServiceStatusType
    extra = 0
    fields = [
        "position",
        "code",
        "lifecycle",
        "name_lv",
        "name_en",
        "client_text_lv",
        "client_text_en",
        "informs_client",
        "is_final",
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "pilot_reference", "name_lv", "holder", "is_published", "version"]
    list_filter = ["holder", "is_published", "execution", "fee_kind"]
    search_fields = ["code", "pilot_reference", "name_lv", "name_en"]
    filter_horizontal = ["providers", "application_channels", "result_channels", "categories", "life_situations"]
    readonly_fields = ["version", "application_form"]
    inlines = [LegalBasisInline, StatusTypeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        services = super().get_queryset(request).select_related("holder")
        actor = actor_for_request(request)
        if actor.is_platform_admin:
            return services
        if actor.institution_id is None:
            return services.none()
        return services.filter(holder__pk=UUID(actor.institution_id))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_edit_service(actor=actor_for_request(request), service=None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit_service(actor=actor_for_request(request), service=obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_edit_service(actor=actor_for_request(request), service=obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_edit_service(actor=actor_for_request(request), service=None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a service code is never reused: retire a service by unpublishing it

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        actor = actor_for_request(request)
        if db_field.name == "holder" and not actor.is_platform_admin:
            kwargs["queryset"] = Institution.objects.filter(code=actor.institution_code or "")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: ModelForm[Service], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        service_record_change(actor=actor_for_request(request), service=form.instance)


class OpeningHoursInline(admin.TabularInline[OpeningHours, ApplicationPlace]):
    model = OpeningHours
    extra = 0


@admin.register(ApplicationPlace)
class ApplicationPlaceAdmin(PlatformAdminOnly):
    list_display = ["code", "name_lv", "kind", "institution", "municipality_name", "is_active"]
    list_filter = ["kind", "institution"]
    search_fields = ["code", "name_lv", "address"]
    filter_horizontal = ["services"]
    inlines = [OpeningHoursInline]


@admin.register(Category, LifeSituation)
class TaxonomyAdmin(PlatformAdminOnly):
    list_display = ["code", "name_lv", "name_en", "position"]
