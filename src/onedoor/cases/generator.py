"""Synthetic registry data for benchmarks and load tests (`onedoor generate --cases N`).

Fills the registry with cases of the published services, their status histories, and the
persons and organisations they concern, shaped like real traffic: a few services take most
cases (Zipf-like, the pilot services first), most cases come through the portal or the
e-account, a share is filed on behalf of a company, submissions spread over the last three
years, and old cases are mostly closed.

What it writes is synthetic history, not actions: nobody registered these cases through OneDoor.
So it appends no outbox events (institutions' systems must not be sent made-up cases through
the feed and webhooks) and no audit record per case (the audit log records what people and
systems did); one audit record says who generated how much, with which seed.

Case numbers continue each service's `CaseNumberCounter`, whose rows stay locked until the run
commits, so cases registered meanwhile wait and then continue after the generated ones. On
PostgreSQL the rows go in with COPY; elsewhere with `bulk_create` in batches.
"""

import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from psycopg.types.json import JsonbDumper
from stdnum.lv import pvn

from onedoor.audit.services import audit_record
from onedoor.catalog.models import FINAL_LIFECYCLE, Lifecycle, Service
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.errors import PermissionDenied, ValidationFailed
from onedoor.parties.models import Institution, InstitutionKind, Organisation, Person

from .models import Case, CaseNumberCounter, CaseStatusEvent, ClientKind
from .numbers import format_case_number

YEARS = 3
SPAN_SECONDS = YEARS * 365 * 86400
RECENCY = 1.25  # > 1: more cases in recent months, as use of the platform grows
ZIPF_EXPONENT = 1.1
CHUNK = 20_000
GENERATOR_ID = "onedoor-generate"

# Applications by channel in a year of the pilot; only the service's own channels are used, and
# the call centre and the holder's own system can register a case of any service.
CHANNEL_MIX = {
    Channel.WEB_PORTAL: 34,
    Channel.E_ACCOUNT: 30,
    Channel.KAC: 14,
    Channel.PHONE: 6,
    Channel.POST: 6,
    Channel.EMAIL: 5,
    Channel.INSTITUTION_SYSTEM: 5,
}
ALWAYS_AVAILABLE = frozenset({Channel.PHONE, Channel.INSTITUTION_SYSTEM})
DETOURS = frozenset({Lifecycle.AWAITING_CLIENT, Lifecycle.AWAITING_PAYMENT})
BEFORE_DECISION = frozenset({Lifecycle.SUBMITTED, Lifecycle.IN_PROGRESS, Lifecycle.AWAITING_CLIENT})
OUTCOMES = [Lifecycle.CLOSED, Lifecycle.REJECTED, Lifecycle.WITHDRAWN]
OUTCOME_WEIGHTS = [89, 8, 3]
REGISTERED_BY = "OneDoor (synthetic data)"

