"""/api/v1/me/cases: the acting party's cases for the mobile channel and the browser (ACC-4, REG-3).

Same selectors as the pages: a list costs the same few queries whatever its length, another party's
case is a 404 as a missing one, and every call that returns personal data is audited once.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case, CaseStatusEvent, ClientKind
from onedoor.cases.numbers import url_case_number
from onedoor.catalog.models import Lifecycle, ServiceStatusType
from onedoor.core.api.filters import StrictFilterBackend
from onedoor.core.api.pagination import Pagination
from onedoor.core.api.schema import problem_responses
from onedoor.core.channels import Channel
from onedoor.core.i18n import localized
from onedoor.parties.models import Institution

from ..selectors import HistoryFilters, case_status_types, cases_narrowed, client_case_get, party_cases
from .base import MeApiView

TAGS = ["E-account"]
ISO_DATE = "%Y-%m-%d"  # the API takes ISO dates only, whatever the language of the request


class MeCaseRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request (Accept-Language), Latvian by default.")


class MeCasePartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClientKind.choices)
    name = serializers.CharField(allow_null=True, help_text="The person's or company's name; null when not identified.")


def _party(kind: str, person: Any, organisation: Any) -> dict[str, Any]:
    if person is not None:
        return {"kind": ClientKind.PERSON, "name": person.full_name}
    if organisation is not None:
        return {"kind": ClientKind.ORGANISATION, "name": organisation.name}
    return {"kind": kind, "name": None}


class MeCaseSerializer(serializers.ModelSerializer):
    case_number = serializers.SerializerMethodField()
    service = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    status_name = serializers.SerializerMethodField()
    applicant = serializers.SerializerMethodField()
    acting_for = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "case_number",
            "service",
            "holder",
            "status",
            "status_name",
            "lifecycle",
            "is_closed",
            "status_occurred_at",
            "submitted_at",
            "channel",
            "result_channel",
            "applicant",
            "acting_for",
            "mandate_reference",
        ]

    def get_case_number(self, case: Case) -> str:
        return url_case_number(case.number)

    @extend_schema_field(MeCaseRefSerializer)
    def get_service(self, case: Case) -> dict[str, str]:
        return {"code": case.service.code, "name": localized(case.service, "name")}

    @extend_schema_field(MeCaseRefSerializer)
    def get_holder(self, case: Case) -> dict[str, str]:
        return {"code": case.holder.code, "name": localized(case.holder, "name")}

    def get_status_name(self, case: Case) -> str:
        """The current status as the service names it."""
        return str(getattr(case, "status_name", "") or case.status)

    @extend_schema_field(MeCasePartySerializer)
    def get_applicant(self, case: Case) -> dict[str, Any]:
        return _party(case.applicant_kind, case.applicant_person, case.applicant_organisation)

    @extend_schema_field(MeCasePartySerializer)
    def get_acting_for(self, case: Case) -> dict[str, Any]:
        if case.for_person is None and case.for_organisation is None:
            return self.get_applicant(case)
        return _party(case.applicant_kind, case.for_person, case.for_organisation)


class MeStatusEventSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    client_text = serializers.SerializerMethodField()

    class Meta:
        model = CaseStatusEvent
        fields = ["status", "name", "client_text", "lifecycle", "is_final", "occurred_at"]

    def _type(self, event: CaseStatusEvent) -> ServiceStatusType | None:
        types: dict[str, ServiceStatusType] = self.context.get("status_types", {})
        return types.get(event.status)

    def get_name(self, event: CaseStatusEvent) -> str:
        status_type = self._type(event)
        return localized(status_type, "name") if status_type else event.status

    def get_client_text(self, event: CaseStatusEvent) -> str:
        status_type = self._type(event)
        return localized(status_type, "client_text") if status_type else ""


class MeCaseDetailSerializer(MeCaseSerializer):
    history = serializers.SerializerMethodField()

    class Meta(MeCaseSerializer.Meta):
        fields = [*MeCaseSerializer.Meta.fields, "history"]

    @extend_schema_field(MeStatusEventSerializer(many=True))
    def get_history(self, case: Case) -> list[dict[str, Any]]:
        return list(MeStatusEventSerializer(case.status_events.all(), many=True, context=self.context).data)

    def get_status_name(self, case: Case) -> str:
        status_type = self.context.get("status_types", {}).get(case.status)
        return localized(status_type, "name") if status_type else case.status


class _PeriodForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start date."))
        return cleaned


class MeCaseFilter(django_filters.FilterSet):
    """The history's filters as query parameters; the selector applies them."""

    date_from = django_filters.DateFilter(
        input_formats=[ISO_DATE], help_text="Submitted on or after this day (YYYY-MM-DD, Riga time)."
    )
    date_to = django_filters.DateFilter(
        input_formats=[ISO_DATE], help_text="Submitted on or before this day (YYYY-MM-DD, Riga time)."
    )
    service = django_filters.CharFilter(max_length=200, help_text="A service code, or words of its name.")
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        field_name="holder",
        to_field_name="code",
        help_text="The holder's code, e.g. VSAA.",
    )
    status = django_filters.ChoiceFilter(choices=Lifecycle.choices, help_text="The lifecycle stage of the case.")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, help_text="Where the case was applied for.")

    class Meta:
        model = Case
        fields = ["date_from", "date_to", "service", "institution", "status", "channel"]
        form = _PeriodForm

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        data = self.form.cleaned_data
        institution = data.get("institution")
        return cases_narrowed(
            queryset,
            HistoryFilters(
                submitted_from=data.get("date_from"),
                submitted_to=data.get("date_to"),
                service=(data.get("service") or "").strip(),
                institution=institution.code if institution else "",
                lifecycle=data.get("status") or "",
                channel=data.get("channel") or "",
            ),
        )


def _party_object(actor: Any, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=actor.acting_for, label=actor.acting_for_label, holder_id=actor.acting_for_id)


class MeCaseListApi(MeApiView, ListAPIView):
    serializer_class = MeCaseSerializer
    queryset = Case.objects.none()  # tells the schema generator the model; the view uses selectors
    pagination_class = Pagination
    filter_backends = [StrictFilterBackend]
    filterset_class = MeCaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return party_cases(actor=self.actor())

    @extend_schema(
        operation_id="me_cases_list",
        tags=TAGS,
        summary="The cases of the party you act for, newest first",
        description=(
            "Every case of the person or company the caller acts for (with a token: the signed-in person), "
            "from every channel, like a bank statement. Under a mandate: only the mandate's services."
        ),
        responses={200: MeCaseSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        audit_record(
            actor=actor,
            action="accounts.cases.list",
            obj=_party_object(actor, "accounts.history"),
            details={"query": dict(request.query_params.items())},
        )
        return self.get_paginated_response(MeCaseSerializer(page, many=True).data)


class MeCaseDetailApi(MeApiView):
    @extend_schema(
        operation_id="me_cases_retrieve",
        tags=TAGS,
        summary="One case of the party you act for, with its status history",
        parameters=[
            OpenApiParameter(
                "number", str, OpenApiParameter.PATH, description="Case number, e.g. `2011-0042` (a space also works)."
            )
        ],
        responses={200: MeCaseDetailSerializer, **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, number: str) -> Response:
        actor = self.actor()
        case = client_case_get(actor=actor, number=number)
        audit_record(
            actor=actor,
            action="accounts.case.read",
            obj=AuditedObject(type="cases.case", id=case.number, label=case.number, holder_id=actor.acting_for_id),
        )
        context = {"request": request, "status_types": case_status_types(case)}
        return Response(MeCaseDetailSerializer(case, context=context).data)
