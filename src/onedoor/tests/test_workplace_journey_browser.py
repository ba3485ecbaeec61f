"""A KAC specialist's day in Chromium (issue 5), signed in through devidp with real redirects.

Inese Bērziņa at the national customer service centre registers an anonymous consultation, opens
Anna Kalniņa's profile for a purpose, applies for the childbirth benefit (P.11) on her behalf as
e-assistant — prints the PDF, attaches the signed scan, submits — and VSAA's back-office simulator
receives the application through a signed webhook. Anna, signed in, sees who submitted it where;
a task Inese hands to Kristaps appears in his queue. Every page is checked with axe-core in English
and in Latvian.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case, Consultation
from onedoor.conftest import assert_accessible
from onedoor.core.outbox import outbox_publish_pending
from onedoor.devidp.testing import oidc_sign_in
from onedoor.documents.models import Document
from onedoor.documents.tests.factories import use_document_root
from onedoor.integration import delivery
from onedoor.integration.simulator import BackOfficeSimulator, SimulatorConfig
from onedoor.tests.browser import checked_in_both_languages
from onedoor.workplace.models import Task, TimeRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INESE = "32945807302"
KRISTAPS = "32157368193"
ANNA = "32871452034"
KAC_PLACE = "vpvkac-nacionalais-centrs"


@pytest.fixture
def vsaa_simulator(live_server: LiveServer, demo_catalog: None, devidp_client: Any) -> Iterator[BackOfficeSimulator]:
    """VSAA's back-office system, subscribed to its webhooks; it moves cases on slowly, never fails."""
    config = SimulatorConfig(
        api=live_server.url,
        institution="VSAA",
        client_id="demo-vsaa",
        client_secret="demo-vsaa-secret",
        failure_rate=0.0,
        timeout_rate=0.0,
        step_delay=(600.0, 900.0),
        rejection_rate=0.0,
        seed=11,
    )
    simulator = BackOfficeSimulator(config)
    simulator.subscribe(simulator.start())
    yield simulator
    simulator.stop()


