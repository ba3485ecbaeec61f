from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "onedoor.catalog"
    label = "catalog"
    verbose_name = "Service catalog"
    default_auto_field = "django.db.models.BigAutoField"
