"""The specialist's workplace (WORK-1, CLI-1): the queue's poll and the client 360 profile.

Every specialist's browser asks for the queue's list every 20 s (htmx: `hx-get` of
`workplace:queue-items` with `hx-trigger="every 20s"` on #queue-items): with ~1,500 specialists
nationally that is ~75 requests/s of polling, whatever else they do. The client 360 profile is the
busiest page when a customer service centre (KAC) is under pressure.

Fills the registry to ONEDOOR_BENCH_CASES cases (default 200,000, a fifth of the e-account benchmark:
the queue never scans cases, it joins only the few it shows by primary key, and the profile reaches one
person's cases through the party indexes, whose depth grows with the logarithm of the registry's size,
so a million cases would add setup time and not change what is measured). Loads the demo people, staff
and placements as the workplace tests do (onedoor.conftest.demo_catalog), gives every VRAA customer
service centre a front-desk team of TEAM_SIZE specialists (Inese Bērziņa, `kac-specialist`, works in
kac-riga-front at the national centre) and VSAA's family benefits department as many.

Then, in one run and one process (production settings, the Django test client signed in as
`kac-specialist` acting for VRAA, as onedoor.access.testing.staff_sign_in does for the workplace tests):

a. the queue's poll, GET /lv/workplace/queue/items/ as htmx sends it (HX-Request and the other HX-
   headers), against raw SQL for the same rows as the selector reads them (the three counts; one
   statement with the shown tasks of the three sections, the statuses of work not done in the WHERE
   clause, and only the columns of the task, service and case a row shows); and what the poll costs at
   ~75 requests/s;
b. the whole queue page, GET /lv/workplace/, against the same raw SQL;
c. Anna Kalniņa's client 360 profile, GET /lv/workplace/clients/views/<id>/ under a view opened with
   `client_view_open` for her newest case at the KAC (in person: no caller to verify), with
   PERSON_CASES cases and CONSULTATIONS consultations, against raw SQL for the same rows (the counts;
   one statement with the view, its client and every row of the profile's sections);
d. the number of queries of (a) and (c) under a small load, measured before the large one is added,
   and under the large load: they must be the same.

The small load is made through the services (task_create, task_pick; cases and consultations through
case_register and consultation_register); the large one adds, with bulk_create, OPEN_TASKS tasks not
done at VRAA (HERS picked by her, TEAM_WAITING waiting in her team's queue, INSTITUTION_WAITING in
VRAA's own queue, the rest spread over the other teams, a quarter of them picked), DONE_TASKS done
tasks over all of VRAA's teams (so the indexes have history to skip) and VSAA's tasks, which VRAA never
sees. They are what services_tasks would have left: team and assignee as picking keeps them, start and
completion times, the CREATED/PICKED/COMPLETED events and a time record per completed task; like
`onedoor generate`, synthetic history rather than actions, so no audit record per task.

Prints figures and ratios; never fails on timing. Standalone: `scripts/with-test-services.sh
.venv/bin/python -m benchmarks.workplace` (ONEDOOR_BENCH_CASES=20000 for a quick check).
"""

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg

from benchmarks.support import (
    ROUNDS,
    figure_line,
    fill_registry,
    give_history,
    percentiles,
    query_count,
    ratio_line,
    setup_django,
    time_requests,
    time_statements,
)

if TYPE_CHECKING:
    from django.test import Client

    from onedoor.catalog.models import ApplicationPlace
    from onedoor.identity.models import User
    from onedoor.parties.models import Institution, Person
    from onedoor.workplace.desk import Desk
    from onedoor.workplace.models import ClientView, Task, TaskEvent, TaskEventKind, TaskStatus, Team, TimeRecord

DEFAULT_CASES = 200_000
SEED = 20261124
SPECIALIST = "kac-specialist"
ANNA = "32871452034"  # Anna Kalniņa in the demo population register
HER_TEAM = "kac-riga-front"
HER_PLACE = "vpvkac-nacionalais-centrs"

# The large load (VRAA's tasks unless said otherwise).
OPEN_TASKS = 5_000  # not done, in all of VRAA's queues
HERS = 30  # picked by kac-specialist: her "Mine"
TEAM_WAITING = 200  # unassigned in kac-riga-front's queue
INSTITUTION_WAITING = 300  # unassigned, no team: VRAA's own queue
DONE_TASKS = 50_000
OTHER_OPEN, OTHER_DONE = 1_000, 10_000  # VSAA's, in family-benefits
TEAM_SIZE = 5
PERSON_CASES, CONSULTATIONS = 200, 20
# The small load, made before the large one: fewer rows than a section or a profile list shows.
SMALL_HERS, SMALL_TEAM, SMALL_INSTITUTION = 2, 3, 1
SMALL_CASES, SMALL_CONSULTATIONS = 10, 5

