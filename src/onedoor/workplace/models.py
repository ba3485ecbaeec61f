from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.channels import Channel
from onedoor.core.models import BaseModel


class Team(BaseModel):
    """A group of specialists of one institution who share a queue (WORK-1)."""

    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="teams")
    code = models.SlugField(max_length=60)
    name_lv = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)

    class Meta:
        ordering = ["institution", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="team_code_unique")]

    def __str__(self) -> str:
        return self.name_lv


class Placement(BaseModel):
    """Where a member of staff works: their application place (KAC or office) and team."""

    user = models.OneToOneField("identity.User", on_delete=models.CASCADE, related_name="placement")
    place = models.ForeignKey(
        "catalog.ApplicationPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="placements")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.place_id or '-'}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    IN_PROGRESS = "in_progress", _("Being processed")
    DONE = "done", _("Done")


class Task(BaseModel):
    """A piece of work in a queue: of a specialist, their team or their institution (WORK-1, FLOW-2).

    Tasks are internal to their institution: nobody outside it sees them.
    """

    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="tasks")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    assignee = models.ForeignKey(
        "identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_tasks"
    )
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    consultation = models.ForeignKey(
        "cases.Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=30, choices=Channel.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the current assignee started processing it (for time records).")
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=1000, blank=True)
    created_by_id = models.CharField(max_length=64, blank=True)
    created_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="task_assignee_idx"),
            models.Index(fields=["team", "status", "due_at"], name="task_team_idx"),
            models.Index(fields=["institution", "status", "due_at"], name="task_institution_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    PICKED = "picked", _("Picked")
    HANDED_OVER = "handed_over", _("Handed over")
    RETURNED = "returned", _("Returned to the queue")
    COMPLETED = "completed", _("Completed")


class TaskEvent(models.Model):
    """One step in a task's history: who did what, with the note they left."""

    id = models.BigAutoField(primary_key=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=TaskEventKind.choices)
    occurred_at = models.DateTimeField()
    actor_id = models.CharField(max_length=64)
    actor_label = models.CharField(max_length=200)
    to_user = models.ForeignKey("identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["task", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class Stage(models.TextChoices):
    """Cost-management stages (COST-2), with consultations kept apart."""

    CONSULTATION = "consultation", _("Consultation")
    APPLICATION = "application", _("Application")
    EXECUTION = "execution", _("Execution")
    RESULT_DELIVERY = "result_delivery", _("Result delivery")


class Activity(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    APPLICATION = "application", _("Application with the e-assistant")
    TASK = "task", _("Task")


class TimeRecord(models.Model):
    """Time a specialist spent, recorded automatically by the workplace (COST-3)."""

    id = models.BigAutoField(primary_key=True)
    specialist = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="time_records")
    specialist_label = models.CharField(max_length=200)
    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="time_records")
    place = models.ForeignKey(
        "catalog.ApplicationPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="time_records"
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="time_records"
    )
    channel = models.CharField(max_length=30, choices=Channel.choices)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    activity = models.CharField(max_length=16, choices=Activity.choices)
    started_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consultation = models.ForeignKey(
        "cases.Consultation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="time_records")

    class Meta:
        indexes = [
            models.Index(fields=["specialist", "-started_at"], name="time_specialist_idx"),
            models.Index(fields=["institution", "service", "started_at"], name="time_institution_service_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.specialist_label} {self.activity} {self.seconds}s"


class Purpose(models.TextChoices):
    CASE = "case", _("A case of the client")
    SERVICE = "service", _("A service the client asks about")


class Verification(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed (the client is present and identified)")
    PENDING = "pending", _("Caller not verified yet")
    PASSED = "passed", _("Caller verified")
    FAILED = "failed", _("Caller verification failed")


class ClientView(BaseModel):
    """One opening of a client's 360 view by a specialist, for a stated purpose (CLI-1, CLI-2, CLI-3).

    Every section shown under it is audited with this view's id; it expires, and on the phone
    nothing is shown until the caller has been verified.
    """

    opened_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="client_views")
    opened_by_label = models.CharField(max_length=200)
    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="client_views")
    person = models.ForeignKey("parties.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=30, choices=Channel.choices)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose_note = models.CharField(max_length=300, blank=True)
    consent_given_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the client consented, where the service requires consent.")
    )
    verification = models.CharField(max_length=12, choices=Verification.choices)
    verification_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["opened_by", "-created_at"], name="client_view_opened_by_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
                name="client_view_one_client",
            ),
            models.CheckConstraint(
                condition=(models.Q(purpose="case") & models.Q(case__isnull=False))
                | (models.Q(purpose="service") & models.Q(service__isnull=False)),
                name="client_view_purpose_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opened_by_label}: {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    PRINTED = "printed", _("Printed for signature")
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class Signature(models.TextChoices):
    SCAN = "scan", _("Signed paper, scanned and attached")
    IN_PERSON = "in_person", _("Signed in person before the specialist")


class AssistedApplication(BaseModel):
    """An application a specialist fills in for a client with the e-assistant (ASST-1, WORK-2).

    Printing registers the case (so the paper carries its number); submitting sends it to the holder.
    """

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("parties.Person", on_delete=models.PROTECT, related_name="+")
    specialist = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="assisted_applications")
    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("catalog.ApplicationPlace", on_delete=models.PROTECT, null=True, blank=True)
    channel = models.CharField(max_length=30, choices=Channel.choices)
    authorisation = models.CharField(max_length=12)  # cases.models.Authorisation
    mandate_reference = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="assisted_application"
    )
    signature = models.CharField(max_length=10, choices=Signature.choices, blank=True)
    signed_scan = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["specialist", "status", "-created_at"], name="assisted_specialist_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.status}"
