"""The e-account's inbox and documents (ACC-3, ACC-8): messages from institutions and their files, and the
documents institutions keep of the client's cases (scans of paper handed in at a customer service centre).

The inbox is a person's own: the person acting for themself, or a parent for a minor child in their
custody. Acting for a company or under a mandate, the pages explain that instead (company inboxes
and mandataries' access to messages come later); the documents of the party's cases are shown in
every context, a mandate's limited to the cases it covers. Every message and file is fetched
through a selector that checks the actor (another person's is a 404, as a missing one); every page
view and download is audited.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case
from onedoor.cases.numbers import url_case_number
from onedoor.core.actors import Actor
from onedoor.documents.downloads import download_response
from onedoor.documents.filetypes import ASIC_E, JPEG, PDF, PLAIN_TEXT, PNG
from onedoor.documents.models import Document
from onedoor.identity.selectors import actor_for_request
from onedoor.notifications.errors import AttachmentNotFound, MessageNotFound
from onedoor.notifications.models import Attachment, Message
from onedoor.notifications.selectors import (
    attachment_content,
    attachment_get,
    documents_for,
    inbox_messages,
    inbox_person,
    inbox_unread_count,
    message_attachments,
    message_get,
)
from onedoor.notifications.services import (
    message_archive,
    message_mark_read,
    message_mark_unread,
    message_unarchive,
)
from onedoor.parties.models import Person

from .decorators import client_required
from .paging import paged
from .selectors import party_documents

NAV = {"active_nav": "account"}
MESSAGES_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 25
# The documents page shows the newest of the documents kept at institutions; each case page lists all of
# its own, so older ones are a click away without a second, independently paged list on one page.
KEPT_DOCUMENTS_SHOWN = 20

# What people call the file types the inbox accepts; anything else is shown by its media type.
FILE_TYPE_NAMES = {
    PDF.media_type: _("PDF document"),
    PNG.media_type: _("PNG image"),
    JPEG.media_type: _("JPEG image"),
    PLAIN_TEXT.media_type: _("Text file"),
    ASIC_E.media_type: _("Signed document (eDOC)"),
}


def file_type_name(media_type: str) -> str:
    return str(FILE_TYPE_NAMES.get(media_type, media_type))


KeptDocumentRow = tuple[Document, str, Case]


def kept_document_rows(documents: Iterable[Document], case: Case | None = None) -> list[KeptDocumentRow]:
    """The rows `accounts/_scans.html` shows: each document with the name of its type and its case — `case`
    when they are all that case's (so the case is not read again for each), otherwise the document's own."""
    rows: list[KeptDocumentRow] = []
    for document in documents:
        owner = case or document.case
        assert owner is not None  # the selectors list documents of cases only
        rows.append((document, file_type_name(document.media_type), owner))
    return rows


def _person_object(person: Person, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=person.personal_code, label=person.full_name, holder_id=str(person.pk))


def _unavailable(request: HttpRequest, actor: Actor, template: str) -> HttpResponse:
    """Acting for a company or under a mandate: the page says why there are no messages here."""
    return render(request, template, {**NAV, "actor": actor, "unavailable": True})


def _party_object(actor: Actor, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=actor.acting_for, label=actor.acting_for_label, holder_id=actor.acting_for_id)


class InboxFilterForm(forms.Form):
    unread = forms.BooleanField(required=False, label=_("Show only unread messages"))
    archived = forms.BooleanField(required=False, widget=forms.HiddenInput)


@client_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    person = inbox_person(actor=actor)
    if person is None:
        return _unavailable(request, actor, "accounts/inbox.html")
    form = InboxFilterForm(request.GET)
    form.is_valid()  # two check boxes: anything given is "on"
    archived = bool(form.cleaned_data.get("archived"))
    unread_only = bool(form.cleaned_data.get("unread"))
    page, paging = paged(
        request, inbox_messages(person=person, archived=archived, unread_only=unread_only), MESSAGES_PER_PAGE
    )
    audit_record(
        actor=actor,
        action="accounts.inbox.view",
        obj=_person_object(person, "accounts.inbox"),
        details={"archived": archived, "unread_only": unread_only, "page": page.number},
    )
    return render(
        request,
        "accounts/inbox.html",
        {
            **NAV,
            **paging,
            "actor": actor,
            "form": form,
            "archived": archived,
            "unread_only": unread_only,
            "unread_count": inbox_unread_count(person=person),
            "rows": [(message, url_case_number(message.case_number)) for message in page.object_list],
        },
    )


class MessageActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("mark_unread", _("Mark as unread")),
            ("archive", _("Move to archive")),
            ("unarchive", _("Move back to inbox")),
        ],
        label=_("Action"),
    )


_ACTIONS = {
    "mark_unread": (message_mark_unread, _("The message is marked as unread.")),
    "archive": (message_archive, _("The message is in the archive now.")),
    "unarchive": (message_unarchive, _("The message is back in the inbox.")),
}


def _message_or_404(actor: Actor, message_id: Any) -> Message:
    try:
        return message_get(actor=actor, message_id=message_id)
    except MessageNotFound:
        raise Http404(_("No such message.")) from None


@client_required
@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, message_id: Any) -> HttpResponse:
    actor = actor_for_request(request)
    message = _message_or_404(actor, message_id)
    form = MessageActionForm(request.POST) if request.method == "POST" else MessageActionForm()
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        change, done = _ACTIONS[action]
        message = change(actor=actor, message=message)
        messages.success(request, str(done))
        # Back to the inbox; marking an archived message unread stays in the archive.
        in_archive = message.archived_at is not None and action != "archive"
        return HttpResponseRedirect(reverse("accounts:inbox") + ("?archived=1" if in_archive else ""))
    if request.method == "GET":
        message = message_mark_read(actor=actor, message=message)
    audit_record(
        actor=actor,
        action="accounts.message.view",
        obj=AuditedObject(
            type="notifications.message",
            id=str(message.pk),
            label=message.case_number,
            holder_id=str(message.recipient_id),
        ),
    )
    return render(
        request,
        "accounts/message.html",
        {
            **NAV,
            "actor": actor,
            "message": message,
            "case_url_number": url_case_number(message.case_number),
            "attachments": [(file, file_type_name(file.media_type)) for file in message_attachments(message=message)],
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@client_required
@require_GET
def attachment_download(request: HttpRequest, message_id: Any, attachment_id: Any) -> HttpResponse:
    actor = actor_for_request(request)
    try:
        attachment = attachment_get(actor=actor, attachment_id=attachment_id, message_id=message_id)
    except AttachmentNotFound:
        raise Http404(_("No such document.")) from None
    content = attachment_content(attachment=attachment)
    audit_record(
        actor=actor,
        action="accounts.attachment.download",
        obj=_attachment_object(attachment),
        details={"sha256": attachment.sha256},
    )
    return attachment_response(attachment, content)


def _attachment_object(attachment: Attachment) -> AuditedObject:
    return AuditedObject(
        type="notifications.attachment",
        id=str(attachment.pk),
        label=attachment.message.case_number,
        holder_id=str(attachment.message.recipient_id),
    )


def attachment_response(attachment: Attachment, content: bytes) -> HttpResponse:
    """An inbox message's file as a download (the page and the API's)."""
    return download_response(content, media_type=attachment.media_type, filename=attachment.filename)


def _kept_documents(actor: Actor) -> dict[str, Any]:
    """The newest documents kept at institutions and, when there are more, how many there are in all."""
    kept = party_documents(actor=actor)
    shown = list(kept[:KEPT_DOCUMENTS_SHOWN])
    total = kept.count() if len(shown) == KEPT_DOCUMENTS_SHOWN else len(shown)
    return {"kept_rows": kept_document_rows(shown), "kept_total": total}


@client_required
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """Files sent with messages (the inbox's owner only, paged) and the documents kept at institutions of the
    party's cases (in every context: for themself, a child, a company or under a mandate)."""
    actor = actor_for_request(request)
    person = inbox_person(actor=actor)
    context: dict[str, Any] = {**NAV, "actor": actor, **_kept_documents(actor)}
    details: dict[str, Any] = {"kept_shown": len(context["kept_rows"])}
    if person is None:
        context["unavailable"] = True
    else:
        page, paging = paged(request, documents_for(person=person), DOCUMENTS_PER_PAGE)
        details["page"] = page.number
        context.update(paging)
        context["rows"] = [
            (file, file_type_name(file.media_type), url_case_number(file.message.case_number))
            for file in page.object_list
        ]
    audit_record(
        actor=actor, action="accounts.documents.view", obj=_party_object(actor, "accounts.documents"), details=details
    )
    return render(request, "accounts/documents.html", context)
