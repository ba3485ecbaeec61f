"""INT-1 / INT-3: the inbound API as an institution's system uses it, including every refusal."""

import json
from typing import Any

import pytest
from django.test import Client

from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case, CaseStatusEvent, Consultation, Feedback
from onedoor.conftest import system_token
from onedoor.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
NEW_CASE = {
    "service": "2011",
    "applicant": {"personal_code": "32579461005"},
    "channel": "web_portal",
    "external_id": "VSAA-2026-001",
    "submitted_at": "2026-11-20T08:00:00Z",
    "data": {"child_birth_date": "2026-11-01"},
}


def _post(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _written() -> tuple[int, int, int, int, int]:
    return (
        Case.objects.count(),
        CaseStatusEvent.objects.count(),
        OutboxEvent.objects.count(),
        Consultation.objects.count(),
        Feedback.objects.count(),
    )


def test_token_endpoint_issues_a_token_for_the_demo_credentials(client: Client, demo_catalog: None) -> None:
    response = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION="Basic ZGVtby12c2FhOmRlbW8tdnNhYS1zZWNyZXQ=",  # demo-vsaa:demo-vsaa-secret
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert set(body["scope"].split()) >= {"cases:write", "statuses:write", "cases:read"}


def test_token_endpoint_refuses_scopes_the_system_was_not_given(client: Client, demo_catalog: None) -> None:
    from onedoor.integration.models import InstitutionSystem

    InstitutionSystem.objects.filter(code="vsaa-backoffice").update(scopes=["cases:read"])
    response = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": "cases:write"},
        HTTP_AUTHORIZATION="Basic ZGVtby12c2FhOmRlbW8tdnNhYS1zZWNyZXQ=",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_register_read_and_move_a_case(vsaa_api: Client) -> None:
    created = _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["case_number"] == "2011-0001"
    assert case["status"] == "registered"
    event = _post(
        vsaa_api,
        "/api/v1/cases/2011-0001/status-events",
        {"id": "vsaa-ev-1", "status": "in_progress", "occurred_at": "2026-11-21T10:00:00Z", "note": "Checked"},
    )
    assert event.status_code == 201, event.content
    assert event.json()["current_status"] == "in_progress"
    detail = vsaa_api.get("/api/v1/cases/2011 0001").json()
    assert detail["status"] == "in_progress"
    assert [item["status"] for item in detail["history"]] == ["registered", "in_progress"]
    assert detail["history"][1]["note"] == "Checked"
    listed = vsaa_api.get("/api/v1/cases?service=2011&personal_code=32579461005").json()
    assert [item["case_number"] for item in listed["results"]] == ["2011-0001"]


def test_repeated_external_id_returns_the_original_case(vsaa_api: Client) -> None:
    first = _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    again = _post(vsaa_api, "/api/v1/cases", {**NEW_CASE, "channel": "kac"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case_number"] == first.json()["case_number"]
    assert again.json()["channel"] == "web_portal"
    assert Case.objects.count() == 1


def test_duplicate_event_id_returns_the_original_result(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    body = {"id": "ev-1", "status": "in_progress", "occurred_at": "2026-11-21T10:00:00Z"}
    first = _post(vsaa_api, "/api/v1/cases/2011-0001/status-events", body)
    before = _written()
    again = _post(vsaa_api, "/api/v1/cases/2011-0001/status-events", {**body, "status": "rejected"})
    assert again.status_code == 200
    assert again.json()["event"] == first.json()["event"]
    assert _written() == before


def test_unknown_case_is_404(vsaa_api: Client) -> None:
    response = _post(
        vsaa_api,
        "/api/v1/cases/2011-0404/status-events",
        {"id": "x", "status": "closed", "occurred_at": "2026-11-21T10:00:00Z"},
    )
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "case_not_found"
    assert vsaa_api.get("/api/v1/cases/2011-0404").status_code == 404


def test_another_institutions_case_is_404_like_a_missing_one(vsaa_api: Client, client: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    vid = Client(HTTP_AUTHORIZATION=f"Bearer {system_token('VID')}")
    before = _written()
    read = vid.get("/api/v1/cases/2011-0001")
    write = _post(
        vid,
        "/api/v1/cases/2011-0001/status-events",
        {"id": "x", "status": "closed", "occurred_at": "2026-11-21T10:00:00Z"},
    )
    missing = vid.get("/api/v1/cases/2011-0999")
    assert read.status_code == write.status_code == missing.status_code == 404
    assert read.json()["detail"].replace("0001", "") == missing.json()["detail"].replace("0999", "")
    assert _written() == before
    assert vid.get("/api/v1/cases").json()["count"] == 0


def test_unknown_status_is_400_naming_it(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    before = _written()
    response = _post(
        vsaa_api,
        "/api/v1/cases/2011-0001/status-events",
        {"id": "x", "status": "teleported", "occurred_at": "2026-11-21T10:00:00Z"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_status"
    assert body["invalidParams"][0]["name"] == "status"
    assert "teleported" in body["invalidParams"][0]["reason"]
    assert _written() == before


@pytest.mark.parametrize(
    ("path", "body", "names"),
    [
        ("/api/v1/cases", {"applicant": {"anonymous": True}}, {"service", "channel"}),
        ("/api/v1/cases", {**NEW_CASE, "applicant": {}}, {"applicant"}),
        ("/api/v1/cases", {**NEW_CASE, "applicant": {"personal_code": "123"}}, {"applicant.personal_code"}),
        ("/api/v1/cases", {**NEW_CASE, "channel": "pigeon"}, {"channel"}),
        ("/api/v1/cases", {**NEW_CASE, "service": "99999"}, {"service"}),
        ("/api/v1/cases/2011-0001/status-events", {"status": "closed"}, {"id", "occurred_at"}),
        ("/api/v1/status-events/batch", {"events": []}, {"events"}),
        ("/api/v1/consultations", {"channel": "phone"}, {"client", "topic", "occurred_at"}),
        (
            "/api/v1/feedback",
            {"channel": "phone", "client": {"anonymous": True}, "scores": {"overall": 9}},
            {"scores.overall"},
        ),
    ],
)
def test_missing_and_invalid_fields_are_400_with_invalid_params(
    vsaa_api: Client, path: str, body: dict[str, Any], names: set[str]
) -> None:
    before = _written()
    response = _post(vsaa_api, path, body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert {param["name"] for param in response.json()["invalidParams"]} == names
    assert _written() == before


def test_malformed_json_is_400(vsaa_api: Client) -> None:
    response = vsaa_api.post("/api/v1/cases", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert Case.objects.count() == 0


def test_a_batch_over_1000_events_is_refused_whole(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    events = [
        {"case_number": "2011-0001", "id": f"e{n}", "status": "in_progress", "occurred_at": "2026-11-21T10:00:00Z"}
        for n in range(1001)
    ]
    before = _written()
    response = _post(vsaa_api, "/api/v1/status-events/batch", {"events": events})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "events"
    assert _written() == before


def test_batch_gives_one_result_per_item_in_order(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    events = [
        {"case_number": "2011-0001", "id": "a", "status": "in_progress", "occurred_at": "2026-11-21T10:00:00Z"},
        {"case_number": "2011-0404", "id": "b", "status": "in_progress", "occurred_at": "2026-11-21T10:00:00Z"},
        {"case_number": "2011-0001", "id": "c", "status": "nonsense", "occurred_at": "2026-11-21T11:00:00Z"},
        {"case_number": "2011 0001", "id": "a", "status": "closed", "occurred_at": "2026-11-21T12:00:00Z"},
    ]
    response = _post(vsaa_api, "/api/v1/status-events/batch", {"events": events})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["result"] for item in results] == ["created", "refused", "refused", "duplicate"]
    assert results[1]["error"]["status"] == 404
    assert results[2]["error"]["invalidParams"][0]["name"] == "status"
    assert results[3]["status"] == "in_progress"


def test_missing_or_wrong_token_is_401_and_audited(client: Client, demo_catalog: None) -> None:
    assert client.get("/api/v1/cases").status_code == 401
    response = _post(client, "/api/v1/cases", NEW_CASE, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert Case.objects.count() == 0
    denied = AuditRecord.objects.filter(action="api.cases.register", outcome="denied")
    assert denied.count() == 1


def test_a_scope_the_system_lacks_is_403(client: Client, demo_catalog: None) -> None:
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {system_token('VSAA', scopes='cases:read')}")
    before = _written()
    response = _post(reader, "/api/v1/cases", NEW_CASE)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _written() == before


def test_a_system_limited_to_some_services_cannot_use_others(vsaa_api: Client) -> None:
    from onedoor.catalog.models import Service
    from onedoor.integration.models import InstitutionSystem

    system = InstitutionSystem.objects.get(code="vsaa-backoffice")
    system.services.set([Service.objects.get(code="2013")])
    response = _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed_for_service"
    assert Case.objects.count() == 0


def test_reads_are_audited_with_the_system_and_the_case(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    vsaa_api.get("/api/v1/cases/2011-0001")
    record = AuditRecord.objects.filter(action="api.cases.read").get()
    assert (record.actor_label, record.object_id, record.outcome) == ("vsaa-backoffice", "2011 0001", "success")


def test_consultation_and_feedback(vsaa_api: Client) -> None:
    consultation = _post(
        vsaa_api,
        "/api/v1/consultations",
        {
            "service": "2011",
            "channel": "phone",
            "client": {"phone": "29123456"},
            "topic": "Documents needed",
            "occurred_at": "2026-11-21T10:00:00Z",
            "duration_seconds": 240,
        },
    )
    assert consultation.status_code == 201, consultation.content
    feedback = _post(
        vsaa_api,
        "/api/v1/feedback",
        {
            "consultation": consultation.json()["id"],
            "client": {"phone": "+371 29123456"},
            "scores": {"overall": 5, "staff": 4},
            "channel": "phone",
        },
    )
    assert feedback.status_code == 201, feedback.content
    twice = _post(
        vsaa_api,
        "/api/v1/feedback",
        {
            "consultation": consultation.json()["id"],
            "client": {"phone": "29123456"},
            "scores": {"overall": 1},
            "channel": "phone",
        },
    )
    assert twice.status_code == 409
    assert Feedback.objects.count() == 1
    assert OutboxEvent.objects.filter(type="feedback.received").count() == 1


def test_feedback_on_a_case_waits_for_its_result(vsaa_api: Client) -> None:
    _post(vsaa_api, "/api/v1/cases", NEW_CASE)
    body = {
        "case_number": "2011-0001",
        "client": {"personal_code": "32579461005"},
        "scores": {"overall": 4},
        "channel": "e_account",
    }
    assert _post(vsaa_api, "/api/v1/feedback", body).status_code == 409
    _post(
        vsaa_api,
        "/api/v1/cases/2011-0001/status-events",
        {"id": "d", "status": "result_delivered", "occurred_at": "2026-11-22T10:00:00Z"},
    )
    assert _post(vsaa_api, "/api/v1/feedback", body).status_code == 201
