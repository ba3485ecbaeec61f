import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key and creation/update timestamps, for every domain object."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """The last time each background process proved it was alive (shown on /readyz and /metrics)."""

    process = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.process} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class OutboxEvent(models.Model):
    """A domain event written in the transaction of the change (ARCHITECTURE.md §1).

    `position` is assigned by the relay after commit, strictly increasing in the order events
    became visible; it orders delivery and is the cursor of the pull feed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.BigIntegerField(null=True, blank=True, unique=True)
    type = models.CharField(max_length=100)
    source = models.CharField(max_length=200)
    subject = models.CharField(max_length=100)
    ordering_key = models.CharField(max_length=100, help_text="Events with the same key are delivered in order.")
    institution_id = models.UUIDField(null=True, blank=True, help_text="The institution whose systems may receive it.")
    service_code = models.CharField(max_length=6, blank=True)
    data = models.JSONField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(position__isnull=True), name="outbox_unpublished_idx"
            ),
            models.Index(fields=["institution_id", "position"], name="outbox_feed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject} @{self.position}"