CASE_POOL = 5_000  # recent cases a task may be about
BATCH = 5_000
DAY = 86_400
POLLS_PER_SECOND = 1_500 / 20

QUEUE_PATH = "/lv/workplace/"
ITEMS_PATH = "/lv/workplace/queue/items/"
PROFILE_PATH = "/lv/workplace/clients/views/{view}/"
# What htmx sends with the poll: `hx-trigger` fires on #queue-items, which is also the target.
HTMX_HEADERS = {
    "HX-Request": "true",
    "HX-Trigger": "queue-items",
    "HX-Target": "queue-items",
    "HX-Current-URL": f"http://localhost{QUEUE_PATH}",
}

TITLES = (
    "Atzvanīt klientam par iesnieguma statusu",
    "Pārbaudīt ieskanētos oriģinālus pirms nosūtīšanas",
    "Precizēt iesniegumā norādīto bankas kontu",
    "Sagatavot dokumentu sūtījumu iestādei",
    "Nosūtīt klientam atbildi uz e-pastu",
    "Pieprasīt trūkstošo dokumentu kopijas",
)
OUTCOMES = ("Izdarīts.", "Klientam atzvanīts, jautājums atrisināts.", "Nosūtīts iestādei.", "Klients informēts.")

# The queue's rows as selectors_tasks.queue_for reads them: the three counts of work not done, then the
# tasks each section shows with their service and case, the statuses of work not done in the WHERE clause
# (where the (…, status, due_at) indexes can use them) and only the columns a queue row shows.
RAW_QUEUE_COUNTS = """
    SELECT count(*) FILTER (WHERE assignee_id = %(user)s),
           count(*) FILTER (WHERE team_id = %(team)s AND assignee_id IS NULL),
           count(*) FILTER (WHERE team_id IS NULL AND assignee_id IS NULL)
      FROM workplace_task
     WHERE institution_id = %(institution)s AND status IN ('open', 'in_progress')
"""
RAW_QUEUE_ROWS = """
    WITH shown AS (
        (SELECT 1 AS section, id, title, status, due_at, created_at, service_id, case_id FROM workplace_task
          WHERE institution_id = %(institution)s AND status IN ('open', 'in_progress') AND assignee_id = %(user)s
          ORDER BY due_at ASC NULLS LAST, created_at LIMIT %(limit)s)
        UNION ALL
        (SELECT 2, id, title, status, due_at, created_at, service_id, case_id FROM workplace_task
          WHERE institution_id = %(institution)s AND status IN ('open', 'in_progress')
            AND team_id = %(team)s AND assignee_id IS NULL
          ORDER BY due_at ASC NULLS LAST, created_at LIMIT %(limit)s)
        UNION ALL
        (SELECT 3, id, title, status, due_at, created_at, service_id, case_id FROM workplace_task
          WHERE institution_id = %(institution)s AND status IN ('open', 'in_progress')
            AND team_id IS NULL AND assignee_id IS NULL
          ORDER BY due_at ASC NULLS LAST, created_at LIMIT %(limit)s)
    )
    SELECT t.section, t.id, t.title, t.status, t.due_at, t.created_at, s.code, s.name_lv, s.name_en, c.number
      FROM shown t
      LEFT JOIN catalog_service s ON s.id = t.service_id
      LEFT JOIN cases_case c ON c.id = t.case_id
     ORDER BY t.section, t.due_at ASC NULLS LAST, t.created_at
"""
RAW_QUEUE = [RAW_QUEUE_COUNTS, RAW_QUEUE_ROWS]
# The profile's rows: the counts of its lists, then the view with its client and every row shown.
RAW_PROFILE_COUNTS = """
    SELECT (SELECT count(*) FROM cases_case WHERE for_person_id = %(person)s OR applicant_person_id = %(person)s),
           (SELECT count(*) FROM cases_consultation WHERE person_id = %(person)s),
           (SELECT count(*) FROM access_mandate WHERE mandator_person_id = %(person)s),
           (SELECT count(*) FROM access_mandate WHERE mandatary_id = %(person)s)
"""
RAW_PROFILE_ROWS = """
    (SELECT 'view' AS kind, v.expires_at AS at, p.personal_code AS a, p.given_name || ' ' || p.family_name AS b,
            m.name_lv AS c, coalesce(vs.name_lv, cs.name_lv) AS d
       FROM workplace_clientview v
       JOIN parties_person p ON p.id = v.person_id
       LEFT JOIN parties_institution m ON m.id = p.municipality_id
       LEFT JOIN catalog_service vs ON vs.id = v.service_id
       LEFT JOIN cases_case vc ON vc.id = v.case_id
       LEFT JOIN catalog_service cs ON cs.id = vc.service_id
      WHERE v.id = %(view)s AND v.opened_by_id = %(user)s AND v.institution_id = %(institution)s)
    UNION ALL
    (SELECT 'case', c.submitted_at, c.number, s.name_lv, h.code, c.status
       FROM cases_case c
       JOIN catalog_service s ON s.id = c.service_id
       JOIN parties_institution h ON h.id = c.holder_id
      WHERE c.for_person_id = %(person)s OR c.applicant_person_id = %(person)s
      ORDER BY c.submitted_at DESC, c.number DESC LIMIT %(rows)s)
    UNION ALL
    (SELECT 'consultation', k.occurred_at, k.topic, s.name_lv, i.code, k.channel
       FROM cases_consultation k
       LEFT JOIN catalog_service s ON s.id = k.service_id
       JOIN parties_institution i ON i.id = k.institution_id
      WHERE k.person_id = %(person)s
      ORDER BY k.occurred_at DESC LIMIT %(rows)s)
    UNION ALL
    (SELECT 'contact', confirmed_at, kind, value, NULL, NULL FROM notifications_contactpoint
      WHERE person_id = %(person)s AND confirmed_at IS NOT NULL)
    UNION ALL
    (SELECT 'bank_account', added_at, iban, NULL, NULL, NULL FROM parties_bankaccount WHERE person_id = %(person)s)
    UNION ALL
    (SELECT 'mandate_given', g.granted_at, g.reference, p.given_name || ' ' || p.family_name, g.scope, NULL
       FROM access_mandate g JOIN parties_person p ON p.id = g.mandatary_id
      WHERE g.mandator_person_id = %(person)s ORDER BY g.granted_at DESC LIMIT %(rows)s)
    UNION ALL
    (SELECT 'mandate_received', r.granted_at, r.reference, coalesce(p.given_name || ' ' || p.family_name, o.name),
            r.scope, NULL
       FROM access_mandate r
       LEFT JOIN parties_person p ON p.id = r.mandator_person_id
       LEFT JOIN parties_organisation o ON o.id = r.mandator_organisation_id
      WHERE r.mandatary_id = %(person)s ORDER BY r.granted_at DESC LIMIT %(rows)s)
"""


