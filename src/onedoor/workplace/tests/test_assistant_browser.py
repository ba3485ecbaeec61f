"""The e-assistant in the browser (ASST-1), in Latvian and English, each page checked with axe: the list and
start form, the application form with errors, the printed application with its PDF, the confirmation."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from onedoor.conftest import assert_accessible
from onedoor.documents.tests.factories import use_document_root

from ..models import AssistedApplication
from .conftest import ANNA, client_view_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_apply_for_the_childbirth_benefit_at_the_desk(
    page: Page, at_work: Callable[[str], None], lang: str, settings: Settings, tmp_path: Path
) -> None:
    use_document_root(settings, tmp_path / "documents")
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/applications/?client_view={client_view_for().pk}")
    expect(page.locator("#id_person")).to_have_value(ANNA)
    expect(page.locator("#id_person")).to_be_focused()
    assert_accessible(page)

    page.locator("#id_service").select_option("2011")
    page.locator("[data-testid=start-form] button[type=submit]").click()
    expect(page.locator("[data-testid=application-form]")).to_be_visible()
    application = AssistedApplication.objects.get()

    page.locator("#id_child_personal_code").fill("32910627484")
    page.locator("[data-testid=application-form] button.govuk-button:not(.govuk-button--secondary)").click()
    expect(page.locator("[data-testid=error-summary]")).to_be_visible()
    expect(page.locator("#id_child_personal_code-error")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_child_personal_code").fill("329106-27483")
    page.locator("#id_child_name").fill("Emīls Kalniņš")
    page.locator("#id_child_birth_date").fill("2026-10-02")
    page.locator("label[for=id_born_abroad-2]").click()
    page.locator("label[for=id_payment]").click()
    page.locator("[data-testid=application-form] button.govuk-button:not(.govuk-button--secondary)").click()
    expect(page.locator("[data-testid=case-number]")).to_be_visible()
    application.refresh_from_db()
    assert application.case is not None
    number = application.case.number
    expect(page.locator("[data-testid=case-number]")).to_have_text(number)
    assert_accessible(page)

    pdf = page.request.get(page.locator("[data-testid=pdf-link]").get_attribute("href") or "")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.locator("label[for=id_signed_in_person]").click()
    page.locator("[data-testid=signature-form] button[type=submit]").click()
    expect(page.locator("[data-testid=signature]")).to_be_visible()
    page.locator("form[action$='/submit/'] button").click()
    expect(page.locator("[data-testid=submitted]")).to_contain_text(number)
    assert_accessible(page)

    page.goto(f"/{lang}/workplace/applications/")
    expect(page.locator("[data-testid=applications]")).to_contain_text(number)
    assert_accessible(page)
