"""Demo cases: applications arriving from the portal (for VSAA's simulator to move) and a short service
history for the demo people and companies, so that every e-account page has something to show.

Everything is keyed by external id: running it again registers nothing twice, and a case's demo
statuses are recorded only while it still has just its first status.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from onedoor.cases.services import INITIAL_STATUS, PartyRef, StatusEventInput, case_register, status_events_record
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.parties.registers.population import population_register
from onedoor.parties.services import person_from_register

PORTAL = Actor(kind=ActorKind.SYSTEM, id="portal", label="OneDoor portal (demo)", is_platform_admin=True)
# Records the demo statuses of holders without a system of their own, as their case handlers would.
CASE_DESK = Actor(kind=ActorKind.SYSTEM, id="demo-case-desk", label="Case handler (demo)", is_platform_admin=True)

ANNA, JANIS, ELZA = "32871452034", "14037812342", "05030920418"
KOKMATERIALI, BALTIJAS_LOGISTIKA = "40003512877", "40003119424"

DEMO_APPLICATIONS: tuple[tuple[str, str, str, Channel, dict[str, str]], ...] = (
    ("DEMO-1", "2011", "32871452034", Channel.E_ACCOUNT, {"child_birth_date": "2026-10-02"}),  # Anna Kalniņa
    ("DEMO-2", "2013", "32871452034", Channel.E_ACCOUNT, {"child_birth_date": "2026-10-02"}),
    ("DEMO-3", "2019", "14037812342", Channel.KAC, {"sick_leave_from": "2026-11-10"}),  # Jānis Bērziņš
    ("DEMO-4", "2008", "02115510879", Channel.WEB_PORTAL, {}),
    ("DEMO-5", "2012", "32871452034", Channel.PHONE, {}),
)


@dataclass(frozen=True, slots=True)
class DemoHistoryCase:
    """A case from the past: who applied for whom, how long ago, and the statuses it went through since."""

    external_id: str
    service_code: str
    applicant: PartyRef
    channel: Channel
    days_ago: int
    acting_for: PartyRef | None = None
    result_channel: str = ""
    # (status code, days after submission)
    statuses: tuple[tuple[str, int], ...] = ()
    data: dict[str, str] = field(default_factory=dict)


# Services of holders other than VSAA, so that VSAA's back-office simulator leaves them alone.
DEMO_HISTORY: tuple[DemoHistoryCase, ...] = (
    # Anna: a statement already delivered and closed (she can rate it), and a declaration awaiting corrections.
    DemoHistoryCase(
        "DEMO-H1",
        "4006",
        PartyRef(personal_code=ANNA),
        Channel.E_ACCOUNT,
        days_ago=40,
        result_channel=Channel.E_ACCOUNT,
        statuses=(("in_progress", 1), ("result_delivered", 2), ("closed", 3)),
    ),
    DemoHistoryCase(
        "DEMO-H2",
        "3006",
        PartyRef(personal_code=ANNA),
        Channel.E_ACCOUNT,
        days_ago=12,
        result_channel=Channel.E_ACCOUNT,
        statuses=(("corrections-requested", 4),),
        data={"year": "2025"},
    ),
    # Elza, a minor: her passport, applied for in person by her father Jānis.
    DemoHistoryCase(
        "DEMO-H3",
        "4001",
        PartyRef(personal_code=JANIS),
        Channel.KAC,
        days_ago=20,
        acting_for=PartyRef(personal_code=ELZA),
        result_channel=Channel.KAC,
        statuses=(("biometrics-taken", 0), ("document-produced", 9)),
    ),
    # SIA "Kokmateriāli": VAT registration in progress, a cadastral value certificate delivered.
    DemoHistoryCase(
        "DEMO-H4",
        "3031",
        PartyRef(registration_number=KOKMATERIALI),
        Channel.E_ACCOUNT,
        days_ago=9,
        result_channel=Channel.E_ACCOUNT,
        statuses=(("in_progress", 2),),
    ),
    DemoHistoryCase(
        "DEMO-H5",
        "5001",
        PartyRef(registration_number=KOKMATERIALI),
        Channel.WEB_PORTAL,
        days_ago=75,
        result_channel=Channel.E_ACCOUNT,
        statuses=(("in_progress", 1), ("result_delivered", 3), ("closed", 4)),
    ),
    # AS "Baltijas Loģistika": a change of board members decided, a certificate of no tax debts delivered.
    DemoHistoryCase(
        "DEMO-H6",
        "1003",
        PartyRef(registration_number=BALTIJAS_LOGISTIKA),
        Channel.E_ACCOUNT,
        days_ago=30,
        result_channel=Channel.E_ACCOUNT,
        statuses=(("documents-examined", 2), ("registration-decision", 5)),
    ),
    DemoHistoryCase(
        "DEMO-H7",
        "3034",
        PartyRef(registration_number=BALTIJAS_LOGISTIKA),
        Channel.E_ACCOUNT,
        days_ago=5,
        result_channel=Channel.EMAIL,
        statuses=(("in_progress", 0), ("result_delivered", 1)),
    ),
)


def register_demo_cases() -> int:
    """Register the demo applications and history once (keyed by external id); returns how many were new."""
    created = 0
    now = timezone.now()
    submitted = now - timedelta(minutes=1)
    for external_id, service_code, personal_code, channel, data in DEMO_APPLICATIONS:
        registration = case_register(
            actor=PORTAL,
            service_code=service_code,
            applicant=PartyRef(personal_code=personal_code),
            channel=channel,
            external_id=external_id,
            submitted_at=submitted,
            data=data,
        )
        created += registration.created
    # Named as the population register names them (Elza is not among the demo people loaded up front).
    for personal_code in {past.acting_for.personal_code for past in DEMO_HISTORY if past.acting_for}:
        if registered := population_register().lookup(personal_code):
            person_from_register(registered)
    for past in DEMO_HISTORY:
        created += _register_history_case(past, now=now)
    return created


def _register_history_case(past: DemoHistoryCase, *, now: datetime) -> bool:
    submitted = now.replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=past.days_ago)
    registration = case_register(
        actor=PORTAL,
        service_code=past.service_code,
        applicant=past.applicant,
        acting_for=past.acting_for,
        channel=past.channel,
        result_channel=past.result_channel,
        external_id=past.external_id,
        submitted_at=submitted,
        data=past.data,
    )
    case = registration.case
    if case.status == INITIAL_STATUS and past.statuses:
        status_events_record(
            actor=CASE_DESK,
            items=[
                StatusEventInput(
                    case_number=case.number,
                    event_id=f"{past.external_id}-{position}-{status}",
                    status=status,
                    occurred_at=submitted + timedelta(days=days, hours=2 + position),
                )
                for position, (status, days) in enumerate(past.statuses)
            ],
        )
    return registration.created