# --- staff ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """A specialist of a team, at the team's place (None: an office without an application place)."""

    user: "User"
    team: "Team"
    place: "ApplicationPlace | None"


def _load_staff() -> None:
    """The demo people, staff accounts and placements, as onedoor.conftest.demo_catalog loads them."""
    from onedoor.demo.accounts import load_accounts, load_placements
    from onedoor.parties.demo_data import load_people

    load_people()
    load_accounts()
    load_placements()


def _staffed(team: "Team", place: "ApplicationPlace | None", rng: random.Random) -> list[Member]:
    """The team's specialists, topped up to TEAM_SIZE with generated ones (no password: never signed in)."""
    from django.contrib.auth.hashers import make_password

    from onedoor.cases.generator import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
    from onedoor.identity.models import Role, User
    from onedoor.workplace.models import Placement

    placed = list(Placement.objects.filter(team=team).select_related("user", "place").order_by("user__username"))
    new = []
    for number in range(len(placed), TEAM_SIZE):
        female = rng.random() < 0.7
        family = rng.choice(FAMILY_NAMES)[1 if female else 0]
        new.append(
            User(
                username=f"bench-{team.code}-{number}",
                first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                last_name=family,
                institution_id=team.institution_id,
                roles=[Role.SPECIALIST.value],
                is_staff=True,
                password=make_password(None),
            )
        )
    User.objects.bulk_create(new)
    Placement.objects.bulk_create([Placement(user=user, place=place, team=team) for user in new])
    return [Member(placement.user, team, placement.place) for placement in placed] + [
        Member(user, team, place) for user in new
    ]