def sign_in_at_work(page: Page, base_url: str, personal_code: str) -> None:
    """Through devidp as the person, then act for their institution, as at the start of a working day."""
    oidc_sign_in(page, base_url, personal_code, next_url="/en/workplace/")
    expect(page).to_have_url(re.compile(r"/en/account/acting-for/"))
    page.get_by_role("radio", name=re.compile("Valsts reģionālās attīstības aģentūra")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/en/workplace/$"))


def test_a_kac_specialists_day(
    page: Page,
    second_page: Page,
    live_server: LiveServer,
    vsaa_simulator: BackOfficeSimulator,
    settings: Settings,
    tmp_path: Path,
) -> None:
    use_document_root(settings, tmp_path / "documents")
    sign_in_at_work(page, live_server.url, INESE)
    expect(page.get_by_test_id("desk")).to_contain_text("Inese Bērziņa")
    checked_in_both_languages(page)

    # A visitor asks what the childbirth benefit needs and leaves without giving a name.
    page.get_by_role("link", name="New consultation").click()
    page.locator("#id_service").press_sequentially("childbirth", delay=20)
    page.locator("[data-service-code='2011']").click()
    page.locator("#id_topic").fill("Documents needed for the childbirth benefit")
    expect(page.locator("#id_client_kind")).to_be_checked()  # anonymous, the default
    page.locator("[data-testid=consultation-form] button[type=submit]").last.click()
    expect(page.get_by_test_id("consultation-registered")).to_be_visible()
    checked_in_both_languages(page)
    consultation = Consultation.objects.get()
    assert (consultation.client_kind, consultation.service.code, consultation.place.code) == (  # type: ignore[union-attr]
        "anonymous",
        "2011",
        KAC_PLACE,
    )

    # Anna comes to apply: the specialist finds her and opens her profile for the service.
    page.get_by_role("link", name="Find a client").click()
    checked_in_both_languages(page)
    page.locator("#id_value").fill("328714-52034")
    page.locator("form[data-testid=client-search] button[type=submit]").click()
    expect(page.get_by_test_id("client-results")).to_contain_text("Anna Kalniņa")
    assert_accessible(page)  # the results are the answer to a POST: the code stays out of the address
    page.get_by_test_id("client-results").get_by_role("link").click()
    page.locator("#id_service").select_option("2011")
    page.locator("#id_note").fill("Applies for the childbirth benefit at the desk")
    page.locator("form[data-testid=client-open] button[type=submit]").click()
    expect(page.get_by_test_id("client-facts")).to_contain_text("Krišjāņa Barona iela 55-7")
    checked_in_both_languages(page)
    opening = AuditRecord.objects.get(action="workplace.client_view.open")
    assert (opening.actor_label, opening.object_id, opening.details["service"]) == ("Inese Bērziņa", ANNA, "2011")

    # The e-assistant: the form, the printed application with its number, the signed scan, submission.
    page.get_by_role("link", name="Start an application for this client").click()
    expect(page.locator("#id_person")).to_have_value(ANNA)
    page.locator("#id_service").select_option("2011")
    page.locator("[data-testid=start-form] button[type=submit]").click()
    page.locator("#id_child_personal_code").fill("329106-27483")
    page.locator("#id_child_name").fill("Emīls Kalniņš")
    page.locator("#id_child_birth_date").fill("2026-10-02")
    page.locator("label[for=id_born_abroad-2]").click()
    page.locator("label[for=id_payment]").click()
    page.locator("[data-testid=application-form] button.govuk-button:not(.govuk-button--secondary)").click()
    number = page.get_by_test_id("case-number").inner_text()
    case = Case.objects.get(number=number)
    assert (case.lifecycle, case.service.code) == ("registered", "2011")
    checked_in_both_languages(page)

    printed = page.request.get(page.get_by_test_id("pdf-link").get_attribute("href") or "")
    assert (printed.status, printed.headers["content-type"]) == (200, "application/pdf")
    scan = tmp_path / "parakstits-iesniegums.pdf"
    scan.write_bytes(printed.body())  # the signed paper, scanned back in
    page.locator("#id_file").set_input_files(str(scan))
    page.locator("[data-testid=signature-form] button[type=submit]").click()
    expect(page.get_by_test_id("signature")).to_contain_text("parakstits-iesniegums.pdf")
    page.locator("form[action$='/submit/'] button").click()
    expect(page.get_by_test_id("submitted")).to_contain_text(number)
    checked_in_both_languages(page)

    case.refresh_from_db()
    assert (case.lifecycle, case.channel, case.place.code, case.authorisation) == (  # type: ignore[union-attr]
        "submitted",
        "kac",
        KAC_PLACE,
        "in_person",
    )
    scanned = Document.objects.get(case=case)
    assert (scanned.kind, scanned.media_type, scanned.has_paper_original) == ("scan", "application/pdf", True)
    assert TimeRecord.objects.filter(case=case, activity="application", specialist__username="kac-specialist").exists()

    # VSAA's system receives the application through a signed webhook.
    def received() -> list[dict[str, Any]]:
        outbox_publish_pending()
        delivery.deliveries_send_due()
        return [
            event
            for event in vsaa_simulator.received
            if event["type"] == "case.submitted" and event["data"]["case_number"] == case.url_number
        ]

    assert vsaa_simulator.wait_until(lambda: bool(received()), timeout=30)
    (submitted,) = received()
    assert submitted["data"]["submitted_by"] == {
        "kind": "user",
        "label": "Inese Bērziņa",
        "place": KAC_PLACE,
        "authorisation": "in_person",
    }
    assert submitted["data"]["data"]["child_personal_code"] == "32910627483"
    assert vsaa_simulator.rejected_signatures == 0

    # Anna, signed in at home, sees the application submitted at the KAC by the specialist.
    oidc_sign_in(second_page, live_server.url, ANNA, next_url=f"/en/account/cases/{case.url_number}/")
    second_page.get_by_role("radio", name=re.compile("Anna Kalniņa")).check()
    second_page.get_by_role("button", name="Continue").click()
    expect(second_page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(second_page.get_by_test_id("submitted-for-you")).to_have_text(
        "Submitted at Unified State and Municipal Customer Service Centre – national centre in Riga "
        "by Inese Bērziņa on your behalf under in-person authorisation"
    )
    checked_in_both_languages(second_page)

    # A follow-up the specialist cannot finish: handed to a colleague with a note.
    page.goto("/en/workplace/")
    page.get_by_test_id("task-new").click()
    page.locator("#id_title").fill("Check Anna Kalniņa's bank account with VSAA")
    page.locator("#id_target-colleague").check()
    page.locator("#id_colleague").select_option(label="Kristaps Ozoliņš")
    page.locator("form[method=post] button[type=submit]").last.click()
    assert Task.objects.get(title="Check Anna Kalniņa's bank account with VSAA").assignee.username == (  # type: ignore[union-attr]
        "kac-colleague"
    )

    second_page.context.clear_cookies()
    sign_in_at_work(second_page, live_server.url, KRISTAPS)
    expect(second_page.get_by_test_id("queue-mine")).to_contain_text("Check Anna Kalniņa's bank account with VSAA")
    checked_in_both_languages(second_page)
