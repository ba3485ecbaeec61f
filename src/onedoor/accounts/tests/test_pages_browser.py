"""E-account pages shown outside the happy path, in Chromium, in Latvian and English, with axe-core checks."""

import pytest
from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible

from .conftest import SignedIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNA, JANIS, KOKMATERIALI = "32871452034", "14037812342", "40003512877"
VSAA_EDITOR = "32983690061"  # the person of the demo staff account vsaa-editor (demo/accounts.py)

TEXT = {
    "lv": {
        "not_a_client": "Izvēlieties, kā vārdā rīkoties",
        "confirm_failed": "E-pasta adrese nav apstiprināta",
        "inbox_unavailable": "Lai lasītu savus ziņojumus, rīkojieties savā vārdā",
    },
    "en": {
        "not_a_client": "Choose whom you act for",
        "confirm_failed": "The e-mail address is not confirmed",
        "inbox_unavailable": "Act for yourself to read your own messages",
    },
}


def expect_page_in(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_staff_member_acting_for_their_institution_is_told_to_switch(
    page: Page, signed_in: SignedIn, demo_catalog: None, lang: str
) -> None:
    signed_in(VSAA_EDITOR, acting_for="VSAA")
    response = page.goto(f"/{lang}/account/")
    assert response is not None
    assert response.status == 403
    expect_page_in(page, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXT[lang]["not_a_client"])
    expect(page.locator(".govuk-grid-column-two-thirds a[href*='acting-for']")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_forged_confirmation_link_is_refused(page: Page, signed_in: SignedIn, demo_catalog: None, lang: str) -> None:
    signed_in(ANNA)
    response = page.goto(f"/{lang}/account/profile/email/confirm/not-a-real-token/")
    assert response is not None
    assert response.status >= 400
    expect_page_in(page, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXT[lang]["confirm_failed"])
    expect(page.get_by_test_id("confirm-problem")).not_to_be_empty()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_company_context_is_told_why_there_is_no_inbox(
    page: Page, signed_in: SignedIn, demo_catalog: None, lang: str
) -> None:
    signed_in(JANIS, acting_for=KOKMATERIALI)
    page.goto(f"/{lang}/account/inbox/")
    expect_page_in(page, lang)
    expect(page.get_by_test_id("inbox-unavailable")).to_be_visible()
    expect(page.get_by_role("link", name=TEXT[lang]["inbox_unavailable"])).to_be_visible()
    assert_accessible(page)
