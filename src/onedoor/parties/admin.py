from django.contrib import admin
from django.db import models

from .models import Institution, Organisation, Person


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin[Institution]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "name_lv", "kind", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["code", "name_lv", "name_en", "registration_number"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["personal_code", "given_name", "family_name", "municipality"]
    search_fields = ["personal_code", "family_name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["registration_number", "name", "legal_form"]
    search_fields = ["registration_number", "name"]
