"""Journeys across the whole platform in Chromium, signed in through devidp with real redirects (issue 4).

Each page on the way is checked with axe-core; the journeys run in English, and every page they
visit is checked in Latvian too.
"""

import json
import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from onedoor.conftest import assert_accessible, system_token
from onedoor.demo.cases import register_demo_cases
from onedoor.devidp.testing import oidc_sign_in
from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.models import ContactKind
from onedoor.notifications.tests.conftest import SmtpSink, contact, publish, smtp_server  # noqa: F401 - fixture
from onedoor.parties.models import Person
from onedoor.tests.browser import checked_in_both_languages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNA = "32871452034"
MARTINS = "08029012184"
JANIS = "14037812342"
EMAIL = "anna.kalnina@example.lv"


@pytest.fixture
def registry(demo_catalog: None, devidp_client: Any) -> None:
    """The demo catalog, the portal's client at devidp and the demo cases (people's and companies')."""
    register_demo_cases()


def choose_context(page: Page, label: str) -> None:
    expect(page).to_have_url(re.compile(r"/account/acting-for/"))
    page.get_by_role("radio", name=re.compile(re.escape(label))).check()
    page.get_by_role("button", name=re.compile("Continue|Turpināt")).click()
    expect(page.get_by_test_id("acting-for")).to_have_text(label)


def test_signing_in_and_switching_to_a_company_shows_that_companys_cases_only(
    page: Page, registry: None, live_server: LiveServer
) -> None:
    oidc_sign_in(page, live_server.url, JANIS, next_url="/en/account/history/")
    # Jānis acts for himself, his daughter and three companies: he is asked first.
    expect(page).to_have_url(re.compile(r"/en/account/acting-for/"))
    checked_in_both_languages(page)
    choose_context(page, 'SIA "Kokmateriāli"')

    expect(page).to_have_url(re.compile(r"/en/account/history/"))
    history = page.locator("main")
    expect(history).to_contain_text("3031")  # the company's VAT registration
    expect(history).to_contain_text("5001")
    expect(history).not_to_contain_text("1003")  # AS "Baltijas Loģistika"'s case
    expect(history).not_to_contain_text("2019")  # Jānis's own sick-leave benefit
    checked_in_both_languages(page)

    page.get_by_role("link", name=re.compile("Change")).first.click()
    choose_context(page, 'AS "Baltijas Loģistika"')
    page.goto("/en/account/history/")
    expect(history).to_contain_text("1003")
    expect(history).not_to_contain_text("3031")


def test_a_mandate_for_one_service_gives_that_service_only_and_ends_when_revoked(
    page: Page, second_page: Page, registry: None, live_server: LiveServer
) -> None:
    # Anna gives Mārtiņš a mandate for the childbirth benefit (2011) only.
    oidc_sign_in(page, live_server.url, ANNA, next_url="/en/account/mandates/new/")
    choose_context(page, "Anna Kalniņa")
    expect(page).to_have_url(re.compile(r"/en/account/mandates/new/"))
    checked_in_both_languages(page)
    page.get_by_label(re.compile("Personal code of the person")).fill(MARTINS)
    page.get_by_role("radio", name="Chosen services").check()
    page.locator("input[name=service_codes][value='2011']").check()
    page.get_by_role("button", name=re.compile("Continue")).click()
    assert_accessible(page)  # the summary answers the POST: it is checked as shown
    page.get_by_role("button", name="Give the mandate").click()
    expect(page).to_have_url(re.compile(r"/en/account/mandates/M-[A-Z0-9]{8}/"))
    reference = re.search(r"M-[A-Z0-9]{8}", page.url).group(0)  # type: ignore[union-attr]
    checked_in_both_languages(page)

    # Mārtiņš signs in and acts for Anna under the mandate: he sees the 2011 case and nothing else of hers.
    oidc_sign_in(second_page, live_server.url, MARTINS, next_url="/en/account/history/")
    choose_context(second_page, "Anna Kalniņa")
    expect(second_page.locator("#od-acting-context")).to_contain_text(reference)
    history = second_page.locator("main")
    expect(history).to_contain_text("2011")
    expect(history).not_to_contain_text("2013")
    expect(history).not_to_contain_text("2012")
    checked_in_both_languages(second_page)
    second_page.locator("main a[href*='/account/cases/2011-']").first.click()
    case_url = second_page.url
    expect(second_page.get_by_role("heading", level=1)).to_contain_text("2011")
    checked_in_both_languages(second_page)
    forbidden = second_page.goto(re.sub(r"/cases/2011-\d+/", "/cases/2013-0001/", case_url))
    assert forbidden is not None
    assert forbidden.status == 404

    # Anna revokes it; Mārtiņš's very next request has lost the context and the case.
    page.goto(f"/en/account/mandates/{reference}/")
    page.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.locator("main")).to_contain_text(re.compile("Revoked", re.IGNORECASE))
    response = second_page.goto(case_url)
    assert response is not None
    assert response.status == 404
    second_page.goto("/en/account/")
    expect(second_page.get_by_test_id("acting-for")).to_have_text("Mārtiņš Kalniņš")


def test_a_status_event_from_the_api_reaches_the_inbox_page_and_the_smtp_server(
    page: Page,
    registry: None,
    live_server: LiveServer,
    smtp_server: SmtpSink,  # noqa: F811 - the fixture
) -> None:
    publish()  # the demo cases' notices, while Anna has no e-mail address yet
    anna = Person.objects.get(personal_code=ANNA)
    contact(anna, ContactKind.EMAIL, EMAIL)
    api = Client()
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {system_token('VSAA')}"
    created = api.post(
        "/api/v1/cases",
        json.dumps(
            {
                "service": "2011",
                "applicant": {"personal_code": ANNA},
                "channel": "web_portal",
                "external_id": "VSAA-JOURNEY-1",
                "submitted_at": "2026-11-20T08:00:00Z",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["case_number"]
    event = api.post(
        f"/api/v1/cases/{number}/status-events",
        json.dumps({"id": "vsaa-journey-ev-1", "status": "benefit-granted", "occurred_at": "2026-11-21T10:00:00Z"}),
        content_type="application/json",
    )
    assert event.status_code == 201, event.content
    publish()
    dispatches_send_due()

    # The demo cases' own notices went out before the e-mail was confirmed: this is the only one.
    (received,) = smtp_server.received
    assert received["To"] == EMAIL
    shown = number.replace("-", " ")  # "2011 0002", as people read it
    assert received["Subject"] == f"Lieta {shown}: Pabalsts piešķirts"

    oidc_sign_in(page, live_server.url, ANNA, next_url="/en/account/inbox/")
    choose_context(page, "Anna Kalniņa")
    expect(page).to_have_url(re.compile(r"/en/account/inbox/"))
    inbox = page.locator("main")
    expect(inbox).to_contain_text(f"Case {shown}")
    checked_in_both_languages(page)
    page.get_by_role("link", name=re.compile(f"Case {shown}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(shown)
    checked_in_both_languages(page)
