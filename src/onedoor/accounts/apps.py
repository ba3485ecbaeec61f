from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "onedoor.accounts"
    label = "accounts"
    verbose_name = _("E-account")

    def ready(self) -> None:
        from .api import schema  # noqa: F401 - registers the OpenAPI description of the authentication
