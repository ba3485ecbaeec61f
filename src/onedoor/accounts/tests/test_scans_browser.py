"""The documents kept at the institution in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA):
Anna's scan on her case page and documents page, its download, and the page a damaged file gives."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from onedoor.conftest import assert_accessible
from onedoor.documents.services import shipment_add, shipment_create, shipment_mark_shipped
from onedoor.documents.tests.factories import PDF, kac_case, kac_place, kac_specialist, use_document_root

from .conftest import SignedIn
from .test_scans import ANNA, scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def document_root(settings: Settings, tmp_path: Path) -> Path:
    settings.ONEDOOR_CLAMD_SOCKET = ""
    settings.ONEDOOR_CLAMD_HOST = ""
    return use_document_root(settings, tmp_path / "documents")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_anna_finds_and_downloads_the_scan_of_her_application(
    page: Page, demo_catalog: None, document_root: Path, signed_in: SignedIn, lang: str
) -> None:
    case = kac_case()
    shipped = scan(case)
    batch = shipment_create(actor=kac_specialist(), place=kac_place(), holder=case.holder)
    shipment_add(actor=kac_specialist(), batch=batch, documents=[shipped])
    shipment_mark_shipped(actor=kac_specialist(), batch=batch)
    scan(case, filename="pielikums.pdf", original=False)
    signed_in(ANNA)

    page.goto(f"/{lang}/account/cases/{case.url_number}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    rows = page.get_by_test_id("kept-document-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("iesniegums.pdf")
    assert_accessible(page)
    with page.expect_download() as download:
        rows.first.get_by_role("link", name="iesniegums.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert download.value.suggested_filename == "iesniegums.pdf"

    page.goto(f"/{lang}/account/documents/")
    expect(page.get_by_test_id("kept-document-row")).to_have_count(2)
    expect(page.get_by_test_id("no-documents")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("kept-document-row").first.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)

    (document_root / str(shipped.content.name)).write_bytes(PDF + b"% changed")
    page.goto(f"/{lang}/account/cases/{case.url_number}/documents/{shipped.pk}/")
    summary = page.get_by_test_id("document-damaged")
    expect(summary).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.locator(f"#document-{shipped.pk}")).to_be_in_viewport()
