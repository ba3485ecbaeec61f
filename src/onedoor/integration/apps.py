from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "onedoor.integration"
    label = "integration"
    verbose_name = "Integration with institutions' systems"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, handlers  # noqa: F401 - registers the outbox handler and the deploy checks
        from .api import schema  # noqa: F401 - registers the OpenAPI description of the authentication
