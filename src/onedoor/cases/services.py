"""Writing the request registry (REG-1 … REG-7).

Every write checks the acting context, runs in one transaction, appends its events to the
outbox and writes the audit record in that transaction.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.catalog.models import ApplicationPlace, Lifecycle, Service, ServiceStatusType
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from onedoor.core.outbox import outbox_append_many
from onedoor.parties.models import Institution, Organisation, Person
from onedoor.parties.services import normalize_phone, organisation_by_number, person_by_code

from . import events
from .errors import (
    AlreadySubmitted,
    CaseNotFound,
    ConsultationNotFound,
    FeedbackAlreadyGiven,
    FeedbackNotYet,
    InvalidParty,
    NotAllowedForService,
    ReopenNotAllowed,
    UnknownStatus,
)
from .models import (
    Authorisation,
    Case,
    CaseNumberCounter,
    CaseStatusEvent,
    ClientKind,
    Consultation,
    Feedback,
    FeedbackAspect,
)
from .numbers import format_case_number, parse_case_number
from .selectors import cases_visible_to, consultations_visible_to

SCOPE_CASES_WRITE = "cases:write"
SCOPE_STATUS_WRITE = "statuses:write"
SCOPE_REOPEN = "cases:reopen"
SCOPE_CONSULTATIONS_WRITE = "consultations:write"
SCOPE_FEEDBACK_WRITE = "feedback:write"
CASE_HANDLER = "case_handler"
SPECIALIST = "specialist"
STAFF_ROLES = frozenset({CASE_HANDLER, SPECIALIST})

INITIAL_STATUS = Lifecycle.REGISTERED


@dataclass(frozen=True, slots=True)
class PartyRef:
    """Who a client is, as far as known: exactly one of the four."""

    personal_code: str = ""
    registration_number: str = ""
    phone: str = ""
    anonymous: bool = False


@dataclass(slots=True)
class ResolvedParty:
    kind: ClientKind
    person: Person | None = None
    organisation: Organisation | None = None
    phone: str = ""

    @property
    def key(self) -> str:
        if self.person:
            return self.person.personal_code
        if self.organisation:
            return self.organisation.registration_number
        return self.phone


def resolve_party(ref: PartyRef, *, field_name: str, allow_unidentified: bool = True) -> ResolvedParty:
    given = [bool(ref.personal_code), bool(ref.registration_number), bool(ref.phone), ref.anonymous]
    if sum(given) != 1:
        raise InvalidParty(
            _("Give exactly one of personal_code, registration_number, phone or anonymous."),
            invalid_params={
                field_name: [_("Give exactly one of personal_code, registration_number, phone or anonymous.")]
            },
        )
    try:
        if ref.personal_code:
            return ResolvedParty(ClientKind.PERSON, person=person_by_code(ref.personal_code))
        if ref.registration_number:
            return ResolvedParty(ClientKind.ORGANISATION, organisation=organisation_by_number(ref.registration_number))
    except ValidationError as error:
        subfield = "personal_code" if ref.personal_code else "registration_number"
        raise InvalidParty(error.messages[0], invalid_params={f"{field_name}.{subfield}": error.messages}) from None
    if not allow_unidentified:
        message = _("The client must be identified by a personal code or a registration number.")
        raise InvalidParty(message, invalid_params={field_name: [message]})
    if ref.phone:
        try:
            return ResolvedParty(ClientKind.PHONE, phone=normalize_phone(ref.phone))
        except ValidationError as error:
            raise InvalidParty(error.messages[0], invalid_params={f"{field_name}.phone": error.messages}) from None
    return ResolvedParty(ClientKind.ANONYMOUS)


def _require(actor: Actor, scope: str) -> None:
    """Systems need the scope; staff need the case-handler role (holders without a system of their own)."""
    if actor.is_platform_admin:
        return
    if actor.kind == ActorKind.SYSTEM and actor.has_role(scope):
        return
    if actor.kind == ActorKind.USER and actor.roles & STAFF_ROLES:
        return
    raise NotAllowedForService(_("The credentials do not include the scope %(scope)s.") % {"scope": scope})


def _may_reopen(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(SCOPE_REOPEN) or actor.has_role(CASE_HANDLER)


def _may_act_for_service(actor: Actor, service: Service, place: ApplicationPlace | None = None) -> bool:
    """Holders and providers register their services' cases; a specialist at an application place
    registers those the place offers, when the holder allows the e-assistant (ASST-2)."""
    if actor.is_platform_admin:
        return True
    if not actor.may_use_service(service.code) or actor.institution_id is None:
        return False
    institutions = {str(service.holder_id), *(str(pk) for pk in service.providers.values_list("pk", flat=True))}
    if actor.institution_id in institutions:
        return True
    return (
        place is not None
        and service.e_assistant_allowed
        and str(place.institution_id) == actor.institution_id
        and place.services.filter(pk=service.pk).exists()
    )


def _allocate_sequence(service: Service) -> int:
    """The next case sequence of the service, without gaps: the counter row stays locked until commit."""
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(service=service)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(service=service)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


@dataclass(frozen=True, slots=True)
class Registration:
    case: Case
    created: bool


def case_register(
    *,
    actor: Actor,
    service_code: str,
    applicant: PartyRef,
    channel: str,
    acting_for: PartyRef | None = None,
    result_channel: str = "",
    external_id: str = "",
    submitted_at: datetime | None = None,
    data: dict[str, Any] | None = None,
    mandate_reference: str = "",
    requesting_institution: Institution | None = None,
    place: ApplicationPlace | None = None,
    authorisation: str = "",
    submit: bool = True,
) -> Registration:
    """Record a case once (REG-1). A repeated `external_id` of the same holder returns the original case.

    `place` is where it was applied for in person; `authorisation` says under what authority a
    specialist applies for the client (ASST-1). With `submit=False` a case registered outside the
    holder waits for `case_submit` (the e-assistant prints the application, with its number, for
    the client to sign first); otherwise the holder is told at once with `case.submitted`.
    """
    _require(actor, SCOPE_CASES_WRITE)
    service = Service.objects.select_related("holder").filter(code=service_code, is_published=True).first()
    if service is None:
        raise ValidationFailed(
            _("There is no service with code %(code)s.") % {"code": service_code},
            invalid_params={"service": [_("Unknown service code.")]},
        )
    if not _may_act_for_service(actor, service, place):
        raise NotAllowedForService(
            _("These credentials may not register cases of service %(code)s.") % {"code": service.code}
        )
    if authorisation and authorisation not in Authorisation.values:
        raise ValidationFailed(
            _("Unknown authorisation."), invalid_params={"authorisation": [_("Unknown authorisation.")]}
        )
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), invalid_params={"channel": [_("Unknown channel.")]})
    if external_id:
        existing = Case.objects.filter(holder=service.holder, external_id=external_id).first()
        if existing is not None:
            return Registration(existing, created=False)
    now = timezone.now()
    submitted = submitted_at or now
    try:
        with transaction.atomic():
            applicant_party = resolve_party(applicant, field_name="applicant")
            for_party = (
                resolve_party(acting_for, field_name="acting_for", allow_unidentified=False)
                if acting_for
                else applicant_party
            )
            sequence = _allocate_sequence(service)
            case = Case.objects.create(
                number=format_case_number(service.code, sequence),
                service=service,
                sequence=sequence,
                holder=service.holder,
                requesting_institution=requesting_institution,
                applicant_kind=applicant_party.kind,
                applicant_person=applicant_party.person,
                applicant_organisation=applicant_party.organisation,
                applicant_phone=applicant_party.phone,
                for_person=for_party.person,
                for_organisation=for_party.organisation,
                mandate_reference=mandate_reference,
                authorisation=authorisation,
                channel=channel,
                result_channel=result_channel,
                place=place,
                status=INITIAL_STATUS,
                lifecycle=INITIAL_STATUS,
                status_occurred_at=submitted,
                submitted_at=submitted,
                external_id=external_id,
                data=data or {},
                registered_by_kind=actor.kind.value,
                registered_by_id=actor.id,
                registered_by_label=actor.label,
            )
            CaseStatusEvent.objects.create(
                case=case,
                event_id=f"registered-{case.url_number}",
                status=INITIAL_STATUS,
                lifecycle=INITIAL_STATUS,
                occurred_at=submitted,
                received_at=now,
                actor_kind=actor.kind.value,
                actor_id=actor.id,
                actor_label=actor.label,
                acting_for=actor.acting_for,
            )
            outgoing = [events.case_event(case, events.CASE_REGISTERED)]
            if submit and actor.institution_id != str(service.holder_id):
                # Registered outside the holder (a KAC, the portal, another institution): the holder must act on it.
                outgoing.append(events.case_event(case, events.CASE_SUBMITTED))
            outbox_append_many(outgoing)
            audit_record(
                actor=actor,
                action="cases.case.register",
                obj=_audited(case),
                details={
                    "service": service.code,
                    "channel": channel,
                    "external_id": external_id,
                    "place": place.code if place else "",
                    "authorisation": authorisation,
                },
            )
    except IntegrityError:
        # Two concurrent registrations with the same external id: the other one won; return it.
        if external_id:
            return Registration(Case.objects.get(holder=service.holder, external_id=external_id), created=False)
        raise
    return Registration(case, created=True)


def case_submit(*, actor: Actor, case: Case, occurred_at: datetime | None = None) -> Case:
    """Send a registered case to its holder (ASST-1): status “submitted” and `case.submitted` for
    the holder's system. Only whoever registered the case submits it, once."""
    _require(actor, SCOPE_CASES_WRITE)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("service", "holder", "place", "applicant_person", "for_person")
            .filter(pk=case.pk)
            .first()
        )
        if locked is None or locked.registered_by_id != actor.id or locked.registered_by_kind != actor.kind.value:
            raise CaseNotFound(_("No case %(number)s.") % {"number": case.number})
        if locked.lifecycle != Lifecycle.REGISTERED:
            raise AlreadySubmitted(_("Case %(number)s has already been submitted.") % {"number": locked.number})
        status_type = ServiceStatusType.objects.filter(service_id=locked.service_id, code=Lifecycle.SUBMITTED).first()
        submitted_at = occurred_at or now
        event = CaseStatusEvent.objects.create(
            case=locked,
            event_id=f"submitted-{locked.url_number}",
            status=status_type.code if status_type else Lifecycle.SUBMITTED,
            lifecycle=Lifecycle.SUBMITTED,
            occurred_at=submitted_at,
            received_at=now,
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            actor_label=actor.label,
            acting_for=actor.acting_for,
        )
        locked.status, locked.lifecycle = event.status, event.lifecycle
        locked.status_occurred_at, locked.updated_at = submitted_at, now
        locked.save(update_fields=["status", "lifecycle", "status_occurred_at", "updated_at"])
        outbox_append_many(
            [events.case_event(locked, events.CASE_SUBMITTED), events.status_changed_event(locked, event)]
        )
        audit_record(actor=actor, action="cases.case.submit", obj=_audited(locked), details={"status": event.status})
    return locked


