from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "institution", "is_staff", "is_demo_account"]
    list_filter = ["institution", "is_staff", "is_superuser", "is_demo_account"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("OneDoor", {"fields": ("institution", "person", "roles", "is_demo_account")}),
    )
