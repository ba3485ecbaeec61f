"""Reading time records (COST-3): a specialist's own records of one day, with totals."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from onedoor.catalog.models import Service

from .desk import Desk
from .models import Stage, TimeRecord


@dataclass(frozen=True, slots=True)
class ServiceTotal:
    service: Service | None
    seconds: int


@dataclass(frozen=True, slots=True)
class StageTotal:
    stage: str
    label: str
    seconds: int


@dataclass(frozen=True, slots=True)
class TimeDay:
    day: date
    records: list[TimeRecord]
    by_service: list[ServiceTotal]
    by_stage: list[StageTotal]

    @property
    def seconds(self) -> int:
        return sum(record.seconds for record in self.records)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of the day and of the next one, in the current time zone (Europe/Riga)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def time_records_of(*, desk: Desk) -> QuerySet[TimeRecord]:
    """The desk's specialist's own time records in their institution."""
    return TimeRecord.objects.filter(specialist=desk.user, institution=desk.institution)


def time_day(*, desk: Desk, day: date) -> TimeDay:
    """The specialist's records started on the day (Riga time), oldest first, with totals per service
    and per stage — one query."""
    start, end = day_bounds(day)
    records = list(
        time_records_of(desk=desk)
        .filter(started_at__gte=start, started_at__lt=end)
        .select_related("service")
        .order_by("started_at", "id")
    )
    per_service: dict[str, int] = defaultdict(int)
    services: dict[str, Service | None] = {}
    per_stage: dict[str, int] = defaultdict(int)
    for record in records:
        key = str(record.service_id or "")
        services[key] = record.service
        per_service[key] += record.seconds
        per_stage[record.stage] += record.seconds
    by_service = sorted(
        (ServiceTotal(services[key], seconds) for key, seconds in per_service.items()),
        key=lambda total: (total.service is None, total.service.code if total.service else ""),
    )
    by_stage = [
        StageTotal(stage.value, str(stage.label), per_stage[stage.value]) for stage in Stage if stage.value in per_stage
    ]
    return TimeDay(day=day, records=records, by_service=by_service, by_stage=by_stage)
