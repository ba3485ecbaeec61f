"""Writing the queues (WORK-1, FLOW-2): create, pick, hand over, return and complete a task.

Each service locks the task (`select_for_update`) so two specialists cannot both act on it, writes
a TaskEvent and the audit record and — when a specialist stops working on it — their time
(COST-3), all in one transaction.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case, Consultation
from onedoor.cases.numbers import parse_case_number
from onedoor.cases.selectors import cases_visible_to
from onedoor.catalog.models import Service
from onedoor.core.channels import Channel
from onedoor.core.errors import ValidationFailed
from onedoor.identity.models import User

from .desk import Desk
from .errors import TaskNotAllowed, TaskNotFound, TaskTaken
from .models import Activity, Placement, Stage, Task, TaskEvent, TaskEventKind, TaskStatus
from .selectors_tasks import colleagues_of
from .timerecords import time_record_add


class TaskTarget(StrEnum):
    """Whose queue a new task goes to."""

    TEAM = "team"
    INSTITUTION = "institution"
    COLLEAGUE = "colleague"


def desk_channel(desk: Desk) -> Channel:
    """The channel a desk serves by default: in person at a place, by phone otherwise."""
    return Channel.KAC if desk.place is not None else Channel.PHONE


def _audit(desk: Desk, task: Task, verb: str, details: dict[str, str] | None = None) -> None:
    audit_record(
        actor=desk.actor,
        action=f"workplace.task.{verb}",
        obj=AuditedObject(type="workplace.task", id=str(task.pk), label=task.title, holder_id=str(task.institution_id)),
        details=details or {},
    )


def _event(desk: Desk, task: Task, kind: TaskEventKind, *, note: str = "", to_user: User | None = None) -> None:
    TaskEvent.objects.create(
        task=task,
        kind=kind,
        occurred_at=timezone.now(),
        actor_id=desk.actor.id,
        actor_label=desk.actor.label,
        to_user=to_user,
        note=note,
    )


def _colleague(desk: Desk, user_id: uuid.UUID | str | None) -> User:
    colleague = next((user for user in colleagues_of(desk=desk) if str(user.pk) == str(user_id)), None)
    if colleague is None:
        message = _("Choose a colleague of your institution.")
        raise ValidationFailed(message, invalid_params={"colleague": [message]})
    return colleague


def _case(desk: Desk, case_number: str) -> Case | None:
    if not case_number.strip():
        return None
    canonical = parse_case_number(case_number)
    case = (
        cases_visible_to(actor=desk.actor).select_related("service").filter(number=canonical).first()
        if canonical
        else None
    )
    if case is None:
        message = _("There is no case %(number)s that you may see.") % {"number": case_number.strip()}
        raise ValidationFailed(message, invalid_params={"case_number": [message]})
    return case


def _required(value: str, field: str, message: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed(message, invalid_params={field: [message]})
    return text


def task_create(
    *,
    desk: Desk,
    title: str,
    target: TaskTarget,
    details: str = "",
    colleague_id: uuid.UUID | str | None = None,
    due_at: datetime | None = None,
    case_number: str = "",
    consultation: Consultation | None = None,
    service: Service | None = None,
    channel: str = "",
) -> Task:
    """A new task of the desk's institution, in the queue of the desk's team, of the institution or of
    a colleague (who finds it under “Mine”)."""
    title = _required(title, "title", _("Enter what needs to be done."))
    team = None
    assignee = None
    if target == TaskTarget.TEAM:
        if desk.team is None:
            message = _("You are not in a team; choose your institution or a colleague.")
            raise ValidationFailed(message, invalid_params={"target": [message]})
        team = desk.team
    elif target == TaskTarget.COLLEAGUE:
        assignee = _colleague(desk, colleague_id)
        placement = Placement.objects.select_related("team").filter(user=assignee).first()
        team = placement.team if placement else None
    case = _case(desk, case_number)
    with transaction.atomic():
        task = Task.objects.create(
            institution=desk.institution,
            team=team,
            assignee=assignee,
            title=title,
            details=details.strip(),
            case=case,
            consultation=consultation,
            service=service or (case.service if case else None),
            channel=channel,
            due_at=due_at,
            created_by_id=desk.actor.id,
            created_by_label=desk.actor.label,
        )
        _event(desk, task, TaskEventKind.CREATED, to_user=assignee)
        _audit(desk, task, "create", {"target": str(target), "case": case.number if case else ""})
    return task


def _locked(desk: Desk, task_id: uuid.UUID) -> Task:
    # No joins: after waiting for another transaction's lock PostgreSQL re-reads the task row itself,
    # but not rows joined to it.
    task = Task.objects.select_for_update().filter(institution=desk.institution, pk=task_id).first()
    if task is None:
        raise TaskNotFound(f"No task {task_id}.")
    return task


def _in_my_hands(desk: Desk, task: Task) -> None:
    """Hand-over, return and completion are for the specialist processing the task."""
    if task.status == TaskStatus.DONE:
        raise TaskNotAllowed(_("The task is already done."))
    if task.assignee_id != desk.user.pk or task.status != TaskStatus.IN_PROGRESS or task.started_at is None:
        raise TaskNotAllowed(_("Pick the task first: only the specialist processing it may do this."))


def _record_time(desk: Desk, task: Task) -> None:
    assert task.started_at is not None
    time_record_add(
        desk=desk,
        activity=Activity.TASK,
        stage=Stage.EXECUTION,
        channel=task.channel or desk_channel(desk),
        started_at=task.started_at,
        service=task.service,
        case=task.case,
        consultation=task.consultation,
        task=task,
    )


def task_pick(*, desk: Desk, task_id: uuid.UUID) -> Task:
    """Assign the task to the desk's specialist and start processing it; TaskTaken when someone else has it."""
    with transaction.atomic():
        task = _locked(desk, task_id)
        if task.status == TaskStatus.DONE:
            raise TaskNotAllowed(_("The task is already done."))
        if task.assignee is not None and task.assignee_id != desk.user.pk:
            raise TaskTaken(_("The task was already picked by %(name)s.") % {"name": task.assignee.get_full_name()})
        if task.status == TaskStatus.IN_PROGRESS:
            return task
        task.assignee = desk.user
        task.status = TaskStatus.IN_PROGRESS
        task.started_at = timezone.now()
        task.save(update_fields=["assignee", "status", "started_at", "updated_at"])
        _event(desk, task, TaskEventKind.PICKED)
        _audit(desk, task, "pick")
    return task


