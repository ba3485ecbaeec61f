"""Demo work in the queues: tasks waiting for the KAC's front-desk team and for VSAA's family
benefits department, as a specialist finds them on a Monday morning (WORK-1)."""

from django.db import transaction

from onedoor.access.contexts import institution_context
from onedoor.identity.models import User
from onedoor.identity.selectors import actor_for_user
from onedoor.workplace.desk import Desk, desk_of
from onedoor.workplace.models import Task
from onedoor.workplace.services_tasks import TaskTarget, task_create

# (created by, title, details, queue, colleague's username)
DEMO_TASKS = (
    (
        "kac-colleague",
        "Atzvanīt klientam par dzīvesvietas deklarāciju",
        "Klients zvanīja par deklarācijas statusu; pārbaudīt PMLP atbildi un atzvanīt līdz piektdienai.",
        TaskTarget.TEAM,
        "",
    ),
    (
        "kac-colleague",
        "Pārbaudīt vakar ieskanētos oriģinālus pirms nosūtīšanas VSAA",
        "Salīdzināt skenējumus ar oriģināliem un sagatavot sūtījumu.",
        TaskTarget.COLLEAGUE,
        "kac-specialist",
    ),
    (
        "vsaa-handler",
        "Pieprasīt precizētu bankas kontu pabalsta izmaksai",
        "Iesniegumā norādītais konts nav klienta vārdā.",
        TaskTarget.TEAM,
        "",
    ),
)


def _desk(username: str) -> Desk:
    user = User.objects.get(username=username)
    return desk_of(user, actor_for_user(user, context=institution_context(user)))


@transaction.atomic
def load_workplace() -> int:
    """The demo tasks, once: a title already in its institution's queues is not added again."""
    created = 0
    for author, title, details, target, colleague in DEMO_TASKS:
        desk = _desk(author)
        if Task.objects.filter(institution=desk.institution, title=title).exists():
            continue
        colleague_id = User.objects.get(username=colleague).pk if colleague else None
        task_create(desk=desk, title=title, details=details, target=target, colleague_id=colleague_id)
        created += 1
    return created
