"""INT-2 through the API: the pull feed, subscriptions and deliveries of the calling system only."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onedoor.audit.models import AuditRecord
from onedoor.catalog.models import Service
from onedoor.integration.delivery import deliveries_claim, delivery_attempt_record
from onedoor.integration.models import Delivery, DeliveryStatus, InstitutionSystem, Subscription
from onedoor.integration.webhooks import WebhookResult, cloudevent, cloudevent_body
from onedoor.parties.models import Institution

from .conftest import SECRET, publish, subscribe, token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
JSON = "application/json"
Systems = dict[str, InstitutionSystem]


def _auth(client: Client, institution: str = "VSAA", scope: str = "events:read") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token(client, institution, scope)}"}


def _get(client: Client, path: str, auth: dict[str, str], status: int = 200) -> Any:
    response = client.get(path, **auth)
    assert response.status_code == status, response.content
    return response.json()


def _vsaa() -> Institution:
    return Institution.objects.get(code="VSAA")


def _param_names(body: dict[str, Any]) -> list[str]:
    return [param["name"] for param in body["invalidParams"]]


# --- authentication and scope -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/feed"),
        ("get", "/api/v1/subscriptions"),
        ("post", "/api/v1/subscriptions"),
        ("delete", "/api/v1/subscriptions/8a0f1b7e-7f7e-4c55-9b8f-3c3b1f6f0a11"),
        ("get", "/api/v1/deliveries"),
        ("post", "/api/v1/deliveries/1/redeliver"),
    ],
)
def test_every_operation_needs_a_token_with_events_read(
    client: Client, systems: Systems, method: str, path: str
) -> None:
    anonymous = getattr(client, method)(path, content_type=JSON)
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == PROBLEM
    without_scope = getattr(client, method)(path, content_type=JSON, **_auth(client, scope="cases:read"))
    assert without_scope.status_code == 403
    assert without_scope.json()["code"] == "permission_denied"
    assert not Subscription.objects.exists()


def test_a_refusal_is_audited(client: Client, systems: Systems) -> None:
    client.get("/api/v1/feed", **_auth(client, scope="cases:read"))
    record = AuditRecord.objects.get(action="api.events.feed")
    assert (record.outcome, record.actor_label) == ("denied", "vsaa-backoffice")


# --- the pull feed ------------------------------------------------------------------------------


def test_the_feed_pages_through_the_callers_events_in_commit_order(client: Client, systems: Systems) -> None:
    vsaa, vid = _vsaa(), Institution.objects.get(code="VID")
    ours = publish(vsaa, "A", "B") + publish(vid, "X") + publish(vsaa, "A", "C", "A")
    ours = [event for event in ours if event.institution_id == vsaa.pk]
    auth = _auth(client)
    first = _get(client, "/api/v1/feed?limit=2", auth)
    assert first["results"] == [cloudevent(event) for event in ours[:2]]
    assert first["next_cursor"] == str(ours[1].position)
    second = _get(client, f"/api/v1/feed?after={first['next_cursor']}&limit=2", auth)
    assert [item["id"] for item in second["results"]] == [str(event.pk) for event in ours[2:4]]
    third = _get(client, f"/api/v1/feed?after={second['next_cursor']}", auth)
    assert [item["id"] for item in third["results"]] == [str(ours[4].pk)]
    end = _get(client, f"/api/v1/feed?after={third['next_cursor']}", auth)
    assert end == {"results": [], "next_cursor": third["next_cursor"]}
    assert (
        _get(client, "/api/v1/feed?after=0", auth)["results"] == first["results"] + second["results"] + third["results"]
    )


def test_feed_items_are_the_webhook_bodies(client: Client, systems: Systems) -> None:
    (event,) = publish(_vsaa(), "A")
    (item,) = _get(client, "/api/v1/feed", _auth(client))["results"]
    assert item == json.loads(cloudevent_body(event))


def test_an_empty_feed_starts_at_zero(client: Client, systems: Systems) -> None:
    assert _get(client, "/api/v1/feed", _auth(client)) == {"results": [], "next_cursor": "0"}


def test_a_system_limited_to_services_reads_only_their_events(client: Client, demo_catalog: None) -> None:
    own, other = Service.objects.filter(holder__code="VSAA").order_by("code")[:2]
    InstitutionSystem.objects.get(code="vsaa-backoffice").services.set([own])
    vsaa = _vsaa()
    (mine,) = publish(vsaa, "A", service_code=own.code)
    publish(vsaa, "B", service_code=other.code)
    publish(vsaa, "C", service_code="")
    results = _get(client, "/api/v1/feed", _auth(client))["results"]
    assert [item["id"] for item in results] == [str(mine.pk)]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("after=abc", "after"),
        ("after=-1", "after"),
        ("after=1.5", "after"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
    ],
)
def test_a_bad_cursor_or_limit_is_a_problem_naming_it(client: Client, systems: Systems, query: str, name: str) -> None:
    response = client.get(f"/api/v1/feed?{query}", **_auth(client))
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert _param_names(response.json()) == [name]


def test_the_feed_costs_the_same_queries_for_one_or_many_events(client: Client, systems: Systems) -> None:
    auth = _auth(client)
    publish(_vsaa(), "A")
    with CaptureQueriesContext(connection) as one:
        _get(client, "/api/v1/feed", auth)
    publish(_vsaa(), *(f"case-{index}" for index in range(30)))
    with CaptureQueriesContext(connection) as many:
        assert len(_get(client, "/api/v1/feed", auth)["results"]) == 31
    assert len(many) == len(one)


# --- subscriptions ------------------------------------------------------------------------------


def _held_service_code() -> str:
    return Service.objects.filter(holder__code="VSAA").order_by("code").values_list("code", flat=True)[0]


def test_a_system_subscribes_and_sees_only_its_subscriptions(client: Client, demo_catalog: None) -> None:
    subscribe(InstitutionSystem.objects.get(code="vid-backoffice"), "https://vid.example/hook")
    auth = _auth(client)
    code = _held_service_code()
    response = client.post(
        "/api/v1/subscriptions",
        {
            "url": "https://vsaa.example/hook",
            "secret": SECRET,
            "event_types": ["case.status_changed", "case.submitted"],
            "service_codes": [code],
        },
        content_type=JSON,
        **auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "secret" not in body
    assert body["url"] == "https://vsaa.example/hook"
    assert body["event_types"] == ["case.submitted", "case.status_changed"]
    assert body["service_codes"] == [code]
    stored = Subscription.objects.get(pk=body["id"])
    assert (stored.system.code, stored.secret) == ("vsaa-backoffice", SECRET)
    assert AuditRecord.objects.filter(action="integration.subscription.create", object_id=body["id"]).exists()
    listed = _get(client, "/api/v1/subscriptions", auth)
    assert [item["id"] for item in listed["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "names"),
    [
        ({"url": "not a url", "secret": SECRET}, ["url"]),
        ({"url": "ftp://vsaa.example/hook", "secret": SECRET}, ["url"]),
        ({"url": "https://vsaa.example/hook", "secret": "short"}, ["secret"]),
        ({"url": "https://vsaa.example/hook"}, ["secret"]),
        ({"url": "https://vsaa.example/hook", "secret": SECRET, "event_types": ["case.deleted"]}, ["event_types.0"]),
        ({"url": "https://vsaa.example/hook", "secret": SECRET, "service_codes": ["12"]}, ["service_codes.0"]),
        ({"url": "https://vsaa.example/hook", "secret": SECRET, "service_codes": ["999999"]}, ["service_codes"]),
    ],
)
def test_bad_subscriptions_are_problems_and_write_nothing(
    client: Client, systems: Systems, payload: dict[str, Any], names: list[str]
) -> None:
    response = client.post("/api/v1/subscriptions", payload, content_type=JSON, **_auth(client))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert _param_names(response.json()) == names
    assert not Subscription.objects.exists()
    assert not AuditRecord.objects.filter(action="integration.subscription.create").exists()


def test_a_service_of_another_institution_is_refused(client: Client, demo_catalog: None) -> None:
    vid_code = Service.objects.filter(holder__code="VID").values_list("code", flat=True)[0]
    response = client.post(
        "/api/v1/subscriptions",
        {"url": "https://vsaa.example/hook", "secret": SECRET, "service_codes": [vid_code]},
        content_type=JSON,
        **_auth(client),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_service"
    assert not Subscription.objects.exists()


def test_a_system_deletes_its_subscription_but_not_another_systems(client: Client, systems: Systems) -> None:
    mine = subscribe(InstitutionSystem.objects.get(code="vsaa-backoffice"), "https://vsaa.example/hook")
    theirs = subscribe(InstitutionSystem.objects.get(code="vid-backoffice"), "https://vid.example/hook")
    auth = _auth(client)
    refused = client.delete(f"/api/v1/subscriptions/{theirs.pk}", **auth)
    assert refused.status_code == 404
    assert refused.json()["code"] == "subscription_not_found"
    assert client.delete(f"/api/v1/subscriptions/{mine.pk}", **auth).status_code == 204
    assert list(Subscription.objects.all()) == [theirs]
    assert AuditRecord.objects.filter(action="integration.subscription.delete", object_id=str(mine.pk)).exists()


# --- deliveries ---------------------------------------------------------------------------------


def _deliveries(outcomes: list[WebhookResult]) -> list[Delivery]:
    """One delivery per outcome for VSAA's system (a dead letter for a failure), one for VID's."""
    vsaa = InstitutionSystem.objects.get(code="vsaa-backoffice")
    subscribe(vsaa, "https://vsaa.example/hook")
    subscribe(InstitutionSystem.objects.get(code="vid-backoffice"), "https://vid.example/hook")
    publish(Institution.objects.get(code="VID"), "X")
    publish(vsaa.institution, *(f"case-{index}" for index in range(len(outcomes))))
    claimed = [delivery for delivery in deliveries_claim(limit=100) if delivery.subscription.system_id == vsaa.pk]
    for delivery, outcome in zip(claimed, outcomes, strict=True):
        delivery_attempt_record(delivery=delivery, attempted_at=timezone.now(), result=outcome)
    Delivery.objects.filter(status="pending", subscription__system=vsaa).update(status=DeliveryStatus.DEAD)
    return claimed


def test_deliveries_list_the_callers_with_every_attempt(client: Client, systems: Systems) -> None:
    delivered, dead = _deliveries([WebhookResult(204, 12), WebhookResult(503, 40, "HTTP 503")])
    auth = _auth(client)
    body = _get(client, "/api/v1/deliveries", auth)
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [dead.pk, delivered.pk]
    item = body["results"][0]
    assert item["status"] == "dead"
    assert item["event_id"] == str(dead.event_id)
    assert (item["type"], item["subject"], item["position"]) == ("case.status_changed", "case-1", dead.position)
    assert (item["attempt_count"], item["last_error"]) == (1, "HTTP 503")
    assert [(a["status_code"], a["latency_ms"], a["error"]) for a in item["attempts"]] == [(503, 40, "HTTP 503")]
    only_dead = _get(client, "/api/v1/deliveries?status=dead", auth)
    assert [item["id"] for item in only_dead["results"]] == [dead.pk]
    assert _get(client, "/api/v1/deliveries?status=pending", auth)["count"] == 0


def test_a_bad_status_filter_is_a_problem(client: Client, systems: Systems) -> None:
    body = _get(client, "/api/v1/deliveries?status=lost", _auth(client), status=400)
    assert _param_names(body) == ["status"]


def test_the_deliveries_list_costs_the_same_queries_for_one_or_many(client: Client, systems: Systems) -> None:
    auth = _auth(client)
    _deliveries([WebhookResult(200, 1)])
    with CaptureQueriesContext(connection) as one:
        _get(client, "/api/v1/deliveries", auth)
    publish(_vsaa(), *(f"more-{index}" for index in range(10)))
    for delivery in deliveries_claim(limit=100):
        delivery_attempt_record(
            delivery=delivery, attempted_at=timezone.now(), result=WebhookResult(500, 1, "HTTP 500")
        )
    with CaptureQueriesContext(connection) as many:
        assert _get(client, "/api/v1/deliveries", auth)["count"] == 11
    assert len(many) == len(one)


def test_a_dead_delivery_is_redelivered_through_the_api(client: Client, systems: Systems) -> None:
    (dead,) = _deliveries([WebhookResult(500, 1, "HTTP 500")])
    response = client.post(f"/api/v1/deliveries/{dead.pk}/redeliver", content_type=JSON, **_auth(client))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["attempt_count"], len(body["attempts"])) == (dead.pk, "pending", 0, 1)
    assert AuditRecord.objects.filter(action="integration.delivery.redeliver", object_id=str(dead.pk)).exists()
    again = client.post(f"/api/v1/deliveries/{dead.pk}/redeliver", content_type=JSON, **_auth(client))
    assert again.status_code == 409
    assert again.json()["code"] == "delivery_pending"


def test_another_systems_delivery_is_not_found(client: Client, systems: Systems) -> None:
    _deliveries([])
    theirs = Delivery.objects.get(subscription__system__code="vid-backoffice")
    Delivery.objects.filter(pk=theirs.pk).update(status=DeliveryStatus.DEAD)
    response = client.post(f"/api/v1/deliveries/{theirs.pk}/redeliver", content_type=JSON, **_auth(client))
    assert response.status_code == 404
    assert response.json()["code"] == "delivery_not_found"
    assert Delivery.objects.get(pk=theirs.pk).status == DeliveryStatus.DEAD
    assert _get(client, "/api/v1/deliveries", _auth(client))["count"] == 0
