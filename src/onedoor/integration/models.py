from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.cases.services import (
    SCOPE_CASES_WRITE,
    SCOPE_CONSULTATIONS_WRITE,
    SCOPE_FEEDBACK_WRITE,
    SCOPE_REOPEN,
    SCOPE_STATUS_WRITE,
)
from onedoor.core.models import BaseModel
from onedoor.notifications.services import SCOPE_MESSAGES_WRITE


class Scope(models.TextChoices):
    """What an institution system may do through the API (INT-3)."""

    CASES_READ = "cases:read", _("Read cases")
    CASES_WRITE = SCOPE_CASES_WRITE, _("Register cases")
    STATUSES_WRITE = SCOPE_STATUS_WRITE, _("Record case statuses")
    CASES_REOPEN = SCOPE_REOPEN, _("Reopen closed cases")
    CONSULTATIONS_WRITE = SCOPE_CONSULTATIONS_WRITE, _("Record consultations")
    FEEDBACK_WRITE = SCOPE_FEEDBACK_WRITE, _("Record feedback")
    EVENTS_READ = "events:read", _("Read the event feed and manage webhooks")
    MESSAGES_WRITE = SCOPE_MESSAGES_WRITE, _("Send messages to clients' e-account inboxes")


class InstitutionSystem(BaseModel):
    """An institution's own information system connected to OneDoor with its own credentials."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    institution = models.ForeignKey("parties.Institution", on_delete=models.PROTECT, related_name="systems")
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="institution_system"
    )
    scopes = models.JSONField(default=list, help_text=_("Scope codes the system may ask for."))
    services = models.ManyToManyField(
        "catalog.Service",
        blank=True,
        related_name="systems",
        help_text=_("Limit the system to these services; empty means every service of its institution."),
    )
    is_active = models.BooleanField(default=True)
    is_demo_account = models.BooleanField(
        default=False, help_text=_("Created by the demo data with a published secret; refused in production.")
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subscription(BaseModel):
    """Where and which events a system wants pushed (INT-2)."""

    system = models.ForeignKey(InstitutionSystem, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128, help_text=_("Shared secret for the HMAC-SHA256 signature."))
    event_types = models.JSONField(default=list, help_text=_("Event types to deliver; empty means all."))
    service_codes = models.JSONField(default=list, blank=True, help_text=_("Only these services; empty means all."))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.system.code} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Dead letter")


class Delivery(models.Model):
    """One event to one subscription. Retried with backoff until delivered or dead (after 72 hours)."""

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("core.OutboxEvent", on_delete=models.CASCADE, related_name="deliveries")
    position = models.BigIntegerField(help_text=_("The event's position: deliveries of one key go in this order."))
    ordering_key = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once_per_subscription"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_due_idx"),
            # The claim looks for an earlier pending delivery of the same case: only pending rows matter.
            models.Index(
                fields=["subscription", "ordering_key", "position"],
                condition=models.Q(status="pending"),
                name="delivery_pending_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.event_id} ({self.status})"


class DeliveryAttempt(models.Model):
    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "attempted_at"]

    def __str__(self) -> str:
        return f"attempt {self.attempted_at:%H:%M:%S} → {self.status_code or self.error}"
