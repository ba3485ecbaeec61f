"""Download my data (SEC-3) on the page and through /api/v1/me/export, and /api/v1/me/profile: the person's
own data and nobody else's, audited, in a number of queries that does not grow with the data."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onedoor.access.models import Mandate, MandateScope
from onedoor.access.testing import person_token, person_user
from onedoor.accounts.export import my_data
from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case
from onedoor.cases.services import (
    PartyRef,
    StatusEventInput,
    case_register,
    consultation_register,
    feedback_give,
    status_events_record,
)
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.notifications.models import Attachment, ContactKind, ContactPoint, Message, NoticeKind
from onedoor.parties.models import BankAccount, Institution, Person

pytestmark = pytest.mark.django_db

ANNA, MARTINS, JANIS = "32871452034", "08029012184", "14037812342"
KOKMATERIALI = "40003512877"
REGISTRAR = Actor(kind=ActorKind.SYSTEM, id="test-registrar", label="Test registrar", is_platform_admin=True)

SignIn = Callable[..., object]


def register(personal_code: str, service_code: str = "4006", *, days_ago: float = 1) -> Case:
    return case_register(
        actor=REGISTRAR,
        service_code=service_code,
        applicant=PartyRef(personal_code=personal_code),
        channel=Channel.E_ACCOUNT,
        submitted_at=timezone.now() - timedelta(days=days_ago),
    ).case


def move(case: Case, *statuses: str) -> None:
    status_events_record(
        actor=REGISTRAR,
        items=[
            StatusEventInput(
                case.number, f"ev-{case.url_number}-{n}", status, case.submitted_at + timedelta(hours=n + 1)
            )
            for n, status in enumerate(statuses)
        ],
    )


def document(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(b"".join(response.streaming_content))
    return body


@pytest.fixture
def anna_data(demo_catalog: None) -> dict[str, Any]:
    """Anna's data in every section, and a case and contact of Jānis that must not show."""
    anna = Person.objects.get(personal_code=ANNA)
    martins = person_user(MARTINS).person
    assert martins is not None
    closed = register(ANNA, days_ago=5)
    move(closed, "in_progress", "result_delivered", "closed")
    feedback_give(
        actor=REGISTRAR,
        client=PartyRef(personal_code=ANNA),
        scores={"overall": 5},
        channel=Channel.E_ACCOUNT,
        case_number=closed.number,
        comment="Quick and clear",
    )
    consultation, _ = consultation_register(
        actor=REGISTRAR,
        channel=Channel.PHONE,
        client=PartyRef(personal_code=ANNA),
        topic="Childbirth benefit",
        occurred_at=timezone.now() - timedelta(days=2),
        institution=Institution.objects.get(code="VSAA"),
    )
    ContactPoint.objects.create(
        person=anna, kind=ContactKind.EMAIL, value="anna@example.lv", confirmed_at=timezone.now()
    )
    BankAccount.objects.create(person=anna, iban="LV80BANK0000435195001", holder_name="Anna", added_at=timezone.now())
    message = Message.objects.create(
        recipient=anna,
        kind=NoticeKind.CASE_STATUS,
        subject_lv="Lieta",
        subject_en="Case",
        body_lv="Teksts",
        body_en="Text",
        case_number=closed.number,
    )
    Attachment.objects.create(
        message=message,
        filename="lemums.pdf",
        media_type="application/pdf",
        size=1234,
        sha256="a" * 64,
        content="attachments/secret/path",
    )
    now = timezone.now()
    mandate = Mandate.objects.create(
        reference="M-TEST0001",
        mandator_person=anna,
        mandatary=martins,
        scope=MandateScope.ALL_SERVICES,
        valid_from=now,
        valid_until=now + timedelta(days=30),
        granted_by=anna,
        granted_at=now,
    )
    janis = Person.objects.get(personal_code=JANIS)
    ContactPoint.objects.create(person=janis, kind=ContactKind.EMAIL, value="janis@example.lv")
    return {
        "anna": anna,
        "case": closed,
        "consultation": consultation,
        "mandate": mandate,
        "other_case": register(JANIS, "2019"),
    }


