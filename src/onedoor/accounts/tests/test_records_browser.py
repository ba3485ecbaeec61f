"""The records pages in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA): the overview,
the history with its filters and errors, and a case rated with the keyboard-operable radios."""

import re

import pytest
from playwright.sync_api import Page, expect

from onedoor.cases.models import Case, Feedback
from onedoor.conftest import assert_accessible

from .conftest import SignedIn
from .test_records import ANNA, move, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anna_cases(demo_catalog: None) -> dict[str, Case]:
    return {
        "closed": move(register("4006", person=ANNA, days_ago=30), "in_progress", "result_delivered", "closed"),
        "waiting": move(register("3006", person=ANNA, days_ago=10), "corrections-requested"),
    }


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_overview_and_history(page: Page, signed_in: SignedIn, anna_cases: dict[str, Case], lang: str) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Kalniņa")
    expect(page.get_by_test_id("needs-action")).to_contain_text(anna_cases["waiting"].number)
    assert_accessible(page)

    page.goto(f"/{lang}/account/history/")
    expect(page.get_by_test_id("history-table").locator("tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.locator("#filter-status").select_option("closed")
    page.locator("form[method=get] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(page.get_by_test_id("history-table").locator("tbody tr")).to_have_count(1)

    page.goto(f"/{lang}/account/history/?date_from=2026-02-31")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(page.locator("#filter-date_from")).to_be_focused()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_rating_a_case_with_the_keyboard(
    page: Page, signed_in: SignedIn, anna_cases: dict[str, Case], lang: str
) -> None:
    closed = anna_cases["closed"]
    signed_in(ANNA)
    page.goto(f"/{lang}/account/cases/{closed.url_number}/")
    expect(page.get_by_test_id("status-history").locator("tbody tr")).to_have_count(4)
    assert_accessible(page)

    send = page.get_by_test_id("feedback-form").get_by_role("button")
    send.click()  # nothing chosen: an error, nothing sent
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert not Feedback.objects.exists()

    page.locator("#score_overall-4").focus()
    page.keyboard.press("Space")
    page.locator("#comment").fill("Viss kārtībā.")
    send.click()
    expect(page.get_by_test_id("feedback-given")).to_contain_text("Viss kārtībā.")
    assert_accessible(page)
    assert Feedback.objects.get(case=closed).scores == {"overall": 4}