def _front_desks(vraa: "Institution", rng: random.Random) -> dict["Team", list[Member]]:
    """A front-desk team at every active VRAA customer service centre, kac-riga-front at the national one."""
    from onedoor.catalog.models import ApplicationPlace
    from onedoor.workplace.models import Team

    teams = {}
    for place in ApplicationPlace.objects.filter(institution=vraa, is_active=True).order_by("code"):
        code = HER_TEAM if place.code == HER_PLACE else f"kac-{place.code.removeprefix('vpvkac-')}"
        team, _ = Team.objects.get_or_create(
            institution=vraa, code=code, defaults={"name_lv": place.name_lv[:150], "name_en": place.name_en[:150]}
        )
        teams[team] = _staffed(team, place, rng)
    return teams


# --- tasks ----------------------------------------------------------------------------------------


class TaskLoad:
    """Tasks of one institution as services_tasks would have left them, with their events and time
    records, for bulk_create."""

    def __init__(
        self,
        *,
        institution: "Institution",
        cases: list[tuple[UUID, UUID]],
        services: list[UUID],
        rng: random.Random,
        now: datetime,
    ) -> None:
        self.institution = institution
        self.cases = cases
        self.services = services
        self.rng = rng
        self.now = now
        self.tasks: list[Task] = []
        self.events: list[TaskEvent] = []
        self.times: list[TimeRecord] = []

    def add(self, *, team: "Team | None", creator: Member, assignee: Member | None, status: "TaskStatus") -> None:
        """One task; `assignee` has picked it (in progress) or completed it (done), or it waits unassigned."""
        from onedoor.workplace.models import Task, TaskEventKind, TaskStatus

        rng = self.rng
        done = status == TaskStatus.DONE
        created = self.now - timedelta(seconds=rng.uniform(4 * DAY, 730 * DAY) if done else rng.uniform(0, 14 * DAY))
        started = completed = None
        if done:
            started = created + timedelta(seconds=rng.uniform(0, 3 * DAY))
            completed = started + timedelta(seconds=rng.uniform(300, 7_200))
        elif status == TaskStatus.IN_PROGRESS:
            started = created + (self.now - created) * rng.random()
        case_id = service_id = None
        subject = rng.random()
        if subject < 0.5 and self.cases:
            case_id, service_id = rng.choice(self.cases)
        elif subject < 0.7:
            service_id = rng.choice(self.services)
        task = Task(
            institution=self.institution,
            team=team,
            assignee=assignee.user if assignee else None,
            title=f"{rng.choice(TITLES)} ({rng.randrange(1, 10_000)})",
            details="Klients lūdza atbildi līdz nedēļas beigām." if rng.random() < 0.5 else "",
            status=status,
            case_id=case_id,
            service_id=service_id,
            due_at=None if rng.random() < 0.3 else created + timedelta(seconds=rng.uniform(DAY, 10 * DAY)),
            started_at=started,
            completed_at=completed,
            outcome=rng.choice(OUTCOMES) if done else "",
            created_by_id=str(creator.user.pk),
            created_by_label=creator.user.get_full_name(),
        )
        self.tasks.append(task)
        self.events.append(self._event(task, TaskEventKind.CREATED, created, creator))
        if assignee is not None and started is not None:
            self.events.append(self._event(task, TaskEventKind.PICKED, started, assignee))
            if completed is not None:
                self.events.append(self._event(task, TaskEventKind.COMPLETED, completed, assignee, note=task.outcome))
                self.times.append(self._time(task, assignee, started, completed))

    def _event(
        self, task: "Task", kind: "TaskEventKind", at: datetime, member: Member, *, note: str = ""
    ) -> "TaskEvent":
        from onedoor.workplace.models import TaskEvent

        return TaskEvent(
            task=task,
            kind=kind,
            occurred_at=at,
            actor_id=str(member.user.pk),
            actor_label=member.user.get_full_name(),
            note=note,
        )

    def _time(self, task: "Task", member: Member, started: datetime, completed: datetime) -> "TimeRecord":
        from onedoor.core.channels import Channel
        from onedoor.workplace.models import Activity, Stage, TimeRecord

        return TimeRecord(
            specialist=member.user,
            specialist_label=member.user.get_full_name(),
            institution=self.institution,
            place=member.place,
            service_id=task.service_id,
            channel=task.channel or (Channel.KAC if member.place is not None else Channel.PHONE),
            stage=Stage.EXECUTION,
            activity=Activity.TASK,
            started_at=started,
            seconds=int((completed - started).total_seconds()),
            case_id=task.case_id,
            task=task,
        )

    def save(self) -> None:
        """Writes the tasks, then gives them the time of their CREATED event (bulk_create stamps now)."""
        from django.db import transaction
        from django.db.models import F, OuterRef, Subquery
        from django.db.models.functions import Greatest
        from django.utils import timezone

        from onedoor.workplace.models import Task, TaskEvent, TaskEventKind, TimeRecord

        stamped = timezone.now()
        created = TaskEvent.objects.filter(task=OuterRef("pk"), kind=TaskEventKind.CREATED).values("occurred_at")[:1]
        with transaction.atomic():
            Task.objects.bulk_create(self.tasks, batch_size=BATCH)
            TaskEvent.objects.bulk_create(self.events, batch_size=BATCH)
            TimeRecord.objects.bulk_create(self.times, batch_size=BATCH)
            Task.objects.filter(institution=self.institution, created_at__gte=stamped).update(
                created_at=Subquery(created),
                updated_at=Greatest(Subquery(created), F("started_at"), F("completed_at")),
            )


