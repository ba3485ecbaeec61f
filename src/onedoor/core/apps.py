from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onedoor.core"
    label = "core"
    verbose_name = "OneDoor core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import logging

        logging.configure()