def _audited(case: Case) -> AuditedObject:
    return AuditedObject(type="cases.case", id=case.number, label=case.number, holder_id=str(case.holder_id))


def _events_already_recorded(
    items: Sequence["StatusEventInput"], cases: dict[str, Case]
) -> dict[tuple[Any, str], CaseStatusEvent]:
    """The recorded events among the (case, event id) pairs of a batch, matched pair by pair on the unique index."""
    pairs = {
        (cases[number].pk, item.event_id)
        for item in items
        if (number := parse_case_number(item.case_number)) and number in cases
    }
    if not pairs:
        return {}
    recorded: Iterable[CaseStatusEvent]
    if connection.vendor == "postgresql":
        table = CaseStatusEvent._meta.db_table
        recorded = CaseStatusEvent.objects.raw(
            f"SELECT * FROM {table} WHERE (case_id, event_id) IN "  # noqa: S608 - the table name is the model's
            "(SELECT * FROM unnest(%s::uuid[], %s::varchar[]))",
            [[case_pk for case_pk, _ in pairs], [event_id for _, event_id in pairs]],
        )
    else:
        matching = Q()
        for case_pk, event_id in pairs:
            matching |= Q(case_id=case_pk, event_id=event_id)
        recorded = CaseStatusEvent.objects.filter(matching)
    return {(event.case_id, event.event_id): event for event in recorded}