def _case_pool(**where: Any) -> list[tuple[UUID, UUID]]:
    from onedoor.cases.models import Case

    return list(Case.objects.filter(**where).order_by("-submitted_at").values_list("pk", "service_id")[:CASE_POOL])


def _small_queue(desk: "Desk", case_number: str) -> None:
    """Her queues topped up to SMALL_HERS picked, SMALL_TEAM waiting for her team, SMALL_INSTITUTION for
    VRAA, through the services (as the specialists would)."""
    from onedoor.workplace.selectors_tasks import queue_for
    from onedoor.workplace.services_tasks import TaskTarget, task_create, task_pick

    queue = queue_for(desk=desk)
    for number in range(queue.mine.count, SMALL_HERS):
        task = task_create(desk=desk, title=f"{TITLES[0]} ({number})", target=TaskTarget.TEAM, case_number=case_number)
        task_pick(desk=desk, task_id=task.pk)
    for number in range(queue.team.count, SMALL_TEAM):
        task_create(desk=desk, title=f"{TITLES[1]} ({number})", target=TaskTarget.TEAM, case_number=case_number)
    for number in range(queue.institution.count, SMALL_INSTITUTION):
        task_create(desk=desk, title=f"{TITLES[2]} ({number})", target=TaskTarget.INSTITUTION)


def _large_queue(desk: "Desk", rng: random.Random) -> None:
    """VRAA's and VSAA's tasks topped up to the large load (those already there count)."""
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from onedoor.catalog.models import Service
    from onedoor.parties.models import Institution
    from onedoor.workplace.models import Task, TaskStatus, Team

    now = timezone.now()
    vraa = desk.institution
    services = list(Service.objects.filter(is_published=True).values_list("pk", flat=True))
    teams = _front_desks(vraa, rng)
    her_team = next(team for team in teams if team.code == HER_TEAM)
    her = next(member for member in teams[her_team] if member.user.pk == desk.user.pk)
    everyone = [member for members in teams.values() for member in members]
    others = [team for team in teams if team != her_team]

    tasks = Task.objects.filter(institution=vraa)
    not_done = ~Q(status=TaskStatus.DONE)
    load = TaskLoad(institution=vraa, cases=_case_pool(place__institution=vraa), services=services, rng=rng, now=now)
    hers = max(0, HERS - tasks.filter(not_done, assignee=desk.user).count())
    for _ in range(hers):
        load.add(team=her_team, creator=rng.choice(teams[her_team]), assignee=her, status=TaskStatus.IN_PROGRESS)
    team_waiting = max(0, TEAM_WAITING - tasks.filter(not_done, team=her_team, assignee=None).count())
    for _ in range(team_waiting):
        load.add(team=her_team, creator=rng.choice(teams[her_team]), assignee=None, status=TaskStatus.OPEN)
    institution_waiting = max(0, INSTITUTION_WAITING - tasks.filter(not_done, team=None, assignee=None).count())
    for _ in range(institution_waiting):
        load.add(team=None, creator=rng.choice(everyone), assignee=None, status=TaskStatus.OPEN)
    for index in range(OPEN_TASKS - tasks.filter(not_done).count() - hers - team_waiting - institution_waiting):
        team = others[index % len(others)]
        picker = rng.choice(teams[team]) if rng.random() < 0.25 else None
        status = TaskStatus.IN_PROGRESS if picker else TaskStatus.OPEN
        load.add(team=team, creator=rng.choice(teams[team]), assignee=picker, status=status)
    for _ in range(DONE_TASKS - tasks.filter(status=TaskStatus.DONE).count()):
        member = rng.choice(everyone)
        picked_from = None if rng.random() < 0.1 else member.team  # a tenth from VRAA's own queue
        load.add(team=picked_from, creator=rng.choice(everyone), assignee=member, status=TaskStatus.DONE)
    load.save()

    vsaa = Institution.objects.get(code="VSAA")
    benefits = Team.objects.get(institution=vsaa, code="family-benefits")
    department = _staffed(benefits, None, rng)
    tasks = Task.objects.filter(institution=vsaa)
    load = TaskLoad(institution=vsaa, cases=_case_pool(holder=vsaa), services=services, rng=rng, now=now)
    for _ in range(OTHER_OPEN - tasks.filter(not_done).count()):
        picker = rng.choice(department) if rng.random() < 0.25 else None
        status = TaskStatus.IN_PROGRESS if picker else TaskStatus.OPEN
        load.add(team=benefits, creator=rng.choice(department), assignee=picker, status=status)
    for _ in range(OTHER_DONE - tasks.filter(status=TaskStatus.DONE).count()):
        load.add(team=benefits, creator=rng.choice(department), assignee=rng.choice(department), status=TaskStatus.DONE)
    load.save()
    with connection.cursor() as cursor:
        # As autovacuum would have long since: TaskLoad.save's UPDATE left a dead version of every task.
        cursor.execute("VACUUM ANALYZE workplace_task, workplace_taskevent, workplace_timerecord")