MALE_NAMES = ["Jānis", "Andris", "Edgars", "Mārtiņš", "Kristaps", "Artūrs", "Roberts", "Māris", "Gints", "Pēteris"]
FEMALE_NAMES = ["Anna", "Līga", "Ilze", "Inese", "Kristīne", "Laura", "Dace", "Elīna", "Zane", "Katrīna"]
FAMILY_NAMES = [
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"),
    ("Ozols", "Ozola"),
    ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Eglītis", "Eglīte"),
    ("Zariņš", "Zariņa"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Vanags", "Vanaga"),
    ("Lācis", "Lāce"),
]
STREETS = ["Brīvības iela", "Krišjāņa Barona iela", "Rīgas iela", "Lielā iela", "Skolas iela", "Stacijas iela"]
# (town, postcode, municipality institution code or "", weight)
TOWNS = [
    ("Rīga", "LV-1011", "RIGA", 45),
    ("Valmiera, Valmieras novads", "LV-4201", "VALMIERA", 8),
    ("Roja, Talsu novads", "LV-3264", "ROJA", 3),
    ("Jelgava", "LV-3001", "", 12),
    ("Liepāja", "LV-3401", "", 12),
    ("Daugavpils", "LV-5401", "", 12),
    ("Cēsis, Cēsu novads", "LV-4101", "", 8),
]
COMPANY_WORDS = (
    ["Kurzemes", "Vidzemes", "Latgales", "Zemgales", "Rīgas", "Gaujas", "Daugavas", "Baltijas"],
    ["Koks", "Būve", "Dati", "Serviss", "Loģistika", "Piens", "Enerģija", "Konsultācijas", "Mežs", "Dārzs"],
)
LEGAL_FORMS = [("SIA", 70), ("IK", 10), ("biedrība", 8), ("AS", 5), ("ZS", 5), ("nodibinājums", 2)]

Row = tuple[Any, ...]
CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "number",
    "service_id",
    "sequence",
    "holder_id",
    "provider_id",
    "requesting_institution_id",
    "applicant_kind",
    "applicant_person_id",
    "applicant_organisation_id",
    "applicant_phone",
    "for_person_id",
    "for_organisation_id",
    "mandate_reference",
    "authorisation",
    "channel",
    "result_channel",
    "place_id",
    "status",
    "lifecycle",
    "is_closed",
    "status_occurred_at",
    "submitted_at",
    "external_id",
    "data",
    "registered_by_kind",
    "registered_by_id",
    "registered_by_label",
)
EVENT_COLUMNS = (
    "case_id",
    "event_id",
    "status",
    "lifecycle",
    "is_final",
    "occurred_at",
    "received_at",
    "actor_kind",
    "actor_id",
    "actor_label",
    "acting_for",
    "note",
)
PERSON_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "personal_code",
    "given_name",
    "family_name",
    "birth_date",
    "is_resident",
    "municipality_id",
    "address",
)
ORGANISATION_COLUMNS = ("id", "created_at", "updated_at", "registration_number", "name", "legal_form", "address")


@dataclass(frozen=True, slots=True)
class GenerationReport:
    """What one run created and how long it took."""

    cases: int
    status_events: int
    persons: int
    organisations: int
    services: int
    seed: int
    until: datetime
    seconds: float


@dataclass(frozen=True, slots=True)
class _Status:
    code: str
    lifecycle: str
    is_final: bool


@dataclass(slots=True)
class _ServiceProfile:
    """What the generator needs to know about one service, read once."""

    id: uuid.UUID
    code: str
    holder_id: uuid.UUID
    holder_label: str
    holder_code: str
    for_natural: bool
    for_legal: bool
    is_internal: bool
    sla_seconds: int
    channels: list[str]
    channel_weights: list[int]
    result_channels: list[str]
    places: list[uuid.UUID]
    registered: _Status
    # the non-final statuses after registration, grouped by lifecycle phase in the service's order
    phases: list[list[_Status]]
    finals: dict[str, list[_Status]]
    is_pilot: bool = False
    last_sequence: int = 0
    created: int = 0


class _RowWriter(Protocol):
    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None: ...


class _CopyWriter:
    """PostgreSQL: COPY … FROM STDIN through psycopg 3, in the caller's transaction."""

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            cursor.adapters.register_dumper(dict, JsonbDumper)
            statement = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)


class _BulkCreateWriter:
    """Any other database: `bulk_create` in batches (slower; `auto_now` timestamps become the time of the run)."""

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
        model._default_manager.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=1000
        )


