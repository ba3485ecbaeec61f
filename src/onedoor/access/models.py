"""Mandates (ACC-5): a person or a company lets another person act for them."""

from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.core.models import BaseModel


class MandateScope(models.TextChoices):
    ALL_SERVICES = "all", _("All services")
    CHOSEN_SERVICES = "services", _("Chosen services")
    RESULTS_ONLY = "results", _("Result retrieval only")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Not yet in force")
    EXPIRED = "expired", _("Expired")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class Mandate(BaseModel):
    """A mandate from a mandator (person or company) to a mandatary (person), valid for a period.

    Revoking and declining are final and take effect at once; a mandate is never edited after it is
    given (give a new one instead), so the record of what was allowed stays true.
    """

    reference = models.CharField(max_length=12, unique=True, help_text=_("Shown to both sides: “M-7K3Q9F2A”."))
    mandator_person = models.ForeignKey(
        "parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="mandates_given"
    )
    mandator_organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="mandates_given"
    )
    mandatary = models.ForeignKey("parties.Person", on_delete=models.PROTECT, related_name="mandates_received")
    scope = models.CharField(max_length=10, choices=MandateScope.choices)
    service_codes = models.JSONField(default=list, blank=True, help_text=_("For chosen services: their codes."))
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    granted_by = models.ForeignKey(
        "parties.Person",
        on_delete=models.PROTECT,
        related_name="mandates_signed",
        help_text=_("The mandator, or for a company the representative who gave it."),
    )
    granted_at = models.DateTimeField()
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mandator_person__isnull=False, mandator_organisation__isnull=True)
                | models.Q(mandator_person__isnull=True, mandator_organisation__isnull=False),
                name="mandate_has_one_mandator",
            ),
            models.CheckConstraint(condition=models.Q(valid_until__gt=models.F("valid_from")), name="mandate_period"),
            models.CheckConstraint(
                condition=~models.Q(scope="services") | ~models.Q(service_codes=[]),
                name="mandate_chosen_services_listed",
            ),
        ]
        indexes = [
            models.Index(fields=["mandatary", "valid_until"], name="mandate_mandatary_idx"),
            models.Index(fields=["mandator_person", "-granted_at"], name="mandate_mandator_person_idx"),
            models.Index(fields=["mandator_organisation", "-granted_at"], name="mandate_mandator_org_idx"),
        ]
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def mandator_label(self) -> str:
        if self.mandator_organisation is not None:
            return self.mandator_organisation.name
        assert self.mandator_person is not None
        return self.mandator_person.full_name

    @property
    def mandator_key(self) -> str:
        if self.mandator_organisation is not None:
            return self.mandator_organisation.registration_number
        assert self.mandator_person is not None
        return self.mandator_person.personal_code

    @property
    def first_day(self) -> date:
        return timezone.localtime(self.valid_from).date()

    @property
    def last_day(self) -> date:
        """The last day it holds (inclusive): `valid_until` is the start of the day after, local time."""
        return (timezone.localtime(self.valid_until) - timedelta(microseconds=1)).date()

    def status_at(self, moment: datetime) -> str:
        if self.revoked_at is not None:
            return MandateStatus.REVOKED
        if self.declined_at is not None:
            return MandateStatus.DECLINED
        if moment < self.valid_from:
            return MandateStatus.PENDING
        if moment >= self.valid_until:
            return MandateStatus.EXPIRED
        return MandateStatus.ACTIVE

    def status_label_at(self, moment: datetime) -> str:
        """The status at `moment` in words, in the active language."""
        return str(MandateStatus(self.status_at(moment)).label)