_CURRENT_STATUS_FIELDS = ("status", "lifecycle", "is_closed", "status_occurred_at", "updated_at")
_BATCH_CASE_FIELDS = ("id", "number", "service_id", "holder_id", *_CURRENT_STATUS_FIELDS)


def _save_current_statuses(cases: list[Case]) -> None:
    """One plain UPDATE per changed case, sent together (an ORM bulk_update builds one huge CASE statement)."""
    if not cases:
        return
    fields = [field for field in Case._meta.concrete_fields if field.name in _CURRENT_STATUS_FIELDS]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column or field.name)} = %s" for field in fields)
    statement = f"UPDATE {connection.ops.quote_name(Case._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 - names from the model
    primary_key = Case._meta.pk
    assert primary_key is not None
    rows = [
        [field.get_db_prep_save(getattr(case, field.attname), connection) for field in fields]
        + [primary_key.get_db_prep_value(case.pk, connection)]
        for case in cases
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)


@dataclass(frozen=True, slots=True)
class StatusEventInput:
    case_number: str
    event_id: str
    status: str
    occurred_at: datetime
    note: str = ""


@dataclass(slots=True)
class StatusEventResult:
    """The outcome of one status event: `created`, `duplicate` (the original) or `refused` (with the error)."""

    case_number: str
    event_id: str
    outcome: str
    event: CaseStatusEvent | None = None
    case: Case | None = None
    error: ApplicationError | None = None
    warnings: list[str] = field(default_factory=list)