def cases_generate(
    *,
    actor: Actor,
    count: int,
    seed: int = 1,
    until: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> GenerationReport:
    """Create `count` synthetic cases with status histories, and the parties they concern, in one transaction.

    Deterministic for a seed, a database state and `until` (default: the start of today, UTC),
    the end of the three years over which submissions are spread. `progress` is called with the
    number of cases written so far. Only the platform itself may generate.
    """
    if not actor.is_platform_admin:
        raise PermissionDenied(_("Only the platform may generate synthetic registry data."))
    if count < 1:
        raise ValidationFailed(_("Give a positive number of cases."), invalid_params={"cases": [_("At least 1.")]})
    started = time.perf_counter()
    end = until or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible from its seed
    writer: _RowWriter = _CopyWriter() if connection.vendor == "postgresql" else _BulkCreateWriter()
    with transaction.atomic():
        profiles = _service_profiles(rng)
        if not profiles:
            raise ValidationFailed(_("No published service has status types: load the catalog first."))
        _lock_counters(profiles)
        generator = _Generator(rng=rng, end=end, profiles=profiles, writer=writer, count=count)
        generator.write_parties()
        events = generator.write_cases(progress)
        CaseNumberCounter.objects.bulk_update(
            [
                CaseNumberCounter(service_id=profile.id, last_sequence=profile.last_sequence)
                for profile in profiles
                if profile.created
            ],
            ["last_sequence"],
        )
        persons, organisations = len(generator.persons), len(generator.organisations)
        services = sum(1 for profile in profiles if profile.created)
        audit_record(
            actor=actor,
            action="cases.generate",
            details={
                "cases": count,
                "status_events": events,
                "persons": persons,
                "organisations": organisations,
                "services": services,
                "seed": seed,
                "until": end.isoformat(),
            },
        )
    _analyze()
    return GenerationReport(
        cases=count,
        status_events=events,
        persons=persons,
        organisations=organisations,
        services=services,
        seed=seed,
        until=end,
        seconds=time.perf_counter() - started,
    )


def _analyze() -> None:
    """Fresh planner statistics, so that the first queries after a large load use the indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [
                model._meta.db_table for model in (Case, CaseStatusEvent, Person, Organisation, CaseNumberCounter)
            ]
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


def _service_profiles(rng: random.Random) -> list[_ServiceProfile]:
    """Published services that have the initial status, most popular first: the pilot services, then the rest."""
    services = (
        Service.objects.filter(is_published=True)
        .select_related("holder")
        .prefetch_related("status_types", "application_channels", "result_channels", "places")
        .order_by("code")
    )
    profiles = [profile for service in services if (profile := _profile(service)) is not None]
    pilots = [profile for profile in profiles if profile.is_pilot]
    others = [profile for profile in profiles if not profile.is_pilot]
    rng.shuffle(pilots)
    rng.shuffle(others)
    return pilots + others


def _profile(service: Service) -> _ServiceProfile | None:
    statuses = sorted(service.status_types.all(), key=lambda status: (status.position, status.code))
    registered = next((s for s in statuses if s.code == Lifecycle.REGISTERED), None)
    if registered is None:
        return None
    phases: list[list[_Status]] = []
    finals: dict[str, list[_Status]] = {lifecycle: [] for lifecycle in FINAL_LIFECYCLE}
    for status in statuses:
        if status.code == registered.code:
            continue
        option = _Status(status.code, status.lifecycle, status.is_final)
        if status.is_final:
            finals.setdefault(status.lifecycle, []).append(option)
        elif phases and phases[-1][0].lifecycle == status.lifecycle:
            phases[-1].append(option)
        else:
            phases.append([option])
    offered = {channel.code for channel in service.application_channels.all()} | ALWAYS_AVAILABLE
    channels = [channel.value for channel in CHANNEL_MIX if channel in offered]
    return _ServiceProfile(
        id=service.pk,
        code=service.code,
        holder_id=service.holder_id,
        holder_code=service.holder.code,
        holder_label=f"{service.holder.code.lower()}-backoffice",
        for_natural=service.for_natural_persons,
        for_legal=service.for_legal_persons,
        is_internal=service.is_internal,
        # working days of the target time, in calendar seconds
        sla_seconds=(service.sla_days or 20) * 7 * 86400 // 5,
        channels=channels,
        channel_weights=list(accumulate(CHANNEL_MIX[Channel(channel)] for channel in channels)),
        result_channels=sorted(channel.code for channel in service.result_channels.all()),
        places=sorted(place.pk for place in service.places.all() if place.is_active),
        registered=_Status(registered.code, registered.lifecycle, registered.is_final),
        phases=phases,
        finals={lifecycle: options for lifecycle, options in finals.items() if options},
        is_pilot=bool(service.pilot_reference),
    )


def _lock_counters(profiles: list[_ServiceProfile]) -> None:
    """Lock every service's counter until commit and read the last sequence given (or used)."""
    ids = [profile.id for profile in profiles]
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(service_id=pk) for pk in ids], ignore_conflicts=True)
    counters = dict(
        CaseNumberCounter.objects.select_for_update()
        .filter(service_id__in=ids)
        .values_list("service_id", "last_sequence")
    )
    used = dict(
        Case.objects.filter(service_id__in=ids)
        .values("service_id")
        .annotate(last=Max("sequence"))
        .values_list("service_id", "last")
    )
    for profile in profiles:
        profile.last_sequence = max(counters.get(profile.id, 0), used.get(profile.id) or 0)


