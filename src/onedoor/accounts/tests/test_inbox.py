"""The inbox and documents pages as a person uses them (ACC-3, ACC-8): letters from institutions with
their files, read/unread, archive, downloads — each person seeing only their own (SEC-2)."""

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onedoor.access.models import Mandate, MandateScope
from onedoor.access.testing import person_user
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.services import PartyRef, case_register
from onedoor.conftest import staff_actor, system_token
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.models import OutboxEvent
from onedoor.notifications.models import Attachment, Message
from onedoor.notifications.services import AttachmentInput, institution_message_send
from onedoor.parties.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ANNA, MARTINS, JANIS, ELZA = "32871452034", "08029012184", "14037812342", "05030920418"
KOKMATERIALI = "40003512877"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TEXT = "Izziņa par stāžu.\n".encode()
REGISTRAR = Actor(kind=ActorKind.SYSTEM, id="test-registrar", label="Test registrar", is_platform_admin=True)

SignIn = Callable[..., object]


def letter(
    personal_code: str = ANNA,
    *,
    institution: str = "VSAA",
    subject: tuple[str, str] = ("Lēmums par pabalstu", "Decision on the benefit"),
    body: tuple[str, str] = ("Labdien!\nLēmums pielikumā.", "Hello,\nThe decision is attached."),
    files: tuple[tuple[str, bytes], ...] = (),
    case_number: str = "",
) -> Message:
    return institution_message_send(
        actor=staff_actor(institution, "messages:write", system=True),
        personal_code=personal_code,
        subject={"lv": subject[0], "en": subject[1]},
        body={"lv": body[0], "en": body[1]},
        case_number=case_number,
        attachments=[AttachmentInput(name, content) for name, content in files],
    )


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


def snapshot(message: Message) -> tuple[object, object]:
    message.refresh_from_db()
    return message.read_at, message.archived_at


