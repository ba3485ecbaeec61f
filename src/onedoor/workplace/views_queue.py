"""The queue pages (WORK-1, FLOW-2, COST-3): the three queues with their self-refreshing list, a new
task, one task with its actions, and the specialist's time of a day.

Views stay thin: reads through `selectors_tasks` / `selectors_time` scoped by the desk's institution
(another institution's task is a 404, as a missing one), writes through `services_tasks`.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onedoor.core.errors import ApplicationError, NotFound, ValidationFailed
from onedoor.core.forms import add_service_errors
from onedoor.identity.models import User

from .desk import Desk, specialist_required
from .forms_queue import CompleteForm, HandOverForm, ReturnForm, TaskForm
from .models import Task, TaskStatus, TimeRecord
from .selectors_tasks import colleagues_of, queue_for, task_get, task_history
from .selectors_time import time_day
from .services_tasks import TaskTarget, task_complete, task_create, task_hand_over, task_pick, task_return

QUEUE_POLL_SECONDS = 20
SECTION_TITLES = {
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("My team's"),
    "institution": gettext_lazy("My institution's"),
}


def _page(desk: Desk, section: str = "queue", **context: Any) -> dict[str, Any]:
    return {"desk": desk, "section": section, "active_nav": "workplace", **context}


def _queue_context(desk: Desk) -> dict[str, Any]:
    queue = queue_for(desk=desk)
    return {
        "queue": queue,
        "section_titles": SECTION_TITLES,
        "now": timezone.now(),
        "poll_seconds": QUEUE_POLL_SECONDS,
    }


@specialist_required
@require_GET
def queue(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    return render(request, "workplace/queue.html", _page(desk, **_queue_context(desk)))


@specialist_required
@require_GET
def queue_items(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    """The list part of the queue page, fetched by htmx every few seconds."""
    return render(request, "workplace/_queue_items.html", _page(desk, **_queue_context(desk)))


def _task_target_value(desk: Desk) -> str:
    return TaskTarget.TEAM.value if desk.team is not None else TaskTarget.INSTITUTION.value


@specialist_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    colleagues = colleagues_of(desk=desk)
    if request.method == "GET":
        form = TaskForm(initial={"target": _task_target_value(desk)}, colleagues=colleagues)
        return render(request, "workplace/task_new.html", _page(desk, form=form))
    form = TaskForm(request.POST, colleagues=colleagues)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = task_create(
                desk=desk,
                title=data["title"],
                details=data["details"],
                target=TaskTarget(data["target"]),
                colleague_id=data.get("colleague") or None,
                due_at=form.due_at(),
                case_number=data["case_number"],
            )
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Task “%(title)s” is created.") % {"title": task.title})
            return HttpResponseRedirect(reverse("workplace:task", args=[task.pk]))
    return render(request, "workplace/task_new.html", _page(desk, form=form), status=400)


@dataclass(frozen=True, slots=True)
class TaskActions:
    may_pick: bool
    is_processing: bool


def _actions(desk: Desk, task: Task) -> TaskActions:
    if task.status == TaskStatus.DONE:
        return TaskActions(may_pick=False, is_processing=False)
    mine = task.assignee_id == desk.user.pk
    return TaskActions(
        may_pick=task.assignee_id is None or (mine and task.status == TaskStatus.OPEN),
        is_processing=mine and task.status == TaskStatus.IN_PROGRESS,
    )


def _task_or_404(desk: Desk, task_id: uuid.UUID) -> Task:
    try:
        return task_get(desk=desk, task_id=task_id)
    except NotFound:
        raise Http404(_("No such task.")) from None


def _task_page(
    request: HttpRequest,
    desk: Desk,
    task: Task,
    colleagues: list[User],
    failed: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    forms_by_kind: dict[str, forms.Form] = {
        "hand_over": HandOverForm(colleagues=colleagues),
        "return": ReturnForm(),
        "complete": CompleteForm(),
    }
    if isinstance(failed, HandOverForm):
        forms_by_kind["hand_over"] = failed
    elif isinstance(failed, ReturnForm):
        forms_by_kind["return"] = failed
    elif isinstance(failed, CompleteForm):
        forms_by_kind["complete"] = failed
    context = _page(
        desk,
        task=task,
        events=list(task_history(task=task)),
        actions=_actions(desk, task),
        hand_over_form=forms_by_kind["hand_over"],
        return_form=forms_by_kind["return"],
        complete_form=forms_by_kind["complete"],
        failed_form=failed,
        has_colleagues=bool(colleagues),
        now=timezone.now(),
    )
    return render(request, "workplace/task.html", context, status=status)


@specialist_required
@require_GET
def task_detail(request: HttpRequest, task_id: uuid.UUID, *, desk: Desk) -> HttpResponse:
    task = _task_or_404(desk, task_id)
    return _task_page(request, desk, task, colleagues_of(desk=desk))


def _refused(request: HttpRequest, task_id: uuid.UUID, error: ApplicationError) -> HttpResponse:
    if isinstance(error, NotFound):
        raise Http404(_("No such task.")) from None
    messages.error(request, error.detail)
    return HttpResponseRedirect(reverse("workplace:task", args=[task_id]))


@specialist_required
@require_POST
def task_pick_view(request: HttpRequest, task_id: uuid.UUID, *, desk: Desk) -> HttpResponse:
    try:
        task = task_pick(desk=desk, task_id=task_id)
    except ApplicationError as error:
        return _refused(request, task_id, error)
    messages.success(request, _("You are processing the task “%(title)s”.") % {"title": task.title})
    return HttpResponseRedirect(reverse("workplace:task", args=[task.pk]))


def _act(
    request: HttpRequest, desk: Desk, task_id: uuid.UUID, form: forms.Form, colleagues: list[User]
) -> HttpResponse | None:
    """None when the form is valid; otherwise the task page showing its errors (or the refusal)."""
    task = _task_or_404(desk, task_id)
    if form.is_valid():
        return None
    return _task_page(request, desk, task, colleagues, failed=form, status=400)


@specialist_required
@require_POST
def task_hand_over_view(request: HttpRequest, task_id: uuid.UUID, *, desk: Desk) -> HttpResponse:
    colleagues = colleagues_of(desk=desk)
    form = HandOverForm(request.POST, colleagues=colleagues)
    invalid = _act(request, desk, task_id, form, colleagues)
    if invalid is not None:
        return invalid
    try:
        task = task_hand_over(
            desk=desk, task_id=task_id, colleague_id=form.cleaned_data["colleague"], note=form.cleaned_data["note"]
        )
    except ValidationFailed as error:
        add_service_errors(form, error)
        return _task_page(request, desk, _task_or_404(desk, task_id), colleagues, failed=form, status=400)
    except ApplicationError as error:
        return _refused(request, task_id, error)
    assert task.assignee is not None
    messages.success(
        request,
        _("Task “%(title)s” is handed over to %(name)s.")
        % {"title": task.title, "name": task.assignee.get_full_name()},
    )
    return HttpResponseRedirect(reverse("workplace:queue"))


@specialist_required
@require_POST
def task_return_view(request: HttpRequest, task_id: uuid.UUID, *, desk: Desk) -> HttpResponse:
    form = ReturnForm(request.POST)
    invalid = _act(request, desk, task_id, form, colleagues_of(desk=desk))
    if invalid is not None:
        return invalid
    try:
        task = task_return(desk=desk, task_id=task_id, note=form.cleaned_data["note"])
    except ApplicationError as error:
        return _refused(request, task_id, error)
    messages.success(request, _("Task “%(title)s” is back in the queue.") % {"title": task.title})
    return HttpResponseRedirect(reverse("workplace:queue"))


@specialist_required
@require_POST
def task_complete_view(request: HttpRequest, task_id: uuid.UUID, *, desk: Desk) -> HttpResponse:
    form = CompleteForm(request.POST)
    invalid = _act(request, desk, task_id, form, colleagues_of(desk=desk))
    if invalid is not None:
        return invalid
    try:
        task = task_complete(desk=desk, task_id=task_id, outcome=form.cleaned_data["outcome"])
    except ApplicationError as error:
        return _refused(request, task_id, error)
    messages.success(request, _("Task “%(title)s” is done.") % {"title": task.title})
    return HttpResponseRedirect(reverse("workplace:queue"))


def format_duration(seconds: int) -> str:
    """“4:05” for 4 min 5 s, “1:02:03” from an hour on."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True, slots=True)
class TimeRow:
    record: TimeRecord
    duration: str


class DayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        error_messages={"invalid": gettext_lazy("Enter the date as year-month-day, for example 2026-01-31.")},
    )


@specialist_required
@require_GET
def time_records(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    form = DayForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    day = (form.cleaned_data.get("day") if valid and form.is_bound else None) or timezone.localdate()
    recorded = time_day(desk=desk, day=day)
    context = _page(
        desk,
        "time",
        form=form,
        day=day,
        rows=[TimeRow(record, format_duration(record.seconds)) for record in recorded.records],
        by_service=[(total.service, format_duration(total.seconds)) for total in recorded.by_service],
        by_stage=[(total.label, format_duration(total.seconds)) for total in recorded.by_stage],
        total=format_duration(recorded.seconds),
    )
    return render(request, "workplace/time.html", context, status=200 if valid else 400)
