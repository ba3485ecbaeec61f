"""/api/v1/me/messages and /api/v1/me/documents: the inbox and its files for the mobile channel (ACC-3, ACC-8).

Same selectors as the pages: the inbox is a person's own (themself, or a parent for a minor child);
acting for a company or under a mandate the lists are refused (403) and a message or file is not
found. Texts come in the language of the request (Accept-Language), Latvian by default. Every call
that returns personal data is audited once.
"""

from typing import Any
from uuid import UUID

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.numbers import url_case_number
from onedoor.core.actors import Actor
from onedoor.core.api.filters import StrictFilterBackend
from onedoor.core.api.pagination import Pagination
from onedoor.core.api.schema import problem_responses
from onedoor.core.i18n import localized
from onedoor.notifications.errors import NotificationsNotAllowed
from onedoor.notifications.models import Attachment, Message, NoticeKind
from onedoor.notifications.selectors import (
    attachment_content,
    attachment_get,
    attachments_by_message,
    documents_for,
    inbox_messages,
    inbox_person,
    message_get,
)
from onedoor.notifications.services import message_archive, message_mark_read
from onedoor.parties.models import Institution, Person

from ..views_inbox import attachment_response
from .base import MeApiView

TAGS = ["E-account"]
_TRUE_FALSE = [("true", "true"), ("false", "false")]


def _person_for(actor: Actor) -> Person:
    person = inbox_person(actor=actor)
    if person is None:
        raise NotificationsNotAllowed(
            _("Messages and documents are a person's own: act for yourself (or your child) to read them.")
        )
    return person


def _person_object(person: Person, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=person.personal_code, label=person.full_name, holder_id=str(person.pk))


class _SenderSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request (Accept-Language), Latvian by default.")


def _sender(institution: Institution | None) -> dict[str, str] | None:
    return {"code": institution.code, "name": localized(institution, "name")} if institution else None


def _content_url(attachment: Attachment) -> str:
    return reverse("me-document-content", kwargs={"attachment_id": attachment.pk})


class MeAttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    filename = serializers.CharField()
    media_type = serializers.CharField(help_text="Detected from the content when it arrived.")
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField(help_text="Hex digest; the download is checked against it.")
    content_url = serializers.SerializerMethodField(help_text="Where to download the file.")

    def get_content_url(self, attachment: Attachment) -> str:
        return _content_url(attachment)


class MeMessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    sender = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    case_number = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField(source="created_at")
    read_at = serializers.DateTimeField(allow_null=True)
    archived_at = serializers.DateTimeField(allow_null=True)
    attachment_count = serializers.SerializerMethodField()

    @extend_schema_field(_SenderSerializer(allow_null=True))
    def get_sender(self, message: Message) -> dict[str, str] | None:
        return _sender(message.sender)

    def get_subject(self, message: Message) -> str:
        """In the language of the request, Latvian when there is no English text."""
        return localized(message, "subject")

    def get_case_number(self, message: Message) -> str | None:
        """The case the message is about, e.g. `2011-0042`, or null."""
        return url_case_number(message.case_number) if message.case_number else None

    def get_attachment_count(self, message: Message) -> int:
        annotated = getattr(message, "attachment_count", None)
        return annotated if annotated is not None else len(self.context.get("attachments", []))


class MeMessageDetailSerializer(MeMessageSerializer):
    body = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    def get_body(self, message: Message) -> str:
        """Plain text with line breaks, in the language of the request (Latvian when there is no English)."""
        return localized(message, "body")

    @extend_schema_field(MeAttachmentSerializer(many=True))
    def get_attachments(self, message: Message) -> list[dict[str, Any]]:
        return list(MeAttachmentSerializer(self.context.get("attachments", []), many=True).data)


class _MessageBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    subject = serializers.CharField()
    sender = _SenderSerializer(allow_null=True)
    case_number = serializers.CharField(allow_null=True)


class MeDocumentSerializer(MeAttachmentSerializer):
    received_at = serializers.DateTimeField(source="created_at")
    message = serializers.SerializerMethodField()

    @extend_schema_field(_MessageBriefSerializer)
    def get_message(self, attachment: Attachment) -> dict[str, Any]:
        message = attachment.message
        return {
            "id": str(message.pk),
            "subject": localized(message, "subject"),
            "sender": _sender(message.sender),
            "case_number": url_case_number(message.case_number) if message.case_number else None,
        }


