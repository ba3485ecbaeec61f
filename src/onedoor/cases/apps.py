from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onedoor.cases"
    label = "cases"
    verbose_name = "Request registry"
    default_auto_field = "django.db.models.BigAutoField"