def status_events_record(*, actor: Actor, items: Sequence[StatusEventInput]) -> list[StatusEventResult]:
    """Record status events of many cases at once (REG-2), one result per item in order.

    Events may arrive late, twice or out of order: history is ordered by `occurred_at`, the
    current status is the latest by `occurred_at`, a known event id returns the original, a
    status the service does not define is refused, and a non-final status after a final one
    reopens the case only with the reopen scope. Each item stands alone: a refused item does
    not stop the others.
    """
    _require(actor, SCOPE_STATUS_WRITE)
    numbers = {number for item in items if (number := parse_case_number(item.case_number))}
    now = timezone.now()
    with transaction.atomic():
        cases = {
            case.number: case
            for case in cases_visible_to(actor=actor)
            .filter(number__in=numbers)
            .only(*_BATCH_CASE_FIELDS)
            .select_for_update(of=("self",))
            .order_by("pk")
        }
        existing = _events_already_recorded(items, cases)
        status_types = {
            (status_type.service_id, status_type.code): status_type
            for status_type in ServiceStatusType.objects.filter(
                service_id__in={case.service_id for case in cases.values()}
            )
        }
        results: list[StatusEventResult] = []
        new_events: list[CaseStatusEvent] = []
        changed: dict[Any, Case] = {}
        for item in items:
            number = parse_case_number(item.case_number)
            case = cases.get(number) if number else None
            result = StatusEventResult(
                case_number=item.case_number, event_id=item.event_id, outcome="refused", case=case
            )
            results.append(result)
            if case is None:
                result.error = CaseNotFound(_("No case %(number)s.") % {"number": item.case_number})
                continue
            key = (case.pk, item.event_id)
            if key in existing:
                result.outcome, result.event = "duplicate", existing[key]
                continue
            status_type = status_types.get((case.service_id, item.status))
            if status_type is None:
                message = _("Service %(service)s has no status %(status)s.") % {
                    "service": case.service_code,
                    "status": item.status,
                }
                result.error = UnknownStatus(message, invalid_params={"status": [message]})
                continue
            reopens = case.is_closed and not status_type.is_final and item.occurred_at > case.status_occurred_at
            if reopens and not _may_reopen(actor):
                result.error = ReopenNotAllowed(
                    _("Case %(number)s is closed; reopening it needs the cases:reopen scope.") % {"number": case.number}
                )
                continue
            event = CaseStatusEvent(
                case=case,
                event_id=item.event_id,
                status=status_type.code,
                lifecycle=status_type.lifecycle,
                is_final=status_type.is_final,
                occurred_at=item.occurred_at,
                received_at=now,
                actor_kind=actor.kind.value,
                actor_id=actor.id,
                actor_label=actor.label,
                acting_for=actor.acting_for,
                note=item.note,
            )
            new_events.append(event)
            existing[key] = event
            if item.occurred_at >= case.status_occurred_at:
                case.status, case.lifecycle = status_type.code, status_type.lifecycle
                case.is_closed, case.status_occurred_at = status_type.is_final, item.occurred_at
                case.updated_at = now
                changed[case.pk] = case
            result.outcome, result.event = "created", event
        CaseStatusEvent.objects.bulk_create(new_events)
        _save_current_statuses(list(changed.values()))
        outbox_append_many([events.status_changed_event(event.case, event) for event in new_events])
        audit_record(
            actor=actor,
            action="cases.status_events.record",
            details={
                "created": len(new_events),
                "duplicates": sum(result.outcome == "duplicate" for result in results),
                "refused": sum(result.outcome == "refused" for result in results),
                "cases": sorted({event.case.number for event in new_events})[:100],
            },
        )
    return results


