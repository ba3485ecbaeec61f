"""Writing the document store (DOC-1) and the shipments of paper originals (DOC-2). Keyword-only, checked and audited.

A file is checked before anything is written, in this order: empty, too large, of a type not
accepted (detected from the content), infected (when clamd is configured; a configured scanner
that does not answer refuses the file — nothing is stored unscanned). Then the file, its row and
the audit record are written together: the file is removed again when the transaction fails.
A refusal stores nothing and is audited as a failure.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case
from onedoor.cases.selectors import cases_visible_to
from onedoor.catalog.models import ApplicationPlace
from onedoor.core.actors import Actor, ActorKind
from onedoor.identity.models import Role
from onedoor.parties.models import Institution, Organisation, Person

from .errors import (
    DocumentDamaged,
    DocumentRefused,
    DocumentsNotAllowed,
    ScannerUnavailable,
    ShipmentDocumentInvalid,
    ShipmentNotAllowed,
    ShipmentState,
    VirusFound,
)
from .filetypes import ACCEPTED_FILE_TYPES, JPEG, PDF, PNG, FileType, attachment_filename, file_type_detect
from .models import Document, DocumentKind, ScanResult, ShipmentBatch, ShipmentStatus, document_path, document_storage
from .scanning import ScannerError, clamd_scan, scanner_configured
from .selectors import documents_visible_to

DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
SCAN_FILE_TYPES = (PDF, PNG, JPEG)
STAFF_ROLES = frozenset({Role.SPECIALIST.value, Role.CASE_HANDLER.value})
# Printed on parcels and read over the phone: no 0/O, 1/I/L or U (Crockford's alphabet without U).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def document_max_bytes() -> int:
    """The largest file stored: ONEDOOR_DOCUMENT_MAX_BYTES (10 MiB unless set)."""
    return int(getattr(settings, "ONEDOOR_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def accepted_file_types(kind: str) -> tuple[FileType, ...]:
    """Scans of paper are PDF, PNG or JPEG; uploads and generated files also text and eDOC, as inbox letters."""
    return SCAN_FILE_TYPES if kind == DocumentKind.SCAN else ACCEPTED_FILE_TYPES


def _document_object(document: Document) -> AuditedObject:
    return AuditedObject(
        type="documents.document",
        id=str(document.pk),
        label=document.case.number if document.case_id and document.case else "",
        holder_id=str(document.person_id or document.organisation_id or "") or None,
    )


def _check_may_store(
    *, actor: Actor, institution: Institution, case: Case | None, place: ApplicationPlace | None
) -> None:
    """Staff and systems store for their own institution, scans at their own places, on cases they may see."""
    allowed = actor.is_platform_admin or (
        not actor.is_client
        and actor.kind != ActorKind.ANONYMOUS
        and actor.institution_id == str(institution.pk)
        and (place is None or str(place.institution_id) == actor.institution_id)
        and (case is None or cases_visible_to(actor=actor).filter(pk=case.pk).exists())
    )
    if not allowed:
        audit_record(actor=actor, action="documents.document.store", outcome=Outcome.DENIED)
        raise DocumentsNotAllowed(_("You may not store documents here."))


def _refuse(*, actor: Actor, error: DocumentRefused, reason: str, details: dict[str, object]) -> DocumentRefused:
    audit_record(
        actor=actor,
        action="documents.document.store",
        outcome=Outcome.FAILURE,
        details={"reason": reason, **details},
    )
    return error


def _refused(message: str) -> DocumentRefused:
    return DocumentRefused(message, invalid_params={"file": [message]})


def _checked_file_type(*, actor: Actor, content: bytes, kind: str) -> FileType:
    limit = document_max_bytes()
    if not content:
        raise _refuse(actor=actor, error=_refused(_("The file is empty.")), reason="empty", details={})
    if len(content) > limit:
        message = _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
        raise _refuse(actor=actor, error=_refused(message), reason="too_large", details={"size": len(content)})
    accepted = accepted_file_types(kind)
    file_type = file_type_detect(content)
    if file_type not in accepted:
        names = ", ".join(accepted_type.extensions[0].upper() for accepted_type in accepted)
        message = _("This kind of file is not accepted; send one of: %(types)s.") % {"types": names}
        raise _refuse(actor=actor, error=_refused(message), reason="file_type", details={"size": len(content)})
    assert file_type is not None  # one of the accepted types
    return file_type


def _scan_result(*, actor: Actor, content: bytes, sha256: str) -> str:
    if not scanner_configured():
        return ScanResult.NOT_SCANNED
    try:
        verdict = clamd_scan(content)
    except ScannerError as error:
        message = _("The file cannot be checked for viruses now and was not stored; try again in a few minutes.")
        refusal = ScannerUnavailable(message, invalid_params={"file": [message]})
        raise _refuse(actor=actor, error=refusal, reason="scanner_unavailable", details={"error": str(error)}) from None
    if not verdict.clean:
        message = _("The file contains a virus (%(name)s) and was not stored.") % {"name": verdict.signature}
        found = VirusFound(message, invalid_params={"file": [message]})
        raise _refuse(
            actor=actor, error=found, reason="virus", details={"signature": verdict.signature, "sha256": sha256}
        )
    return ScanResult.CLEAN


def document_store(
    *,
    actor: Actor,
    content: bytes,
    filename: str,
    kind: DocumentKind,
    institution: Institution,
    case: Case | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    place: ApplicationPlace | None = None,
    has_paper_original: bool = False,
) -> Document:
    """Store a file in the document store (DOC-1) for the institution, linked to a case and the client.

    The media type is detected from the content (a PDF called “photo.jpg” is a PDF and keeps a
    “.pdf” name), the SHA-256 digest is recorded, the file is scanned when clamd is configured.
    Without a person or organisation the case's client is taken. A scan with its paper original
    kept for the holder (`has_paper_original`) needs the place where it was scanned (DOC-2).
    Refusals raise DocumentRefused (VirusFound, ScannerUnavailable) with the message under "file".
    """
    _check_may_store(actor=actor, institution=institution, case=case, place=place)
    if has_paper_original and (place is None or case is None):
        message = _("A paper original is sent on from the place where it was scanned, with its case.")
        raise DocumentRefused(message, invalid_params={"place": [message]})
    file_type = _checked_file_type(actor=actor, content=content, kind=kind)
    sha256 = hashlib.sha256(content).hexdigest()
    scan_result = _scan_result(actor=actor, content=content, sha256=sha256)
    if case is not None and person is None and organisation is None:
        person, organisation = case.for_person, case.for_organisation
    document = Document(
        kind=kind,
        filename=attachment_filename(filename, file_type) or attachment_filename(_("document"), file_type),
        media_type=file_type.media_type,
        size=len(content),
        sha256=sha256,
        scan_result=scan_result,
        case=case,
        person=person,
        organisation=organisation,
        institution=institution,
        place=place,
        has_paper_original=has_paper_original,
        stored_by_kind=actor.kind.value,
        stored_by_id=actor.id[:64],
        stored_by_label=actor.label[:200],
        created_at=timezone.now(),
    )
    stored_name = ""
    try:
        with transaction.atomic():
            # Through the storage of the settings in force (the field's is fixed when the model is loaded).
            stored_name = document_storage().save(document_path(document, document.filename), ContentFile(content))
            document.content.name = stored_name
            document.save()
            audit_record(
                actor=actor,
                action="documents.document.store",
                obj=_document_object(document),
                details={
                    "kind": str(kind),
                    "media_type": document.media_type,
                    "size": document.size,
                    "sha256": sha256,
                    "scan_result": scan_result,
                    "place": str(place.pk) if place else "",
                },
            )
    except BaseException:
        if stored_name:
            document_storage().delete(stored_name)
        raise
    return document


def document_read(*, actor: Actor, document: Document) -> bytes:
    """The file's content, after checking that it is the actor's to see and still matches its SHA-256 digest.
    Every read is audited; a missing or altered file raises DocumentDamaged and is not returned."""
    if not documents_visible_to(actor=actor).filter(pk=document.pk).exists():
        audit_record(actor=actor, action="documents.document.read", outcome=Outcome.DENIED)
        raise DocumentsNotAllowed(_("You may not read this document."))
    try:
        with document_storage().open(str(document.content.name), "rb") as file:
            content = file.read()
    except FileNotFoundError:
        content = None
    if content is None or hashlib.sha256(content).hexdigest() != document.sha256:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="documents.document.read",
                outcome=Outcome.FAILURE,
                obj=_document_object(document),
                details={"reason": "missing" if content is None else "checksum_mismatch"},
            )
        raise DocumentDamaged(_("The stored file is damaged and cannot be given out; the administrators are told."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="documents.document.read",
            obj=_document_object(document),
            details={"sha256": document.sha256},
        )
    return content


# --- shipments of paper originals (DOC-2) ---------------------------------------------------------


def _shipment_object(batch: ShipmentBatch) -> AuditedObject:
    return AuditedObject(type="documents.shipment", id=str(batch.pk), label=batch.reference)


def _check_staff(actor: Actor, action: str, institution_id: object) -> None:
    """A member of staff (not a system) of the institution, with a workplace role."""
    if actor.is_platform_admin or (
        actor.kind == ActorKind.USER
        and not actor.is_client
        and actor.institution_id == str(institution_id)
        and bool(actor.roles & STAFF_ROLES)
    ):
        return
    audit_record(actor=actor, action=action, outcome=Outcome.DENIED)
    raise ShipmentNotAllowed(_("Only the staff of the sending place's or the holder's institution may do this."))


def _new_reference() -> str:
    return "S-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(REFERENCE_LENGTH))


def shipment_create(*, actor: Actor, place: ApplicationPlace, holder: Institution) -> ShipmentBatch:
    """An open batch of originals to be sent from the place (of the actor's institution) to the holder,
    with a reference printed on the parcel (“S-7K3Q9F2A”, random, unique)."""
    _check_staff(actor, "documents.shipment.create", place.institution_id)
    reference = _new_reference()
    while ShipmentBatch.objects.filter(reference=reference).exists():  # 30⁸ references: practically never
        reference = _new_reference()
    with transaction.atomic():
        batch = ShipmentBatch.objects.create(
            reference=reference,
            place=place,
            sender_id=place.institution_id,
            holder=holder,
            created_by_id=actor.id[:64],
            created_by_label=actor.label[:200],
        )
        audit_record(
            actor=actor,
            action="documents.shipment.create",
            obj=_shipment_object(batch),
            details={"place": place.code, "holder": holder.code},
        )
    return batch


def _locked_open_batch(batch: ShipmentBatch) -> ShipmentBatch:
    """The batch locked for the change (call inside a transaction), refused unless still open."""
    locked = ShipmentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ShipmentStatus.OPEN:
        message = _("Batch %(reference)s has been shipped; it cannot be changed.") % {"reference": batch.reference}
        raise ShipmentState(message)
    return locked


def _invalid_document(message: str) -> ShipmentDocumentInvalid:
    return ShipmentDocumentInvalid(message, invalid_params={"documents": [message]})


def shipment_add(*, actor: Actor, batch: ShipmentBatch, documents: Iterable[Document]) -> ShipmentBatch:
    """Pack originals into an open batch: only scans with a paper original, scanned at the batch's place,
    of the holder's cases, in no other batch. All or nothing."""
    ids = [document.pk for document in documents]
    _check_staff(actor, "documents.shipment.add", batch.sender_id)
    with transaction.atomic():
        locked = _locked_open_batch(batch)
        rows = list(Document.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("case"))
        if not ids or len(rows) != len(set(ids)):
            raise _invalid_document(_("Choose the originals to add."))
        for document in rows:
            if not document.has_paper_original or document.place_id != locked.place_id:
                raise _invalid_document(_("Only originals handed in at this place can be added."))
            if document.case is None or document.case.holder_id != locked.holder_id:
                raise _invalid_document(
                    _("Case %(number)s is another institution's; its original goes in that institution's batch.")
                    % {"number": document.case.number if document.case else ""}
                )
            if document.shipment_id not in (None, locked.pk):
                raise _invalid_document(_("An original is already in another batch."))
        Document.objects.filter(pk__in=ids).update(shipment=locked, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="documents.shipment.add",
            obj=_shipment_object(locked),
            details={"documents": sorted(str(pk) for pk in ids)},
        )
    return locked


def shipment_remove(*, actor: Actor, batch: ShipmentBatch, documents: Iterable[Document]) -> ShipmentBatch:
    """Take originals out of an open batch (they wait for the next one)."""
    ids = [document.pk for document in documents]
    _check_staff(actor, "documents.shipment.remove", batch.sender_id)
    with transaction.atomic():
        locked = _locked_open_batch(batch)
        in_batch = Document.objects.select_for_update().filter(pk__in=ids, shipment=locked)
        if not ids or in_batch.count() != len(set(ids)):
            raise _invalid_document(_("Choose originals that are in this batch."))
        in_batch.update(shipment=None, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="documents.shipment.remove",
            obj=_shipment_object(locked),
            details={"documents": sorted(str(pk) for pk in ids)},
        )
    return locked


def shipment_mark_shipped(*, actor: Actor, batch: ShipmentBatch) -> ShipmentBatch:
    """The sender's staff send the batch off; it can no longer change. Not when it is empty."""
    _check_staff(actor, "documents.shipment.ship", batch.sender_id)
    with transaction.atomic():
        locked = _locked_open_batch(batch)
        count = locked.documents.count()
        if count == 0:
            raise ShipmentState(_("The batch is empty; add originals before shipping it."))
        locked.status = ShipmentStatus.SHIPPED
        locked.shipped_at = timezone.now()
        locked.shipped_by_label = actor.label[:200]
        locked.save(update_fields=["status", "shipped_at", "shipped_by_label", "updated_at"])
        audit_record(
            actor=actor, action="documents.shipment.ship", obj=_shipment_object(locked), details={"documents": count}
        )
    return locked


def shipment_mark_received(*, actor: Actor, batch: ShipmentBatch) -> ShipmentBatch:
    """The holder's staff confirm the parcel arrived; only after it was shipped."""
    _check_staff(actor, "documents.shipment.receive", batch.holder_id)
    with transaction.atomic():
        locked = ShipmentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ShipmentStatus.SHIPPED:
            raise ShipmentState(
                _("Batch %(reference)s has not been shipped; it can be received only after that.")
                % {"reference": batch.reference}
                if locked.status == ShipmentStatus.OPEN
                else _("Batch %(reference)s has already been received.") % {"reference": batch.reference}
            )
        locked.status = ShipmentStatus.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by_label = actor.label[:200]
        locked.save(update_fields=["status", "received_at", "received_by_label", "updated_at"])
        audit_record(actor=actor, action="documents.shipment.receive", obj=_shipment_object(locked))
    return locked
