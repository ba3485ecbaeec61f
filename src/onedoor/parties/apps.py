from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "onedoor.parties"
    label = "parties"
    verbose_name = "Parties and institutions"
    default_auto_field = "django.db.models.BigAutoField"
