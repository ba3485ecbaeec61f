"""Steps the whole-platform journeys share."""

import re

from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible


def checked_in_both_languages(page: Page) -> None:
    """axe on the page as shown (English) and on the same page in Latvian, then back."""
    assert_accessible(page)
    english = page.url
    page.goto(re.sub(r"/en/", "/lv/", english, count=1))
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    assert_accessible(page)
    page.goto(english)
