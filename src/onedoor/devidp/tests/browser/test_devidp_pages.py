"""Signing in through devidp in Chromium, with real redirects, and devidp's login page under axe-core."""

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from onedoor.conftest import assert_accessible
from onedoor.devidp.sessions import COOKIE_NAME
from onedoor.devidp.testing import oidc_sign_in
from onedoor.identity.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROBERTS = "12060423071"  # Roberts Bērziņš: acts for himself only


def signed_in_user(page: Page) -> User | None:
    session = next((cookie for cookie in page.context.cookies() if cookie["name"] == "sessionid"), None)
    if session is None:
        return None
    user_id = SessionStore(session_key=session["value"]).get(SESSION_KEY)
    return User.objects.select_related("person").get(pk=user_id) if user_id else None


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_signing_in_through_devidps_pages(devidp_client: Any, live_server: LiveServer, page: Page, lang: str) -> None:
    page.goto(f"/oidc/authenticate/?next=/{lang}/")
    expect(page).to_have_url(re.compile(r"/devidp/login/\?next="))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.locator("#personal-code").fill("161175-19997")
    page.locator("form:has(#personal-code) button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#personal-code-error")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    page.locator(f"button[data-personal-code='{ROBERTS}']").click()
    page.wait_for_url(lambda url: "/devidp/" not in url and "/oidc/" not in url)
    user = signed_in_user(page)
    assert user is not None
    assert user.person is not None
    assert (user.person.personal_code, user.get_full_name()) == (ROBERTS, "Roberts Bērziņš")
    devidp_cookie = next(cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE_NAME)
    assert (devidp_cookie["path"], devidp_cookie["httpOnly"], devidp_cookie["sameSite"]) == ("/devidp/", True, "Lax")


def test_the_testing_helper_signs_a_browser_in(devidp_client: Any, live_server: LiveServer, page: Page) -> None:
    oidc_sign_in(page, live_server.url, "32395077121", next_url="/en/")
    user = signed_in_user(page)
    assert user is not None
    assert user.username == "p-32395077121"
