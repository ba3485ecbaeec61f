"""Reading the document store and the shipments of originals; every query starts from what the actor may see."""

from uuid import UUID

from django.db.models import Q, QuerySet

from onedoor.cases.models import Case
from onedoor.cases.selectors import cases_visible_to
from onedoor.catalog.models import ApplicationPlace
from onedoor.core.actors import Actor
from onedoor.parties.models import Institution

from .errors import DocumentNotFound, ShipmentNotFound
from .models import Document, ShipmentBatch


def documents_visible_to(*, actor: Actor) -> QuerySet[Document]:
    """Platform admins see every document; staff and systems those their institution stored and those of
    cases they may see (`cases_visible_to`); a client those of the person or organisation they act for (ACC-8),
    under a mandate limited to some services only those of cases of the services."""
    documents = Document.objects.all()
    if actor.is_platform_admin:
        return documents
    if actor.is_client:
        party = actor.acting_for_id
        documents = (
            documents.filter(person_id=party)
            if actor.acting_for_kind == "person"
            else documents.filter(organisation_id=party)
        )
        if actor.service_codes is not None:
            documents = documents.filter(case__service__code__in=actor.service_codes)
        return documents
    if actor.institution_id is None:
        return documents.none()
    return documents.filter(
        Q(institution_id=actor.institution_id) | Q(case_id__in=cases_visible_to(actor=actor).values("pk"))
    )


def documents_of_case(*, actor: Actor, case: Case) -> QuerySet[Document]:
    """The case's documents the actor may see, in the order they arrived, with where and by whom they were stored."""
    return (
        documents_visible_to(actor=actor)
        .filter(case=case)
        .select_related("place", "institution", "shipment")
        .order_by("created_at", "id")
    )


def document_get(*, actor: Actor, document_id: str) -> Document:
    """One document the actor may see; DocumentNotFound also when it exists but is not theirs to see."""
    try:
        pk = UUID(str(document_id))
    except ValueError:
        raise DocumentNotFound(f"No document {document_id}.") from None
    document = documents_visible_to(actor=actor).select_related("case", "shipment").filter(pk=pk).first()
    if document is None:
        raise DocumentNotFound(f"No document {document_id}.")
    return document


def shipments_visible_to(*, actor: Actor) -> QuerySet[ShipmentBatch]:
    """Batches the actor's institution sends (from its places) or receives as the holder."""
    batches = ShipmentBatch.objects.select_related("place", "sender", "holder")
    if actor.is_platform_admin:
        return batches
    if actor.is_client or actor.institution_id is None:
        return batches.none()
    return batches.filter(Q(sender_id=actor.institution_id) | Q(holder_id=actor.institution_id))


def shipment_get(*, actor: Actor, reference: str) -> ShipmentBatch:
    """One batch by its reference; ShipmentNotFound also when it is another institution's."""
    batch = shipments_visible_to(actor=actor).filter(reference=reference.strip().upper()).first()
    if batch is None:
        raise ShipmentNotFound(f"No shipment {reference}.")
    return batch


def shipment_documents(*, batch: ShipmentBatch) -> QuerySet[Document]:
    """The originals packed in a batch, with their cases."""
    return batch.documents.select_related("case", "case__service").order_by("created_at", "id")


def originals_awaiting_shipment(
    *, actor: Actor, place: ApplicationPlace, holder: Institution | None = None
) -> QuerySet[Document]:
    """Scans of paper taken at the place whose originals are in no batch yet, by holder (DOC-2).
    Empty unless the place is the actor's institution's."""
    documents = Document.objects.filter(
        place=place, has_paper_original=True, shipment__isnull=True, case__isnull=False
    ).select_related("case", "case__holder", "case__service")
    if not actor.is_platform_admin and str(place.institution_id) != actor.institution_id:
        return documents.none()
    if holder is not None:
        documents = documents.filter(case__holder=holder)
    return documents.order_by("case__holder__code", "created_at", "id")
