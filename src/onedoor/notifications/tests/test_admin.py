"""The administration of notice delivery: platform administrators only; failed notices are sent again from it."""

import pytest
from django.test import Client

from onedoor.audit.models import AuditRecord
from onedoor.identity.models import User
from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.models import ContactKind, Dispatch, DispatchStatus
from onedoor.parties.models import Person

from .conftest import EMAIL, contact, publish, record_status, register_case

pytestmark = pytest.mark.django_db

DISPATCHES = "/en/admin/notifications/dispatch/"


@pytest.fixture
def dead(janis: Person) -> Dispatch:
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(), "benefit-granted")
    publish()
    Dispatch.objects.update(status=DispatchStatus.DEAD, attempts=8, last_error="SMTPServerDisconnected: gone")
    return Dispatch.objects.get()


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def test_a_platform_admin_lists_failures_by_status_and_channel(client: Client, dead: Dispatch) -> None:
    _login(client, "admin")
    listing = client.get(f"{DISPATCHES}?status__exact=dead&channel__exact=email")
    assert listing.status_code == 200
    assert [dispatch.pk for dispatch in listing.context["cl"].result_list] == [dead.pk]
    assert client.get(f"{DISPATCHES}?status__exact=sent").context["cl"].result_count == 0
    page = client.get(f"{DISPATCHES}{dead.pk}/change/")
    assert page.status_code == 200
    assert "SMTPServerDisconnected: gone" in page.content.decode()
    assert "Pabalsts" not in page.content.decode()  # what the notice says is the person's, not shown
    message_page = client.get(f"/en/admin/notifications/message/{dead.message_id}/change/")
    assert message_page.status_code == 200


def test_the_send_again_action_queues_it_and_is_audited(client: Client, dead: Dispatch) -> None:
    _login(client, "admin")
    response = client.post(DISPATCHES, {"action": "send_again", "_selected_action": [str(dead.pk)]}, follow=True)
    assert response.status_code == 200
    assert "1 notice queued again." in response.content.decode()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.first_attempt_at) == (DispatchStatus.PENDING, 0, None)
    record = AuditRecord.objects.get(action="notifications.dispatch.retry")
    assert record.details["was"] == "dead"
    assert dispatches_send_due() == 1
    dead.refresh_from_db()
    assert dead.status == DispatchStatus.SENT


def test_a_sent_notice_is_not_sent_again(client: Client, dead: Dispatch) -> None:
    Dispatch.objects.update(status=DispatchStatus.SENT)
    _login(client, "admin")
    response = client.post(DISPATCHES, {"action": "send_again", "_selected_action": [str(dead.pk)]}, follow=True)
    assert "Only failed or given-up notices can be sent again." in response.content.decode()
    assert Dispatch.objects.get().status == DispatchStatus.SENT
    assert not AuditRecord.objects.filter(action="notifications.dispatch.retry").exists()


def test_other_staff_see_nothing(client: Client, dead: Dispatch) -> None:
    _login(client, "vsaa-editor")
    assert client.get(DISPATCHES).status_code == 403
    assert client.get(f"{DISPATCHES}{dead.pk}/change/").status_code in {302, 403}
    response = client.post(DISPATCHES, {"action": "send_again", "_selected_action": [str(dead.pk)]})
    assert response.status_code == 403
    assert Dispatch.objects.get().status == DispatchStatus.DEAD


def test_searching_by_case_number_or_id(client: Client, dead: Dispatch) -> None:
    _login(client, "admin")
    by_case = client.get(DISPATCHES, {"q": dead.message.case_number})
    assert by_case.status_code == 200
    assert by_case.context["cl"].result_count == 1
    assert client.get(DISPATCHES, {"q": str(dead.pk)}).context["cl"].result_count == 1
    assert client.get(DISPATCHES, {"q": "not-an-id"}).context["cl"].result_count == 0
    assert client.get("/en/admin/notifications/message/", {"q": "nothing"}).status_code == 200
