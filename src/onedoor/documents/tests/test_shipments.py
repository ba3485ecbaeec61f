"""Shipments of paper originals from the place of submission to the holder (DOC-2)."""

import re

import pytest

from onedoor.audit.models import AuditRecord
from onedoor.conftest import staff_actor
from onedoor.documents.errors import ShipmentDocumentInvalid, ShipmentNotAllowed, ShipmentNotFound, ShipmentState
from onedoor.documents.models import Document, DocumentKind, ShipmentBatch, ShipmentStatus
from onedoor.documents.selectors import originals_awaiting_shipment, shipment_get, shipments_visible_to
from onedoor.documents.services import (
    document_store,
    shipment_add,
    shipment_create,
    shipment_mark_received,
    shipment_mark_shipped,
    shipment_remove,
)
from onedoor.parties.models import Institution

from .factories import JANIS, PDF, UNEMPLOYED_STATUS, kac_case, kac_place, kac_specialist

pytestmark = pytest.mark.usefixtures("demo_catalog", "document_root", "no_scanner")


def scan(*, service_code: str = "2011", personal_code: str = "32871452034", original: bool = True) -> Document:
    return document_store(
        actor=kac_specialist(),
        content=PDF,
        filename="iesniegums.pdf",
        kind=DocumentKind.SCAN,
        institution=Institution.objects.get(code="VRAA"),
        case=kac_case(service_code=service_code, personal_code=personal_code),
        place=kac_place(),
        has_paper_original=original,
    )


def vsaa() -> Institution:
    return Institution.objects.get(code="VSAA")


def vsaa_handler() -> object:
    return staff_actor("VSAA", "case_handler", "specialist")


def test_originals_go_to_the_holder_and_are_received() -> None:
    first, second = scan(), scan(personal_code=JANIS)
    scan(original=False)  # only a scan: nothing to send
    scan(service_code=UNEMPLOYED_STATUS)  # NVA's
    assert list(originals_awaiting_shipment(actor=kac_specialist(), place=kac_place(), holder=vsaa())) == [
        first,
        second,
    ]
    assert originals_awaiting_shipment(actor=kac_specialist(), place=kac_place()).count() == 3
    assert originals_awaiting_shipment(actor=staff_actor("VSAA", "specialist"), place=kac_place()).count() == 0

    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    assert re.fullmatch(r"S-[2-9A-HJKMNP-TV-Z]{8}", batch.reference)
    assert (batch.status, batch.sender.code, batch.holder.code) == (ShipmentStatus.OPEN, "VRAA", "VSAA")

    shipment_add(actor=kac_specialist(), batch=batch, documents=[first, second])
    assert set(batch.documents.all()) == {first, second}
    assert list(originals_awaiting_shipment(actor=kac_specialist(), place=kac_place(), holder=vsaa())) == []
    shipment_remove(actor=kac_specialist(), batch=batch, documents=[second])
    assert list(batch.documents.all()) == [first]

    shipped = shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    assert shipped.status == ShipmentStatus.SHIPPED
    assert shipped.shipped_at is not None
    assert shipped.shipped_by_label == "test user of VRAA"

    assert shipment_get(actor=vsaa_handler(), reference=batch.reference.lower()) == batch  # type: ignore[arg-type]
    received = shipment_mark_received(actor=vsaa_handler(), batch=batch)  # type: ignore[arg-type]
    assert received.status == ShipmentStatus.RECEIVED
    assert received.received_by_label == "test user of VSAA"
    assert list(
        AuditRecord.objects.filter(action__startswith="documents.shipment.").values_list("action", flat=True)
    ) == [
        "documents.shipment.create",
        "documents.shipment.add",
        "documents.shipment.remove",
        "documents.shipment.ship",
        "documents.shipment.receive",
    ]


def test_another_institutions_batch_is_not_found() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    nva = staff_actor("NVA", "specialist")
    assert list(shipments_visible_to(actor=nva)) == []
    with pytest.raises(ShipmentNotFound):
        shipment_get(actor=nva, reference=batch.reference)
    assert list(shipments_visible_to(actor=vsaa_handler())) == [batch]  # type: ignore[arg-type]


def test_a_batch_is_received_only_after_it_was_shipped() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    shipment_add(actor=kac_specialist(), batch=batch, documents=[scan()])
    audits_before = AuditRecord.objects.count()
    with pytest.raises(ShipmentState, match="has not been shipped"):
        shipment_mark_received(actor=vsaa_handler(), batch=batch)  # type: ignore[arg-type]
    batch.refresh_from_db()
    assert (batch.status, batch.received_at) == (ShipmentStatus.OPEN, None)
    assert AuditRecord.objects.count() == audits_before


def test_an_empty_batch_is_not_shipped() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    with pytest.raises(ShipmentState, match="The batch is empty"):
        shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.shipped_at) == (ShipmentStatus.OPEN, None)


def test_an_original_of_another_holder_is_not_added() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    ours, theirs = scan(), scan(service_code=UNEMPLOYED_STATUS)
    audits_before = AuditRecord.objects.count()
    with pytest.raises(ShipmentDocumentInvalid) as refused:
        shipment_add(actor=kac_specialist(), batch=batch, documents=[ours, theirs])
    assert refused.value.invalid_params == {
        "documents": [
            f"Case {theirs.case.number} is another institution's; its original goes in that institution's batch."  # type: ignore[union-attr]
        ]
    }
    assert Document.objects.filter(shipment__isnull=False).count() == 0
    assert AuditRecord.objects.count() == audits_before


def test_only_originals_in_no_other_batch_are_added() -> None:
    first = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    second = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    original, only_a_scan = scan(), scan(original=False)
    shipment_add(actor=kac_specialist(), batch=first, documents=[original])
    with pytest.raises(ShipmentDocumentInvalid, match="already in another batch"):
        shipment_add(actor=kac_specialist(), batch=second, documents=[original])
    with pytest.raises(ShipmentDocumentInvalid, match="Only originals handed in at this place"):
        shipment_add(actor=kac_specialist(), batch=second, documents=[only_a_scan])
    assert second.documents.count() == 0


def test_a_shipped_batch_does_not_change() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    first, later = scan(), scan(personal_code=JANIS)
    shipment_add(actor=kac_specialist(), batch=batch, documents=[first])
    shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    with pytest.raises(ShipmentState):
        shipment_add(actor=kac_specialist(), batch=batch, documents=[later])
    with pytest.raises(ShipmentState):
        shipment_remove(actor=kac_specialist(), batch=batch, documents=[first])
    assert list(batch.documents.all()) == [first]


def test_the_holder_does_not_pack_and_the_sender_does_not_receive() -> None:
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=vsaa())
    document = scan()
    with pytest.raises(ShipmentNotAllowed):
        shipment_add(actor=vsaa_handler(), batch=batch, documents=[document])  # type: ignore[arg-type]
    shipment_add(actor=kac_specialist(), batch=batch, documents=[document])
    shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    with pytest.raises(ShipmentNotAllowed):
        shipment_mark_received(actor=kac_specialist(), batch=batch)
    with pytest.raises(ShipmentNotAllowed):
        shipment_create(actor=staff_actor("NVA", "specialist"), place=kac_place(), holder=vsaa())
    batch.refresh_from_db()
    assert batch.status == ShipmentStatus.SHIPPED
    assert ShipmentBatch.objects.count() == 1
    assert AuditRecord.objects.filter(action__startswith="documents.shipment.", outcome="denied").count() == 3
