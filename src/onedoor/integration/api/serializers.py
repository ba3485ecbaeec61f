"""The published shapes of the integration API (INT-1). Field names are a contract: keep them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onedoor.cases.models import Case, CaseStatusEvent, ClientKind, Consultation, Feedback, FeedbackAspect
from onedoor.cases.numbers import url_case_number
from onedoor.cases.services import PartyRef
from onedoor.core.api.fields import StrictCharField, StrictRegexField, StrictSlugField
from onedoor.core.api.schema import ProblemSerializer
from onedoor.core.channels import Channel

MAX_BATCH = 1000


class PartySerializer(serializers.Serializer):
    """Exactly one of: `personal_code`, `registration_number`, `phone`, or `anonymous: true`."""

    personal_code = StrictCharField(required=False, max_length=12, help_text="Latvian personal code.")
    registration_number = StrictCharField(required=False, max_length=11, help_text="Registration number.")
    phone = StrictCharField(required=False, max_length=20, help_text="Phone number (partially identified).")
    anonymous = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> PartyRef:
        ref = PartyRef(
            personal_code=attrs.get("personal_code", ""),
            registration_number=attrs.get("registration_number", ""),
            phone=attrs.get("phone", ""),
            anonymous=attrs.get("anonymous", False),
        )
        if sum([bool(ref.personal_code), bool(ref.registration_number), bool(ref.phone), ref.anonymous]) != 1:
            raise serializers.ValidationError(
                _("Give exactly one of personal_code, registration_number, phone or anonymous.")
            )
        return ref


class CaseCreateSerializer(serializers.Serializer):
    service = StrictRegexField(r"^\d{4,6}$", help_text="Service code.")
    applicant = PartySerializer()
    acting_for = PartySerializer(required=False, help_text="On whose behalf, when not the applicant.")
    channel = serializers.ChoiceField(choices=Channel.choices)
    result_channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    external_id = StrictCharField(required=False, max_length=100, help_text="The case's id in your system.")
    submitted_at = serializers.DateTimeField(required=False)
    # A declared field named "data" is popped into the serializer's fields, so `.data` still works.
    data = serializers.DictField(required=False, help_text="Structured application data.")  # type: ignore[assignment]


class StatusEventSerializer(serializers.ModelSerializer):
    id = StrictCharField(source="event_id")

    class Meta:
        model = CaseStatusEvent
        fields = ["id", "status", "lifecycle", "is_final", "occurred_at", "received_at", "actor_label", "note"]


class PartyOutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClientKind.choices)
    personal_code = StrictCharField(allow_null=True)
    registration_number = StrictCharField(allow_null=True)
    phone = StrictCharField(allow_null=True)


class CaseSerializer(serializers.ModelSerializer):
    case_number = serializers.SerializerMethodField()
    service = StrictCharField(source="service.code")
    holder = StrictCharField(source="holder.code")
    applicant = serializers.SerializerMethodField()
    acting_for = serializers.SerializerMethodField()
    external_id = StrictCharField(allow_null=True)

    class Meta:
        model = Case
        fields = [
            "case_number",
            "service",
            "holder",
            "status",
            "lifecycle",
            "is_closed",
            "status_occurred_at",
            "channel",
            "result_channel",
            "applicant",
            "acting_for",
            "external_id",
            "submitted_at",
            "created_at",
            "data",
        ]

    def get_case_number(self, case: Case) -> str:
        return url_case_number(case.number)

    @extend_schema_field(PartyOutSerializer)
    def get_applicant(self, case: Case) -> dict[str, Any]:
        return {
            "kind": case.applicant_kind,
            "personal_code": case.applicant_person.personal_code if case.applicant_person else None,
            "registration_number": case.applicant_organisation.registration_number
            if case.applicant_organisation
            else None,
            "phone": case.applicant_phone or None,
        }

    @extend_schema_field(PartyOutSerializer)
    def get_acting_for(self, case: Case) -> dict[str, Any]:
        if case.for_person:
            return {
                "kind": ClientKind.PERSON,
                "personal_code": case.for_person.personal_code,
                "registration_number": None,
                "phone": None,
            }
        if case.for_organisation:
            return {
                "kind": ClientKind.ORGANISATION,
                "personal_code": None,
                "registration_number": case.for_organisation.registration_number,
                "phone": None,
            }
        return self.get_applicant(case)

    def to_representation(self, case: Case) -> dict[str, Any]:
        data = super().to_representation(case)
        data["external_id"] = case.external_id or None
        return data


class CaseDetailSerializer(CaseSerializer):
    history = StatusEventSerializer(many=True, source="status_events.all")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "history"]


class CaseQuerySerializer(serializers.Serializer):
    service = StrictRegexField(r"^\d{4,6}$", required=False)
    status = StrictSlugField(required=False)
    personal_code = StrictCharField(required=False, max_length=12)
    registration_number = StrictCharField(required=False, max_length=11)
    submitted_from = serializers.DateTimeField(required=False)
    submitted_to = serializers.DateTimeField(required=False)


class StatusEventCreateSerializer(serializers.Serializer):
    id = StrictCharField(max_length=100, help_text="Your id of this event; a repeated id is not recorded twice.")
    status = StrictSlugField(max_length=50, help_text="A status code of the case's service.")
    occurred_at = serializers.DateTimeField(help_text="When it happened in your system.")
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)


class BatchItemSerializer(StatusEventCreateSerializer):
    case_number = StrictCharField(max_length=20)


class BatchSerializer(serializers.Serializer):
    events = BatchItemSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)  # type: ignore[call-arg]


class BatchResultSerializer(serializers.Serializer):
    case_number = StrictCharField()
    id = StrictCharField()
    result = serializers.ChoiceField(choices=["created", "duplicate", "refused"])
    status = StrictCharField(required=False)
    current_status = StrictCharField(required=False)
    error = ProblemSerializer(required=False)


class BatchResponseSerializer(serializers.Serializer):
    results = BatchResultSerializer(many=True)


class StatusEventResponseSerializer(serializers.Serializer):
    case_number = StrictCharField()
    event = StatusEventSerializer()
    current_status = StrictCharField()
    is_closed = serializers.BooleanField()


class ConsultationCreateSerializer(serializers.Serializer):
    service = StrictRegexField(r"^\d{4,6}$", required=False)
    channel = serializers.ChoiceField(choices=Channel.choices)
    client = PartySerializer()
    topic = StrictCharField(max_length=300)
    outcome = StrictCharField(required=False, allow_blank=True, max_length=1000)
    specialist = StrictCharField(required=False, allow_blank=True, max_length=200)
    duration_seconds = serializers.IntegerField(required=False, min_value=0, max_value=86400)
    occurred_at = serializers.DateTimeField()
    external_id = StrictCharField(required=False, max_length=100)


class ConsultationSerializer(serializers.ModelSerializer):
    service = StrictCharField(source="service.code", allow_null=True)
    institution = StrictCharField(source="institution.code")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "service",
            "institution",
            "channel",
            "client_kind",
            "topic",
            "outcome",
            "duration_seconds",
            "occurred_at",
        ]


class FeedbackCreateSerializer(serializers.Serializer):
    case_number = StrictCharField(required=False, max_length=20)
    consultation = serializers.UUIDField(required=False)
    client = PartySerializer()
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        allow_empty=False,
        help_text=f"Score 1–5 per aspect: {', '.join(FeedbackAspect.values)}.",
    )
    comment = StrictCharField(required=False, allow_blank=True, max_length=2000)
    channel = serializers.ChoiceField(choices=Channel.choices)


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "scores", "comment", "channel", "given_at"]
