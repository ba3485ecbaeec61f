"""The inbox, a message and the documents in Chromium, in Latvian and English, with axe-core checks."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from onedoor.conftest import assert_accessible, staff_actor
from onedoor.notifications.models import Message
from onedoor.notifications.services import AttachmentInput, institution_message_send

from .conftest import SignedIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

ANNA = "32871452034"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def letter() -> Message:
    return institution_message_send(
        actor=staff_actor("VSAA", "messages:write", system=True),
        personal_code=ANNA,
        subject={"lv": "Lēmums par pabalstu", "en": "Decision on the benefit"},
        body={"lv": "Labdien!\nLēmums pielikumā.", "en": "Hello,\nThe decision is attached."},
        attachments=[AttachmentInput("lemums.pdf", PDF)],
    )


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_read_a_letter_archive_it_and_find_its_file(
    page: Page, live_server: LiveServer, demo_catalog: None, signed_in: SignedIn, lang: str
) -> None:
    message = letter()
    signed_in(ANNA)
    page.goto(f"/{lang}/account/inbox/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    row = page.get_by_test_id("message-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Lēmums par pabalstu" if lang == "lv" else "Decision on the benefit")
    expect(row.locator(".govuk-tag")).to_be_visible()
    assert_accessible(page)

    row.get_by_role("link").click()
    expect(page.get_by_test_id("message-body")).to_contain_text(
        "Lēmums pielikumā." if lang == "lv" else "The decision is attached."
    )
    expect(page.get_by_test_id("attachments")).to_contain_text("lemums.pdf")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="lemums.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF

    page.locator("button[value=archive]").click()
    expect(page.get_by_test_id("no-messages")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert_accessible(page)
    message.refresh_from_db()
    assert message.archived_at is not None

    page.goto(f"/{lang}/account/documents/")
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    assert_accessible(page)
