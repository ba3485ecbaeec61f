"""POST /api/v1/messages (ACC-3, NOTE-1, INT-3): an institution's letter with files, and every refusal."""

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, case_register
from onedoor.conftest import system_token
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.models import OutboxEvent
from onedoor.notifications.models import (
    Attachment,
    ContactKind,
    ContactPoint,
    Dispatch,
    Message,
    NoticeKind,
    NotificationPreference,
)
from onedoor.parties.models import Person

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ANNA, JANIS = "32871452034", "14037812342"
UNKNOWN_PERSON = "32579461005"  # a valid personal code the demo registers do not know
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
TEXT = "Izziņa: apdrošināšanas stāžs 12 gadi.\n".encode()
REGISTRAR = Actor(kind=ActorKind.SYSTEM, id="test-registrar", label="Test registrar", is_platform_admin=True)


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def letter(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "recipient": {"personal_code": ANNA},
        "subject": {"lv": "Lēmums par pabalstu", "en": "Decision on the benefit"},
        "body": {"lv": "Labdien!\nLēmums pielikumā.", "en": "Hello,\nThe decision is attached."},
        "attachments": [{"filename": "lemums.pdf", "content_base64": b64(PDF)}],
    }
    body.update(changes)
    return body


def send(client: Client, body: Any, *, token: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/messages", json.dumps(body), content_type="application/json", **headers)


def register(service_code: str, personal_code: str) -> Case:
    return case_register(
        actor=REGISTRAR,
        service_code=service_code,
        applicant=PartyRef(personal_code=personal_code),
        channel=Channel.E_ACCOUNT,
        submitted_at=timezone.now(),
    ).case


def stored(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def nothing_written(media_root: Path) -> None:
    assert (Message.objects.count(), Attachment.objects.count(), Dispatch.objects.count()) == (0, 0, 0)
    assert stored(media_root) == []


def state() -> dict[str, object]:
    """Beyond the letter itself: people, cases, events and successful audit records a refusal must not touch."""
    return {
        "people": list(Person.objects.order_by("pk").values()),
        "cases": list(Case.objects.order_by("pk").values()),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        "succeeded": list(AuditRecord.objects.filter(outcome=Outcome.SUCCESS).values_list("sequence", flat=True)),
    }


def invalid_names(response: Any) -> set[str]:
    assert response["Content-Type"] == PROBLEM
    return {param["name"] for param in response.json().get("invalidParams", [])}


def test_a_letter_with_files_reaches_the_inbox_and_the_email_only_says_it_arrived(
    vsaa_api: Client, media_root: Path
) -> None:
    anna = Person.objects.get(personal_code=ANNA)
    ContactPoint.objects.create(
        person=anna, kind=ContactKind.EMAIL, value="anna@example.lv", confirmed_at=timezone.now()
    )
    case = register("2011", ANNA)
    response = send(
        vsaa_api,
        letter(
            case_number=case.number,
            attachments=[
                {"filename": "lemums.pdf", "content_base64": b64(PDF)},
                {"filename": "izzina.txt", "content_base64": b64(TEXT)},
                {"filename": "shēma.png", "content_base64": b64(PNG)},
            ],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_number"] == case.url_number
    assert [(item["filename"], item["media_type"], item["size"]) for item in body["attachments"]] == [
        ("lemums.pdf", "application/pdf", len(PDF)),
        ("izzina.txt", "text/plain", len(TEXT)),
        ("shēma.png", "image/png", len(PNG)),
    ]
    assert body["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()

    message = Message.objects.get(pk=body["id"])
    assert (message.recipient, message.sender.code, message.kind) == (anna, "VSAA", NoticeKind.INSTITUTION_MESSAGE)
    assert (message.subject_lv, message.subject_en) == ("Lēmums par pabalstu", "Decision on the benefit")
    assert message.body_lv == "Labdien!\nLēmums pielikumā."
    assert message.case_number == case.number
    assert message.read_at is None
    first = message.attachments.get(filename="lemums.pdf")
    with first.content.open("rb") as file:
        assert file.read() == PDF
    # Stored by ids: the sender's file name is not part of the path.
    assert first.content.name == f"attachments/{message.pk}/{first.pk}"
    assert len(stored(media_root)) == 3

    dispatch = Dispatch.objects.get(message=message)
    assert (dispatch.channel, dispatch.address, dispatch.language) == ("email", "anna@example.lv", "lv")
    assert dispatch.subject == f"Jauns ziņojums e-kontā. Sūtītājs: {message.sender.name_lv}"
    assert "Lēmums pielikumā" not in dispatch.body  # the letter stays in the e-account
    assert case.number in dispatch.body

    record = AuditRecord.objects.get(action="notifications.message.send")
    assert (record.actor_kind, record.object_id, record.outcome) == ("system", str(message.pk), "success")
    assert record.details["recipient"] == str(anna.pk)


def test_inbox_only_preference_records_no_email(vsaa_api: Client) -> None:
    anna = Person.objects.get(personal_code=ANNA)
    ContactPoint.objects.create(
        person=anna, kind=ContactKind.EMAIL, value="anna@example.lv", confirmed_at=timezone.now()
    )
    NotificationPreference.objects.create(person=anna, kind=NoticeKind.INSTITUTION_MESSAGE, channel="inbox_only")
    assert send(vsaa_api, letter(attachments=[])).status_code == 201
    assert Message.objects.filter(recipient=anna).count() == 1
    assert Dispatch.objects.count() == 0


def test_a_person_the_platform_has_not_met_is_taken_from_the_population_register(vsaa_api: Client) -> None:
    Person.objects.filter(personal_code="08029012184").delete()  # Mārtiņš Kalniņš, in the register
    response = send(vsaa_api, letter(recipient={"personal_code": "080290-12184"}))
    assert response.status_code == 201, response.content
    assert Person.objects.get(personal_code="08029012184").family_name == "Kalniņš"


def test_the_scope_is_needed(client: Client, demo_catalog: None, media_root: Path) -> None:
    before = state()
    response = send(client, letter(), token=system_token("VSAA", scopes="cases:write statuses:write"))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    nothing_written(media_root)
    assert state() == before
    assert send(client, letter()).status_code == 401
    nothing_written(media_root)
    assert state() == before


def test_bad_base64_names_the_field_and_stores_nothing(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    response = send(
        vsaa_api,
        letter(
            attachments=[
                {"filename": "lemums.pdf", "content_base64": b64(PDF)},
                {"filename": "b.pdf", "content_base64": "not base64!"},
            ]
        ),
    )
    assert response.status_code == 400
    assert invalid_names(response) == {"attachments.1.content_base64"}
    nothing_written(media_root)
    assert state() == before


def test_a_file_over_the_limit_is_refused(vsaa_api: Client, media_root: Path, settings: Settings) -> None:
    before = state()
    settings.ONEDOOR_ATTACHMENT_MAX_BYTES = 1000
    just_over = PDF + b"%" * (1001 - len(PDF))
    response = send(vsaa_api, letter(attachments=[{"filename": "big.pdf", "content_base64": b64(just_over)}]))
    assert response.status_code == 400
    assert invalid_names(response) == {"attachments.0.content_base64"}
    assert "1000" in response.json()["invalidParams"][0]["reason"]
    nothing_written(media_root)
    assert state() == before
    at_limit = PDF + b"%" * (1000 - len(PDF))
    response = send(vsaa_api, letter(attachments=[{"filename": "big.pdf", "content_base64": b64(at_limit)}]))
    assert response.status_code == 201, response.content


def test_much_larger_files_are_refused_before_decoding(vsaa_api: Client, media_root: Path, settings: Settings) -> None:
    before = state()
    settings.ONEDOOR_ATTACHMENT_MAX_BYTES = 1000
    response = send(vsaa_api, letter(attachments=[{"filename": "big.pdf", "content_base64": b64(PDF * 500)}]))
    assert response.status_code == 400
    assert invalid_names(response) == {"attachments.0.content_base64"}
    nothing_written(media_root)
    assert state() == before


def test_too_many_files_are_refused(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    files = [{"filename": f"f{index}.pdf", "content_base64": b64(PDF)} for index in range(6)]
    response = send(vsaa_api, letter(attachments=files))
    assert response.status_code == 400
    assert invalid_names(response) == {"attachments"}
    nothing_written(media_root)
    assert state() == before
    assert send(vsaa_api, letter(attachments=files[:5])).status_code == 201
    assert Attachment.objects.count() == 5


def test_files_of_other_types_and_empty_files_are_refused(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    response = send(
        vsaa_api,
        letter(
            attachments=[
                {"filename": "setup.pdf", "content_base64": b64(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
                {"filename": "page.html", "content_base64": b64(b"\x00\x01\x02binary")},
            ]
        ),
    )
    assert response.status_code == 400
    assert invalid_names(response) == {"attachments.0.content_base64", "attachments.1.content_base64"}
    nothing_written(media_root)
    assert state() == before


def test_file_names_are_made_safe_and_match_the_content(vsaa_api: Client) -> None:
    response = send(
        vsaa_api,
        letter(
            attachments=[
                {"filename": "../../etc/passwd.html", "content_base64": b64(TEXT)},
                {"filename": "C:\\Users\\x\\scan", "content_base64": b64(PDF)},
            ]
        ),
    )
    assert response.status_code == 201, response.content
    assert [item["filename"] for item in response.json()["attachments"]] == ["passwd.html.txt", "scan.pdf"]


def test_unknown_recipient_is_404_and_an_invalid_code_400(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    response = send(vsaa_api, letter(recipient={"personal_code": UNKNOWN_PERSON}))
    assert response.status_code == 404
    assert response.json()["code"] == "recipient_not_found"
    assert invalid_names(response) == {"recipient.personal_code"}
    response = send(vsaa_api, letter(recipient={"personal_code": "32871452035"}))
    assert response.status_code == 400
    assert invalid_names(response) == {"recipient.personal_code"}
    nothing_written(media_root)
    assert state() == before
    assert not Person.objects.filter(personal_code=UNKNOWN_PERSON).exists()


def test_case_must_be_the_recipients_and_visible_to_the_system(vsaa_api: Client, media_root: Path) -> None:
    janis_case = register("2019", JANIS)
    riga_case = register("801001", ANNA)  # Riga's case: VSAA's system cannot see it
    before = state()
    response = send(vsaa_api, letter(case_number=janis_case.number))
    assert response.status_code == 400
    assert invalid_names(response) == {"case_number"}

    response = send(vsaa_api, letter(case_number=riga_case.url_number))
    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"
    assert invalid_names(response) == {"case_number"}

    response = send(vsaa_api, letter(case_number="not a case"))
    assert response.status_code == 400
    assert invalid_names(response) == {"case_number"}
    nothing_written(media_root)
    assert state() == before


def test_texts_are_checked_field_by_field(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    response = send(
        vsaa_api,
        letter(subject={"en": "Only English"}, body={"lv": "x" * 20_001}, recipient={}),
    )
    assert response.status_code == 400
    assert invalid_names(response) == {"subject.lv", "body.lv", "recipient.personal_code"}
    response = send(vsaa_api, letter(subject={"lv": "   "}))
    assert response.status_code == 400
    assert invalid_names(response) == {"subject.lv"}
    nothing_written(media_root)
    assert state() == before


def test_english_is_optional(vsaa_api: Client) -> None:
    response = send(vsaa_api, letter(subject={"lv": "Tikai latviski"}, body={"lv": "Teksts."}, attachments=[]))
    assert response.status_code == 201, response.content
    message = Message.objects.get()
    assert (message.subject_en, message.body_en) == ("", "")


def test_refusals_are_audited(vsaa_api: Client) -> None:
    send(vsaa_api, letter(recipient={"personal_code": UNKNOWN_PERSON}))
    record = AuditRecord.objects.get(action="api.messages.send")
    assert (record.outcome, record.details["status"]) == ("denied", 404)


def test_control_characters_in_the_text_are_refused(vsaa_api: Client, media_root: Path) -> None:
    before = state()
    response = send(vsaa_api, letter(body={"lv": "Teksts\x07ar zvanu", "en": "Escape \x1b[31m"}))
    assert response.status_code == 400
    assert invalid_names(response) == {"body.lv", "body.en"}
    response = send(vsaa_api, letter(body={"lv": "Teksts\x00ar nulli"}))
    assert response.status_code == 400
    assert invalid_names(response) == {"body.lv"}
    response = vsaa_api.post(
        "/api/v1/messages",
        json.dumps(letter(subject={"lv": "Pusē"})).replace("Pus\\u0113", "Pus\\ud800"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert invalid_names(response) == {"subject.lv"}
    nothing_written(media_root)
    assert state() == before
