from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.channels import Channel
from onedoor.core.models import BaseModel


class ClientKind(models.TextChoices):
    """How well the client of a case or consultation is identified (REG-1, REG-4)."""

    PERSON = "person", _("Identified natural person")
    ORGANISATION = "organisation", _("Identified legal person")
    PHONE = "phone", _("Known by phone number only")
    ANONYMOUS = "anonymous", _("Anonymous")


class Authorisation(models.TextChoices):
    """Under what authority someone other than the client submitted the application (ASST-1)."""

    IN_PERSON = "in_person", _("In-person authorisation")
    MANDATE = "mandate", _("Mandate")


class CaseNumberCounter(models.Model):
    """The last sequence number given to a case of a service; locked while a number is allocated."""

    service = models.OneToOneField("catalog.Service", on_delete=models.PROTECT, primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.service_id}: {self.last_sequence}"


class Case(BaseModel):
    """One service case from any channel, recorded once (REG-1)."""

    number = models.CharField(max_length=20, unique=True, help_text=_("Service code and sequence: “2011 0042”."))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="cases")
    sequence = models.PositiveIntegerField()
    holder = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="held_cases")
    provider = models.ForeignKey(
        "parties.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="provided_cases"
    )
    requesting_institution = models.ForeignKey(
        "parties.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_cases",
        help_text=_("For internal services (REG-7): the institution that asked for the service."),
    )
    applicant_kind = models.CharField(max_length=12, choices=ClientKind.choices)
    applicant_person = models.ForeignKey(
        "parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="applied_cases"
    )
    applicant_organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="applied_cases"
    )
    applicant_phone = models.CharField(max_length=20, blank=True)
    for_person = models.ForeignKey(
        "parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    for_organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    mandate_reference = models.CharField(max_length=64, blank=True)
    authorisation = models.CharField(
        max_length=12,
        choices=Authorisation.choices,
        blank=True,
        help_text=_("Set when a specialist submitted the application on the client's behalf (e-assistant)."),
    )
    channel = models.CharField(max_length=30, choices=Channel.choices)
    result_channel = models.CharField(max_length=30, choices=Channel.choices, blank=True)
    place = models.ForeignKey(
        "catalog.ApplicationPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(max_length=50, help_text=_("The current status: the latest by occurrence time."))
    lifecycle = models.CharField(max_length=20)
    is_closed = models.BooleanField(default=False)
    status_occurred_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    external_id = models.CharField(max_length=100, blank=True, help_text=_("The case's id in the holder's system."))
    data = models.JSONField(default=dict, blank=True)
    registered_by_kind = models.CharField(max_length=16)
    registered_by_id = models.CharField(max_length=64, blank=True)
    registered_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "sequence"], name="case_sequence_unique_per_service"),
            models.UniqueConstraint(
                fields=["holder", "external_id"], condition=~models.Q(external_id=""), name="case_external_id_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="person") | models.Q(applicant_person__isnull=False),
                name="case_person_applicant_identified",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="organisation") | models.Q(applicant_organisation__isnull=False),
                name="case_organisation_applicant_identified",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="phone") | ~models.Q(applicant_phone=""),
                name="case_phone_applicant_has_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "-submitted_at"], name="case_holder_recent_idx"),
            models.Index(fields=["for_person", "-submitted_at"], name="case_person_recent_idx"),
            models.Index(fields=["for_organisation", "-submitted_at"], name="case_org_recent_idx"),
            models.Index(fields=["service", "status"], name="case_service_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def url_number(self) -> str:
        return self.number.replace(" ", "-")

    @property
    def service_code(self) -> str:
        """The service code, read from the case number (no query)."""
        return self.number.split(" ", 1)[0]


class CaseStatusEvent(models.Model):
    """One entry of a case's status history. `event_id` makes delivery idempotent (REG-2)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_events")
    event_id = models.CharField(max_length=100)
    status = models.CharField(max_length=50)
    lifecycle = models.CharField(max_length=20)
    is_final = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(help_text=_("When it happened in the source system."))
    received_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    acting_for = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "event_id"], name="status_event_id_unique_per_case")]
        indexes = [models.Index(fields=["case", "occurred_at"], name="status_event_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class Consultation(BaseModel):
    """Information given to a client, separate from any application (REG-4)."""

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    institution = models.ForeignKey(
        "parties.Institution", on_delete=models.PROTECT, related_name="consultations", help_text=_("Who consulted.")
    )
    channel = models.CharField(max_length=30, choices=Channel.choices)
    client_kind = models.CharField(max_length=12, choices=ClientKind.choices)
    person = models.ForeignKey(
        "parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    phone = models.CharField(max_length=20, blank=True)
    topic = models.CharField(max_length=300)
    outcome = models.CharField(max_length=1000, blank=True)
    specialist = models.CharField(max_length=200, blank=True)
    place = models.ForeignKey(
        "catalog.ApplicationPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    external_id = models.CharField(max_length=100, blank=True)
    recorded_by_kind = models.CharField(max_length=16)
    recorded_by_id = models.CharField(max_length=64, blank=True)
    recorded_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "external_id"],
                condition=~models.Q(external_id=""),
                name="consultation_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="consultation_person_idx"),
            models.Index(fields=["institution", "-occurred_at"], name="consultation_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.occurred_at:%Y-%m-%d})"


class FeedbackAspect(models.TextChoices):
    OVERALL = "overall", _("Overall")
    SPEED = "speed", _("Speed")
    CLARITY = "clarity", _("Clarity of information")
    STAFF = "staff", _("Staff")
    CONVENIENCE = "convenience", _("Convenience of the channel")


class Feedback(BaseModel):
    """A client's rating of a case or a consultation: a score 1–5 per aspect and a comment (REG-5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    client_key = models.CharField(max_length=64, help_text=_("Personal code, registration number or phone number."))
    scores = models.JSONField()
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=30, choices=Channel.choices)
    given_at = models.DateTimeField()
    given_by_label = models.CharField(
        max_length=200, blank=True, help_text=_("Who gave it in the e-account: the signed-in person's name.")
    )
    mandate_reference = models.CharField(
        max_length=64, blank=True, help_text=_("The mandate it was given under, when given by a mandatary (ACC-5).")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, consultation__isnull=True)
                | models.Q(case__isnull=True, consultation__isnull=False),
                name="feedback_on_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["case", "client_key"], condition=models.Q(case__isnull=False), name="feedback_once_per_case"
            ),
            models.UniqueConstraint(
                fields=["consultation", "client_key"],
                condition=models.Q(consultation__isnull=False),
                name="feedback_once_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.scores}"
