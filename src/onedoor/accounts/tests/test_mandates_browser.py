"""The chooser and the mandate pages in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA):
choosing whom to act for, giving a mandate for a service found with the list's filter, the summary,
the mandate page and the lists."""

import pytest
from playwright.sync_api import Page, expect

from onedoor.access.models import Mandate
from onedoor.conftest import assert_accessible

from .conftest import SignedIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNA = "32871452034"
JANIS = "14037812342"
KOKMATERIALI = "40003512877"


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_choosing_whom_to_act_for(page: Page, signed_in: SignedIn, demo_catalog: None, lang: str) -> None:
    signed_in(JANIS)
    page.goto(f"/{lang}/services/")
    page.locator("#od-acting-context a").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("context-group-organisation").locator(".govuk-radios__item")).to_have_count(3)
    assert_accessible(page)
    page.get_by_test_id("context-group-organisation").locator(f"input[value='organisation:{KOKMATERIALI}:']").check()
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(f"{page.url.split('/' + lang + '/')[0]}/{lang}/services/")
    expect(page.get_by_test_id("acting-for")).to_have_text('SIA "Kokmateriāli"')
    expect(page.get_by_test_id("context-audience")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_giving_a_mandate_for_a_service_found_in_the_list(
    page: Page, signed_in: SignedIn, demo_catalog: None, lang: str
) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/mandates/")
    expect(page.get_by_test_id("mandates-given-empty")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/{lang}/account/mandates/new/")
    conditional = page.locator("#conditional-services")
    expect(conditional).to_be_hidden()
    assert_accessible(page)

    page.locator("form[method=post] button[type=submit]").last.click()  # nothing typed: errors, nothing given
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_mandatary")).to_be_focused()
    assert_accessible(page)

    page.locator("#id_mandatary").fill("080290-12184")
    page.locator("#id_scope-services").check()
    expect(conditional).to_be_visible()
    page.locator("#service-filter").fill("2011")  # a code, or words of the name without diacritics
    visible = page.locator("#service-checkboxes .govuk-checkboxes__item:visible")
    expect(visible).to_have_count(1)
    visible.locator("input").check()
    assert_accessible(page)
    page.locator("form[method=post] button[type=submit]").last.click()

    expect(page.get_by_test_id("summary-mandatary")).to_have_text("080290-12184")
    assert_accessible(page)
    page.locator("button[value=confirm]").click()

    mandate = Mandate.objects.get()
    expect(page).to_have_url(f"{page.url.split('/' + lang + '/')[0]}/{lang}/account/mandates/{mandate.reference}/")
    expect(page.get_by_test_id("mandate-facts")).to_contain_text("Mārtiņš Kalniņš")
    expect(page.get_by_test_id("revoke-form")).to_be_visible()
    assert mandate.service_codes == ["2011"]
    assert_accessible(page)
    page.goto(f"/{lang}/account/mandates/")
    expect(page.get_by_test_id("mandates-given").locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
