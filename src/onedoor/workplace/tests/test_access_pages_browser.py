"""The workplace's refusal pages in the browser, in Latvian and English, each checked with axe: a client who
opens the workplace (403), and a client 360 view that has ended (410)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from onedoor.access.testing import sign_in
from onedoor.conftest import assert_accessible

from ..models import ClientView
from .conftest import ANNA, client_view_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "not_staff": {
        "lv": "Darba vieta ir paredzēta klientu apkalpošanas darbiniekiem",
        "en": "The workplace is for customer-service staff",
    },
    "ended": {"lv": "Šis skatījums ir beidzies", "en": "This view has ended"},
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_client_is_told_the_workplace_is_for_staff(
    page: Page, live_server: LiveServer, demo_catalog: None, lang: str
) -> None:
    person = Client()
    sign_in(person, ANNA)
    cookie = person.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    response = page.goto(f"/{lang}/workplace/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS["not_staff"][lang])
    expect(page.locator("main")).not_to_contain_text("Inese")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_an_ended_client_view_shows_no_data(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/clients/views/{client_view_for().pk}/")
    expect(page.get_by_test_id("client-facts")).to_contain_text("Krišjāņa Barona iela 55-7")
    ClientView.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = page.reload()
    assert response is not None
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS["ended"][lang])
    expect(page.locator("main")).not_to_contain_text("Krišjāņa Barona")
    assert_accessible(page)