# --- the client -----------------------------------------------------------------------------------


def _client_details(person: "Person") -> None:
    """Anna's confirmed e-mail address and phone and her bank account, as the profile shows them."""
    from django.utils import timezone

    from onedoor.notifications.models import ContactKind, ContactPoint
    from onedoor.parties.models import BankAccount

    now = timezone.now()
    for kind, value in ((ContactKind.EMAIL, "anna.kalnina@example.lv"), (ContactKind.PHONE, "+37120000001")):
        ContactPoint.objects.get_or_create(person=person, kind=kind, value=value, defaults={"confirmed_at": now})
    BankAccount.objects.get_or_create(
        person=person, defaults={"iban": "LV80BANK0000435195001", "holder_name": person.full_name, "added_at": now}
    )


def _open_view(desk: "Desk", person: "Person") -> "ClientView":
    """A view of the client's profile for their newest case, in person at the KAC (no caller to verify), with
    the client's consent where the service asks for it."""
    from onedoor.cases.models import Case
    from onedoor.core.channels import Channel
    from onedoor.workplace.services_clients import client_view_open

    newest = Case.objects.filter(for_person=person).order_by("-submitted_at").values_list("number", flat=True)[0]
    return client_view_open(
        desk=desk,
        client_kind="person",
        client_key=person.personal_code,
        channel=Channel.KAC,
        case_number=newest,
        note="Klients jautā par savu pieteikumu.",
        consent=True,
    )


# --- measuring ------------------------------------------------------------------------------------


def _desk(username: str) -> "Desk":
    """The desk of a member of staff acting for their institution (as demo.workplace and the tests make it)."""
    from onedoor.access.contexts import institution_context
    from onedoor.identity.models import User
    from onedoor.identity.selectors import actor_for_user
    from onedoor.workplace.desk import desk_of

    user = User.objects.get(username=username)
    return desk_of(user, actor_for_user(user, context=institution_context(user)))


def _at_work() -> "Client":
    """The Django test client, signed in as the specialist acting for her institution."""
    from django.test import Client

    from onedoor.access.testing import staff_sign_in

    client = Client(SERVER_NAME="localhost")
    staff_sign_in(client, SPECIALIST)
    return client


@dataclass(frozen=True, slots=True)
class QueueLoad:
    mine: int
    team: int
    institution: int

    @property
    def shown(self) -> int:
        from onedoor.workplace.selectors_tasks import QUEUE_LIMIT

        return sum(min(count, QUEUE_LIMIT) for count in (self.mine, self.team, self.institution))

    def __str__(self) -> str:
        return f"{self.mine} + {self.team} + {self.institution} tasks"


