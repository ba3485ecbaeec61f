"""The documents institutions keep of a client's cases, in the e-account (ACC-8, DOC-1): the scan of the paper
Anna handed in at the KAC shows on her case page and documents page, downloads exactly as stored, says where
its paper original is, and reaches nobody else — another person, another case's URL, a mandate for other
services (SEC-2); a damaged file is never served."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from onedoor.access.models import Mandate, MandateScope
from onedoor.access.testing import person_user
from onedoor.accounts.export import my_data
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, case_register
from onedoor.conftest import staff_actor
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.i18n import localized
from onedoor.documents.models import Document, DocumentKind
from onedoor.documents.services import (
    document_store,
    shipment_add,
    shipment_create,
    shipment_mark_received,
    shipment_mark_shipped,
)
from onedoor.documents.tests.factories import PDF, PNG, kac_case, kac_place, kac_specialist, use_document_root
from onedoor.parties.models import Institution, Organisation, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_catalog")]

ANNA, MARTINS, JANIS = "32871452034", "08029012184", "14037812342"
KOKMATERIALI = "40003512877"
CHILDBIRTH_BENEFIT, UNEMPLOYED_STATUS = "2011", "7002"
REGISTRAR = Actor(kind=ActorKind.SYSTEM, id="test-registrar", label="Test registrar", is_platform_admin=True)

SignIn = Callable[..., object]


@pytest.fixture(autouse=True)
def document_root(settings: Settings, tmp_path: Path) -> Path:
    settings.ONEDOOR_CLAMD_SOCKET = ""
    settings.ONEDOOR_CLAMD_HOST = ""
    return use_document_root(settings, tmp_path / "documents")


def scan(case: Case, *, filename: str = "iesniegums.pdf", content: bytes = PDF, original: bool = True) -> Document:
    """The specialist at the national KAC in Riga scans the client's paper into the case."""
    return document_store(
        actor=kac_specialist(),
        content=content,
        filename=filename,
        kind=DocumentKind.SCAN,
        institution=Institution.objects.get(code="VRAA"),
        case=case,
        place=kac_place(),
        has_paper_original=original,
    )


def case_url(case: Case) -> str:
    return f"/en/account/cases/{case.url_number}/"


def download_url(case: Case, document: Document) -> str:
    return f"/en/account/cases/{case.url_number}/documents/{document.pk}/"


def kept_rows(html: str) -> list[str]:
    return html.split('data-testid="kept-document-row"')[1:]


def reads() -> list[tuple[str, str, str]]:
    return list(
        AuditRecord.objects.filter(action="documents.document.read").values_list("outcome", "actor_id", "acting_for")
    )


def mandate(*, scope: str, service_codes: list[str] | None = None) -> Mandate:
    """Anna's mandate to Mārtiņš, valid now."""
    now = timezone.now()
    anna, martins = Person.objects.get(personal_code=ANNA), person_user(MARTINS).person
    return Mandate.objects.create(
        reference="M-SCANS001",
        mandator_person=anna,
        mandatary=martins,
        scope=scope,
        service_codes=service_codes or [],
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=1),
        granted_by=anna,
        granted_at=now - timedelta(hours=1),
    )