def test_my_data_page_explains_and_downloads_the_persons_data(
    client: Client, sign_in: SignIn, anna_data: dict[str, Any]
) -> None:
    sign_in(client, ANNA)
    explained = client.get("/en/account/my-data/")
    assert explained.status_code == 200
    assert "the audit records about you" in explained.content.decode()
    assert 'method="post"' in explained.content.decode()

    response = client.post("/en/account/my-data/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="onedoor-my-data-{timezone.localdate().isoformat()}.json"'
    )
    data = document(response)
    anna, case = anna_data["anna"], anna_data["case"]
    assert data["format"] == "onedoor-my-data/1"
    assert (data["person"]["personal_code"], data["person"]["given_name"]) == (ANNA, "Anna")
    assert [row["number"] for row in data["cases"]] == [case.number]
    assert anna_data["other_case"].number not in json.dumps(data)
    (exported_case,) = data["cases"]
    assert exported_case["service"]["code"] == "4006"
    assert exported_case["holder"]["code"] == case.holder.code
    assert [event["status"] for event in exported_case["status_history"]] == [
        "registered",
        "in_progress",
        "result_delivered",
        "closed",
    ]
    assert [(row["scores"], row["comment"]) for row in exported_case["feedback"]] == [
        ({"overall": 5}, "Quick and clear")
    ]
    assert [row["topic"] for row in data["consultations"]] == ["Childbirth benefit"]
    assert [row["value"] for row in data["contact_points"]] == ["anna@example.lv"]
    assert [row["iban"] for row in data["bank_accounts"]] == ["LV80BANK0000435195001"]
    (message,) = data["inbox_messages"]
    assert message["attachments"][0]["filename"] == "lemums.pdf"
    assert "content" not in message["attachments"][0]
    assert "attachments/secret/path" not in json.dumps(data)
    assert [row["reference"] for row in data["mandates_given"]] == ["M-TEST0001"]
    assert data["mandates_given"][0]["mandatary_personal_code"] == MARTINS
    assert data["mandates_received"] == []
    actions = {row["action"] for row in data["audit_records"]}
    assert {"cases.case.register", "accounts.my_data.download"} <= actions
    assert all("hash" not in row for row in data["audit_records"])
    download = AuditRecord.objects.get(action="accounts.my_data.download")
    assert (download.holder_id, download.acting_for, download.details) == (str(anna.pk), ANNA, {"via": "page"})


def test_the_mandatary_sees_the_mandate_among_those_received(anna_data: dict[str, Any]) -> None:
    data = my_data(person=Person.objects.get(personal_code=MARTINS))

    assert [row["reference"] for row in data["mandates_received"]] == ["M-TEST0001"]
    assert data["cases"] == []
    assert anna_data["case"].number not in json.dumps(data["audit_records"])


def test_the_export_takes_the_same_number_of_queries_for_few_and_many_cases(demo_catalog: None) -> None:
    anna = Person.objects.get(personal_code=ANNA)
    for _ in range(2):
        move(register(ANNA), "in_progress")
    with CaptureQueriesContext(connection) as few:
        assert len(my_data(person=anna)["cases"]) == 2
    for _ in range(6):
        move(register(ANNA), "in_progress")
    with CaptureQueriesContext(connection) as many:
        assert len(my_data(person=anna)["cases"]) == 8

    assert len(many) == len(few)


def test_a_company_context_cannot_download(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    sign_in(client, JANIS, acting_for=KOKMATERIALI)

    page = client.post("/en/account/my-data/")
    api = client.get("/api/v1/me/export")

    assert page.status_code == 403
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "profile_not_self"
    assert not AuditRecord.objects.filter(action="accounts.my_data.download").exists()
    assert AuditRecord.objects.filter(action="accounts.my_data.download_denied", outcome="denied").count() == 1


def test_the_api_export_with_a_token_is_the_same_document(anna_data: dict[str, Any], client: Client) -> None:
    response = client.get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {person_token(ANNA)}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="onedoor-my-data-')
    data = document(response)
    assert [row["number"] for row in data["cases"]] == [anna_data["case"].number]
    assert AuditRecord.objects.get(action="accounts.my_data.download").details == {"via": "api"}


def test_the_api_profile_of_the_person(client: Client, sign_in: SignIn, anna_data: dict[str, Any]) -> None:
    sign_in(client, ANNA)

    response = client.get("/api/v1/me/profile", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["editable"] is True
    assert body["party"] == {
        "kind": "person",
        "name": "Anna Kalniņa",
        "code": "328714-52034",
        "address": "Krišjāņa Barona iela 55-7, Rīga, LV-1011",
        "municipality": "Riga State City Municipality",
        "legal_form": "",
        "in_register": True,
    }
    assert [(row["kind"], row["value"]) for row in body["contact_points"]] == [("email", "anna@example.lv")]
    assert body["bank_account"]["iban"] == "LV80 BANK 0000 4351 9500 1"
    assert body["notification_language"] == "lv"
    assert {row["kind"]: row["channel"] for row in body["notification_preferences"]}["proactive_offer"] == "off"
    assert AuditRecord.objects.filter(action="accounts.profile.read", holder_id=str(anna_data["anna"].pk)).count() == 1


def test_the_api_profile_of_a_company_is_read_only(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    sign_in(client, JANIS, acting_for=KOKMATERIALI)

    body = client.get("/api/v1/me/profile").json()

    assert body["editable"] is False
    assert (body["party"]["kind"], body["party"]["code"]) == ("organisation", KOKMATERIALI)
    assert body["contact_points"] is None
    assert body["bank_account"] is None


def test_the_api_needs_a_signed_in_client(client: Client, demo_catalog: None) -> None:
    for path in ("/api/v1/me/profile", "/api/v1/me/export"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_authenticated"
