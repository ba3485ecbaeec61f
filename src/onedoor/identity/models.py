import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles a staff member holds within their institution (SPEC.md §1)."""

    CATALOG_EDITOR = "catalog_editor", _("Catalog editor")
    CASE_HANDLER = "case_handler", _("Case handler")
    SPECIALIST = "specialist", _("Customer-service specialist (KAC, call centre)")
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class User(AbstractUser):
    """A person who signs in. Staff belong to one institution (the tenant) and hold roles in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(
        "parties.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    person = models.ForeignKey("parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    roles = models.JSONField(default=list, blank=True, help_text=_("Role codes held in the institution."))
    is_demo_account = models.BooleanField(
        default=False, help_text=_("Created by the demo data with a published password; refused in production.")
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username
