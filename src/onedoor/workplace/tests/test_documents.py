"""The document pages of the workplace (DOC-1, DOC-2): a case's documents with scans attached at the desk,
downloads, and shipments of paper originals from the KAC to the holder."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case
from onedoor.documents.models import Document, DocumentKind, ShipmentBatch, ShipmentStatus
from onedoor.documents.services import document_store
from onedoor.documents.tests.factories import (
    HTML,
    JANIS,
    PDF,
    UNEMPLOYED_STATUS,
    kac_case,
    kac_place,
    kac_specialist,
    stored_files,
    use_document_root,
)
from onedoor.parties.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_root(settings: Settings, tmp_path: Path) -> Path:
    settings.ONEDOOR_CLAMD_SOCKET = ""
    return use_document_root(settings, tmp_path / "documents")


def documents_url(case: Case, lang: str = "en") -> str:
    return f"/{lang}/workplace/cases/{case.url_number}/documents/"


def scan(case: Case) -> Document:
    return document_store(
        actor=kac_specialist(),
        content=PDF,
        filename="iesniegums.pdf",
        kind=DocumentKind.SCAN,
        institution=Institution.objects.get(code="VRAA"),
        case=case,
        place=kac_place(),
        has_paper_original=True,
    )


def test_a_scan_of_paper_is_attached_to_the_case_and_downloaded(specialist: Client, document_root: Path) -> None:
    case = kac_case()
    page = specialist.get(documents_url(case))
    assert page.status_code == 200
    assert b'data-testid="no-documents"' in page.content
    assert b'name="has_paper_original" type="checkbox" value="on" checked' in page.content

    response = specialist.post(
        documents_url(case),
        {"file": SimpleUploadedFile("photo.jpg", PDF, content_type="image/jpeg"), "has_paper_original": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workplace:case-documents", args=[case.url_number])
    document = Document.objects.get()
    assert (document.filename, document.media_type, document.kind) == ("photo.jpg.pdf", "application/pdf", "scan")
    assert (document.place, document.has_paper_original, document.case) == (kac_place(), True, case)
    assert document.stored_by_label == "Inese Bērziņa"

    listed = specialist.get(documents_url(case)).content.decode()
    assert "photo.jpg.pdf" in listed
    assert document.sha256[:12] in listed
    assert "Waiting for a batch" in listed

    download = specialist.get(f"/en/workplace/documents/{document.pk}/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="photo.jpg.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_scan_without_an_original_to_keep(specialist: Client) -> None:
    case = kac_case()
    specialist.post(documents_url(case), {"file": SimpleUploadedFile("scan.png", PDF)})
    assert Document.objects.get().has_paper_original is False


def test_a_file_of_the_wrong_type_is_refused_on_the_form(specialist: Client, document_root: Path) -> None:
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    response = specialist.post(
        documents_url(case), {"file": SimpleUploadedFile("scan.pdf", HTML), "has_paper_original": "on"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert text.count("This kind of file is not accepted; send one of: PDF, PNG, JPG.") == 2  # summary and field
    assert 'href="#id_file"' in text
    assert Document.objects.count() == 0
    assert stored_files(document_root) == []
    assert AuditRecord.objects.count() == audits_before + 1  # the refusal only


def test_a_file_is_required(specialist: Client) -> None:
    response = specialist.post(documents_url(kac_case()), {"has_paper_original": "on"})
    assert response.status_code == 400
    assert "Choose the file of the scan." in response.content.decode()
    assert Document.objects.count() == 0


def test_a_case_the_desk_may_not_see_is_not_found(vsaa_handler: Client, specialist: Client) -> None:
    case = kac_case(service_code=UNEMPLOYED_STATUS)  # NVA's, applied for at the KAC: not VSAA's to see
    document = scan(case)
    assert vsaa_handler.get(documents_url(case)).status_code == 404
    response = vsaa_handler.post(documents_url(case), {"file": SimpleUploadedFile("scan.pdf", PDF)})
    assert response.status_code == 404
    assert vsaa_handler.get(f"/en/workplace/documents/{document.pk}/").status_code == 404
    assert Document.objects.count() == 1
    assert specialist.get(documents_url(case)).status_code == 200


def test_a_changed_file_is_not_served(specialist: Client, document_root: Path) -> None:
    case = kac_case()
    document = scan(case)
    (document_root / str(document.content.name)).write_bytes(PDF + b"% changed")
    response = specialist.get(f"/en/workplace/documents/{document.pk}/", follow=True)
    assert response.redirect_chain == [(reverse("workplace:case-documents", args=[case.url_number]), 302)]
    assert "The stored file is damaged" in response.content.decode()
    assert PDF not in response.content


def test_originals_are_packed_shipped_and_received(specialist: Client, vsaa_handler: Client) -> None:
    first, second = scan(kac_case()), scan(kac_case(personal_code=JANIS))
    scan(kac_case(service_code=UNEMPLOYED_STATUS))
    page = specialist.get("/en/workplace/shipments/").content.decode()
    assert 'data-testid="awaiting-VSAA"' in page
    assert 'data-testid="awaiting-NVA"' in page

    created = specialist.post("/en/workplace/shipments/new/", {"holder": "VSAA"})
    batch = ShipmentBatch.objects.get()
    assert created["Location"] == f"/en/workplace/shipments/{batch.reference}/"
    url = created["Location"]

    detail = specialist.get(url).content.decode()
    assert str(first.pk) in detail
    assert str(second.pk) in detail
    assert specialist.post(url, {"action": "add", "add-documents": [str(first.pk), str(second.pk)]}).status_code == 302
    assert specialist.post(url, {"action": "remove", "remove-documents": [str(second.pk)]}).status_code == 302
    assert list(batch.documents.all()) == [first]
    assert specialist.post(url, {"action": "ship"}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ShipmentStatus.SHIPPED

    incoming = vsaa_handler.get("/en/workplace/shipments/").content.decode()
    assert batch.reference in incoming
    assert vsaa_handler.post(url, {"action": "receive"}).status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.received_by_label) == (ShipmentStatus.RECEIVED, "Dace Kalēja")
    listed = specialist.get(documents_url(first.case)).content.decode()  # type: ignore[arg-type]
    assert "Received by the holder" in listed
    assert batch.reference in listed


def test_refusals_on_the_batch_page(specialist: Client, vsaa_handler: Client) -> None:
    batch_url = specialist.post("/en/workplace/shipments/new/", {"holder": "VSAA"})["Location"]
    nva_batch_url = specialist.post("/en/workplace/shipments/new/", {"holder": "NVA"})["Location"]
    theirs = scan(kac_case(service_code=UNEMPLOYED_STATUS))

    empty = specialist.post(batch_url, {"action": "ship"})
    assert empty.status_code == 409
    assert "The batch is empty; add originals before shipping it." in empty.content.decode()
    early = vsaa_handler.post(batch_url, {"action": "receive"})
    assert early.status_code == 409
    wrong_holder = specialist.post(batch_url, {"action": "add", "add-documents": [str(theirs.pk)]})
    assert wrong_holder.status_code == 400  # not among the choices: NVA's original is not offered for VSAA
    assert "Select a valid choice." in wrong_holder.content.decode()
    assert vsaa_handler.get(nva_batch_url).status_code == 404
    assert vsaa_handler.post(nva_batch_url, {"action": "receive"}).status_code == 404
    assert set(ShipmentBatch.objects.values_list("status", flat=True)) == {ShipmentStatus.OPEN}
    assert Document.objects.filter(shipment__isnull=False).count() == 0


def test_the_shipments_page_reads_a_fixed_number_of_queries(
    specialist: Client, django_assert_max_num_queries: object
) -> None:
    for personal_code in ("32871452034", JANIS):
        scan(kac_case(personal_code=personal_code))
    for holder in ("VSAA", "NVA"):
        specialist.post("/en/workplace/shipments/new/", {"holder": holder})
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = specialist.get("/en/workplace/shipments/")
    assert response.status_code == 200
