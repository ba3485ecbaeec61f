from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevIdpConfig(AppConfig):
    name = "onedoor.devidp"
    label = "devidp"
    verbose_name = _("Development identity provider")
    default_auto_field = "django.db.models.BigAutoField"
