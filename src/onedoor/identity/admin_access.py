"""Who may use an administration page: shared by every app's admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .selectors import actor_for_request


def is_platform_admin(request: HttpRequest) -> bool:
    return actor_for_request(request).is_platform_admin


class PlatformAdminOnly(admin.ModelAdmin[Any]):
    """Visible and editable only by platform administrators."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request)


class ReadOnlyForPlatformAdmins(PlatformAdminOnly):
    """Platform administrators may look; nobody edits, adds or deletes."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    """Rows shown inside their parent's page for reading: nothing is added, changed or deleted there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