def test_a_letter_sent_through_the_api_is_read_and_downloaded_by_anna(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    case = case_register(
        actor=REGISTRAR,
        service_code="2013",
        applicant=PartyRef(personal_code=ANNA),
        channel=Channel.E_ACCOUNT,
        submitted_at=timezone.now(),
    ).case
    system = Client()
    sent = system.post(
        "/api/v1/messages",
        json.dumps(
            {
                "recipient": {"personal_code": ANNA},
                "case_number": case.number,
                "subject": {"lv": "Lēmums par vecāku pabalstu", "en": "Decision on the parental benefit"},
                "body": {"lv": "Labdien!\nLēmums pielikumā.", "en": "Hello,\nThe decision is attached."},
                "attachments": [{"filename": "lemums.pdf", "content_base64": base64.b64encode(PDF).decode()}],
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {system_token('VSAA')}",
    )
    assert sent.status_code == 201, sent.content
    message_id = sent.json()["id"]
    attachment_id = sent.json()["attachments"][0]["id"]

    sign_in(client, ANNA)
    inbox = client.get("/lv/account/inbox/")
    assert inbox.status_code == 200
    page = inbox.content.decode()
    assert "Lēmums par vecāku pabalstu" in page
    assert f"/lv/account/inbox/{message_id}/" in page
    assert "Unread" in page or "Nelasīts" in page
    assert inbox.context["unread_count"] == 1

    opened = client.get(f"/lv/account/inbox/{message_id}/")
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "Lēmums pielikumā." in page
    assert "lemums.pdf" in page
    assert f"/lv/account/cases/{case.url_number}/" in page
    assert Message.objects.get(pk=message_id).read_at is not None

    download = client.get(f"/lv/account/inbox/{message_id}/attachments/{attachment_id}/")
    assert download.status_code == 200
    assert download.content == PDF
    assert hashlib.sha256(download.content).hexdigest() == sent.json()["attachments"][0]["sha256"]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="lemums.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    actions = set(AuditRecord.objects.filter(actor_label="Anna Kalniņa").values_list("action", flat=True))
    assert {"accounts.inbox.view", "accounts.message.view", "notifications.message.read"} <= actions
    assert "accounts.attachment.download" in actions


def test_pages_are_in_the_language_of_the_url_with_latvian_as_fallback(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    message = letter(subject=("Lēmums", "Decision"), body=("Teksts latviski.", "Text in English."))
    only_latvian = letter(institution="RIGA", subject=("Tikai latviski", ""), body=("Bez tulkojuma.", ""))
    sign_in(client, ANNA)
    lv, en = client.get("/lv/account/inbox/").content.decode(), client.get("/en/account/inbox/").content.decode()
    assert "Lēmums" in lv
    assert "Decision" not in lv
    assert "Decision" in en
    assert ">Lēmums<" not in en
    assert "Tikai latviski" in en  # no English text: the Latvian one
    assert '<html lang="en"' in en
    assert "Inbox" in en
    page = client.get(f"/en/account/inbox/{message.pk}/").content.decode()
    assert "Text in English." in page
    assert "Teksts latviski." not in page
    page = client.get(f"/lv/account/inbox/{message.pk}/").content.decode()
    assert "Teksts latviski." in page
    assert "Bez tulkojuma." in client.get(f"/en/account/inbox/{only_latvian.pk}/").content.decode()


def test_unread_messages_are_marked_in_text_and_can_be_filtered(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    read = letter(subject=("Izlasīts", "Already read"))
    unread = letter(subject=("Jauns", "New one"))
    read.read_at = timezone.now()
    read.save()
    sign_in(client, ANNA)
    response = client.get("/en/account/inbox/")
    rows = response.content.decode().split('data-testid="message-row"')[1:]
    assert len(rows) == 2
    assert "New one" in rows[0]
    assert ">Unread</strong>" in rows[0]
    assert "Already read" in rows[1]
    assert "Unread" not in rows[1]
    assert ">Read<" in rows[1]
    assert "You have 1 unread message." in response.content.decode()
    filtered = client.get("/en/account/inbox/?unread=1")
    assert [message.pk for message, _number in filtered.context["rows"]] == [unread.pk]
    assert 'id="filter-unread" name="unread" type="checkbox" value="1" checked' in filtered.content.decode()


def test_mark_unread_archive_and_unarchive(client: Client, demo_catalog: None, sign_in: SignIn) -> None:
    message = letter()
    sign_in(client, ANNA)
    client.get(f"/en/account/inbox/{message.pk}/")
    assert snapshot(message)[0] is not None

    response = client.post(f"/en/account/inbox/{message.pk}/", {"action": "mark_unread"})
    assert response.status_code == 302
    assert response["Location"] == "/en/account/inbox/"
    assert snapshot(message)[0] is None
    assert "The message is marked as unread." in client.get("/en/account/inbox/").content.decode()

    response = client.post(f"/en/account/inbox/{message.pk}/", {"action": "archive"})
    assert response.status_code == 302
    assert snapshot(message)[1] is not None
    assert client.get("/en/account/inbox/").context["rows"] == []
    archive = client.get("/en/account/inbox/?archived=1")
    assert [row[0].pk for row in archive.context["rows"]] == [message.pk]
    assert "Archived messages" in archive.content.decode()

    response = client.post(f"/en/account/inbox/{message.pk}/", {"action": "unarchive"})
    assert response.status_code == 302
    assert snapshot(message)[1] is None
    actions = list(
        AuditRecord.objects.filter(object_id=str(message.pk), action__startswith="notifications.message.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "notifications.message.send",
        "notifications.message.read",
        "notifications.message.mark_unread",
        "notifications.message.archive",
        "notifications.message.unarchive",
    ]


def test_an_unknown_action_is_an_error_on_the_page_and_changes_nothing(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    message = letter()
    sign_in(client, ANNA)
    before = state()
    assert client.post(f"/en/account/inbox/{message.pk}/", {}).status_code == 400
    response = client.post(f"/en/account/inbox/{message.pk}/", {"action": "delete"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#message-actions"' in page
    assert snapshot(message) == (None, None)
    assert state() == before


def test_every_form_needs_the_csrf_token(demo_catalog: None, sign_in: SignIn) -> None:
    message = letter()
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, ANNA)
    before = state()
    for action in ("mark_unread", "archive", "unarchive"):
        response = browser.post(f"/en/account/inbox/{message.pk}/", {"action": action})
        assert response.status_code == 403
    assert snapshot(message) == (None, None)
    assert state() == before
    page = browser.get(f"/en/account/inbox/{message.pk}/")
    assert page.content.decode().count('name="csrfmiddlewaretoken"') == 2  # the actions and sign-out
    token = page.cookies["csrftoken"].value
    response = browser.post(f"/en/account/inbox/{message.pk}/", {"action": "archive", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert snapshot(message)[1] is not None


def test_another_persons_message_and_file_are_not_found_and_stay_unread(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    annas = letter(files=(("lemums.pdf", PDF),))
    file = annas.attachments.get()
    sign_in(client, MARTINS)
    before = state()
    assert client.get(f"/en/account/inbox/{annas.pk}/").status_code == 404
    assert client.post(f"/en/account/inbox/{annas.pk}/", {"action": "archive"}).status_code == 404
    assert client.get(f"/en/account/inbox/{annas.pk}/attachments/{file.pk}/").status_code == 404
    assert state() == before
    own = letter(MARTINS)
    # Anna's file under Mārtiņš's own message is not found either.
    assert client.get(f"/en/account/inbox/{own.pk}/attachments/{file.pk}/").status_code == 404
    assert client.get("/en/account/inbox/").context["rows"][0][0].pk == own.pk
    assert snapshot(annas) == (None, None)
    assert not AuditRecord.objects.filter(object_id=str(annas.pk), action="notifications.message.read").exists()


def test_a_parent_reads_the_minor_childs_inbox_but_not_from_their_own(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    elzas = letter(ELZA, institution="RIGA", subject=("Skolas rinda", "School queue"))
    sign_in(client, JANIS, acting_for=ELZA)
    response = client.get("/en/account/inbox/")
    assert [row[0].pk for row in response.context["rows"]] == [elzas.pk]
    assert client.get(f"/en/account/inbox/{elzas.pk}/").status_code == 200
    sign_in(client, JANIS)
    assert client.get("/en/account/inbox/").context["rows"] == []
    before = state()
    assert client.get(f"/en/account/inbox/{elzas.pk}/").status_code == 404
    assert state() == before


def test_acting_for_a_company_or_under_a_mandate_explains_instead(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    annas = letter(files=(("lemums.pdf", PDF),))
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    for path in ("/en/account/inbox/", "/en/account/documents/"):
        response = client.get(path)
        assert response.status_code == 200
        assert 'data-testid="inbox-unavailable"' in response.content.decode()
        assert "does not show companies" in response.content.decode()

    now = timezone.now()
    anna, martins = Person.objects.get(personal_code=ANNA), person_user(MARTINS).person
    Mandate.objects.create(
        reference="M-INBOX001",
        mandator_person=anna,
        mandatary=martins,
        scope=MandateScope.ALL_SERVICES,
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=1),
        granted_by=anna,
        granted_at=now - timedelta(hours=1),
    )
    sign_in(client, MARTINS, acting_for=ANNA, mandate="M-INBOX001")
    response = client.get("/en/account/inbox/")
    assert "A mandate does not give access" in response.content.decode()
    assert "Lēmums" not in response.content.decode()
    assert "Decision" not in response.content.decode()
    before = state()
    assert client.get(f"/en/account/inbox/{annas.pk}/").status_code == 404
    assert client.get(f"/en/account/inbox/{annas.pk}/attachments/{annas.attachments.get().pk}/").status_code == 404
    assert snapshot(annas) == (None, None)
    assert state() == before


def test_an_institution_context_is_asked_to_switch(client: Client, demo_catalog: None) -> None:
    from onedoor.access.contexts import institution_context
    from onedoor.access.middleware import context_to_session
    from onedoor.identity.contexts import SESSION_KEY
    from onedoor.identity.models import User

    staff = User.objects.filter(institution__code="VSAA", is_staff=True, is_active=True).first()
    assert staff is not None
    context = institution_context(staff)
    assert context is not None
    client.force_login(staff)
    session = client.session
    session[SESSION_KEY] = context_to_session(context)
    session.save()
    before = state()
    response = client.get("/en/account/inbox/")
    assert response.status_code == 403
    assert state() == before
    assert "Choose whom you act for" in response.content.decode()


def test_signing_in_is_required(client: Client, demo_catalog: None) -> None:
    response = client.get("/en/account/inbox/")
    assert response.status_code == 302
    assert "/oidc/" in response["Location"]


def test_documents_lists_every_file_with_its_message_and_case(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    case = case_register(
        actor=REGISTRAR,
        service_code="2011",
        applicant=PartyRef(personal_code=ANNA),
        channel=Channel.E_ACCOUNT,
        submitted_at=timezone.now(),
    ).case
    first = letter(files=(("lemums.pdf", PDF),), case_number=case.number)
    second = letter(institution="RIGA", subject=("Izziņa", "Statement"), files=(("izzina.txt", TEXT),))
    second.archived_at = timezone.now()  # archived messages' files are documents too
    second.save()
    letter(MARTINS, files=(("martina.pdf", PDF),))
    sign_in(client, ANNA)
    response = client.get("/en/account/documents/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = page.split('data-testid="document-row"')[1:]
    assert len(rows) == 2
    assert "izzina.txt" in rows[0]
    assert "Text file" in rows[0]
    assert "Statement" in rows[0]
    assert "lemums.pdf" in rows[1]
    assert "PDF document" in rows[1]
    assert f"/en/account/cases/{case.url_number}/" in rows[1]
    assert f"/en/account/inbox/{first.pk}/" in rows[1]
    assert "martina.pdf" not in page
    download = client.get(f"/en/account/inbox/{second.pk}/attachments/{second.attachments.get().pk}/")
    assert download.content == TEXT
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert AuditRecord.objects.filter(action="accounts.documents.view", holder_id=str(first.recipient_id)).exists()


def test_a_damaged_file_is_never_served(client: Client, demo_catalog: None, sign_in: SignIn, media_root: Path) -> None:
    message = letter(files=(("lemums.pdf", PDF),))
    file = message.attachments.get()
    (media_root / file.content.name).write_bytes(PDF.replace(b"Catalog", b"Katalog"))
    sign_in(client, ANNA)
    client.raise_request_exception = False
    response = client.get(f"/en/account/inbox/{message.pk}/attachments/{file.pk}/")
    assert response.status_code == 500
    assert b"Katalog" not in response.content


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_pages_cost_the_same_queries_whatever_their_length(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    for index in range(2):
        letter(subject=(f"Vēstule {index}", f"Letter {index}"), files=(("a.pdf", PDF),))
    sign_in(client, ANNA)
    few_inbox, few_documents = _queries(client, "/en/account/inbox/"), _queries(client, "/en/account/documents/")
    for index in range(12):
        letter(subject=(f"Vēl {index}", f"More {index}"), files=(("a.pdf", PDF), ("b.txt", TEXT)))
    assert _queries(client, "/en/account/inbox/") == few_inbox
    assert _queries(client, "/en/account/documents/") == few_documents
    assert few_inbox <= 20


def test_the_inbox_is_paginated(client: Client, demo_catalog: None, sign_in: SignIn) -> None:
    for index in range(23):
        letter(subject=(f"Vēstule {index:02d}", f"Letter {index:02d}"))
    sign_in(client, ANNA)
    first = client.get("/en/account/inbox/")
    assert len(first.context["rows"]) == 20
    assert first.context["rows"][0][0].subject_en == "Letter 22"
    second = client.get("/en/account/inbox/?page=2")
    assert [row[0].subject_en for row in second.context["rows"]] == ["Letter 02", "Letter 01", "Letter 00"]
    assert 'aria-label="Page 2"' in first.content.decode()


def test_demo_letters_load_once_with_a_well_formed_pdf(client: Client, demo_catalog: None) -> None:
    from django.core.management import call_command

    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)
    anna = Person.objects.get(personal_code=ANNA)
    messages = Message.objects.filter(recipient=anna).select_related("sender")
    assert sorted(message.sender.code for message in messages) == ["RIGA", "VSAA", "VSAA"]
    pdf = Attachment.objects.get(message__recipient=anna)
    with pdf.content.open("rb") as stored:
        content = stored.read()
    assert pdf.media_type == "application/pdf"
    assert content.startswith(b"%PDF-1.4")
    # A well-formed PDF: the cross-reference table points at each object.
    xref_at = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    entries = content[xref_at:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert content[offset:].startswith(f"{number} 0 obj".encode())


def test_after_an_action_the_person_returns_to_the_list_the_message_is_in(
    client: Client, demo_catalog: None, sign_in: SignIn
) -> None:
    message = letter()
    sign_in(client, ANNA)
    client.get(f"/en/account/inbox/{message.pk}/")
    assert client.post(f"/en/account/inbox/{message.pk}/", {"action": "archive"})["Location"] == "/en/account/inbox/"
    marked = client.post(f"/en/account/inbox/{message.pk}/", {"action": "mark_unread"})
    assert marked["Location"] == "/en/account/inbox/?archived=1"
    archive = client.get(marked["Location"])
    assert [row[0].pk for row in archive.context["rows"]] == [message.pk]
    assert ">Unread</strong>" in archive.content.decode()
