from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.models import BaseModel


class Subject(BaseModel):
    """A person as the development identity provider knows them, kept apart from the platform's accounts.

    django-oauth-toolkit binds grants and tokens to a row of the user model, so each subject has a
    shadow user of its own: inactive, without a password or a person, it can never sign in to the
    platform. The platform finds its own account for the person from the `personal_code` claim.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devidp_subject")
    personal_code = models.CharField(max_length=11, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("identity provider subject")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
