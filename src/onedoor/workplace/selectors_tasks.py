"""Reading the queues (WORK-1): every query starts from the desk's institution, so tasks of another
institution never appear and cannot be opened (they answer as missing ones do)."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from onedoor.identity.models import User

from .desk import WORKPLACE_ROLES, Desk
from .errors import TaskNotFound
from .models import Task, TaskEvent, TaskStatus

QUEUE_LIMIT = 100  # a section shows its first tasks by due date; its count says how many there are


@dataclass(frozen=True, slots=True)
class QueueSection:
    key: str
    tasks: list[Task]
    count: int


@dataclass(frozen=True, slots=True)
class Queue:
    mine: QueueSection
    team: QueueSection
    institution: QueueSection

    @property
    def sections(self) -> list[QueueSection]:
        return [self.mine, self.team, self.institution]


def tasks_visible_to(*, desk: Desk) -> QuerySet[Task]:
    """The tasks of the desk's institution: nobody outside it sees them."""
    return Task.objects.filter(institution=desk.institution)


OPEN_WORK = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def _mine(desk: Desk) -> Q:
    return Q(assignee=desk.user)


def _team(desk: Desk) -> Q:
    if desk.team is None:
        return Q(pk__in=[])
    return Q(team=desk.team, assignee__isnull=True)


def _institution() -> Q:
    return Q(team__isnull=True, assignee__isnull=True)


def _listed(tasks: QuerySet[Task]) -> list[Task]:
    """The first tasks by due date with only the columns a queue row shows (the poll renders them every 20 s)."""
    ordered = (
        tasks.select_related("service", "case")
        .only(
            "title",
            "status",
            "due_at",
            "created_at",
            "service__code",
            "service__name_lv",
            "service__name_en",
            "case__number",
        )
        .order_by(F("due_at").asc(nulls_last=True), "created_at")
    )
    return list(ordered[:QUEUE_LIMIT])


def queue_for(*, desk: Desk) -> Queue:
    """The three queues of the desk — mine, my team's (unassigned) and my institution's (no team,
    unassigned) — in four queries whatever their length. Only work not done is read: the institution's
    done tasks, by far the most, stay out of the WHERE clause's index range."""
    open_work = tasks_visible_to(desk=desk).filter(status__in=OPEN_WORK)
    counts = open_work.aggregate(
        in_mine=Count("pk", filter=_mine(desk)),
        in_team=Count("pk", filter=_team(desk)),
        in_institution=Count("pk", filter=_institution()),
    )
    return Queue(
        mine=QueueSection("mine", _listed(open_work.filter(_mine(desk))), counts["in_mine"]),
        team=QueueSection("team", _listed(open_work.filter(_team(desk))), counts["in_team"]),
        institution=QueueSection("institution", _listed(open_work.filter(_institution())), counts["in_institution"]),
    )


def task_get(*, desk: Desk, task_id: uuid.UUID) -> Task:
    """One task of the desk's institution with what its page shows; TaskNotFound for another institution's."""
    task = (
        tasks_visible_to(desk=desk)
        .select_related("service", "case", "consultation", "assignee", "team")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise TaskNotFound(f"No task {task_id}.")
    return task


def task_history(*, task: Task) -> QuerySet[TaskEvent]:
    """The task's events in the order they happened."""
    return task.events.select_related("to_user").order_by("occurred_at", "id")


def colleagues_of(*, desk: Desk) -> list[User]:
    """Active staff of the desk's institution with a workplace role, except the desk's own user —
    whom a task may be handed to (FLOW-2: within the institution only)."""
    staff = (
        User.objects.filter(institution=desk.institution, is_active=True)
        .exclude(pk=desk.user.pk)
        .order_by("first_name", "last_name", "username")
    )
    # Roles are a JSON list; filtered here so the query is the same on SQLite (demo) and PostgreSQL.
    return [user for user in staff if WORKPLACE_ROLES & set(user.roles or [])]
