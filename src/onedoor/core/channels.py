from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a client applies, consults or receives a result: one enumeration for the whole platform."""

    WEB_PORTAL = "web_portal", _("Web portal")
    E_ACCOUNT = "e_account", _("E-account")
    KAC = "kac", _("Customer service centre (in person)")
    PHONE = "phone", _("Phone (call centre)")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    INSTITUTION_SYSTEM = "institution_system", _("Institution system (API)")
    THIRD_PARTY_PORTAL = "third_party_portal", _("Third-party portal")

    @classmethod
    def electronic(cls) -> frozenset["Channel"]:
        return frozenset({cls.WEB_PORTAL, cls.E_ACCOUNT, cls.THIRD_PARTY_PORTAL})
