"""Registering a consultation at the desk (REG-4, COST-3): the consultation, its optional follow-up
task and the specialist's time, written together in one transaction or not at all."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from onedoor.cases.models import Consultation
from onedoor.cases.services import PartyRef, consultation_register

from .desk import Desk
from .models import Activity, Stage, Task
from .services_tasks import TaskTarget, task_create
from .timerecords import MAX_RECORDED_SECONDS, time_record_add


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A task to create from the consultation, for the desk's team, institution or a colleague."""

    title: str
    target: TaskTarget
    colleague_id: str = ""


@dataclass(frozen=True, slots=True)
class ConsultationRecorded:
    consultation: Consultation
    task: Task | None


def consultation_record(
    *,
    desk: Desk,
    channel: str,
    client: PartyRef,
    topic: str,
    started_at: datetime,
    service_code: str = "",
    outcome: str = "",
    duration: timedelta | None = None,
    follow_up: FollowUp | None = None,
) -> ConsultationRecorded:
    """Register the consultation the desk's specialist gave, from `started_at` for `duration` (by default
    until now, as the timer measured), with its follow-up task and time record.

    Refusals (an unknown service, an invalid client, a follow-up for nobody) raise ValidationFailed with
    the fields in `invalid_params`; nothing is written then.
    """
    measured = timezone.now() - started_at
    seconds = max(0, min(int((duration if duration is not None else measured).total_seconds()), MAX_RECORDED_SECONDS))
    with transaction.atomic():
        consultation, _created = consultation_register(
            actor=desk.actor,
            channel=channel,
            client=client,
            topic=topic.strip(),
            occurred_at=started_at,
            service_code=service_code,
            outcome=outcome.strip(),
            specialist=desk.actor.label,
            duration_seconds=seconds,
            institution=desk.institution,
            place=desk.place,
        )
        task = None
        if follow_up is not None:
            task = task_create(
                desk=desk,
                title=follow_up.title,
                target=follow_up.target,
                details=topic.strip(),
                colleague_id=follow_up.colleague_id or None,
                consultation=consultation,
                service=consultation.service,
                channel=channel,
            )
        time_record_add(
            desk=desk,
            activity=Activity.CONSULTATION,
            stage=Stage.CONSULTATION,
            channel=channel,
            started_at=started_at,
            ended_at=started_at + timedelta(seconds=seconds),
            service=consultation.service,
            consultation=consultation,
        )
    return ConsultationRecorded(consultation=consultation, task=task)
