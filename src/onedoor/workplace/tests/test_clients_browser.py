"""The client 360 view in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA)."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible
from onedoor.workplace.models import ClientView, Verification
from onedoor.workplace.verification import verification_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def find_and_open(page: Page, lang: str) -> None:
    page.goto(f"/{lang}/workplace/clients/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#id_value")).to_be_focused()
    assert_accessible(page)
    page.locator("#id_value").fill("328714-52034")
    page.locator("form[data-testid=client-search] button[type=submit]").click()
    expect(page.get_by_test_id("client-results")).to_contain_text("Anna Kalniņa")
    expect(page.get_by_test_id("masked")).to_have_text("328714-*****")
    assert_accessible(page)
    page.get_by_test_id("client-results").get_by_role("link").click()
    expect(page.get_by_test_id("client-open")).to_be_visible()
    assert_accessible(page)


def submit_open(page: Page) -> None:
    page.locator("form[data-testid=client-open] button[type=submit]").click()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_find_open_with_a_purpose_and_see_the_profile(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    at_work("kac-specialist")
    find_and_open(page, lang)

    submit_open(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Krišjāņa Barona")
    assert_accessible(page)

    page.locator("#id_service").select_option("2011")
    page.locator("#id_note").fill("childbirth benefit")
    submit_open(page)
    expect(page).to_have_url(re.compile(rf"/{lang}/workplace/clients/views/[0-9a-f-]+/$"))
    expect(page.get_by_test_id("client-facts")).to_contain_text("Krišjāņa Barona iela 55-7")
    expect(page.get_by_test_id("view-purpose")).to_contain_text("childbirth benefit")
    assert_accessible(page)

    page.locator("form[action$='/close/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/workplace/clients/$"))
    assert ClientView.objects.get().closed_at is not None


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_phone_verification_before_the_profile(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    at_work("kac-specialist")
    find_and_open(page, lang)
    page.locator("#id_service").select_option("2011")
    page.locator("#id_channel-2").check()
    submit_open(page)
    expect(page.get_by_test_id("verify-form")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Krišjāņa Barona")
    assert_accessible(page)

    view = ClientView.objects.get()
    questions = verification_questions(view)
    for question in questions:
        page.locator(f"#id_{question.key}").fill("wrong")
    page.locator("form[data-testid=verify-form] button[type=submit]").click()
    expect(page.get_by_test_id("verify-problem")).to_be_visible()
    expect(page.get_by_test_id("attempts-left")).to_contain_text("2")
    assert_accessible(page)

    for question in questions:
        page.locator(f"#id_{question.key}").fill(question.accepted[0])
    page.locator("form[data-testid=verify-form] button[type=submit]").click()
    expect(page.get_by_test_id("client-facts")).to_contain_text("Krišjāņa Barona iela 55-7")
    assert_accessible(page)
    view.refresh_from_db()
    assert view.verification == Verification.PASSED
