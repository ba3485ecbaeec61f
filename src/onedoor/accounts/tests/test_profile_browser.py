"""The profile pages in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible
from onedoor.notifications.models import ContactKind, ContactPoint, NotificationPreference
from onedoor.notifications.sms_simulator import SmsSimulator
from onedoor.parties.models import BankAccount, Person

from .conftest import SignedIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNA, JANIS = "32871452034", "14037812342"
KOKMATERIALI = "40003512877"


def submit(page: Page, form_action: str) -> None:
    page.locator(f"form[action$='{form_action}'] button[type=submit]").first.click()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_adding_and_confirming_an_email_address(
    page: Page, signed_in: SignedIn, demo_catalog: None, locmem_mail: None, lang: str
) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/profile/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("party-facts")).to_contain_text("328714-52034")
    assert_accessible(page)

    page.locator("a[href$='/account/profile/email/add/']").click()
    page.locator("#id_email").fill("anna@")
    submit(page, "/account/profile/email/add/")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_email")).to_have_class(re.compile("govuk-input--error"))
    assert_accessible(page)

    page.locator("#id_email").fill("Anna.Kalnina@Example.lv")
    submit(page, "/account/profile/email/add/")
    expect(page).to_have_url(re.compile(rf"/{lang}/account/profile/$"))
    expect(page.get_by_test_id("contacts").first).to_contain_text("anna.kalnina@example.lv")
    assert_accessible(page)

    link = re.search(r"https?://\S+/confirm/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(urlsplit(link.group(0)).path)
    expect(page).to_have_url(re.compile(rf"/{lang}/account/profile/$"))
    assert ContactPoint.objects.get(value="anna.kalnina@example.lv").confirmed_at is not None

    page.goto(urlsplit(link.group(0)).path)
    expect(page.get_by_test_id("confirm-problem")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_confirming_a_phone_number_with_the_sms_code(
    page: Page, signed_in: SignedIn, demo_catalog: None, sms: SmsSimulator, lang: str
) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/profile/phone/add/")
    assert_accessible(page)
    page.locator("#id_phone").fill("29123456")
    submit(page, "/account/profile/phone/add/")
    expect(page).to_have_url(re.compile(r"/phone/[0-9a-f-]+/code/$"))
    page.locator("#id_code").fill("000000" if "000000" not in sms.messages[-1].text else "111111")
    submit(page, "/code/")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    code = re.search(r"\b(\d{6})\b", sms.messages[-1].text)
    assert code is not None
    page.locator("#id_code").fill(code.group(1))
    submit(page, "/code/")
    expect(page).to_have_url(re.compile(rf"/{lang}/account/profile/$"))
    assert ContactPoint.objects.get(kind=ContactKind.PHONE).confirmed_at is not None


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_bank_account_and_preferences(page: Page, signed_in: SignedIn, demo_catalog: None, lang: str) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/profile/bank-account/")
    page.locator("#id_iban").fill("LV80 BANK 0000 4351 9500 2")
    submit(page, "/account/profile/bank-account/")
    expect(page.locator("#id_iban-error")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_iban").fill("LV80 BANK 0000 4351 9500 1")
    submit(page, "/account/profile/bank-account/")
    expect(page.get_by_test_id("bank-account")).to_contain_text("LV80 BANK 0000 4351 9500 1")
    assert BankAccount.objects.get().iban == "LV80BANK0000435195001"

    page.goto(f"/{lang}/account/preferences/")
    assert_accessible(page)
    page.locator("input[name=channel_proactive_offer][value=inbox_only]").check()
    page.locator("input[name=language][value=en]").check()
    submit(page, "/account/preferences/")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    anna = Person.objects.get(personal_code=ANNA)
    assert NotificationPreference.objects.get(person=anna).channel == "inbox_only"
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_downloading_my_data(page: Page, signed_in: SignedIn, demo_catalog: None, lang: str) -> None:
    signed_in(ANNA)
    page.goto(f"/{lang}/account/my-data/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        submit(page, "/account/my-data/")
    download = download_info.value
    assert re.fullmatch(r"onedoor-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["person"]["personal_code"] == ANNA


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_company_representative_sees_the_company_read_only(
    page: Page, signed_in: SignedIn, demo_catalog: None, lang: str
) -> None:
    signed_in(JANIS, acting_for=KOKMATERIALI)
    page.goto(f"/{lang}/account/profile/")
    expect(page.get_by_test_id("read-only-explanation")).to_be_visible()
    expect(page.get_by_test_id("party-facts")).to_contain_text(KOKMATERIALI)
    assert page.locator("form[action*='/account/profile/']").count() == 0
    assert_accessible(page)
    page.goto(f"/{lang}/account/preferences/")
    expect(page.get_by_test_id("not-self-explanation")).to_be_visible()
    assert_accessible(page)
