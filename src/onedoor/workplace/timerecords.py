"""Time records (COST-3): time a specialist spends is recorded by the workplace itself, never typed in.

Callers record inside their own transaction, so a consultation, application or task and its time
are written together or not at all.
"""

from datetime import datetime

from django.utils import timezone

from onedoor.cases.models import Case, Consultation
from onedoor.catalog.models import Service

from .desk import Desk
from .models import Activity, Stage, Task, TimeRecord

MAX_RECORDED_SECONDS = 8 * 3600  # a timer left running overnight is not a working day


def time_record_add(
    *,
    desk: Desk,
    activity: Activity,
    stage: Stage,
    channel: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    service: Service | None = None,
    case: Case | None = None,
    consultation: Consultation | None = None,
    task: Task | None = None,
) -> TimeRecord:
    """Record the time between `started_at` and `ended_at` (now by default), at most a working day."""
    ended = ended_at or timezone.now()
    seconds = max(0, min(int((ended - started_at).total_seconds()), MAX_RECORDED_SECONDS))
    return TimeRecord.objects.create(
        specialist=desk.user,
        specialist_label=desk.actor.label,
        institution=desk.institution,
        place=desk.place,
        service=service,
        channel=channel,
        stage=stage,
        activity=activity,
        started_at=started_at,
        seconds=seconds,
        case=case,
        consultation=consultation,
        task=task,
    )
