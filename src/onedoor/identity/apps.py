from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "onedoor.identity"
    label = "identity"
    verbose_name = "Identity and access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
