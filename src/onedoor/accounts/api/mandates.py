"""/api/v1/me/mandates: the mandates the acting party gave and the signed-in person received (ACC-5).

The same selectors and services as the pages: another party's mandate is a 404 as a missing one,
giving, revoking and declining are checked and audited by `access.services`, and a list call is
audited once. Periods are given as days (Riga time, the last day inclusive).
"""

from datetime import date
from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.access.errors import MandateInvalid
from onedoor.access.models import Mandate, MandateScope, MandateStatus
from onedoor.access.selectors import (
    mandate_get,
    mandate_services,
    mandates_given_or_received,
    mandates_in_status,
)
from onedoor.access.services import mandate_decline, mandate_grant, mandate_period, mandate_revoke
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.catalog.models import Service
from onedoor.core.api.fields import StrictCharField
from onedoor.core.api.filters import StrictFilterBackend
from onedoor.core.api.pagination import Pagination
from onedoor.core.api.schema import problem_responses
from onedoor.core.errors import PermissionDenied
from onedoor.core.i18n import localized

from ..forms_mandates import add_years
from .base import MeApiView, acting_context_of

TAGS = ["E-account"]
ISO_DATE = "%Y-%m-%d"


class MandateDirection(models.TextChoices):
    GIVEN = "given", "Given by the party you act for"
    RECEIVED = "received", "Received by you"


DIRECTIONS = MandateDirection.choices
REFERENCE = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The mandate's reference, e.g. `M-7K3Q9F2A`."
)
# The service names its fields after the stored period; the API takes days.
_FIELD_NAMES = {"valid_from": "first_day", "valid_until": "last_day", "mandatary": "mandatary"}


class MandatePartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("person", "person"), ("organisation", "organisation")])
    name = serializers.CharField()
    code = serializers.CharField(help_text="Personal code or registration number.")


class MandateServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request (Accept-Language), Latvian by default.")


class MandateSerializer(serializers.ModelSerializer):
    direction = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    mandator = serializers.SerializerMethodField()
    mandatary = serializers.SerializerMethodField()
    granted_by = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    first_day = serializers.DateField(help_text="The first day it holds (Riga time).")
    last_day = serializers.DateField(help_text="The last day it holds, inclusive (Riga time).")

    class Meta:
        model = Mandate
        fields = [
            "reference",
            "direction",
            "status",
            "mandator",
            "mandatary",
            "granted_by",
            "scope",
            "services",
            "first_day",
            "last_day",
            "valid_from",
            "valid_until",
            "granted_at",
            "revoked_at",
            "declined_at",
        ]
        extra_kwargs = {
            "valid_from": {"help_text": "When it begins."},
            "valid_until": {"help_text": "When it ends (exclusive): the start of the day after the last day."},
        }

    @extend_schema_field(serializers.ChoiceField(choices=DIRECTIONS))
    def get_direction(self, mandate: Mandate) -> str:
        return "given" if getattr(mandate, "is_given", False) else "received"

    @extend_schema_field(serializers.ChoiceField(choices=MandateStatus.choices))
    def get_status(self, mandate: Mandate) -> str:
        return mandate.status_at(self.context["now"])

    @extend_schema_field(MandatePartySerializer)
    def get_mandator(self, mandate: Mandate) -> dict[str, str]:
        if mandate.mandator_organisation_id:
            return {"kind": "organisation", "name": mandate.mandator_label, "code": mandate.mandator_key}
        return {"kind": "person", "name": mandate.mandator_label, "code": mandate.mandator_key}

    @extend_schema_field(MandatePartySerializer)
    def get_mandatary(self, mandate: Mandate) -> dict[str, str]:
        person = mandate.mandatary
        return {"kind": "person", "name": person.full_name, "code": person.personal_code}

    def get_granted_by(self, mandate: Mandate) -> str:
        """The name of the person who gave it: the mandator, or the company's representative."""
        return mandate.granted_by.full_name

    @extend_schema_field(MandateServiceSerializer(many=True))
    def get_services(self, mandate: Mandate) -> list[dict[str, str]]:
        """For chosen services: which; empty for all services and for result retrieval only."""
        services: dict[str, Service] = self.context["services"]
        return [
            {"code": code, "name": localized(services[code], "name") if code in services else code}
            for code in mandate.service_codes
        ]


class MandateCreateSerializer(serializers.Serializer):
    mandatary = StrictCharField(max_length=12, help_text="The personal code of the person who receives the mandate.")
    scope = serializers.ChoiceField(choices=MandateScope.choices)
    service_codes = serializers.ListField(
        child=StrictCharField(max_length=6), required=False, default=list, help_text="For scope `services`."
    )
    first_day = serializers.DateField(required=False, input_formats=[ISO_DATE], help_text="Default: today (Riga time).")
    last_day = serializers.DateField(
        required=False, input_formats=[ISO_DATE], help_text="Inclusive. Default: a year from the first day."
    )


class MandateFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(choices=DIRECTIONS, method="filter_direction")
    status = django_filters.ChoiceFilter(choices=MandateStatus.choices, method="filter_status")

    class Meta:
        model = Mandate
        fields = ["direction", "status"]

    def filter_direction(self, queryset: QuerySet[Mandate], name: str, value: str) -> QuerySet[Mandate]:
        return queryset.filter(Q(is_given=value == "given"))

    def filter_status(self, queryset: QuerySet[Mandate], name: str, value: str) -> QuerySet[Mandate]:
        return mandates_in_status(queryset, status=value, at=timezone.now())


def _serialized(mandates: list[Mandate], *, many: bool, request: Request) -> Any:
    context = {"request": request, "now": timezone.now(), "services": mandate_services(mandates)}
    return MandateSerializer(mandates if many else mandates[0], many=many, context=context).data


class MeMandateCollectionApi(MeApiView, ListAPIView):
    serializer_class = MandateSerializer
    queryset = Mandate.objects.none()  # tells the schema generator the model; the views use selectors
    pagination_class = Pagination
    filter_backends = [StrictFilterBackend]
    filterset_class = MandateFilter

    def get_queryset(self) -> QuerySet[Mandate]:
        return mandates_given_or_received(actor=self.actor(), person=self.signed_in_person())

    @extend_schema(
        operation_id="me_mandates_list",
        tags=TAGS,
        summary="Mandates given by the party you act for and received by you, newest first",
        description=(
            "With a token, the signed-in person acts for themself. Each mandate says whether it was `given` "
            "or `received` and its status now. Under a mandate, only the mandates you received are listed."
        ),
        responses={200: MandateSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        audit_record(
            actor=actor,
            action="accounts.mandates.list",
            obj=AuditedObject(
                type="access.mandates", id=actor.acting_for, label=actor.acting_for_label, holder_id=actor.acting_for_id
            ),
            details={"query": dict(request.query_params.items())},
        )
        return self.get_paginated_response(_serialized(page, many=True, request=request))

    @extend_schema(
        operation_id="me_mandates_create",
        tags=TAGS,
        summary="Give a mandate on behalf of the party you act for",
        description=(
            "Only a person acting for themself, or a company's representative who may represent it alone, "
            "gives mandates; never under a mandate (no sub-delegation). The mandatary is told in their inbox."
        ),
        request=MandateCreateSerializer,
        responses={201: MandateSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        payload = MandateCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        person = self.signed_in_person()
        context = acting_context_of(request)
        if person is None or context is None:
            raise PermissionDenied(_("Only a signed-in person gives mandates."))
        first_day: date = data.get("first_day") or timezone.localdate()
        last_day: date = data.get("last_day") or add_years(first_day, 1)
        if last_day < first_day:
            message = _("The last day cannot be before the first day.")
            raise MandateInvalid(message, invalid_params={"last_day": [message]})
        valid_from, valid_until = mandate_period(first_day=first_day, last_day=last_day)
        try:
            mandate = mandate_grant(
                actor=self.actor(),
                granted_by=person,
                may_grant=context.may_grant_mandates,
                mandatary_code=data["mandatary"],
                scope=data["scope"],
                service_codes=data["service_codes"],
                valid_from=valid_from,
                valid_until=valid_until,
            )
        except MandateInvalid as error:
            renamed = {_FIELD_NAMES.get(name, name): reasons for name, reasons in error.invalid_params.items()}
            raise MandateInvalid(error.detail, invalid_params=renamed) from None
        mandate.is_given = True  # type: ignore[attr-defined]
        return Response(_serialized([mandate], many=False, request=request), status=status.HTTP_201_CREATED)


class _MandateChangeApi(MeApiView):
    def _mandate(self, reference: str) -> Mandate:
        return mandate_get(actor=self.actor(), person=self.signed_in_person(), reference=reference)

    def _respond(self, mandate: Mandate, request: Request) -> Response:
        actor = self.actor()
        mandator_id = str(mandate.mandator_person_id or mandate.mandator_organisation_id)
        mandate.is_given = actor.acting_for_id == mandator_id and not actor.mandate_id  # type: ignore[attr-defined]
        return Response(_serialized([mandate], many=False, request=request))


class MeMandateRevokeApi(_MandateChangeApi):
    @extend_schema(
        operation_id="me_mandates_revoke",
        tags=TAGS,
        summary="Revoke a mandate the party you act for gave",
        description="Takes effect at once: the mandatary's next request no longer acts under it. Final.",
        parameters=[REFERENCE],
        request=None,
        responses={200: MandateSerializer, **problem_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        mandate = self._mandate(reference)
        context = acting_context_of(request)
        revoked = mandate_revoke(
            actor=self.actor(), mandate=mandate, may_revoke=context is not None and context.may_grant_mandates
        )
        return self._respond(revoked, request)


class MeMandateDeclineApi(_MandateChangeApi):
    @extend_schema(
        operation_id="me_mandates_decline",
        tags=TAGS,
        summary="Decline a mandate you received",
        description="You act for yourself. Takes effect at once and is final; the one who gave it is told.",
        parameters=[REFERENCE],
        request=None,
        responses={200: MandateSerializer, **problem_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        mandate = self._mandate(reference)
        person = self.signed_in_person()
        if person is None:
            raise PermissionDenied(_("Only the mandatary can decline a mandate."))
        declined = mandate_decline(actor=self.actor(), person=person, mandate=mandate)
        return self._respond(declined, request)