def _queue_load(desk: "Desk") -> QueueLoad:
    from onedoor.workplace.selectors_tasks import queue_for

    queue = queue_for(desk=desk)
    return QueueLoad(queue.mine.count, queue.team.count, queue.institution.count)


@dataclass(frozen=True, slots=True)
class ProfileLoad:
    cases: int
    consultations: int
    details: int  # the other rows the profile shows: confirmed contacts, bank account, mandates

    @property
    def shown(self) -> int:
        """The rows of the two lists on the page."""
        from onedoor.workplace.selectors_clients import SECTION_ROWS

        return min(self.cases, SECTION_ROWS) + min(self.consultations, SECTION_ROWS)

    def __str__(self) -> str:
        return f"{self.cases} cases, {self.consultations} consultations"


def _profile_load(person: "Person") -> ProfileLoad:
    from django.db.models import Q

    from onedoor.access.models import Mandate
    from onedoor.cases.models import Case, Consultation
    from onedoor.notifications.models import ContactPoint
    from onedoor.parties.models import BankAccount
    from onedoor.workplace.selectors_clients import SECTION_ROWS

    details = (
        ContactPoint.objects.filter(person=person, confirmed_at__isnull=False).count()
        + BankAccount.objects.filter(person=person).count()
        + min(Mandate.objects.filter(mandator_person=person).count(), SECTION_ROWS)
        + min(Mandate.objects.filter(mandatary=person).count(), SECTION_ROWS)
    )
    return ProfileLoad(
        Case.objects.filter(Q(for_person=person) | Q(applicant_person=person)).count(),
        Consultation.objects.filter(person=person).count(),
        details,
    )


def _queue_ok(rows: int, *, partial_only: bool) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'data-testid="task-row"') == rows, rows
        assert (b"<html" not in response.content) == partial_only

    return check


def _profile_ok(rows: int) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        assert response.status_code == 200, response.status_code
        assert response.content.count(b"<time datetime=") == rows, rows

    return check


def _poll(client: "Client") -> Callable[[str], Any]:
    return partial(client.get, headers=HTMX_HEADERS)


def _queries(get: Callable[[str], Any], path: str, check: Callable[[Any], None]) -> int:
    """The queries of one request, after one unmeasured (a poll comes from a page already open)."""
    check(get(path))
    return query_count(get, path)


def _profile_verdict(small: tuple[ProfileLoad, int], large: tuple[ProfileLoad, int]) -> str:
    """Equal counts, or a difference of exactly the counts a short list does not need (it shows all it has)."""
    from onedoor.workplace.selectors_clients import SECTION_ROWS

    (small_load, small_queries), (large_load, large_queries) = small, large
    short = sum(
        1
        for few, many in ((small_load.cases, large_load.cases), (small_load.consultations, large_load.consultations))
        if few < SECTION_ROWS <= many
    )
    if small_queries == large_queries:
        return "the same"
    if large_queries - small_queries == short:
        return f"no query per row: the {short} more are the counts a list runs only when full, at {SECTION_ROWS} rows"
    return "DIFFERENT: a query per row"