class MeMessageFilter(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(
        choices=_TRUE_FALSE, method="filter_unread", help_text="`true`: only unread messages; `false`: only read ones."
    )
    archived = django_filters.ChoiceFilter(
        choices=_TRUE_FALSE,
        method="filter_archived",
        help_text="`true`: the archive. Left out or `false`: the inbox.",
    )

    class Meta:
        model = Message
        fields = ["unread", "archived"]

    def filter_queryset(self, queryset: QuerySet[Message]) -> QuerySet[Message]:
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_unread(self, queryset: QuerySet[Message], name: str, value: str) -> QuerySet[Message]:
        return queryset.filter(read_at__isnull=value == "true")

    def filter_archived(self, queryset: QuerySet[Message], name: str, value: str) -> QuerySet[Message]:
        return queryset.filter(archived_at__isnull=value != "true")


class MeMessageListApi(MeApiView, GenericAPIView):
    serializer_class = MeMessageSerializer
    queryset = Message.objects.none()  # tells the schema generator the model; the view uses selectors
    pagination_class = Pagination
    filter_backends = [StrictFilterBackend]
    filterset_class = MeMessageFilter

    @extend_schema(
        operation_id="me_messages_list",
        tags=TAGS,
        summary="Your inbox (or archive), newest first",
        description=(
            "Messages from institutions and notices about your cases. Only for a person acting for themself "
            "(with a token: the signed-in person) or a parent for their minor child; 403 otherwise."
        ),
        responses={200: MeMessageSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        person = _person_for(actor)
        messages = self.filter_queryset(inbox_messages(person=person, archived=None))
        page = self.paginate_queryset(messages)
        audit_record(
            actor=actor,
            action="accounts.messages.list",
            obj=_person_object(person, "accounts.inbox"),
            details={"query": dict(request.query_params.items())},
        )
        return self.get_paginated_response(MeMessageSerializer(page, many=True).data)


def _detail(message: Message) -> dict[str, Any]:
    attachments = list(attachments_by_message(messages=[message])[message.pk])
    return dict(MeMessageDetailSerializer(message, context={"attachments": attachments}).data)


def _message_object(message: Message) -> AuditedObject:
    return AuditedObject(
        type="notifications.message", id=str(message.pk), label=message.case_number, holder_id=str(message.recipient_id)
    )


class MeMessageDetailApi(MeApiView):
    @extend_schema(
        operation_id="me_messages_retrieve",
        tags=TAGS,
        summary="One message with its attachments; reading it marks it read",
        responses={200: MeMessageDetailSerializer, **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, message_id: UUID) -> Response:
        actor = self.actor()
        message = message_mark_read(actor=actor, message=message_get(actor=actor, message_id=message_id))
        audit_record(actor=actor, action="accounts.message.read", obj=_message_object(message))
        return Response(_detail(message))


class MeMessageArchiveApi(MeApiView):
    @extend_schema(
        operation_id="me_messages_archive",
        tags=TAGS,
        summary="Move a message to the archive",
        description="Archiving an archived message changes nothing.",
        request=None,
        responses={200: MeMessageDetailSerializer, **problem_responses(401, 403, 404)},
    )
    def post(self, request: Request, message_id: UUID) -> Response:
        actor = self.actor()
        message = message_archive(actor=actor, message=message_get(actor=actor, message_id=message_id))
        return Response(_detail(message))


class MeDocumentListApi(MeApiView, GenericAPIView):
    serializer_class = MeDocumentSerializer
    queryset = Attachment.objects.none()  # tells the schema generator the model; the view uses selectors
    pagination_class = Pagination

    @extend_schema(
        operation_id="me_documents_list",
        tags=TAGS,
        summary="Every document you received with a message, newest first",
        responses={200: MeDocumentSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        person = _person_for(actor)
        page = self.paginate_queryset(documents_for(person=person))
        audit_record(
            actor=actor,
            action="accounts.documents.list",
            obj=_person_object(person, "accounts.documents"),
            details={"query": dict(request.query_params.items())},
        )
        return self.get_paginated_response(MeDocumentSerializer(page, many=True).data)


class _FileRenderer(BaseRenderer):
    """Lets a download be asked for with any Accept header; a refusal is still problem+json."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class MeDocumentContentApi(MeApiView):
    renderer_classes = [JSONRenderer, _FileRenderer]

    @extend_schema(
        operation_id="me_documents_content",
        tags=TAGS,
        summary="Download a document",
        description=(
            "The file as it arrived, with its detected media type as Content-Type and "
            "`Content-Disposition: attachment`."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file's bytes."),
            **problem_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, attachment_id: UUID) -> Any:
        actor = self.actor()
        attachment = attachment_get(actor=actor, attachment_id=attachment_id)
        content = attachment_content(attachment=attachment)
        audit_record(
            actor=actor,
            action="accounts.attachment.download",
            obj=AuditedObject(
                type="notifications.attachment",
                id=str(attachment.pk),
                label=attachment.message.case_number,
                holder_id=str(attachment.message.recipient_id),
            ),
            details={"sha256": attachment.sha256},
        )
        return attachment_response(attachment, content)