def task_hand_over(*, desk: Desk, task_id: uuid.UUID, colleague_id: uuid.UUID | str | None, note: str) -> Task:
    """Hand the task to a colleague of the same institution with a note; it waits in their “Mine”."""
    with transaction.atomic():
        task = _locked(desk, task_id)
        _in_my_hands(desk, task)
        colleague = _colleague(desk, colleague_id)
        note = _required(note, "note", _("Write a note for your colleague."))
        _record_time(desk, task)
        task.assignee = colleague
        task.status = TaskStatus.OPEN
        task.started_at = None
        task.save(update_fields=["assignee", "status", "started_at", "updated_at"])
        _event(desk, task, TaskEventKind.HANDED_OVER, note=note, to_user=colleague)
        _audit(desk, task, "hand_over", {"to": str(colleague.pk)})
    return task


def task_return(*, desk: Desk, task_id: uuid.UUID, note: str) -> Task:
    """Put the task back in its team's or institution's queue, unassigned, with a note."""
    with transaction.atomic():
        task = _locked(desk, task_id)
        _in_my_hands(desk, task)
        note = _required(note, "note", _("Write why you return the task."))
        _record_time(desk, task)
        task.assignee = None
        task.status = TaskStatus.OPEN
        task.started_at = None
        task.save(update_fields=["assignee", "status", "started_at", "updated_at"])
        _event(desk, task, TaskEventKind.RETURNED, note=note)
        _audit(desk, task, "return")
    return task


def task_complete(*, desk: Desk, task_id: uuid.UUID, outcome: str) -> Task:
    """Finish the task with its outcome."""
    with transaction.atomic():
        task = _locked(desk, task_id)
        _in_my_hands(desk, task)
        outcome = _required(outcome, "outcome", _("Write the outcome."))
        _record_time(desk, task)
        task.status = TaskStatus.DONE
        task.completed_at = timezone.now()
        task.outcome = outcome
        task.save(update_fields=["status", "completed_at", "outcome", "updated_at"])
        _event(desk, task, TaskEventKind.COMPLETED, note=outcome)
        _audit(desk, task, "complete")
    return task
