"""The document store (DOC-1): content-sniffed type, SHA-256, size limit, virus scan, nothing stored on refusal."""

import os
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from onedoor.audit.models import AuditRecord
from onedoor.conftest import staff_actor
from onedoor.documents.errors import (
    DocumentDamaged,
    DocumentNotFound,
    DocumentRefused,
    DocumentsNotAllowed,
    ScannerUnavailable,
    VirusFound,
)
from onedoor.documents.models import Document, DocumentKind, ScanResult
from onedoor.documents.scanning import clamd_ping
from onedoor.documents.selectors import document_get, documents_of_case, documents_visible_to
from onedoor.documents.services import document_read, document_store
from onedoor.parties.models import Institution

from .factories import EXE, HTML, JPEG, PDF, PNG, ZIP, eicar, kac_case, kac_place, kac_specialist, stored_files

pytestmark = pytest.mark.usefixtures("demo_catalog", "document_root")

CLAMD = pytest.mark.skipif(
    not os.environ.get("ONEDOOR_CLAMD_SOCKET"),
    reason="ONEDOOR_CLAMD_SOCKET is not set: run under scripts/with-test-services.sh, which starts clamd",
)


def vraa() -> Institution:
    return Institution.objects.get(code="VRAA")


def store_scan(content: bytes, filename: str = "scan.pdf", **extra: Any) -> Document:
    fields: dict[str, Any] = {
        "kind": DocumentKind.SCAN,
        "institution": vraa(),
        "place": kac_place(),
        "has_paper_original": True,
        **extra,
    }
    fields["case"] = fields.get("case") or kac_case()
    return document_store(actor=kac_specialist(), content=content, filename=filename, **fields)


def successful_stores() -> int:
    return AuditRecord.objects.filter(action="documents.document.store", outcome="success").count()


@pytest.mark.parametrize(
    ("content", "filename", "media_type", "shown_as"),
    [
        (PDF, "photo.jpg", "application/pdf", "photo.jpg.pdf"),
        (PNG, "iesniegums.png", "image/png", "iesniegums.png"),
        (JPEG, "../../etc/pase.JPG", "image/jpeg", "pase.JPG"),
    ],
)
def test_a_scan_is_stored_with_its_digest_and_the_type_of_its_content(
    document_root: Path, content: bytes, filename: str, media_type: str, shown_as: str
) -> None:
    import hashlib

    case = kac_case()
    document = store_scan(content, filename, case=case)

    document.refresh_from_db()
    assert document.media_type == media_type
    assert document.filename == shown_as
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.case == case
    assert document.person == case.for_person
    assert document.place == kac_place()
    assert document.has_paper_original is True
    assert document.stored_by_label == "test user of VRAA"
    assert document.scan_result == (ScanResult.CLEAN if os.environ.get("ONEDOOR_CLAMD_SOCKET") else "not_scanned")
    assert stored_files(document_root) == [document_root / str(document.content.name)]
    assert str(document.content.name) == f"documents/{document.created_at:%Y/%m}/{document.pk}"
    assert document_read(actor=kac_specialist(), document=document) == content
    record = AuditRecord.objects.get(action="documents.document.store")
    assert (record.outcome, record.object_id, record.details["sha256"]) == (
        "success",
        str(document.pk),
        document.sha256,
    )
    assert AuditRecord.objects.filter(action="documents.document.read", outcome="success").count() == 1


def test_an_upload_may_also_be_text() -> None:
    document = document_store(
        actor=kac_specialist(),
        content="Iesniegums\nLūdzu piešķirt pabalstu.\n".encode(),
        filename="iesniegums",
        kind=DocumentKind.UPLOAD,
        institution=vraa(),
        case=kac_case(),
    )
    assert (document.media_type, document.filename) == ("text/plain", "iesniegums.txt")


def test_a_file_changed_in_storage_is_not_given_out(document_root: Path) -> None:
    document = store_scan(PDF)
    (document_root / str(document.content.name)).write_bytes(PDF.replace(b"Catalog", b"Catalox"))

    with pytest.raises(DocumentDamaged):
        document_read(actor=kac_specialist(), document=document)
    record = AuditRecord.objects.get(action="documents.document.read")
    assert (record.outcome, record.details) == ("failure", {"reason": "checksum_mismatch"})


def assert_nothing_stored(document_root: Path, audits_before: int) -> None:
    assert Document.objects.count() == 0
    assert stored_files(document_root) == []
    assert successful_stores() == 0
    assert AuditRecord.objects.filter(action="documents.document.store", outcome="failure").count() == 1
    assert AuditRecord.objects.count() == audits_before + 1


@pytest.mark.parametrize("content", [HTML, ZIP, EXE], ids=["html", "zip", "exe"])
def test_a_scan_of_a_type_not_accepted_is_refused(document_root: Path, content: bytes) -> None:
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(DocumentRefused) as refused:
        store_scan(content, "scan.pdf", case=case)
    assert refused.value.invalid_params == {"file": ["This kind of file is not accepted; send one of: PDF, PNG, JPG."]}
    assert_nothing_stored(document_root, audits_before)


