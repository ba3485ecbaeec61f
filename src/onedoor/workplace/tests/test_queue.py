"""The queues and tasks (WORK-1, FLOW-2, COST-3): the three sections, picking (with two specialists at
once), handing over, returning and completing, and that another institution's tasks stay invisible."""

import threading
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onedoor.audit.models import AuditRecord
from onedoor.cases.services import PartyRef, case_register
from onedoor.core.actors import SYSTEM
from onedoor.core.errors import ValidationFailed
from onedoor.identity.models import User
from onedoor.identity.selectors import actor_for_user
from onedoor.workplace.desk import Desk
from onedoor.workplace.errors import TaskNotAllowed, TaskNotFound, TaskTaken
from onedoor.workplace.models import Placement, Task, TaskEvent, TaskEventKind, TaskStatus, TimeRecord
from onedoor.workplace.services_tasks import (
    TaskTarget,
    task_complete,
    task_create,
    task_hand_over,
    task_pick,
    task_return,
)

pytestmark = pytest.mark.django_db

QUEUE = "/en/workplace/"


def desk_of(username: str) -> Desk:
    """The desk of a demo member of staff, as `specialist_required` would hand it to a view."""
    user = User.objects.select_related("institution").get(username=username)
    placement = Placement.objects.select_related("place", "team").filter(user=user).first()
    assert user.institution is not None
    return Desk(
        user=user,
        actor=actor_for_user(user),
        institution=user.institution,
        place=placement.place if placement else None,
        team=placement.team if placement else None,
    )


def titles(response_context: object, key: str) -> list[str]:
    queue = response_context["queue"]  # type: ignore[index]
    return [task.title for task in getattr(queue, key).tasks]


