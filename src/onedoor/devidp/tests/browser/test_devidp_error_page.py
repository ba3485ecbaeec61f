"""devidp's error page (a refused sign-in request) in Chromium, in Latvian and English, under axe-core."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = {"lv": "Pieslēgšanās pieprasījums tika noraidīts", "en": "The sign-in request was refused"}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_an_unknown_client_is_refused(devidp_client: Any, page: Page, lang: str) -> None:
    response = page.goto(f"/devidp/authorize/?client_id=not-registered&response_type=code&ui_locales={lang}")
    assert response is not None
    assert response.status == 400
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSED[lang])
    expect(page.locator("code")).to_contain_text("invalid_client")
    assert_accessible(page)
