from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "onedoor.access"
    label = "access"
    verbose_name = _("Acting contexts and mandates")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the sign-in receiver
