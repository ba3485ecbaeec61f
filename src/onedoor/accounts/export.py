"""Download my data (SEC-3): everything the platform holds about a person, as one JSON document.

The document is written as it is read — section by section, rows in batches with a fixed number
of queries per batch — so a person with years of cases and messages neither fills the memory of
a web process nor waits for one huge query. Its shape (`FORMAT`):

    {"format", "generated_at", "person", "notification_settings",
     "contact_points": [...], "notification_preferences": [...], "bank_accounts": [...],
     "cases": [{…, "status_history": [...], "feedback": [...]}],
     "consultations": [{…, "feedback": [...]}],
     "inbox_messages": [{…, "attachments": [...], "dispatches": [...]}],
     "mandates_given": [...], "mandates_received": [...],
     "audit_records": [...]}

Rows carry every stored column of the platform's own records (so a field added later is exported
without anyone remembering to), plus the codes and names of the services and institutions they
point to. Secrets are left out: confirmation codes' hashes, stored file paths, the audit chain's
hashes. Audit records "about the person" are those of their profile (holder = the person), of
their person record, of their cases, and their own actions as themself; not their actions for a
company or at work, which are the company's or the institution's.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from onedoor.access.models import Mandate
from onedoor.audit.models import AuditRecord
from onedoor.audit.services import audit_record
from onedoor.cases.models import Case, CaseStatusEvent, Consultation, Feedback
from onedoor.catalog.models import Service
from onedoor.core.actors import Actor
from onedoor.identity.models import User
from onedoor.notifications.models import (
    Attachment,
    ContactPoint,
    Dispatch,
    Message,
    NotificationPreference,
    RecipientSettings,
)
from onedoor.parties.models import BankAccount, Institution, Person

from .profile import person_object

FORMAT = "onedoor-my-data/1"
BATCH_SIZE = 500
CHUNK_CHARS = 64 * 1024
Row = dict[str, Any]

_AUDIT_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_kind",
    "actor_label",
    "institution_id",
    "acting_for",
    "mandate_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "outcome",
    "details",
)
_DISPATCH_FIELDS = (
    "id",
    "message_id",
    "channel",
    "address",
    "language",
    "status",
    "attempts",
    "created_at",
    "sent_at",
)
_ATTACHMENT_FIELDS = ("id", "message_id", "filename", "media_type", "size", "sha256", "created_at")


def my_data_filename(today: date) -> str:
    return f"onedoor-my-data-{today.isoformat()}.json"


def my_data_download_audit(*, actor: Actor, person: Person, via: str) -> None:
    """Record that the person took a copy of their data (SEC-3) — before it is written out."""
    audit_record(actor=actor, action="accounts.my_data.download", obj=person_object(person), details={"via": via})


def _columns(model: type[models.Model], *, leave_out: Iterable[str] = ()) -> list[str]:
    skipped = set(leave_out)
    return [field.attname for field in model._meta.concrete_fields if field.attname not in skipped]


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def _batches(rows: Iterator[Row], size: int = BATCH_SIZE) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def _grouped(rows: Iterable[Row], key: str) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


# --- sections -----------------------------------------------------------------------------------


def _person(person: Person) -> Row:
    row: Row = (
        Person.objects.filter(pk=person.pk)
        .annotate(municipality_code=F("municipality__code"))
        .values(*_columns(Person), "municipality_code")
        .get()
    )
    return row


def _notification_settings(person: Person) -> Row:
    row = RecipientSettings.objects.filter(person=person).values("language", "updated_at").first()
    return dict(row) if row else {"language": None, "updated_at": None}


def _contact_points(person: Person) -> Iterator[Row]:
    return ContactPoint.objects.filter(person=person).order_by("created_at", "id").values(*_columns(ContactPoint))


def _preferences(person: Person) -> Iterator[Row]:
    return (
        NotificationPreference.objects.filter(person=person).order_by("kind").values(*_columns(NotificationPreference))
    )


def _bank_accounts(person: Person) -> Iterator[Row]:
    return BankAccount.objects.filter(person=person).order_by("added_at").values(*_columns(BankAccount))


def _feedback_by(key: str, ids: list[Any]) -> dict[Any, list[Row]]:
    rows = Feedback.objects.filter(**{f"{key}__in": ids}).order_by("given_at", "id").values(*_columns(Feedback))
    return _grouped(rows, key)


def _services_and_institutions(rows: list[Row]) -> tuple[dict[Any, Row], dict[Any, Row]]:
    """The services and institutions a batch of cases refers to, by id (two queries)."""
    service_ids = {row["service_id"] for row in rows}
    services = Service.objects.filter(pk__in=service_ids).values("id", "code", "name_lv", "name_en")
    institution_ids = {
        row[key] for row in rows for key in ("holder_id", "provider_id", "requesting_institution_id") if row[key]
    }
    institutions = Institution.objects.filter(pk__in=institution_ids).values("id", "code", "name_lv", "name_en")
    return _by_id(services), _by_id(institutions)


def _by_id(rows: Iterable[Any]) -> dict[Any, Row]:
    return {row["id"]: {key: value for key, value in row.items() if key != "id"} for row in rows}


def _cases(person: Person) -> Iterator[Row]:
    rows = (
        Case.objects.filter(Q(for_person=person) | Q(applicant_person=person))
        .order_by("submitted_at", "id")
        .values(*_columns(Case))
        .iterator(chunk_size=BATCH_SIZE)
    )
    for batch in _batches(rows):
        ids = [row["id"] for row in batch]
        services, institutions = _services_and_institutions(batch)
        history = _grouped(
            CaseStatusEvent.objects.filter(case_id__in=ids)
            .order_by("case_id", "occurred_at", "id")
            .values(*_columns(CaseStatusEvent)),
            "case_id",
        )
        feedback = _feedback_by("case_id", ids)
        for row in batch:
            yield {
                **row,
                "service": services.get(row["service_id"]),
                "holder": institutions.get(row["holder_id"]),
                "provider": institutions.get(row["provider_id"]),
                "requesting_institution": institutions.get(row["requesting_institution_id"]),
                "status_history": history.get(row["id"], []),
                "feedback": feedback.get(row["id"], []),
            }


def _consultations(person: Person) -> Iterator[Row]:
    rows = (
        Consultation.objects.filter(person=person)
        .annotate(service_code=F("service__code"), institution_code=F("institution__code"))
        .order_by("occurred_at", "id")
        .values(*_columns(Consultation), "service_code", "institution_code")
        .iterator(chunk_size=BATCH_SIZE)
    )
    for batch in _batches(rows):
        feedback = _feedback_by("consultation_id", [row["id"] for row in batch])
        for row in batch:
            yield {**row, "feedback": feedback.get(row["id"], [])}


def _inbox_messages(person: Person) -> Iterator[Row]:
    rows = (
        Message.objects.filter(recipient=person)
        .annotate(sender_code=F("sender__code"))
        .order_by("created_at", "id")
        .values(*_columns(Message), "sender_code")
        .iterator(chunk_size=BATCH_SIZE)
    )
    for batch in _batches(rows):
        ids = [row["id"] for row in batch]
        attachments = _grouped(
            Attachment.objects.filter(message_id__in=ids).order_by("created_at", "id").values(*_ATTACHMENT_FIELDS),
            "message_id",
        )
        dispatches = _grouped(
            Dispatch.objects.filter(message_id__in=ids).order_by("created_at", "id").values(*_DISPATCH_FIELDS),
            "message_id",
        )
        for row in batch:
            yield {**row, "attachments": attachments.get(row["id"], []), "dispatches": dispatches.get(row["id"], [])}


def _mandates(condition: Q) -> Iterator[Row]:
    return (
        Mandate.objects.filter(condition)
        .annotate(
            mandator_personal_code=F("mandator_person__personal_code"),
            mandator_registration_number=F("mandator_organisation__registration_number"),
            mandator_organisation_name=F("mandator_organisation__name"),
            mandatary_personal_code=F("mandatary__personal_code"),
            mandatary_given_name=F("mandatary__given_name"),
            mandatary_family_name=F("mandatary__family_name"),
        )
        .order_by("granted_at", "id")
        .values(
            *_columns(Mandate),
            "mandator_personal_code",
            "mandator_registration_number",
            "mandator_organisation_name",
            "mandatary_personal_code",
            "mandatary_given_name",
            "mandatary_family_name",
        )
    )


def _audit_records(person: Person) -> Iterator[Row]:
    person_id = str(person.pk)
    user_ids = [str(pk) for pk in User.objects.filter(person=person).values_list("pk", flat=True)]
    case_numbers = list(
        Case.objects.filter(Q(for_person=person) | Q(applicant_person=person)).values_list("number", flat=True)
    )
    about = (
        Q(holder_id=person_id)
        | Q(object_type="parties.person", object_id=person_id)
        | Q(actor_kind="user", actor_id__in=user_ids, acting_for=person.personal_code)
    )
    if case_numbers:
        about |= Q(object_type="cases.case", object_id__in=case_numbers)
    return AuditRecord.objects.filter(about).order_by("sequence").values(*_AUDIT_FIELDS).iterator(chunk_size=BATCH_SIZE)


# --- the document -------------------------------------------------------------------------------


def _document(person: Person) -> Iterator[str]:
    yield "{\n"
    yield f'"format": {_dumps(FORMAT)},\n"generated_at": {_dumps(timezone.now())},\n'
    yield f'"person": {_dumps(_person(person))},\n'
    yield f'"notification_settings": {_dumps(_notification_settings(person))}'
    lists: list[tuple[str, Callable[[], Iterable[Row]]]] = [
        ("contact_points", lambda: _contact_points(person)),
        ("notification_preferences", lambda: _preferences(person)),
        ("bank_accounts", lambda: _bank_accounts(person)),
        ("cases", lambda: _cases(person)),
        ("consultations", lambda: _consultations(person)),
        ("inbox_messages", lambda: _inbox_messages(person)),
        ("mandates_given", lambda: _mandates(Q(mandator_person=person) | Q(granted_by=person))),
        ("mandates_received", lambda: _mandates(Q(mandatary=person))),
        ("audit_records", lambda: _audit_records(person)),
    ]
    for name, rows in lists:
        yield f",\n{_dumps(name)}: ["
        for index, row in enumerate(rows()):
            yield ",\n" if index else "\n"
            yield _dumps(row)
        yield "\n]"
    yield "\n}\n"


def my_data_chunks(*, person: Person) -> Iterator[bytes]:
    """The person's data as UTF-8 JSON, in chunks of about 64 KiB for a streaming response."""
    buffer: list[str] = []
    size = 0
    for piece in _document(person):
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def my_data(*, person: Person) -> dict[str, Any]:
    """The whole document as a dict (for tests and small callers; the pages and API stream it)."""
    document: dict[str, Any] = json.loads(b"".join(my_data_chunks(person=person)))
    return document
