"""The consultation form in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA): the
running timer, finding the service with the inline catalog search, and registering another."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from onedoor.cases.models import Consultation
from onedoor.conftest import assert_accessible
from onedoor.workplace.models import TimeRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_registering_a_consultation_found_with_the_service_search(
    page: Page, at_work: Callable[[str], None], lang: str
) -> None:
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/consultations/new/")
    expect(page.locator("#id_channel")).to_be_focused()
    expect(page.locator("[data-timer-start]")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert_accessible(page)

    page.locator("[data-testid=consultation-form] button[type=submit]").last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # no topic: errors, nothing written
    assert Consultation.objects.count() == 0
    assert_accessible(page)

    page.locator("#id_service").press_sequentially("childbirth benefit", delay=20)
    choice = page.locator("[data-service-code='2011']")
    expect(choice).to_be_visible()
    assert_accessible(page)
    choice.click()
    expect(page.locator("#id_service")).to_have_value("2011")
    expect(page.get_by_test_id("service-chosen")).to_contain_text("2011")
    expect(page.locator("#id_topic")).to_be_focused()
    page.locator("#id_topic").fill("Which documents are needed")
    page.locator("label[for='id_client_kind-phone']").click()
    page.locator("#id_phone").fill("29123456")
    page.locator("[data-testid=consultation-form] button[type=submit]").last.click()

    expect(page.get_by_test_id("consultation-registered")).to_be_visible()
    expect(page.locator("#id_channel")).to_be_focused()
    assert_accessible(page)
    consultation = Consultation.objects.get()
    assert (consultation.service.code, consultation.phone) == ("2011", "+37129123456")  # type: ignore[union-attr]
    assert TimeRecord.objects.get().consultation == consultation