def _time_ordered_uuid(milliseconds: int, rng: random.Random) -> uuid.UUID:
    """A version 7 UUID (time first, then random bits): rows loaded in time order append to the indexes."""
    value = (milliseconds & (2**48 - 1)) << 80 | rng.getrandbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return uuid.UUID(int=value)


def new_personal_code(rng: random.Random) -> str:
    """A random valid personal code of the format issued since 2017: "32", eight digits, a check digit."""
    base = f"32{rng.randrange(10**8):08d}"
    return base + pvn.calc_check_digit_pers(base)


def new_registration_number(rng: random.Random) -> str:
    """A random valid registration number of a legal person: "40", eight digits, a check digit."""
    while True:
        base = f"40{rng.randrange(10**8):08d}"
        # the last weight is 1: the check digit is what brings the weighted sum to 3 (mod 11)
        digit = (3 - pvn.checksum(base + "0")) % 11
        if digit < 10:
            return f"{base}{digit}"


class _Generator:
    """One run: draws parties, then cases in order of submission with their histories, and writes them."""

    def __init__(
        self, *, rng: random.Random, end: datetime, profiles: list[_ServiceProfile], writer: _RowWriter, count: int
    ) -> None:
        self.rng = rng
        self.end = end
        self.end_ts = int(end.timestamp())
        self.profiles = profiles
        self.writer = writer
        self.count = count
        self.persons: list[uuid.UUID] = []
        self.organisations: list[uuid.UUID] = []
        self.institutions = list(
            Institution.objects.exclude(kind=InstitutionKind.PLATFORM_OPERATOR)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        self.municipalities = dict(Institution.objects.values_list("code", "pk"))

    def write_parties(self) -> None:
        """About four cases per person and forty per organisation; codes not yet known to the registry."""
        rng = self.rng
        now_ms = int(self.end.timestamp() * 1000)
        persons = max(50, self.count // 4)
        organisations = max(20, self.count // 40)
        known_codes = set(Person.objects.values_list("personal_code", flat=True))
        known_numbers = set(Organisation.objects.values_list("registration_number", flat=True))
        town_weights = list(accumulate(town[3] for town in TOWNS))
        form_weights = list(accumulate(form[1] for form in LEGAL_FORMS))
        rows: list[Row] = []
        while len(rows) < persons:
            code = new_personal_code(rng)
            if code in known_codes:
                continue
            known_codes.add(code)
            pk = _time_ordered_uuid(now_ms, rng)
            female = rng.random() < 0.52
            given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            family = rng.choice(FAMILY_NAMES)[1 if female else 0]
            town, postcode, municipality, _weight = rng.choices(TOWNS, cum_weights=town_weights)[0]
            address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {town}, {postcode}"
            birth = date(1935, 1, 1) + timedelta(days=rng.randrange(75 * 365))
            rows.append(
                (
                    pk,
                    self.end,
                    self.end,
                    code,
                    given,
                    family,
                    birth,
                    True,
                    self.municipalities.get(municipality),
                    address,
                )
            )
            self.persons.append(pk)
        self.writer.write(Person, PERSON_COLUMNS, rows)
        rows = []
        while len(rows) < organisations:
            number = new_registration_number(rng)
            if number in known_numbers:
                continue
            known_numbers.add(number)
            pk = _time_ordered_uuid(now_ms, rng)
            form = rng.choices(LEGAL_FORMS, cum_weights=form_weights)[0][0]
            name = f'{form} "{rng.choice(COMPANY_WORDS[0])} {rng.choice(COMPANY_WORDS[1])}"'
            town, postcode, _municipality, _weight = rng.choices(TOWNS, cum_weights=town_weights)[0]
            address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {town}, {postcode}"
            rows.append((pk, self.end, self.end, number, name, form, address))
            self.organisations.append(pk)
        self.writer.write(Organisation, ORGANISATION_COLUMNS, rows)

    def _submissions(self) -> list[tuple[int, int]]:
        """(submitted at, profile index) for every case, oldest first: sequences grow with time, as they do."""
        rng = self.rng
        weights = list(accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(self.profiles))))
        chosen = rng.choices(range(len(self.profiles)), cum_weights=weights, k=self.count)
        random_ = rng.random
        # the last hour is left free, so that every history fits before the end
        latest, span = self.end_ts - 3600, SPAN_SECONDS - 3600
        return sorted((latest - int(span * random_() ** RECENCY), index) for index in chosen)

    def write_cases(self, progress: Callable[[int], None] | None) -> int:
        """Write the cases and their histories in chunks; returns the number of status events.

        Cases are made while they are copied, so the database works as the next ones are drawn.
        """
        submissions = self._submissions()
        events = 0
        for start in range(0, len(submissions), CHUNK):
            chunk = submissions[start : start + CHUNK]
            event_rows: list[Row] = []
            cases = (self._case(self.profiles[index], submitted, event_rows) for submitted, index in chunk)
            self.writer.write(Case, CASE_COLUMNS, cases)
            self.writer.write(CaseStatusEvent, EVENT_COLUMNS, event_rows)
            events += len(event_rows)
            if progress is not None:
                progress(start + len(chunk))
        return events

    def _applicant(self, profile: _ServiceProfile, channel: str) -> tuple[str, Any, Any, str, Any, Any]:
        """(kind, applicant person, applicant organisation, phone, for person, for organisation)."""
        rng = self.rng
        person = self.persons[rng.randrange(len(self.persons))]
        company_share = 0.0 if not profile.for_legal else (0.9 if not profile.for_natural else 0.25)
        if rng.random() < company_share:
            organisation = self.organisations[rng.randrange(len(self.organisations))]
            if rng.random() < 0.15:
                return ClientKind.ORGANISATION.value, None, organisation, "", None, organisation
            return ClientKind.PERSON.value, person, None, "", None, organisation
        if channel == Channel.PHONE and rng.random() < 0.3:
            return ClientKind.PHONE.value, None, None, f"+3712{rng.randrange(10**7):07d}", None, None
        if rng.random() < 0.04:  # a parent for a child, or under a mandate
            return ClientKind.PERSON.value, person, None, "", self.persons[rng.randrange(len(self.persons))], None
        return ClientKind.PERSON.value, person, None, "", person, None

    def _history(self, profile: _ServiceProfile, submitted: int) -> list[tuple[_Status, int]]:
        """1–5 statuses in the service's order, registered first; old cases are mostly finished."""
        rng = self.rng
        age = self.end_ts - submitted
        phases = profile.phases
        main = [index for index, phase in enumerate(phases) if phase[0].lifecycle not in DETOURS]
        detours = [index for index, phase in enumerate(phases) if phase[0].lifecycle in DETOURS]
        final: _Status | None = None
        if rng.random() < 0.97 * min(1.0, age / (2 * profile.sla_seconds)):
            outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
            options = profile.finals.get(outcome) or profile.finals.get(Lifecycle.CLOSED)
            final = _pick(rng, options) if options else None
        if final is None:
            # still open: the further along, the older it is
            reached = min(len(main), int(len(main) * age / profile.sla_seconds) + rng.randint(0, 1))
            taken = sorted(rng.sample(main[:reached], min(reached, rng.randint(0, 4))))
            if taken:
                taken[-1] = main[reached - 1]
        elif final.lifecycle == Lifecycle.CLOSED:
            taken = rng.sample(main, rng.randint(min(1, len(main)), min(3, len(main))))
        else:
            # rejected or withdrawn before a decision
            early = [index for index in main if phases[index][0].lifecycle in BEFORE_DECISION]
            taken = rng.sample(early, rng.randint(0, min(2, len(early))))
        if detours and len(taken) < 3 and rng.random() < 0.1:
            taken.append(rng.choice(detours))
        statuses = [_pick(rng, phases[index]) for index in sorted(set(taken))]
        if final is not None:
            statuses.append(final)
        return self._timeline(profile, submitted, statuses, finished=final is not None)

    def _timeline(
        self, profile: _ServiceProfile, submitted: int, statuses: list[_Status], *, finished: bool
    ) -> list[tuple[_Status, int]]:
        """When each status happened: spread over the case's duration, strictly increasing."""
        rng = self.rng
        available = self.end_ts - submitted - len(statuses) - 1
        if finished:
            duration = min(available, int(profile.sla_seconds * rng.uniform(0.1, 1.6)))
        else:
            duration = int(available * rng.uniform(0.3, 1.0))
        moments = sorted(rng.randrange(max(1, duration)) for _ in statuses)
        if finished and moments:
            moments[-1] = duration
        history = [(profile.registered, submitted)]
        previous = submitted
        for status, moment in zip(statuses, moments, strict=True):
            previous = max(previous + 1, submitted + moment)
            history.append((status, previous))
        return history

    def _case(self, profile: _ServiceProfile, submitted: int, events: list[Row]) -> Row:
        """The case's row; its history goes to `events`."""
        rng = self.rng
        profile.last_sequence += 1
        profile.created += 1
        number = format_case_number(profile.code, profile.last_sequence)
        url_number = number.replace(" ", "-")
        pk = _time_ordered_uuid(submitted * 1000 + rng.randrange(1000), rng)
        channel = rng.choices(profile.channels, cum_weights=profile.channel_weights)[0]
        kind, person, organisation, phone, for_person, for_organisation = self._applicant(profile, channel)
        place = rng.choice(profile.places) if channel == Channel.KAC and profile.places else None
        requesting = rng.choice(self.institutions) if profile.is_internal and self.institutions else None
        result_channel = rng.choice(profile.result_channels) if profile.result_channels else ""
        history = self._history(profile, submitted)
        received_at = self.end
        for position, (status, occurred) in enumerate(history):
            registration = position == 0
            occurred_at = datetime.fromtimestamp(occurred, UTC)
            # a registration is recorded as it happens; institutions report later
            delay = 0 if registration else rng.randint(5, 900)
            received_at = datetime.fromtimestamp(min(occurred + delay, self.end_ts), UTC)
            events.append(
                (
                    pk,
                    f"{status.code}-{url_number}",
                    status.code,
                    status.lifecycle,
                    status.is_final,
                    occurred_at,
                    received_at,
                    ActorKind.SYSTEM.value,
                    GENERATOR_ID,
                    REGISTERED_BY if registration else profile.holder_label,
                    "" if registration else profile.holder_code,
                    "",
                )
            )
        current, current_at = history[-1]
        submitted_at = datetime.fromtimestamp(submitted, UTC)
        return (
            pk,
            submitted_at,
            received_at,
            number,
            profile.id,
            profile.last_sequence,
            profile.holder_id,
            None,
            requesting,
            kind,
            person,
            organisation,
            phone,
            for_person,
            for_organisation,
            "",
            "",
            channel,
            result_channel,
            place,
            current.code,
            current.lifecycle,
            current.is_final,
            datetime.fromtimestamp(current_at, UTC),
            submitted_at,
            "",
            {},
            ActorKind.SYSTEM.value,
            GENERATOR_ID,
            REGISTERED_BY,
        )


def _pick(rng: random.Random, options: list[_Status]) -> _Status:
    """A service's own status of the phase when it has one (what institutions report), else the generic one."""
    specific = [option for option in options if option.code != option.lifecycle]
    if specific and (len(specific) == len(options) or rng.random() < 0.85):
        return rng.choice(specific)
    return rng.choice([option for option in options if option.code == option.lifecycle] or options)
