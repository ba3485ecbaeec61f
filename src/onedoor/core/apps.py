from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onedoor.core"
    label = "core"
    verbose_name = "OneDoor core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import celery, logging  # noqa: F401 - every process sends tasks through the configured app

        logging.configure()
