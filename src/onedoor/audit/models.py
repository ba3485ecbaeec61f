from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILURE = "failure", _("Failure")


class AuditRecord(models.Model):
    """One action on the platform. Append-only: a database trigger refuses UPDATE and DELETE.

    `sequence` orders the hash chain; each record's `hash` covers its own content and the
    previous record's hash, so changing or removing any record breaks every hash after it.
    """

    sequence = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    institution_id = models.CharField(max_length=64, blank=True, db_index=True)
    acting_for = models.CharField(max_length=200, blank=True)
    mandate_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    holder_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="The institution whose object this is."
    )
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_label or self.actor_id} ({self.outcome})"


class ChainHead(models.Model):
    """A single row holding the newest hash; locking it serialises appends to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"
