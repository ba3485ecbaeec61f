"""The deliveries administration: platform administrators only; dead letters are redelivered from it."""

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.audit.models import AuditRecord
from onedoor.identity.models import Role, User
from onedoor.integration.delivery import deliveries_claim, delivery_attempt_record
from onedoor.integration.models import Delivery, DeliveryStatus, InstitutionSystem, Subscription
from onedoor.integration.webhooks import WebhookResult
from onedoor.parties.models import Institution

from .conftest import SECRET, publish, subscribe

pytestmark = pytest.mark.django_db

Systems = dict[str, InstitutionSystem]
DELIVERIES = "/en/admin/integration/delivery/"


@pytest.fixture
def dead(systems: Systems) -> Delivery:
    """A dead letter of VSAA's system with one failed attempt; a platform administrator and a VSAA editor."""
    operator = Institution.objects.get(code="VRAA")
    User.objects.create(
        username="admin", institution=operator, roles=[Role.PLATFORM_ADMIN], is_staff=True, is_superuser=True
    )
    User.objects.create(
        username="vsaa-editor", institution=systems["VSAA"].institution, roles=[Role.CATALOG_EDITOR], is_staff=True
    )
    vsaa = systems["VSAA"]
    subscribe(vsaa, "https://vsaa.example/hook")
    publish(vsaa.institution, "2011-0001")
    (claimed,) = deliveries_claim()
    delivery_attempt_record(delivery=claimed, attempted_at=timezone.now(), result=WebhookResult(502, 31, "HTTP 502"))
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.DEAD)
    return Delivery.objects.get(pk=claimed.pk)


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def test_a_platform_admin_lists_dead_letters_and_sees_every_attempt(client: Client, dead: Delivery) -> None:
    _login(client, "admin")
    listing = client.get(f"{DELIVERIES}?status__exact=dead")
    assert listing.status_code == 200
    assert [delivery.pk for delivery in listing.context["cl"].result_list] == [dead.pk]
    assert client.get(f"{DELIVERIES}?status__exact=delivered").context["cl"].result_count == 0
    page = client.get(f"{DELIVERIES}{dead.pk}/change/")
    assert page.status_code == 200
    assert "HTTP 502" in page.content.decode()
    (inline,) = page.context["inline_admin_formsets"]
    assert not inline.has_add_permission
    assert not inline.has_change_permission


def test_the_redeliver_action_queues_the_delivery_again_and_is_audited(client: Client, dead: Delivery) -> None:
    _login(client, "admin")
    response = client.post(DELIVERIES, {"action": "redeliver", "_selected_action": [dead.pk]}, follow=True)
    assert response.status_code == 200
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("pending", 0)
    record = AuditRecord.objects.get(action="integration.delivery.redeliver")
    assert (record.actor_label, record.object_id) == ("admin", str(dead.pk))
    assert "1 delivery queued again." in response.content.decode()


def test_the_action_reports_a_delivery_that_is_already_pending(client: Client, dead: Delivery) -> None:
    Delivery.objects.filter(pk=dead.pk).update(status=DeliveryStatus.PENDING)
    _login(client, "admin")
    response = client.post(DELIVERIES, {"action": "redeliver", "_selected_action": [dead.pk]}, follow=True)
    content = response.content.decode()
    assert "already pending" in content
    assert "0 deliveries queued again." in content
    assert not AuditRecord.objects.filter(action="integration.delivery.redeliver").exists()


@pytest.mark.parametrize(
    "path",
    [
        DELIVERIES,
        "/en/admin/integration/deliveryattempt/",
        "/en/admin/integration/subscription/",
        "/en/admin/integration/institutionsystem/",
    ],
)
def test_other_staff_cannot_open_the_integration_administration(client: Client, dead: Delivery, path: str) -> None:
    _login(client, "vsaa-editor")
    assert client.get(path).status_code == 403


def test_other_staff_cannot_redeliver(client: Client, dead: Delivery) -> None:
    _login(client, "vsaa-editor")
    response = client.post(DELIVERIES, {"action": "redeliver", "_selected_action": [dead.pk]})
    assert response.status_code == 403
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.DEAD
    assert not AuditRecord.objects.filter(action="integration.delivery.redeliver").exists()


def test_deliveries_and_attempts_are_read_only(client: Client, dead: Delivery) -> None:
    _login(client, "admin")
    assert client.get(f"{DELIVERIES}add/").status_code == 403
    assert client.get("/en/admin/integration/deliveryattempt/add/").status_code == 403
    assert client.post(f"{DELIVERIES}{dead.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Delivery.objects.filter(pk=dead.pk).exists()


def test_the_subscription_secret_is_never_shown_again(client: Client, dead: Delivery) -> None:
    _login(client, "admin")
    subscription = Subscription.objects.get()
    page = client.get(f"/en/admin/integration/subscription/{subscription.pk}/change/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    assert "secret" in client.get("/en/admin/integration/subscription/add/").context["adminform"].form.fields


def test_subscription_changes_in_the_administration_are_audited(client: Client, dead: Delivery) -> None:
    _login(client, "admin")
    system = InstitutionSystem.objects.get(code="vsaa-backoffice")
    response = client.post(
        "/en/admin/integration/subscription/add/",
        {
            "system": system.pk,
            "url": "https://vsaa.example/second",
            "secret": SECRET,
            "event_types": '["case.submitted"]',
            "service_codes": "[]",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    added = Subscription.objects.get(url="https://vsaa.example/second")
    assert (added.secret, added.event_types) == (SECRET, ["case.submitted"])
    record = AuditRecord.objects.get(action="integration.subscription.create")
    assert (record.object_id, record.actor_label) == (str(added.pk), "admin")
    assert record.holder_id == str(system.institution_id)
    assert "secret" in record.details["changed_fields"]
    assert SECRET not in str(record.details)
    assert client.post(f"/en/admin/integration/subscription/{added.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Subscription.objects.filter(pk=added.pk).exists()
    assert AuditRecord.objects.filter(action="integration.subscription.delete", object_id=str(added.pk)).exists()