def snapshot(task: Task) -> tuple[object, ...]:
    task.refresh_from_db()
    return (
        task.status,
        task.assignee_id,
        task.team_id,
        task.started_at,
        task.outcome,
        TaskEvent.objects.count(),
        TimeRecord.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def tasks(demo_catalog: None) -> dict[str, Task]:
    me, colleague, vsaa = desk_of("kac-specialist"), desk_of("kac-colleague"), desk_of("vsaa-handler")
    made = {
        "team": task_create(desk=me, title="Call Anna back", target=TaskTarget.TEAM),
        "institution": task_create(desk=colleague, title="Order forms", target=TaskTarget.INSTITUTION),
        "for_colleague": task_create(
            desk=me, title="Check the address", target=TaskTarget.COLLEAGUE, colleague_id=colleague.user.pk
        ),
        "for_me": task_create(
            desk=colleague, title="Scan the papers", target=TaskTarget.COLLEAGUE, colleague_id=me.user.pk
        ),
        "vsaa": task_create(desk=vsaa, title="VSAA internal review", target=TaskTarget.TEAM),
        "vsaa_institution": task_create(desk=vsaa, title="VSAA budget", target=TaskTarget.INSTITUTION),
    }
    done = task_create(desk=me, title="Already done", target=TaskTarget.TEAM)
    task_pick(desk=me, task_id=done.pk)
    task_complete(desk=me, task_id=done.pk, outcome="Done")
    made["done"] = done
    return made


def test_the_three_queues_show_the_right_tasks(specialist: Client, colleague: Client, tasks: dict[str, Task]) -> None:
    response = specialist.get(QUEUE)
    assert response.status_code == 200
    assert titles(response.context, "mine") == ["Scan the papers"]
    assert titles(response.context, "team") == ["Call Anna back"]
    assert titles(response.context, "institution") == ["Order forms"]
    html = response.content.decode()
    assert "VSAA internal review" not in html
    assert "VSAA budget" not in html
    assert "Already done" not in html
    assert 'hx-get="/en/workplace/queue/items/"' in html
    assert 'hx-trigger="every 20s"' in html
    assert 'aria-live="polite"' in html

    theirs = colleague.get(QUEUE)
    assert titles(theirs.context, "mine") == ["Check the address"]
    assert titles(theirs.context, "team") == ["Call Anna back"]


def test_the_polled_list_has_the_sections_and_the_status_line(specialist: Client, tasks: dict[str, Task]) -> None:
    response = specialist.get("/en/workplace/queue/items/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="queue-status" hx-swap-oob="innerHTML"' in html
    assert "Updated " in html
    assert "Scan the papers" in html
    assert "Call Anna back" in html
    assert "Order forms" in html


def test_the_queue_takes_the_same_number_of_queries_however_long(
    specialist: Client, demo_catalog: None, django_assert_max_num_queries: object
) -> None:
    me = desk_of("kac-specialist")
    task_create(desk=me, title="One", target=TaskTarget.TEAM)
    with CaptureQueriesContext(connection) as few:
        specialist.get(QUEUE)
    for number in range(15):
        task_create(desk=me, title=f"Team task {number}", target=TaskTarget.TEAM)
        task_create(desk=me, title=f"Institution task {number}", target=TaskTarget.INSTITUTION)
        picked = task_create(desk=me, title=f"Mine {number}", target=TaskTarget.TEAM)
        task_pick(desk=me, task_id=picked.pk)
    with CaptureQueriesContext(connection) as many:
        response = specialist.get(QUEUE)
    assert len(response.context["queue"].team.tasks) == 16
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        specialist.get("/en/workplace/queue/items/")


def test_another_institutions_task_is_not_found_and_untouched(specialist: Client, tasks: dict[str, Task]) -> None:
    task = tasks["vsaa"]
    before = snapshot(task)
    assert specialist.get(f"/en/workplace/tasks/{task.pk}/").status_code == 404
    for action, data in [
        ("pick", {}),
        ("hand-over", {"handover-colleague": str(User.objects.get(username="kac-colleague").pk), "handover-note": "x"}),
        ("return", {"return-note": "x"}),
        ("complete", {"complete-outcome": "x"}),
    ]:
        assert specialist.post(f"/en/workplace/tasks/{task.pk}/{action}/", data).status_code == 404
    assert specialist.get(f"/en/workplace/tasks/{uuid.uuid4()}/").status_code == 404
    assert snapshot(task) == before
    with pytest.raises(TaskNotFound):
        task_pick(desk=desk_of("kac-specialist"), task_id=task.pk)
    assert snapshot(task) == before


def test_picking_assigns_the_task_and_starts_it(specialist: Client, tasks: dict[str, Task]) -> None:
    task = tasks["team"]
    audits = AuditRecord.objects.count()
    response = specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/workplace/tasks/{task.pk}/"
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.assignee == User.objects.get(username="kac-specialist")
    assert task.started_at is not None
    assert list(task.events.values_list("kind", flat=True)) == [TaskEventKind.CREATED, TaskEventKind.PICKED]
    assert AuditRecord.objects.count() == audits + 1
    assert AuditRecord.objects.latest("sequence").action == "workplace.task.pick"
    page = specialist.get(f"/en/workplace/tasks/{task.pk}/")
    html = page.content.decode()
    assert 'data-testid="hand-over-form"' in html
    assert 'data-testid="complete-form"' in html
    assert "Kristaps Ozoliņš" in html  # the colleague to hand over to
    assert "Dace Kalēja" not in html  # staff of another institution are never offered


def test_a_task_picked_by_someone_else_cannot_be_picked(
    specialist: Client, colleague: Client, tasks: dict[str, Task]
) -> None:
    task = tasks["team"]
    specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    before = snapshot(task)
    response = colleague.post(f"/en/workplace/tasks/{task.pk}/pick/", follow=True)
    assert "The task was already picked by Inese Bērziņa." in response.content.decode()
    assert snapshot(task) == before
    with pytest.raises(TaskTaken, match="already picked by Inese Bērziņa"):
        task_pick(desk=desk_of("kac-colleague"), task_id=task.pk)
    assert snapshot(task) == before


@pytest.mark.django_db(transaction=True)
def test_two_specialists_picking_at_once_one_gets_a_conflict(demo_catalog: None) -> None:
    me, colleague = desk_of("kac-specialist"), desk_of("kac-colleague")
    task = task_create(desk=me, title="Contested", target=TaskTarget.TEAM)
    picked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                task_pick(desk=me, task_id=task.pk)
                picked.set()
                release.wait(10)  # holds the row lock while the colleague tries
        finally:
            connection.close()

    def second() -> None:
        translation.activate("en")  # a new thread starts in the default language, Latvian
        try:
            task_pick(desk=colleague, task_id=task.pk)
            outcome["second"] = "picked"
        except TaskTaken as error:
            outcome["second"] = error.detail
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert picked.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive(), "the second pick must wait for the first one's lock"
    release.set()
    one.join(10)
    two.join(10)
    assert outcome["second"] == "The task was already picked by Inese Bērziņa."
    task.refresh_from_db()
    assert task.assignee_id == me.user.pk
    assert task.events.filter(kind=TaskEventKind.PICKED).count() == 1


def test_a_task_handed_over_moves_to_the_colleagues_queue(
    specialist: Client, colleague: Client, tasks: dict[str, Task]
) -> None:
    task = tasks["team"]
    specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    kristaps = User.objects.get(username="kac-colleague")
    response = specialist.post(
        f"/en/workplace/tasks/{task.pk}/hand-over/",
        {"handover-colleague": str(kristaps.pk), "handover-note": "The client calls back at 14:00"},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    task.refresh_from_db()
    assert (task.assignee, task.status, task.started_at) == (kristaps, TaskStatus.OPEN, None)
    event = task.events.get(kind=TaskEventKind.HANDED_OVER)
    assert (event.to_user, event.note, event.actor_label) == (
        kristaps,
        "The client calls back at 14:00",
        "Inese Bērziņa",
    )
    record = TimeRecord.objects.get(task=task)
    assert (record.activity, record.stage, record.channel, record.specialist_label) == (
        "task",
        "execution",
        "kac",
        "Inese Bērziņa",
    )
    assert AuditRecord.objects.latest("sequence").action == "workplace.task.hand_over"
    assert "Call Anna back" not in titles(specialist.get(QUEUE).context, "mine")
    assert "Call Anna back" not in titles(specialist.get(QUEUE).context, "team")
    assert titles(colleague.get(QUEUE).context, "mine") == ["Call Anna back", "Check the address"]


def test_handing_over_refusals_change_nothing(specialist: Client, tasks: dict[str, Task]) -> None:
    task = tasks["team"]
    url = f"/en/workplace/tasks/{task.pk}/hand-over/"
    kristaps = str(User.objects.get(username="kac-colleague").pk)
    before = snapshot(task)
    response = specialist.post(url, {"handover-colleague": kristaps, "handover-note": "Not picked"}, follow=True)
    assert "Pick the task first" in response.content.decode()
    assert snapshot(task) == before

    specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    before = snapshot(task)
    response = specialist.post(url, {"handover-colleague": kristaps, "handover-note": ""})
    assert response.status_code == 400
    assert "Write a note for your colleague." in response.content.decode()
    dace = str(User.objects.get(username="vsaa-handler").pk)
    response = specialist.post(url, {"handover-colleague": dace, "handover-note": "To VSAA"})
    assert response.status_code == 400
    assert "Choose a colleague from the list." in response.content.decode()
    assert snapshot(task) == before
    with pytest.raises(ValidationFailed) as refused:
        task_hand_over(desk=desk_of("kac-specialist"), task_id=task.pk, colleague_id=dace, note="To VSAA")
    assert refused.value.invalid_params == {"colleague": ["Choose a colleague of your institution."]}
    assert snapshot(task) == before


def test_returning_puts_the_task_back_in_the_team_queue(specialist: Client, tasks: dict[str, Task]) -> None:
    task = tasks["team"]
    specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    before = snapshot(task)
    assert specialist.post(f"/en/workplace/tasks/{task.pk}/return/", {"return-note": " "}).status_code == 400
    assert snapshot(task) == before
    response = specialist.post(f"/en/workplace/tasks/{task.pk}/return/", {"return-note": "Needs VSAA's answer"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.assignee, task.status, task.started_at) == (None, TaskStatus.OPEN, None)
    assert task.events.get(kind=TaskEventKind.RETURNED).note == "Needs VSAA's answer"
    assert TimeRecord.objects.filter(task=task, stage="execution").count() == 1
    assert titles(specialist.get(QUEUE).context, "team") == ["Call Anna back"]


def test_completing_records_the_outcome_and_time(specialist: Client, tasks: dict[str, Task]) -> None:
    task = tasks["for_me"]
    specialist.post(f"/en/workplace/tasks/{task.pk}/pick/")
    before = snapshot(task)
    assert specialist.post(f"/en/workplace/tasks/{task.pk}/complete/", {"complete-outcome": ""}).status_code == 400
    assert snapshot(task) == before
    response = specialist.post(f"/en/workplace/tasks/{task.pk}/complete/", {"complete-outcome": "Scanned, 4 pages"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome) == (TaskStatus.DONE, "Scanned, 4 pages")
    assert task.completed_at is not None
    assert TimeRecord.objects.filter(task=task).count() == 1
    assert AuditRecord.objects.latest("sequence").action == "workplace.task.complete"
    assert titles(specialist.get(QUEUE).context, "mine") == []
    with pytest.raises(TaskNotAllowed):
        task_return(desk=desk_of("kac-specialist"), task_id=task.pk, note="again")
    page = specialist.get(f"/en/workplace/tasks/{task.pk}/").content.decode()
    assert 'data-testid="pick-form"' not in page
    assert "Scanned, 4 pages" in page


def test_creating_a_task_from_the_page(specialist: Client, colleague: Client, demo_catalog: None) -> None:
    assert specialist.get("/en/workplace/tasks/new/").status_code == 200
    kristaps = User.objects.get(username="kac-colleague")
    response = specialist.post(
        "/en/workplace/tasks/new/",
        {
            "title": "Prepare the certificate",
            "details": "For Jānis",
            "target": "colleague",
            "colleague": str(kristaps.pk),
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/workplace/tasks/{task.pk}/"
    assert (task.assignee, task.team.code, task.details, task.created_by_label) == (  # type: ignore[union-attr]
        kristaps,
        "kac-riga-front",
        "For Jānis",
        "Inese Bērziņa",
    )
    assert AuditRecord.objects.latest("sequence").action == "workplace.task.create"
    assert titles(colleague.get(QUEUE).context, "mine") == ["Prepare the certificate"]


def test_a_new_task_refuses_bad_input_and_writes_nothing(specialist: Client, demo_catalog: None) -> None:
    audits = AuditRecord.objects.count()
    response = specialist.post("/en/workplace/tasks/new/", {"title": "", "target": "colleague", "colleague": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter what needs to be done." in html
    assert "Choose a colleague." in html
    case = case_register(actor=SYSTEM, service_code="2011", applicant=PartyRef(anonymous=True), channel="kac").case
    response = specialist.post(
        "/en/workplace/tasks/new/", {"title": "About a case", "target": "team", "case_number": case.number}
    )
    assert response.status_code == 400  # a VSAA case, not one the KAC may see
    assert f"There is no case {case.number} that you may see." in response.content.decode()
    response = specialist.post(
        "/en/workplace/tasks/new/", {"title": "Late", "target": "team", "due_date": "2020-01-01"}
    )
    assert "The due date cannot be in the past." in response.content.decode()
    assert Task.objects.count() == 0
    assert AuditRecord.objects.filter(action__startswith="workplace.").count() == 0
    assert AuditRecord.objects.count() > audits  # only the case registered above

    vsaa = task_create(
        desk=desk_of("vsaa-handler"), title="About the case", target=TaskTarget.TEAM, case_number=case.number
    )
    assert (vsaa.case, vsaa.service.code) == (case, "2011")  # type: ignore[union-attr]


def test_clients_and_anonymous_users_do_not_get_in(client: Client, demo_catalog: None, sign_in: object) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302
    sign_in(client, "32871452034")  # type: ignore[operator]
    assert client.get(QUEUE).status_code == 403
    assert client.get("/en/workplace/queue/items/").status_code == 403


def test_the_administration_shows_the_workplace_to_platform_admins(client: Client, tasks: dict[str, Task]) -> None:
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/en/admin/workplace/placement/").status_code == 200
    placement = Placement.objects.get(user__username="kac-specialist")
    assert client.get(f"/en/admin/workplace/placement/{placement.pk}/change/").status_code == 200
    assert client.get("/en/admin/workplace/task/").status_code == 200
    assert client.get(f"/en/admin/workplace/task/{tasks['team'].pk}/change/").status_code == 200
    assert client.get("/en/admin/workplace/timerecord/").status_code == 200
    assert client.get("/en/admin/workplace/task/add/").status_code == 403
    before = snapshot(tasks["team"])
    assert client.post(f"/en/admin/workplace/task/{tasks['team'].pk}/delete/", {"post": "yes"}).status_code == 403
    assert snapshot(tasks["team"]) == before

    client.force_login(User.objects.get(username="kac-specialist"))
    assert client.get("/en/admin/workplace/placement/").status_code == 403
    assert client.get("/en/admin/workplace/task/").status_code == 403
