"""The specialist's time page in Chromium, in Latvian and English, with an axe-core check (WCAG 2.1 AA)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from onedoor.catalog.models import Service
from onedoor.conftest import assert_accessible
from onedoor.workplace.models import Activity, Stage
from onedoor.workplace.timerecords import time_record_add

from .test_queue import desk_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_time_page(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    start = timezone.now() - timedelta(minutes=10)
    time_record_add(
        desk=desk_of("kac-specialist"),
        activity=Activity.CONSULTATION,
        stage=Stage.CONSULTATION,
        channel="kac",
        started_at=start,
        ended_at=start + timedelta(minutes=4, seconds=5),
        service=Service.objects.get(code="2011"),
    )
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/time/?day={timezone.localdate(start)}")  # ten minutes ago may be yesterday
    expect(page.get_by_test_id("time-row")).to_have_count(1)
    expect(page.get_by_test_id("time-by-stage")).to_contain_text("4:05")
    assert_accessible(page)
    page.locator("#id_day").fill("2020-01-01")
    page.locator("form[method=get] button").click()
    expect(page.get_by_test_id("time-empty")).to_be_visible()
    assert_accessible(page)