def test_text_is_an_upload_not_a_scan(document_root: Path) -> None:
    case = kac_case()
    with pytest.raises(DocumentRefused, match="send one of: PDF, PNG, JPG"):
        store_scan(b"just some text", case=case)
    assert Document.objects.count() == 0


def test_an_empty_file_is_refused(document_root: Path) -> None:
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(DocumentRefused) as refused:
        store_scan(b"", case=case)
    assert refused.value.invalid_params == {"file": ["The file is empty."]}
    assert_nothing_stored(document_root, audits_before)


def test_a_file_over_the_size_limit_is_refused(document_root: Path, settings: Settings) -> None:
    settings.ONEDOOR_DOCUMENT_MAX_BYTES = 1000
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(DocumentRefused) as refused:
        store_scan(PDF + b"%" * 1000, case=case)
    assert refused.value.invalid_params == {"file": ["The file is larger than 1000\xa0bytes."]}
    assert_nothing_stored(document_root, audits_before)


def test_the_default_limit_is_ten_megabytes(document_root: Path) -> None:
    case = kac_case()
    with pytest.raises(DocumentRefused) as refused:
        store_scan(PDF + b"%" * (10 * 1024 * 1024), case=case)
    assert refused.value.detail == "The file is larger than 10.0\xa0MB."


@CLAMD
def test_the_eicar_test_file_is_refused_by_clamd(document_root: Path) -> None:
    assert clamd_ping()
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(VirusFound) as refused:
        document_store(
            actor=kac_specialist(),
            content=eicar(),
            filename="readme.txt",
            kind=DocumentKind.UPLOAD,
            institution=vraa(),
            case=case,
        )
    assert refused.value.invalid_params == {"file": ["The file contains a virus (Eicar-Signature) and was not stored."]}
    assert_nothing_stored(document_root, audits_before)
    record = AuditRecord.objects.get(action="documents.document.store")
    assert (record.details["reason"], record.details["signature"]) == ("virus", "Eicar-Signature")


def test_when_the_configured_scanner_is_down_nothing_is_stored(
    document_root: Path, settings: Settings, tmp_path: Path
) -> None:
    settings.ONEDOOR_CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(ScannerUnavailable) as refused:
        store_scan(PDF, case=case)
    assert refused.value.status == 503
    assert refused.value.invalid_params == {
        "file": ["The file cannot be checked for viruses now and was not stored; try again in a few minutes."]
    }
    assert_nothing_stored(document_root, audits_before)


@pytest.mark.usefixtures("no_scanner")
def test_without_a_scanner_the_file_is_marked_not_scanned() -> None:
    assert store_scan(PDF).scan_result == ScanResult.NOT_SCANNED


def test_when_the_database_write_fails_the_file_is_removed(
    document_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onedoor.documents import services

    case = kac_case()

    def failing_audit(**kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        store_scan(PDF, case=case)
    assert Document.objects.count() == 0
    assert stored_files(document_root) == []


def test_staff_of_another_institution_may_not_attach_to_a_case_they_cannot_see(document_root: Path) -> None:
    case = kac_case()
    audits_before = AuditRecord.objects.count()
    with pytest.raises(DocumentsNotAllowed):
        document_store(
            actor=staff_actor("NVA", "specialist"),
            content=PDF,
            filename="scan.pdf",
            kind=DocumentKind.SCAN,
            institution=Institution.objects.get(code="NVA"),
            case=case,
        )
    assert Document.objects.count() == 0
    assert stored_files(document_root) == []
    assert AuditRecord.objects.count() == audits_before + 1
    assert AuditRecord.objects.get(action="documents.document.store").outcome == "denied"


def test_nobody_stores_in_another_institutions_name() -> None:
    with pytest.raises(DocumentsNotAllowed):
        store_scan(PDF, institution=Institution.objects.get(code="VSAA"))
    assert Document.objects.count() == 0


def test_who_sees_a_document() -> None:
    from onedoor.core.actors import Actor, ActorKind
    from onedoor.parties.models import Person

    document = store_scan(PDF)
    anna = Person.objects.get(personal_code="32871452034")
    client = Actor(kind=ActorKind.USER, id="anna", label="Anna", acting_for_kind="person", acting_for_id=str(anna.pk))
    assert list(documents_visible_to(actor=kac_specialist())) == [document]
    assert list(documents_visible_to(actor=staff_actor("VSAA", "case_handler"))) == [document]  # the holder
    assert list(documents_visible_to(actor=client)) == [document]
    assert list(documents_visible_to(actor=staff_actor("NVA", "specialist"))) == []
    assert list(documents_of_case(actor=staff_actor("VSAA", "case_handler"), case=document.case)) == [document]  # type: ignore[arg-type]
    assert document_get(actor=kac_specialist(), document_id=str(document.pk)) == document
    with pytest.raises(DocumentNotFound):
        document_get(actor=staff_actor("NVA", "specialist"), document_id=str(document.pk))
    with pytest.raises(DocumentNotFound):
        document_get(actor=kac_specialist(), document_id="not-a-uuid")
    with pytest.raises(DocumentsNotAllowed):
        document_read(actor=staff_actor("NVA", "specialist"), document=document)
