"""/api/v1/me/profile and /api/v1/me/export: the profile and the download of one's data (ACC-2, ACC-6, SEC-3).

The same rules as the pages: the profile's contact data, bank account and notification settings
are shown only to the person acting for themself (a token always acts so); in another context
the acting party's base data comes alone, read-only. The export is the person's own only.
"""

from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.audit.services import audit_record
from onedoor.core.api.schema import problem_responses
from onedoor.core.i18n import current_language
from onedoor.notifications.models import ContactKind, Language, NoticeKind, PreferredChannel
from onedoor.notifications.selectors import contact_points_for, preferred_channel, recipient_language

from ..export import my_data_chunks, my_data_download_audit, my_data_filename
from ..profile import (
    acting_party_facts,
    bank_account_of,
    iban_grouped,
    person_facts,
    person_object,
    self_person,
    self_person_require,
)
from .base import MeApiView

TAGS = ["E-account"]


class _PartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "organisation"])
    name = serializers.CharField()
    code = serializers.CharField(help_text="Personal code (`DDMMYY-NNNNN`) or registration number.")
    address = serializers.CharField(help_text="Declared address of a person, legal address of a company.")
    municipality = serializers.CharField(help_text="A person's municipality, in the request's language; may be empty.")
    legal_form = serializers.CharField(help_text="A company's legal form (SIA, AS, …); empty for a person.")
    in_register = serializers.BooleanField(help_text="False when the registers do not know the party.")


class _ContactPointSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    value = serializers.CharField(help_text="E-mail address in lower case or phone number in E.164 form.")
    confirmed_at = serializers.DateTimeField(allow_null=True, help_text="Null while awaiting confirmation.")


class _BankAccountSerializer(serializers.Serializer):
    iban = serializers.CharField(help_text="Grouped by four characters.")
    holder_name = serializers.CharField()
    added_at = serializers.DateTimeField()


class _PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    channel = serializers.ChoiceField(choices=PreferredChannel.choices)


class MeProfileSerializer(serializers.Serializer):
    editable = serializers.BooleanField(help_text="True when the caller is the person, acting for themself.")
    party = _PartySerializer(help_text="Base data of the acting party from the registers.")
    contact_points = _ContactPointSerializer(many=True, allow_null=True, help_text="Null when not editable.")
    bank_account = _BankAccountSerializer(allow_null=True)
    notification_language = serializers.ChoiceField(choices=Language.choices, allow_null=True)
    notification_preferences = _PreferenceSerializer(many=True, allow_null=True)


class MeProfileApi(MeApiView):
    @extend_schema(
        operation_id="me_profile_retrieve",
        tags=TAGS,
        summary="Your profile: base data, contact data, bank account, notification settings",
        description=(
            "For the person acting for themself (always so with a token): everything the profile page shows. "
            "In another acting context (a child, a company, under a mandate) only the acting party's base data, "
            "with `editable` false."
        ),
        responses={200: MeProfileSerializer, **problem_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        language = current_language()
        person = self_person(actor=actor)
        if person is None:
            facts = acting_party_facts(actor=actor, language=language)
            body: dict[str, Any] = {
                "editable": False,
                "party": facts,
                "contact_points": None,
                "bank_account": None,
                "notification_language": None,
                "notification_preferences": None,
            }
            return Response(MeProfileSerializer(body).data)
        account = bank_account_of(person=person)
        body = {
            "editable": True,
            "party": person_facts(person, language=language),
            "contact_points": list(contact_points_for(person=person)),
            "bank_account": (
                {"iban": iban_grouped(account.iban), "holder_name": account.holder_name, "added_at": account.added_at}
                if account
                else None
            ),
            "notification_language": recipient_language(person=person),
            "notification_preferences": [
                {"kind": kind.value, "channel": preferred_channel(person=person, kind=kind)} for kind in NoticeKind
            ],
        }
        audit_record(actor=actor, action="accounts.profile.read", obj=person_object(person), details={"via": "api"})
        return Response(MeProfileSerializer(body).data)


class MeExportApi(MeApiView):
    @extend_schema(
        operation_id="me_export_retrieve",
        tags=TAGS,
        summary="Download everything the platform holds about you (JSON)",
        description=(
            "The same document as the e-account's “Download my data” (format `onedoor-my-data/1`): person record, "
            "contact data, settings, bank account, cases with status history and feedback, consultations, inbox "
            "messages with attachment metadata, mandates given and received, and the audit records about you. "
            "Only for the person acting for themself. Streamed; each download is audited."
        ),
        responses={
            200: OpenApiResponse(response=OpenApiTypes.OBJECT, description="The document, as an attachment."),
            **problem_responses(401, 403),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        actor = self.actor()
        person = self_person_require(actor=actor, action="accounts.my_data.download_denied")
        my_data_download_audit(actor=actor, person=person, via="api")
        response = StreamingHttpResponse(my_data_chunks(person=person), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{my_data_filename(timezone.localdate())}"'
        response["Cache-Control"] = "no-store"
        return response
