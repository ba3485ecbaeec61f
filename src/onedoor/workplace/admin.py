"""The workplace in the administration: teams, tasks and time records to look at; placements (where
staff work and in which team) set by platform administrators and, for their own staff, by an
institution's administrators."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from onedoor.catalog.models import ApplicationPlace
from onedoor.identity.admin_access import ReadOnlyForPlatformAdmins
from onedoor.identity.models import Role, User
from onedoor.identity.selectors import actor_for_request

from .models import Placement, Task, Team, TimeRecord


@admin.register(Team)
class TeamAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["code", "name_lv", "name_en", "institution"]
    list_filter = ["institution"]
    search_fields = ["code", "name_lv", "name_en"]


@admin.register(Task)
class TaskAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["title", "institution", "team", "assignee", "status", "due_at", "created_at"]
    list_filter = ["status", "institution"]
    search_fields = ["title"]
    readonly_fields = [field.name for field in Task._meta.fields]


@admin.register(TimeRecord)
class TimeRecordAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["started_at", "specialist_label", "activity", "stage", "channel", "service", "seconds"]
    list_filter = ["activity", "stage", "channel", "institution"]
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in TimeRecord._meta.fields]


def _may_place(request: HttpRequest) -> bool:
    actor = actor_for_request(request)
    return actor.is_platform_admin or actor.has_role(Role.INSTITUTION_ADMIN)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin[Placement]):
    list_display = ["user", "place", "team"]
    list_filter = ["team"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Placement]:
        placements = super().get_queryset(request).select_related("user", "place", "team")
        actor = actor_for_request(request)
        if actor.is_platform_admin:
            return placements
        return placements.filter(user__institution_id=actor.institution_id or "")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> ModelChoiceField | None:
        actor = actor_for_request(request)
        institution = actor.institution_id or ""
        if not actor.is_platform_admin:
            if db_field.name == "user":
                kwargs["queryset"] = User.objects.filter(institution_id=institution)
            elif db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(institution_id=institution)
            elif db_field.name == "place":
                kwargs["queryset"] = ApplicationPlace.objects.filter(institution_id=institution)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_place(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_place(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_place(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_place(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_place(request)
