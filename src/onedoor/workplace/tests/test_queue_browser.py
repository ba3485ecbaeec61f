"""The queue and a task in Chromium, in Latvian and English, with axe-core checks (WCAG 2.1 AA): the list
refreshes itself when a task arrives, and a picked task is handed over to a colleague."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from onedoor.conftest import assert_accessible
from onedoor.identity.models import User
from onedoor.workplace import views_queue
from onedoor.workplace.models import TaskEventKind, TaskStatus
from onedoor.workplace.services_tasks import TaskTarget, task_create

from .test_queue import desk_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_queue_refreshes_itself(
    page: Page, at_work: Callable[[str], None], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_queue, "QUEUE_POLL_SECONDS", 1)
    me = desk_of("kac-specialist")
    task_create(desk=me, title="Call Anna back", target=TaskTarget.TEAM)
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("queue-team").get_by_test_id("task-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-mine-empty")).to_be_visible()
    assert_accessible(page)

    task_create(
        desk=desk_of("kac-colleague"), title="Scan the papers", target=TaskTarget.COLLEAGUE, colleague_id=me.user.pk
    )
    mine = page.get_by_test_id("queue-mine").get_by_test_id("task-row")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Scan the papers")
    expect(page.get_by_test_id("queue-status")).not_to_be_empty()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_picking_and_handing_over_a_task(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    task = task_create(desk=desk_of("kac-specialist"), title="Call Anna back", target=TaskTarget.TEAM)
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/")
    page.get_by_role("link", name="Call Anna back").click()
    expect(page.get_by_test_id("pick-form")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("pick-form").locator("button").click()
    expect(page.get_by_test_id("hand-over-form")).to_be_visible()
    assert_accessible(page)

    form = page.get_by_test_id("hand-over-form")
    form.locator("button").click()  # nothing chosen: errors, nothing handed over
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_test_id("hand-over-form")
    form.locator("select").select_option(label="Kristaps Ozoliņš")
    form.locator("textarea").fill("The client calls back at 14:00")
    form.locator("button").click()

    expect(page).to_have_url(f"{page.url.split('/' + lang + '/')[0]}/{lang}/workplace/")
    expect(page.get_by_test_id("queue-mine-empty")).to_be_visible()
    assert_accessible(page)
    task.refresh_from_db()
    assert (task.assignee, task.status) == (User.objects.get(username="kac-colleague"), TaskStatus.OPEN)
    assert task.events.filter(kind=TaskEventKind.HANDED_OVER).count() == 1
    assert task.time_records.count() == 1


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_creating_a_task_for_a_colleague(page: Page, at_work: Callable[[str], None], lang: str) -> None:
    at_work("kac-specialist")
    page.goto(f"/{lang}/workplace/")
    page.get_by_test_id("task-new").click()
    expect(page.locator("#id_title")).to_be_focused()
    expect(page.locator("#conditional-colleague")).to_be_hidden()
    assert_accessible(page)
    page.locator("#id_target-colleague").check()
    expect(page.locator("#conditional-colleague")).to_be_visible()
    page.locator("form[method=post] button[type=submit]").last.click()  # no title, no colleague
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_title").fill("Prepare the certificate")
    page.locator("#id_colleague").select_option(label="Kristaps Ozoliņš")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.get_by_test_id("task-queue")).to_have_text("Kristaps Ozoliņš")
    assert_accessible(page)
