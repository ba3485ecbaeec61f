"""Messages from institutions to clients' e-account inboxes (ACC-3, NOTE-1): `POST /messages`.

The letter and its files stay in the e-account; the client is told by e-mail or SMS, by their
preference, that a letter arrived (not what it says). Needs the `messages:write` scope.
"""

import base64
import binascii
import math
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.cases.numbers import url_case_number
from onedoor.core.api.fields import StrictCharField
from onedoor.core.api.schema import problem_responses
from onedoor.core.errors import ValidationFailed
from onedoor.documents.filetypes import FILENAME_MAX_CHARS
from onedoor.notifications.models import Message
from onedoor.notifications.services import (
    BODY_MAX_CHARS,
    SUBJECT_MAX_CHARS,
    AttachmentInput,
    attachment_limits,
    institution_message_send,
)

from ..auth import system_actor
from ..models import Scope
from .views import SystemApiView

TAGS = ["Messages"]
# Room in a request body besides the files: texts, names and JSON punctuation.
_BODY_ALLOWANCE_BYTES = 1024 * 1024


def _base64_length(size: int) -> int:
    return 4 * math.ceil(size / 3)


class RecipientSerializer(serializers.Serializer):
    personal_code = StrictCharField(max_length=12, help_text="The person's Latvian personal code.")


class SubjectSerializer(serializers.Serializer):
    lv = StrictCharField(max_length=SUBJECT_MAX_CHARS, help_text="In Latvian (required).")
    en = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=SUBJECT_MAX_CHARS,
        help_text="In English; English pages fall back to Latvian.",
    )


class BodySerializer(serializers.Serializer):
    lv = StrictCharField(max_length=BODY_MAX_CHARS, help_text="Plain text in Latvian (required); line breaks are kept.")
    en = StrictCharField(
        required=False, allow_blank=True, max_length=BODY_MAX_CHARS, help_text="Plain text in English; optional."
    )


class AttachmentCreateSerializer(serializers.Serializer):
    filename = StrictCharField(
        max_length=FILENAME_MAX_CHARS, help_text="The name the client sees, e.g. `decision.pdf`."
    )
    content_base64 = StrictCharField(
        trim_whitespace=False,
        help_text="The file, base64-encoded (RFC 4648; line breaks are ignored). PDF, PNG, JPEG, UTF-8 text "
        "or eDOC (ASiC-E); the type is detected from the content.",
    )

    def validate_content_base64(self, value: str) -> bytes:
        compact = "".join(value.split())
        if len(compact) > _base64_length(attachment_limits().max_bytes):
            raise serializers.ValidationError(_("The file is too large."))
        try:
            return base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("Not valid base64.")) from None


class AttachmentListField(serializers.ListField):
    """Counts the files before decoding any of them."""

    def to_internal_value(self, data: Any) -> list[Any]:
        limit = attachment_limits().max_count
        if isinstance(data, list) and len(data) > limit:
            raise serializers.ValidationError(_("At most %(count)d attachments per message.") % {"count": limit})
        return super().to_internal_value(data)


class MessageCreateSerializer(serializers.Serializer):
    recipient = RecipientSerializer()
    case_number = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="A case of the recipient that your system may see, e.g. `2011 0042` (a hyphen also works).",
    )
    subject = SubjectSerializer()
    body = BodySerializer()
    attachments = AttachmentListField(
        child=AttachmentCreateSerializer(), required=False, help_text="Up to 5 files of up to 10 MB each."
    )


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    filename = StrictCharField(help_text="As the client sees it: made safe, with an extension matching the type.")
    media_type = StrictCharField(help_text="Detected from the content.")
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = StrictCharField(help_text="Hex digest of the stored file.")


class MessageCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_number = StrictCharField(allow_null=True)
    created_at = serializers.DateTimeField()
    attachments = AttachmentSerializer(many=True)

    def to_representation(self, message: Message) -> dict[str, Any]:
        return {
            "id": str(message.pk),
            "case_number": url_case_number(message.case_number) if message.case_number else None,
            "created_at": serializers.DateTimeField().to_representation(message.created_at),
            "attachments": AttachmentSerializer(message.attachments.order_by("created_at", "id"), many=True).data,
        }


def _check_body_size(request: Request) -> None:
    """Refuse a body too large to hold the allowed files before reading it."""
    limits = attachment_limits()
    allowed = limits.max_count * _base64_length(limits.max_bytes) + _BODY_ALLOWANCE_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > allowed:
        message = _("The request is larger than %(count)d files of the largest size allowed.") % {
            "count": limits.max_count
        }
        raise ValidationFailed(message, invalid_params={"attachments": [message]})


class MessageCreateApi(SystemApiView):
    required_scope = Scope.MESSAGES_WRITE
    audit_action = "messages.send"

    @extend_schema(
        operation_id="messages_create",
        tags=TAGS,
        summary="Send a message with attachments to a person's e-account inbox",
        description=(
            "Puts the letter in the person's inbox, optionally about one of their cases that your system may "
            "see. The person is told by e-mail or SMS, by their preference, that a letter from your institution "
            "arrived; the text and the files are shown only in the e-account. Nothing is stored when anything "
            "is refused; `invalidParams` names every field at fault (e.g. `attachments.0.content_base64`). "
            "A personal code nobody is known by, or a case your system cannot see, is a 404."
        ),
        request=MessageCreateSerializer,
        responses={201: MessageCreatedSerializer, **problem_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        _check_body_size(request)
        payload = MessageCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        message = institution_message_send(
            actor=system_actor(request),
            personal_code=data["recipient"]["personal_code"],
            subject=data["subject"],
            body=data["body"],
            case_number=data.get("case_number", ""),
            attachments=[
                AttachmentInput(filename=item["filename"], content=item["content_base64"])
                for item in data.get("attachments", [])
            ],
        )
        return Response(MessageCreatedSerializer(message).data, status=status.HTTP_201_CREATED)
