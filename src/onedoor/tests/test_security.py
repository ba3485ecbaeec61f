"""Security across the e-account (SEC-1, SEC-2, ACC-5): other people's objects, expired sessions.

Every URL of the e-account and of /api/v1/me/… that names an object is tried by someone else —
another person signed in for themself — with GET and POST: each answers 404, exactly like an object
that does not exist, and nothing changes. A new object URL that this sweep does not know fails the
coverage test, so it cannot be forgotten.
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from pytest_django.fixtures import Settings

from onedoor.access.models import Mandate
from onedoor.cases.models import Case, Feedback
from onedoor.conftest import staff_actor
from onedoor.demo.cases import register_demo_cases
from onedoor.demo.mandates import load_mandates
from onedoor.demo.messages import load_messages
from onedoor.documents.models import DocumentKind
from onedoor.documents.services import document_store
from onedoor.documents.tests.factories import PDF, use_document_root
from onedoor.notifications.models import Attachment, ContactConfirmation, ContactPoint, Message

pytestmark = pytest.mark.django_db

ANNA = "32871452034"
JANIS = "14037812342"
# Object URLs not in the sweep, and why.
NOT_OBJECT_URLS = {
    "accounts:contact-confirm": "the signed token is the credential (forged and others' tokens: test_profile)",
}


@pytest.fixture
def objects(demo_catalog: None, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """Anna's case with a document kept at its holder, letter with an attachment, phone contact, and a mandate
    between two other people."""
    register_demo_cases()
    load_messages()
    load_mandates()
    message = Message.objects.filter(recipient__personal_code=ANNA, attachments__isnull=False).first()
    assert message is not None
    contact = ContactPoint.objects.create(person=message.recipient, kind="phone", value="+37129111222")
    case = Case.objects.select_related("holder").filter(for_person__personal_code=ANNA).order_by("number").first()
    assert case is not None
    use_document_root(settings, tmp_path / "documents")
    document = document_store(
        actor=staff_actor(case.holder.code, "specialist"),
        content=PDF,
        filename="iesniegums.pdf",
        kind=DocumentKind.SCAN,
        institution=case.holder,
        case=case,
    )
    return {
        "case": case,
        "document": document,
        "message": message,
        "attachment": Attachment.objects.filter(message=message).first(),
        "mandate": Mandate.objects.get(reference="M-DEMO0001"),
        "contact": contact,
    }


def _state() -> tuple[Any, ...]:
    """What an intruder could change: reading, archiving, revoking, declining, rating, contacts."""
    return (
        sorted(Message.objects.values_list("id", "read_at", "archived_at")),
        sorted(Mandate.objects.values_list("reference", "revoked_at", "declined_at")),
        Feedback.objects.count(),
        sorted(ContactPoint.objects.values_list("id", "confirmed_at")),
        ContactConfirmation.objects.count(),
    )


def _object_urls(objects: dict[str, Any]) -> dict[str, str]:
    case, message, attachment = objects["case"], objects["message"], objects["attachment"]
    mandate, contact = objects["mandate"].reference, objects["contact"].pk
    return {
        "accounts:case": f"/en/account/cases/{case.url_number}/",
        "accounts:case-document": f"/en/account/cases/{case.url_number}/documents/{objects['document'].pk}/",
        "accounts:message": f"/en/account/inbox/{message.pk}/",
        "accounts:attachment": f"/en/account/inbox/{message.pk}/attachments/{attachment.pk}/",
        "accounts:mandate": f"/en/account/mandates/{mandate}/",
        "accounts:contact-code": f"/en/account/profile/phone/{contact}/code/",
        "accounts:contact-resend": f"/en/account/profile/contacts/{contact}/send/",
        "accounts:contact-remove": f"/en/account/profile/contacts/{contact}/remove/",
        "me-case": f"/api/v1/me/cases/{case.url_number}",
        "me-message": f"/api/v1/me/messages/{message.pk}",
        "me-message-archive": f"/api/v1/me/messages/{message.pk}/archive",
        "me-document-content": f"/api/v1/me/documents/{attachment.pk}/content",
        "me-mandate-revoke": f"/api/v1/me/mandates/{mandate}/revoke",
        "me-mandate-decline": f"/api/v1/me/mandates/{mandate}/decline",
    }


def _named_patterns_with_parameters() -> set[str]:
    """Every e-account page and /me API route whose path takes a parameter."""
    found: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name and pattern.pattern.converters:
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return {name for name in found if name.startswith("accounts:") or name.startswith("me-")}


def test_every_object_url_of_the_e_account_is_in_the_sweep(objects: dict[str, Any]) -> None:
    assert _named_patterns_with_parameters() == set(_object_urls(objects)) | set(NOT_OBJECT_URLS)


def test_another_persons_objects_answer_404_and_nothing_changes(
    objects: dict[str, Any], sign_in: Callable[..., Any]
) -> None:
    """GET and POST each: 404 where the URL takes the method (405, which says nothing, where it does not)."""
    intruder = Client()
    sign_in(intruder, JANIS)
    before = _state()
    for name, url in _object_urls(objects).items():
        if url.startswith("/api/"):
            posted = intruder.post(url, "{}", content_type="application/json")
        else:
            posted = intruder.post(url, {"action": "revoke", "code": "123456"})
        statuses = {intruder.get(url).status_code, posted.status_code}
        assert 404 in statuses, (name, url, statuses)
        assert statuses <= {404, 405}, (name, url, statuses)
    assert _state() == before


def test_the_owner_reaches_the_same_urls(objects: dict[str, Any], sign_in: Callable[..., Any]) -> None:
    """The sweep's URLs are real: the owner of each object gets it (so 404 above is not a typo)."""
    anna = Client()
    sign_in(anna, ANNA)
    urls = _object_urls(objects)
    for name in (
        "accounts:case",
        "accounts:case-document",
        "accounts:message",
        "accounts:attachment",
        "me-case",
        "me-message",
    ):
        assert anna.get(urls[name]).status_code == 200, name
    assert anna.get(urls["accounts:contact-code"]).status_code == 200


def test_an_expired_session_has_to_sign_in_again(objects: dict[str, Any], sign_in: Callable[..., Any]) -> None:
    client = Client()
    sign_in(client, ANNA)
    assert client.get("/en/account/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/oidc/authenticate/")
    assert client.get(_object_urls(objects)["me-case"]).status_code == 401


def test_a_session_is_extended_by_use_and_lives_half_an_hour(sign_in: Callable[..., Any], demo_catalog: None) -> None:
    client = Client()
    sign_in(client, ANNA)
    client.get("/en/account/")
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
