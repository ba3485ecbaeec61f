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