def consultation_register(
    *,
    actor: Actor,
    channel: str,
    client: PartyRef,
    topic: str,
    occurred_at: datetime,
    service_code: str = "",
    outcome: str = "",
    specialist: str = "",
    duration_seconds: int | None = None,
    external_id: str = "",
    institution: Institution | None = None,
    place: ApplicationPlace | None = None,
) -> tuple[Consultation, bool]:
    """Record a consultation (REG-4); a repeated external id of the same institution returns the original."""
    _require(actor, SCOPE_CONSULTATIONS_WRITE)
    consulting = institution or Institution.objects.filter(code=actor.institution_code or "").first()
    if consulting is None:
        raise ValidationFailed(_("The consulting institution is unknown."))
    service = None
    if service_code:
        service = Service.objects.select_related("holder").filter(code=service_code).first()
        if service is None:
            raise ValidationFailed(
                _("There is no service with code %(code)s.") % {"code": service_code},
                invalid_params={"service": [_("Unknown service code.")]},
            )
        if not actor.may_use_service(service.code):
            raise NotAllowedForService(_("These credentials may not record consultations on this service."))
    if external_id:
        existing = Consultation.objects.filter(institution=consulting, external_id=external_id).first()
        if existing is not None:
            return existing, False
    party = resolve_party(client, field_name="client")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            service=service,
            institution=consulting,
            channel=channel,
            client_kind=party.kind,
            person=party.person,
            organisation=party.organisation,
            phone=party.phone,
            topic=topic,
            outcome=outcome,
            specialist=specialist,
            place=place,
            duration_seconds=duration_seconds,
            occurred_at=occurred_at,
            external_id=external_id,
            recorded_by_kind=actor.kind.value,
            recorded_by_id=actor.id,
            recorded_by_label=actor.label,
        )
        outbox_append_many([events.consultation_event(consultation)])
        audit_record(
            actor=actor,
            action="cases.consultation.register",
            obj=AuditedObject(
                type="cases.consultation",
                id=str(consultation.pk),
                label=topic,
                holder_id=str(service.holder_id) if service else str(consulting.pk),
            ),
            details={"service": service_code, "channel": channel},
        )
    return consultation, True


FEEDBACK_OPEN_LIFECYCLES = frozenset({Lifecycle.DECIDED, Lifecycle.RESULT_DELIVERED})


def _check_scores(scores: dict[str, int]) -> None:
    unknown = sorted(set(scores) - set(FeedbackAspect.values))
    bad_values = sorted(aspect for aspect, value in scores.items() if not (isinstance(value, int) and 1 <= value <= 5))
    if not scores or unknown or bad_values:
        message = _("Scores are whole numbers from 1 to 5 for the aspects %(aspects)s.") % {
            "aspects": ", ".join(FeedbackAspect.values)
        }
        raise ValidationFailed(message, invalid_params={"scores": [message]})


def feedback_open(case: Case) -> bool:
    """Whether the case has a result, so that its client can rate it (REG-5)."""
    return case.is_closed or case.lifecycle in FEEDBACK_OPEN_LIFECYCLES


