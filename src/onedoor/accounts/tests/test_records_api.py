"""/api/v1/me/cases: the acting party's cases for the mobile app and the browser (ACC-4, REG-3, SEC-2)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onedoor.access.testing import person_token
from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case

from .test_records import ANNA, BALTIJAS_LOGISTIKA, JANIS, KOKMATERIALI, MARTINS, SignIn, move, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(demo_catalog: None) -> dict[str, Case]:
    return {
        "closed": move(register("4006", person=ANNA, days_ago=30), "in_progress", "result_delivered", "closed"),
        "waiting": move(register("3006", person=ANNA, days_ago=10), "corrections-requested"),
        "benefit": register("2011", person=ANNA, days_ago=1),
        "other": register("4006", person=MARTINS, days_ago=2),
    }


def test_the_list_is_the_partys_cases_newest_first(client: Client, sign_in: SignIn, cases: dict[str, Case]) -> None:
    sign_in(client, ANNA)
    response = client.get("/api/v1/me/cases", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["case_number"] for item in body["results"]] == [
        cases["benefit"].url_number,
        cases["waiting"].url_number,
        cases["closed"].url_number,
    ]
    waiting = body["results"][1]
    assert waiting["service"] == {"code": "3006", "name": "Acceptance of the annual income declaration"}
    assert waiting["holder"]["code"] == "VID"
    assert (waiting["status"], waiting["lifecycle"], waiting["is_closed"]) == (
        "corrections-requested",
        "awaiting_client",
        False,
    )
    assert waiting["applicant"] == {"kind": "person", "name": "Anna Kalniņa"}
    assert waiting["acting_for"] == {"kind": "person", "name": "Anna Kalniņa"}
    assert set(waiting) == {
        "case_number",
        "service",
        "holder",
        "status",
        "status_name",
        "lifecycle",
        "is_closed",
        "status_occurred_at",
        "submitted_at",
        "channel",
        "result_channel",
        "applicant",
        "acting_for",
        "mandate_reference",
    }
    record = AuditRecord.objects.filter(action="accounts.cases.list").latest("sequence")
    assert record.acting_for == ANNA


def test_the_list_filters_and_pages_like_the_history(client: Client, sign_in: SignIn, cases: dict[str, Case]) -> None:
    sign_in(client, ANNA)
    assert [item["case_number"] for item in client.get("/api/v1/me/cases?status=closed").json()["results"]] == [
        cases["closed"].url_number
    ]
    assert [item["case_number"] for item in client.get("/api/v1/me/cases?institution=VID").json()["results"]] == [
        cases["waiting"].url_number
    ]
    since = timezone.localdate() - timedelta(days=11)
    assert client.get(f"/api/v1/me/cases?date_from={since}").json()["count"] == 2
    assert client.get("/api/v1/me/cases?service=childbirth").json()["count"] == 1
    page = client.get("/api/v1/me/cases?page_size=2&page=2").json()
    assert page["count"] == 3
    assert [item["case_number"] for item in page["results"]] == [cases["closed"].url_number]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=31.12.2026", "date_from"),
        ("date_from=2026-05-02&date_to=2026-05-01", "date_to"),
        ("status=lost", "status"),
        ("channel=", "channel"),
        ("institution=NOPE", "institution"),
        ("page_size=1000", "page_size"),
    ],
)
def test_bad_parameters_are_problems_naming_them(
    client: Client, sign_in: SignIn, cases: dict[str, Case], query: str, parameter: str
) -> None:
    sign_in(client, ANNA)
    response = client.get(f"/api/v1/me/cases?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalidParams"]] == [parameter]


def test_one_case_with_its_status_history(client: Client, sign_in: SignIn, cases: dict[str, Case]) -> None:
    sign_in(client, ANNA)
    closed = cases["closed"]
    response = client.get(f"/api/v1/me/cases/{closed.url_number}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["case_number"] == closed.url_number
    assert body["status_name"] == "Closed"
    assert [(event["status"], event["name"]) for event in body["history"]] == [
        ("registered", "Registered"),
        ("in_progress", "In progress"),
        ("result_delivered", "Result delivered"),
        ("closed", "Closed"),
    ]
    record = AuditRecord.objects.filter(action="accounts.case.read").latest("sequence")
    assert (record.object_id, record.acting_for) == (closed.number, ANNA)


def test_another_partys_case_is_not_found(client: Client, sign_in: SignIn, cases: dict[str, Case]) -> None:
    sign_in(client, ANNA)
    response = client.get(f"/api/v1/me/cases/{cases['other'].url_number}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "case_not_found"


def test_a_company_context_lists_that_companys_cases(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    timber = register("3031", company=KOKMATERIALI)
    register("1003", company=BALTIJAS_LOGISTIKA)
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    body = client.get("/api/v1/me/cases").json()
    assert [item["case_number"] for item in body["results"]] == [timber.url_number]
    assert body["results"][0]["acting_for"] == {"kind": "organisation", "name": 'SIA "Kokmateriāli"'}


def test_without_sign_in_it_is_401(client: Client, cases: dict[str, Case]) -> None:
    for path in ("/api/v1/me/cases", f"/api/v1/me/cases/{cases['closed'].url_number}"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_authenticated"


def test_a_persons_token_with_the_me_scope_reads_their_own_cases(client: Client, cases: dict[str, Case]) -> None:
    response = client.get("/api/v1/me/cases", HTTP_AUTHORIZATION=f"Bearer {person_token(ANNA)}")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    other = client.get(
        f"/api/v1/me/cases/{cases['other'].url_number}", HTTP_AUTHORIZATION=f"Bearer {person_token(ANNA)}"
    )
    assert other.status_code == 404
    without_scope = client.get("/api/v1/me/cases", HTTP_AUTHORIZATION=f"Bearer {person_token(ANNA, 'read')}")
    assert without_scope.status_code == 401


def test_the_list_reads_in_the_same_number_of_queries_for_5_and_50_cases(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, ANNA)
    counts = []
    for total in (5, 50):
        for day in range(Case.objects.filter(for_person__personal_code=ANNA).count(), total):
            move(register("4006", person=ANNA, days_ago=day + 0.1), "in_progress")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/me/cases?page_size=50")
        assert len(response.json()["results"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
