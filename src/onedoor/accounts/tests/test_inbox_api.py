"""/api/v1/me/messages and /api/v1/me/documents (ACC-3, ACC-8): the inbox for the mobile channel and the
browser, with the session (CSRF enforced) or a person's OAuth token with the `me` scope."""

import hashlib
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onedoor.access.testing import person_token
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.conftest import staff_actor
from onedoor.core.models import OutboxEvent
from onedoor.notifications.models import Attachment, Message
from onedoor.notifications.services import AttachmentInput, institution_message_send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ANNA, MARTINS, JANIS = "32871452034", "08029012184", "14037812342"
KOKMATERIALI = "40003512877"
PROBLEM = "application/problem+json"
JSON = "application/json"  # what a client sends with an empty body (the test client would send a form)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

SignIn = Callable[..., object]


def state() -> dict[str, object]:
    """What a refused request must leave as it was: letters, files, events and the successful audit records."""
    return {
        "messages": list(Message.objects.order_by("pk").values()),
        "attachments": list(Attachment.objects.order_by("pk").values()),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        # Reading is audited too, even when the page only shows an error; a change is not allowed.
        "succeeded": list(
            AuditRecord.objects.filter(outcome=Outcome.SUCCESS)
            .exclude(action__endswith=".view")
            .exclude(action__endswith=".list")
            .values_list("sequence", flat=True)
        ),
    }


def letter(
    personal_code: str = ANNA, *, subject: str = "Lēmums", english: str = "Decision", pdf: bool = False
) -> Message:
    return institution_message_send(
        actor=staff_actor("VSAA", "messages:write", system=True),
        personal_code=personal_code,
        subject={"lv": subject, "en": english},
        body={"lv": "Teksts.", "en": "Text."},
        attachments=[AttachmentInput("lemums.pdf", PDF)] if pdf else [],
    )