def test_annas_scan_is_on_her_case_page_and_documents_page_and_downloads_as_stored(
    client: Client, sign_in: SignIn
) -> None:
    case = kac_case()
    document = scan(case)
    sign_in(client, ANNA)

    page = client.get(case_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Documents at the institution" in html
    [row] = kept_rows(html)
    assert f'href="{download_url(case, document)}"' in row
    assert "iesniegums.pdf" in row
    assert "Scan of a paper document" in row
    assert "PDF document" in row
    assert f"{len(PDF)}\xa0bytes" in row
    with override("en"):
        place, holder = localized(kac_place(), "name"), localized(case.holder, "name")
    assert place in row
    assert f"Kept where it was handed in until it is sent to {holder}" in row
    assert timezone.localtime(document.created_at).strftime("%Y-%m-%d %H:%M") in row

    listed = client.get("/en/account/documents/").content.decode()
    [row] = kept_rows(listed)
    assert f'href="{download_url(case, document)}"' in row
    assert f'href="{case_url(case)}"' in row
    assert case.number in row
    assert 'data-testid="kept-more"' not in listed
    assert 'data-testid="no-documents"' in listed  # no letters with files: that section says so

    download = client.get(download_url(case, document))
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="iesniegums.pdf"'
    assert download["Content-Length"] == str(len(PDF))
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"


def test_a_download_is_audited_for_anna_and_is_in_her_data(client: Client, sign_in: SignIn) -> None:
    case = kac_case()
    document = scan(case)
    anna = Person.objects.get(personal_code=ANNA)
    sign_in(client, ANNA)
    assert client.get(download_url(case, document)).status_code == 200
    read = AuditRecord.objects.get(action="documents.document.read")
    assert (read.outcome, read.acting_for, read.holder_id) == (Outcome.SUCCESS, ANNA, str(anna.pk))
    assert (read.object_type, read.object_id, read.object_label) == (
        "documents.document",
        str(document.pk),
        case.number,
    )
    assert read.details == {"sha256": document.sha256}
    client.get("/en/account/documents/")
    viewed = AuditRecord.objects.get(action="accounts.documents.view")
    assert (viewed.holder_id, viewed.details) == (str(anna.pk), {"kept_shown": 1, "page": 1})

    exported = [
        record for record in my_data(person=anna)["audit_records"] if record["action"] == "documents.document.read"
    ]
    assert [(record["object_id"], record["acting_for"]) for record in exported] == [(str(document.pk), ANNA)]


def test_where_the_paper_original_is(client: Client, sign_in: SignIn) -> None:
    case = kac_case()
    original = scan(case)
    scan(case, filename="pase.png", content=PNG, original=False)
    sign_in(client, ANNA)
    vsaa = staff_actor("VSAA", "case_handler", "specialist")
    with override("en"):
        holder = localized(case.holder, "name")

    def states() -> list[str]:
        rows = kept_rows(client.get(case_url(case)).content.decode())
        return [row.split('data-testid="paper-original">')[1].split("</td>")[0].strip() for row in rows]

    assert states() == [f"Kept where it was handed in until it is sent to {holder}", "No paper original was kept"]
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=case.holder)
    shipment_add(actor=kac_specialist(), batch=batch, documents=[original])
    assert states()[0] == f"Being packed to be sent to {holder}"
    shipped = shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    shipped_on = timezone.localtime(shipped.shipped_at).strftime("%Y-%m-%d")
    assert states()[0] == f"Sent to {holder} on {shipped_on}"
    received = shipment_mark_received(actor=vsaa, batch=batch)
    received_on = timezone.localtime(received.received_at).strftime("%Y-%m-%d")
    assert states()[0] == f"Sent on {shipped_on}; {holder} received it on {received_on}"


def test_a_case_without_documents_says_so(client: Client, sign_in: SignIn) -> None:
    case = kac_case()
    sign_in(client, ANNA)
    html = client.get(case_url(case)).content.decode()
    assert 'data-testid="no-kept-documents"' in html
    assert kept_rows(html) == []