def _case_for_feedback(actor: Actor, case_number: str) -> Case:
    number = parse_case_number(case_number)
    case = cases_visible_to(actor=actor).select_related("service").filter(number=number or "").first()
    if case is None:
        raise CaseNotFound(_("No case %(number)s.") % {"number": case_number})
    if not feedback_open(case):
        raise FeedbackNotYet(_("Feedback can be given once the case has a result."))
    return case


@dataclass(frozen=True, slots=True)
class _FeedbackTarget:
    case: Case | None
    consultation: Consultation | None
    holder_id: Any
    service_code: str
    subject: str


def _feedback_create(
    *,
    actor: Actor,
    target: _FeedbackTarget,
    client_key: str,
    scores: dict[str, int],
    comment: str,
    channel: str,
    given_by_label: str = "",
    mandate_reference: str = "",
) -> Feedback:
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                case=target.case,
                consultation=target.consultation,
                client_key=client_key,
                scores=scores,
                comment=comment,
                channel=channel,
                given_at=timezone.now(),
                given_by_label=given_by_label,
                mandate_reference=mandate_reference,
            )
            outbox_append_many(
                [
                    events.feedback_event(
                        feedback, holder_id=target.holder_id, service_code=target.service_code, subject=target.subject
                    )
                ]
            )
            audit_record(
                actor=actor,
                action="cases.feedback.give",
                obj=AuditedObject(
                    type="cases.feedback", id=str(feedback.pk), label=target.subject, holder_id=str(target.holder_id)
                ),
                details={"scores": scores},
            )
    except IntegrityError:
        raise FeedbackAlreadyGiven(_("This client has already given feedback on it.")) from None
    return feedback


def feedback_give(
    *,
    actor: Actor,
    client: PartyRef,
    scores: dict[str, int],
    channel: str,
    case_number: str = "",
    consultation_id: str = "",
    comment: str = "",
) -> Feedback:
    """A client's rating of a finished case or a consultation, once per client (REG-5)."""
    _require(actor, SCOPE_FEEDBACK_WRITE)
    if bool(case_number) == bool(consultation_id):
        message = _("Give either case_number or consultation.")
        raise ValidationFailed(message, invalid_params={"case_number": [message]})
    _check_scores(scores)
    party = resolve_party(client, field_name="client")
    if party.kind == ClientKind.ANONYMOUS:
        message = _("Feedback needs the client's personal code, registration number or phone number.")
        raise InvalidParty(message, invalid_params={"client": [message]})
    if case_number:
        case = _case_for_feedback(actor, case_number)
        target = _FeedbackTarget(case, None, case.holder_id, case.service.code, case.url_number)
    else:
        consultation = (
            consultations_visible_to(actor=actor).select_related("service").filter(pk=consultation_id).first()
        )
        if consultation is None:
            raise ConsultationNotFound(_("No such consultation."))
        target = _FeedbackTarget(
            None,
            consultation,
            consultation.service.holder_id if consultation.service else consultation.institution_id,
            consultation.service.code if consultation.service else "",
            str(consultation.pk),
        )
    return _feedback_create(
        actor=actor, target=target, client_key=party.key, scores=scores, comment=comment, channel=channel
    )


def feedback_give_as_client(*, actor: Actor, case_number: str, scores: dict[str, int], comment: str = "") -> Feedback:
    """The e-account's rating of a case with a result by the party the actor acts for (REG-5), once per party.

    The client is the acting party (a person, a child, a company or a mandator); the feedback records
    who gave it and under which mandate (ACC-5). Under a mandate for result retrieval only it is refused.
    """
    if not actor.is_client or not actor.may_act:
        raise PermissionDenied(_("Feedback can only be given by the client or a representative who may act for them."))
    _check_scores(scores)
    case = _case_for_feedback(actor, case_number)
    return _feedback_create(
        actor=actor,
        target=_FeedbackTarget(case, None, case.holder_id, case.service.code, case.url_number),
        client_key=actor.acting_for,
        scores=scores,
        comment=comment,
        channel=Channel.E_ACCOUNT,
        given_by_label=actor.label,
        mandate_reference=actor.mandate_id,
    )