def run() -> None:
    setup_django()
    from django.db import connections

    from onedoor.cases.models import Case
    from onedoor.parties.models import Person
    from onedoor.workplace.models import Task, TaskStatus, Team
    from onedoor.workplace.selectors_clients import SECTION_ROWS
    from onedoor.workplace.selectors_tasks import QUEUE_LIMIT

    target = int(os.environ.get("ONEDOOR_BENCH_CASES", DEFAULT_CASES))
    rng = random.Random(SEED)
    started = time.perf_counter()
    filled = fill_registry(target, seed=SEED)
    _load_staff()
    desk = _desk(SPECIALIST)
    assert desk.team is not None
    assert desk.place is not None
    anna = Person.objects.get(personal_code=ANNA)
    _client_details(anna)

    # The small load, measured before the large one is added.
    kac_case = Case.objects.filter(place__institution=desk.institution).order_by("-submitted_at").first()
    _small_queue(desk, kac_case.number if kac_case else "")
    give_history(anna, cases=SMALL_CASES, consultations=SMALL_CONSULTATIONS)
    client = _at_work()
    small_queue, small_profile = _queue_load(desk), _profile_load(anna)
    view = _open_view(desk, anna)
    small_poll_queries = _queries(_poll(client), ITEMS_PATH, _queue_ok(small_queue.shown, partial_only=True))
    small_profile_queries = _queries(client.get, PROFILE_PATH.format(view=view.pk), _profile_ok(small_profile.shown))

    _large_queue(desk, rng)
    give_history(anna, cases=PERSON_CASES, consultations=CONSULTATIONS)
    queue, profile = _queue_load(desk), _profile_load(anna)
    tasks = Task.objects.filter(institution=desk.institution)
    not_done = tasks.exclude(status=TaskStatus.DONE).count()
    teams = Team.objects.filter(institution=desk.institution).count()
    print(
        f"workplace: {Case.objects.count()} cases; VRAA has {teams} teams, {not_done} tasks not done and "
        f"{tasks.count() - not_done} done, {Task.objects.count() - tasks.count()} tasks elsewhere "
        f"({filled}; ready in {time.perf_counter() - started:.0f} s)"
    )

    client = _at_work()
    poll_samples = time_requests(_poll(client), ITEMS_PATH, _queue_ok(queue.shown, partial_only=True))
    page_samples = time_requests(client.get, QUEUE_PATH, _queue_ok(queue.shown, partial_only=False))
    view = _open_view(desk, anna)
    profile_path = PROFILE_PATH.format(view=view.pk)
    profile_samples = time_requests(client.get, profile_path, _profile_ok(profile.shown))
    large_poll_queries = _queries(_poll(client), ITEMS_PATH, _queue_ok(queue.shown, partial_only=True))
    large_profile_queries = _queries(client.get, profile_path, _profile_ok(profile.shown))
    connections.close_all()

    queue_params = {
        "institution": desk.institution.pk,
        "team": desk.team.pk,
        "user": desk.user.pk,
        "limit": QUEUE_LIMIT,
    }
    profile_params = {
        "view": view.pk,
        "user": desk.user.pk,
        "institution": desk.institution.pk,
        "person": anna.pk,
        "rows": SECTION_ROWS,
    }
    # Custom plans for every run, as Django's client-side binding gets them: psycopg would prepare the
    # statements after five runs, and PostgreSQL's generic plan for `institution_id = $1` then walks the
    # institution's foreign-key index through every task it ever had.
    with psycopg.connect(os.environ["DATABASE_URL"], prepare_threshold=None) as raw:
        raw_queue = time_statements(raw, RAW_QUEUE, queue_params, rows=queue.shown)
        raw_profile = time_statements(
            raw, [RAW_PROFILE_COUNTS, RAW_PROFILE_ROWS], profile_params, rows=1 + profile.shown + profile.details
        )

    print(f"  a. the queue's poll, {queue.shown} of {queue} shown, {ROUNDS} requests (Django test client, in process)")
    print(figure_line(f"poll GET {ITEMS_PATH} (HX-Request)", poll_samples))
    print(figure_line("raw  SQL: the counts + one statement with the joins", raw_queue))
    print(ratio_line("ratio poll/raw", poll_samples, raw_queue))
    p50, p95 = percentiles(poll_samples)
    print(
        f"  at {POLLS_PER_SECOND:.0f} polls/s (1,500 specialists every 20 s) polling alone keeps "
        f"{POLLS_PER_SECOND * p50 / 1000:.1f} single-threaded workers busy at the p50, "
        f"{POLLS_PER_SECOND * p95 / 1000:.1f} at the p95"
    )
    print("  b. the whole queue page")
    print(figure_line(f"page GET {QUEUE_PATH}", page_samples))
    print(figure_line("raw  SQL: the counts + one statement with the joins", raw_queue))
    print(ratio_line("ratio page/raw", page_samples, raw_queue))
    print(f"  c. the client 360 profile of {anna.full_name}, {profile.shown} rows of {profile}")
    print(figure_line("page GET /lv/workplace/clients/views/<id>/", profile_samples))
    print(figure_line("raw  SQL: the counts + one statement with the joins", raw_profile))
    print(ratio_line("ratio profile/raw", profile_samples, raw_profile))
    poll_verdict = "the same" if small_poll_queries == large_poll_queries else "DIFFERENT: a query per row"
    print(
        f"  d. queries of the poll    under {small_queue}: {small_poll_queries:3d}, "
        f"under {queue}: {large_poll_queries:3d} ({poll_verdict})"
    )
    profile_verdict = _profile_verdict((small_profile, small_profile_queries), (profile, large_profile_queries))
    print(
        f"  d. queries of the profile under {small_profile}: {small_profile_queries:3d}, "
        f"under {profile}: {large_profile_queries:3d} ({profile_verdict})"
    )


if __name__ == "__main__":
    run()
