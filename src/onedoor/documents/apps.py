from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "onedoor.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from onedoor.core.health import feature_check_register

        from .scanning import scanner_state

        feature_check_register("scanner", scanner_state)