def test_the_inbox_list_is_paginated_newest_first_and_filters_unread(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    older, newer = letter(subject="Vecāks", english="Older"), letter(subject="Jaunāks", english="Newer", pdf=True)
    older.read_at = timezone.now()
    older.save()
    letter(MARTINS)
    sign_in(client, ANNA)
    body = client.get("/api/v1/me/messages", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [str(newer.pk), str(older.pk)]
    first = body["results"][0]
    assert (first["subject"], first["sender"]["code"], first["kind"]) == ("Newer", "VSAA", "institution_message")
    assert (first["read_at"], first["attachment_count"]) == (None, 1)
    latvian = client.get("/api/v1/me/messages").json()["results"][0]
    assert latvian["subject"] == "Jaunāks"
    unread = client.get("/api/v1/me/messages?unread=true").json()
    assert [item["id"] for item in unread["results"]] == [str(newer.pk)]
    read = client.get("/api/v1/me/messages?unread=false").json()
    assert [item["id"] for item in read["results"]] == [str(older.pk)]
    page = client.get("/api/v1/me/messages?page_size=1&page=2").json()
    assert [item["id"] for item in page["results"]] == [str(older.pk)]
    assert AuditRecord.objects.filter(action="accounts.messages.list", actor_label="Anna Kalniņa").count() == 5


@pytest.mark.parametrize("query", ["unread=maybe", "unread=", "archived=yes", "page=0", "page_size=500"])
def test_bad_query_parameters_are_named(client: Client, demo_catalog: None, sign_in: SignIn, query: str) -> None:
    letter()
    sign_in(client, ANNA)
    before = state()
    response = client.get(f"/api/v1/me/messages?{query}")
    assert response.status_code == 400
    assert state() == before
    assert response["Content-Type"] == PROBLEM
    assert [param["name"] for param in response.json()["invalidParams"]] == [query.split("=")[0]]


def test_reading_a_message_marks_it_read_and_lists_its_files(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    message = letter(pdf=True)
    sign_in(client, ANNA)
    response = client.get(f"/api/v1/me/messages/{message.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert (body["subject"], body["body"]) == ("Decision", "Text.")
    assert body["read_at"] is not None
    (file,) = body["attachments"]
    assert (file["filename"], file["media_type"], file["size"]) == ("lemums.pdf", "application/pdf", len(PDF))
    assert file["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert file["content_url"] == f"/api/v1/me/documents/{file['id']}/content"
    message.refresh_from_db()
    assert message.read_at is not None
    content = client.get(file["content_url"], HTTP_ACCEPT="application/pdf")
    assert content.status_code == 200
    assert content.content == PDF
    assert content["Content-Type"] == "application/pdf"
    assert content["Content-Disposition"] == 'attachment; filename="lemums.pdf"'
    assert content["X-Content-Type-Options"] == "nosniff"
    assert AuditRecord.objects.filter(action="accounts.attachment.download", object_id=file["id"]).count() == 1


def test_archive_moves_the_message_out_of_the_inbox(client: Client, demo_catalog: None, sign_in: SignIn) -> None:
    message = letter()
    sign_in(client, ANNA)
    response = client.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON)
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    assert client.get("/api/v1/me/messages").json()["count"] == 0
    archived = client.get("/api/v1/me/messages?archived=true").json()
    assert [item["id"] for item in archived["results"]] == [str(message.pk)]
    again = client.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON)
    assert again.json()["archived_at"] == response.json()["archived_at"]


def test_archiving_with_the_session_needs_the_csrf_token(demo_catalog: None, sign_in: SignIn) -> None:
    message = letter()
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, ANNA)
    before = state()
    response = browser.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    message.refresh_from_db()
    assert message.archived_at is None
    assert state() == before
    browser.get("/en/account/inbox/")
    token = browser.cookies["csrftoken"].value
    assert (
        browser.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON, HTTP_X_CSRFTOKEN=token).status_code
        == 200
    )


def test_another_persons_message_and_document_are_not_found(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    annas = letter(pdf=True)
    file = annas.attachments.get()
    sign_in(client, MARTINS)
    before = state()
    for response in (
        client.get(f"/api/v1/me/messages/{annas.pk}"),
        client.post(f"/api/v1/me/messages/{annas.pk}/archive", content_type=JSON),
        client.get(f"/api/v1/me/documents/{file.pk}/content"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert state() == before
    assert client.get("/api/v1/me/documents").json()["count"] == 0
    annas.refresh_from_db()
    assert (annas.read_at, annas.archived_at) == (None, None)


def test_documents_are_listed_with_their_message(client: Client, demo_catalog: None, sign_in: SignIn) -> None:
    first, second = letter(pdf=True), letter(subject="Otrs", english="Second", pdf=True)
    sign_in(client, ANNA)
    body = client.get("/api/v1/me/documents", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 2
    assert [item["message"]["id"] for item in body["results"]] == [str(second.pk), str(first.pk)]
    assert body["results"][0]["message"]["subject"] == "Second"
    assert body["results"][0]["message"]["sender"]["code"] == "VSAA"
    assert body["results"][0]["size"] == len(PDF)


def test_a_company_or_mandate_context_has_no_inbox(client: Client, demo_catalog: None, sign_in: SignIn) -> None:
    message = letter(JANIS)
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    before = state()
    for path in ("/api/v1/me/messages", "/api/v1/me/documents"):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "notifications_not_allowed"
    assert client.get(f"/api/v1/me/messages/{message.pk}").status_code == 404
    assert client.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON).status_code in {403, 404}
    assert state() == before


def test_a_persons_token_with_the_me_scope_reads_their_own_inbox(client: Client, demo_catalog: None) -> None:
    message = letter(pdf=True)
    letter(MARTINS)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {person_token(ANNA)}"}
    body = client.get("/api/v1/me/messages", **headers).json()
    assert [item["id"] for item in body["results"]] == [str(message.pk)]
    archived = client.post(f"/api/v1/me/messages/{message.pk}/archive", content_type=JSON, **headers)
    assert archived.status_code == 200  # a token is not a session: no CSRF token needed
    without_scope = {"HTTP_AUTHORIZATION": f"Bearer {person_token(ANNA, scope='read')}"}
    assert client.get("/api/v1/me/messages", **without_scope).status_code in (401, 403)


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_endpoints_cost_the_same_queries_whatever_their_length(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    letter(pdf=True)
    sign_in(client, ANNA)
    few = _queries(client, "/api/v1/me/messages"), _queries(client, "/api/v1/me/documents")
    for index in range(10):
        letter(subject=f"Vēstule {index}", pdf=True)
    assert (_queries(client, "/api/v1/me/messages"), _queries(client, "/api/v1/me/documents")) == few
    assert max(few) <= 20
