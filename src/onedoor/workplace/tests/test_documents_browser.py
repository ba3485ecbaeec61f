"""The case's documents and the shipments of originals in Chromium, in Latvian and English, with axe-core checks."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from onedoor.conftest import assert_accessible
from onedoor.documents.models import Document, DocumentKind, ShipmentBatch, ShipmentStatus
from onedoor.documents.services import document_store
from onedoor.documents.tests.factories import HTML, PDF, kac_case, kac_place, kac_specialist, use_document_root
from onedoor.parties.models import Institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def document_root(settings: Settings, tmp_path: Path) -> Path:
    return use_document_root(settings, tmp_path / "documents")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_scan_paper_and_attach_it_to_the_case(
    page: Page, at_work: Callable[[str], None], tmp_path: Path, lang: str
) -> None:
    case = kac_case()
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/cases/{case.url_number}/documents/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#id_file")).to_be_focused()
    expect(page.locator("#id_has_paper_original")).to_be_checked()
    assert_accessible(page)

    page.locator("#id_file").set_input_files(
        files=[{"name": "lapa.pdf", "mimeType": "application/pdf", "buffer": HTML}]
    )
    page.locator("form[data-testid=scan-form] button[type=submit]").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator("#id_file-error")).to_contain_text("PDF, PNG, JPG")
    assert_accessible(page)
    assert Document.objects.count() == 0

    page.locator("#id_file").set_input_files(
        files=[{"name": "iesniegums.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form[data-testid=scan-form] button[type=submit]").click()
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    expect(page.get_by_test_id("document-row")).to_contain_text("iesniegums.pdf")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="iesniegums.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert Document.objects.get().has_paper_original is True


def original() -> Document:
    return document_store(
        actor=kac_specialist(),
        content=PDF,
        filename="iesniegums.pdf",
        kind=DocumentKind.SCAN,
        institution=Institution.objects.get(code="VRAA"),
        case=kac_case(),
        place=kac_place(),
        has_paper_original=True,
    )


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_pack_and_ship_originals_and_the_holder_receives_them(
    page: Page, at_work: Callable[[str], None], lang: str
) -> None:
    document = original()
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/shipments/")
    expect(page.get_by_test_id("awaiting-VSAA")).to_contain_text(document.case.number)  # type: ignore[union-attr]
    assert_accessible(page)

    page.get_by_test_id("awaiting-VSAA").locator("button").click()
    expect(page).to_have_url(re.compile(r"/workplace/shipments/S-[0-9A-Z]{8}/$"))
    expect(page.get_by_test_id("batch-empty")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("add-form").locator("input[type=checkbox]").check()
    page.get_by_test_id("add-form").locator("button").click()
    expect(page.get_by_test_id("remove-form")).to_contain_text("iesniegums.pdf")
    assert_accessible(page)
    page.get_by_test_id("ship-form").locator("button").click()
    expect(page.get_by_test_id("batch-contents")).to_contain_text("iesniegums.pdf")
    batch = ShipmentBatch.objects.get()
    assert batch.status == ShipmentStatus.SHIPPED

    page.context.clear_cookies()
    at_work("vsaa-handler")
    page.goto(f"/{lang}/workplace/shipments/")
    expect(page.get_by_test_id("incoming")).to_contain_text(batch.reference)
    assert_accessible(page)
    page.get_by_role("link", name=batch.reference).click()
    expect(page.get_by_test_id("receive-form")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("receive-form").locator("button").click()
    expect(page.get_by_test_id("receive-form")).to_have_count(0)
    expect(page.get_by_test_id("batch-status").locator(".govuk-tag--green")).to_be_visible()
    assert_accessible(page)
    batch.refresh_from_db()
    assert batch.status == ShipmentStatus.RECEIVED