def test_another_person_and_another_case_get_404_and_nothing_is_served(client: Client, sign_in: SignIn) -> None:
    annas_case, other_case = kac_case(), kac_case()
    document = scan(annas_case)
    martins_case = kac_case(personal_code=MARTINS)

    sign_in(client, MARTINS)
    for url in (
        download_url(annas_case, document),
        download_url(martins_case, document),  # his own case's URL with Anna's document
        case_url(annas_case),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF not in response.content
    assert kept_rows(client.get("/en/account/documents/").content.decode()) == []

    sign_in(client, ANNA)
    wrong_case = client.get(download_url(other_case, document))  # her own document under her other case
    assert wrong_case.status_code == 404
    assert PDF not in wrong_case.content
    missing = client.get(f"/en/account/cases/{annas_case.url_number}/documents/{uuid4()}/")
    assert missing.status_code == 404
    assert client.post(download_url(annas_case, document)).status_code == 405
    assert reads() == []


def test_a_mandate_reaches_the_scans_of_the_services_it_covers_only(client: Client, sign_in: SignIn) -> None:
    case = kac_case()
    document = scan(case)
    mandate(scope=MandateScope.CHOSEN_SERVICES, service_codes=[UNEMPLOYED_STATUS])
    sign_in(client, MARTINS, acting_for=ANNA, mandate="M-SCANS001")
    response = client.get(download_url(case, document))
    assert response.status_code == 404
    assert PDF not in response.content
    listed = client.get("/en/account/documents/").content.decode()
    assert kept_rows(listed) == []
    assert 'data-testid="no-kept-documents"' in listed
    assert "A mandate does not give access" in listed  # the letters' part
    assert reads() == []

    Mandate.objects.filter(reference="M-SCANS001").update(service_codes=[CHILDBIRTH_BENEFIT])
    sign_in(client, MARTINS, acting_for=ANNA, mandate="M-SCANS001")
    listed = client.get("/en/account/documents/").content.decode()
    assert len(kept_rows(listed)) == 1
    assert "mandate M-SCANS001 lets you see" in listed
    assert client.get(download_url(case, document)).content == PDF
    martins = person_user(MARTINS)
    assert reads() == [(Outcome.SUCCESS, str(martins.pk), ANNA)]
    assert AuditRecord.objects.get(action="documents.document.read").mandate_id == "M-SCANS001"


def test_a_mandate_for_results_only_sees_the_scans_of_cases_with_a_result(client: Client, sign_in: SignIn) -> None:
    case = kac_case()
    document = scan(case)
    mandate(scope=MandateScope.RESULTS_ONLY)
    sign_in(client, MARTINS, acting_for=ANNA, mandate="M-SCANS001")
    assert kept_rows(client.get("/en/account/documents/").content.decode()) == []
    assert client.get(download_url(case, document)).status_code == 404
    assert reads() == []


def test_a_company_context_sees_its_companys_scans(client: Client, sign_in: SignIn) -> None:
    company_case = case_register(
        actor=REGISTRAR,
        service_code="3031",
        applicant=PartyRef(registration_number=KOKMATERIALI),
        channel=Channel.POST,
    ).case
    holder = company_case.holder
    document = document_store(
        actor=staff_actor(holder.code, "specialist"),
        content=PDF,
        filename="līgums.pdf",
        kind=DocumentKind.SCAN,
        institution=holder,
        case=company_case,
    )
    assert document.organisation == Organisation.objects.get(registration_number=KOKMATERIALI)
    annas = scan(kac_case())

    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    page = client.get("/en/account/documents/")
    assert page.status_code == 200
    listed = page.content.decode()
    assert 'data-testid="inbox-unavailable"' in listed  # still no company inbox
    [row] = kept_rows(listed)
    assert "līgums.pdf" in row
    assert "No paper original was kept" in row
    assert "iesniegums.pdf" not in listed
    assert len(kept_rows(client.get(case_url(company_case)).content.decode())) == 1

    download = client.get(download_url(company_case, document))
    assert download.content == PDF
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''l%C4%ABgums.pdf"
    assert client.get(download_url(company_case, annas)).status_code == 404
    audited = AuditRecord.objects.get(action="accounts.documents.view")
    assert (audited.acting_for, audited.details) == (KOKMATERIALI, {"kept_shown": 1})

    sign_in(client, JANIS)  # for himself: not the company's
    assert client.get(download_url(company_case, document)).status_code == 404


def test_a_damaged_file_gives_an_error_page_and_serves_nothing(
    client: Client, sign_in: SignIn, document_root: Path
) -> None:
    case = kac_case()
    document = scan(case)
    changed = PDF.replace(b"Catalog", b"Katalog")
    (document_root / str(document.content.name)).write_bytes(changed)
    sign_in(client, ANNA)
    response = client.get(download_url(case, document))
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert not response.has_header("Content-Disposition")
    assert b"Katalog" not in response.content
    html = response.content.decode()
    assert 'data-testid="document-damaged"' in html
    assert "iesniegums.pdf cannot be downloaded: the stored file is damaged." in html
    assert f'href="#document-{document.pk}"' in html
    assert f'id="document-{document.pk}"' in html
    failed = AuditRecord.objects.get(action="documents.document.read")
    assert (failed.outcome, failed.details) == (Outcome.FAILURE, {"reason": "checksum_mismatch"})


def test_the_pages_cost_the_same_queries_for_one_document_or_many(
    client: Client, sign_in: SignIn, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = kac_case()
    scan(case)
    sign_in(client, ANNA)
    with django_assert_max_num_queries(25) as one:
        assert client.get("/en/account/documents/").status_code == 200
    with django_assert_max_num_queries(30) as one_on_case:
        assert client.get(case_url(case)).status_code == 200

    for index in range(24):
        scan(kac_case() if index % 2 else case, filename=f"lapa-{index:02d}.pdf")
    with django_assert_max_num_queries(len(one) + 1) as many:  # + the count of all, beyond the newest 20
        page = client.get("/en/account/documents/")
    assert len(many) == len(one) + 1
    html = page.content.decode()
    assert len(kept_rows(html)) == 20
    assert "The newest 20 of 25 documents are shown." in html
    assert "lapa-23.pdf" in kept_rows(html)[0]
    with django_assert_max_num_queries(len(one_on_case)):
        case_page = client.get(case_url(case))
    assert len(kept_rows(case_page.content.decode())) == 13
