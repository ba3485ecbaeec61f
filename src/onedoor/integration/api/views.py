"""The inbound API for institutions' systems (INT-1): one view per operation.

Authentication is an OAuth 2.0 bearer token of an institution system; each view names the
scope it needs. Every call is audited: writes by the services in their transaction, reads and
refusals here.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case
from onedoor.cases.selectors import case_get, cases_filtered
from onedoor.cases.services import (
    StatusEventInput,
    StatusEventResult,
    case_register,
    consultation_register,
    feedback_give,
    status_events_record,
)
from onedoor.core.actors import anonymous
from onedoor.core.api.pagination import PAGE_PARAMETERS
from onedoor.core.api.problems import problem
from onedoor.core.api.schema import problem_responses
from onedoor.core.middleware import client_ip

from ..auth import HasScope, SystemTokenAuthentication, system_actor
from ..models import Scope
from . import serializers as s

TAGS = ["Registry"]


class SystemApiView(APIView):
    """Bearer token of an institution system, a required scope, and an audit record for reads and refusals."""

    authentication_classes = [SystemTokenAuthentication]
    permission_classes = [HasScope]
    required_scope: str = ""
    audit_action: str = ""

    def scope_for(self, method: str) -> str:
        """The scope an operation needs (documented in the OpenAPI security requirements too)."""
        return self.required_scope

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # An unsupported method is 405 for everyone, before credentials are looked at.
        if request.method not in self.allowed_methods:
            raise MethodNotAllowed(request.method or "")
        self.required_scope = self.scope_for(request.method or "")
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" or response.status_code >= 400:
            actor = getattr(request._request, "onedoor_actor", None) or anonymous(
                source_ip=client_ip(request._request), request_id=getattr(request._request, "request_id", "")
            )
            audit_record(
                actor=actor,
                action=f"api.{self.audit_action}",
                outcome="success" if response.status_code < 400 else "denied",
                obj=getattr(self, "audited_object", None),
                details={"method": request.method, "path": request.path, "status": response.status_code},
            )
        return response


class CaseCollectionApi(SystemApiView, GenericAPIView):
    serializer_class = s.CaseSerializer
    queryset = Case.objects.none()  # tells the schema generator the model; the views use selectors

    def scope_for(self, method: str) -> str:
        return Scope.CASES_READ if method in {"GET", "HEAD"} else Scope.CASES_WRITE

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.audit_action = "cases.list" if request.method == "GET" else "cases.register"
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="cases_create",
        tags=TAGS,
        summary="Register a case",
        description=(
            "Registers a case once. Repeating a request with the same `external_id` returns the original case (200)."
        ),
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer, 200: s.CaseSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        payload = s.CaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        registration = case_register(
            actor=system_actor(request),
            service_code=data["service"],
            applicant=data["applicant"],
            acting_for=data.get("acting_for"),
            channel=data["channel"],
            result_channel=data.get("result_channel", ""),
            external_id=data.get("external_id", ""),
            submitted_at=data.get("submitted_at"),
            data=data.get("data"),
        )
        code = status.HTTP_201_CREATED if registration.created else status.HTTP_200_OK
        return Response(s.CaseSerializer(registration.case).data, status=code)

    @extend_schema(
        operation_id="cases_list",
        tags=TAGS,
        summary="Cases visible to the calling system, newest first",
        parameters=[s.CaseQuerySerializer, *PAGE_PARAMETERS],
        responses={200: s.CaseSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        query = s.CaseQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        cases = cases_filtered(actor=system_actor(request), **query.validated_data)
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(s.CaseSerializer(page, many=True).data)


CASE_NUMBER = OpenApiParameter(
    "case_number", str, OpenApiParameter.PATH, description="Case number, e.g. `2011-0042` (a space also works)."
)


class CaseDetailApi(SystemApiView):
    required_scope = Scope.CASES_READ
    audit_action = "cases.read"

    @extend_schema(
        operation_id="cases_retrieve",
        tags=TAGS,
        summary="A case with its status history in the order things happened",
        parameters=[CASE_NUMBER],
        responses={200: s.CaseDetailSerializer, **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, case_number: str) -> Response:
        case = case_get(actor=system_actor(request), number=case_number)
        self.audited_object = AuditedObject(
            type="cases.case", id=case.number, label=case.number, holder_id=str(case.holder_id)
        )
        return Response(s.CaseDetailSerializer(case).data)


def _batch_result(result: StatusEventResult) -> dict[str, Any]:
    body: dict[str, Any] = {"case_number": result.case_number, "id": result.event_id, "result": result.outcome}
    if result.event is not None:
        body["status"] = result.event.status
    if result.case is not None and result.outcome != "refused":
        body["current_status"] = result.case.status
    if result.error is not None:
        error = result.error
        params = [
            {"name": name, "code": error.code, "reason": reason}
            for name, reasons in error.invalid_params.items()
            for reason in reasons
        ]
        body["error"] = problem(status_code=error.status, code=error.code, detail=error.detail, invalid_params=params)
    return body


class CaseStatusEventApi(SystemApiView):
    required_scope = Scope.STATUSES_WRITE
    audit_action = "cases.status_event"

    @extend_schema(
        operation_id="cases_status_events_create",
        tags=TAGS,
        summary="Record a status event of a case",
        description=(
            "Events may arrive late, twice or out of order: the history is ordered by `occurred_at` and the "
            "current status is the latest by `occurred_at`. A repeated `id` records nothing and returns the "
            "original (200). A non-final status after a final one reopens the case only with `cases:reopen`."
        ),
        parameters=[CASE_NUMBER],
        request=s.StatusEventCreateSerializer,
        responses={
            201: s.StatusEventResponseSerializer,
            200: s.StatusEventResponseSerializer,
            **problem_responses(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, case_number: str) -> Response:
        payload = s.StatusEventCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        (result,) = status_events_record(
            actor=system_actor(request),
            items=[
                StatusEventInput(case_number, data["id"], data["status"], data["occurred_at"], data.get("note", ""))
            ],
        )
        if result.error is not None:
            raise result.error
        assert result.event is not None
        assert result.case is not None
        body = {
            "case_number": result.case.url_number,
            "event": s.StatusEventSerializer(result.event).data,
            "current_status": result.case.status,
            "is_closed": result.case.is_closed,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK)


class StatusEventBatchApi(SystemApiView):
    required_scope = Scope.STATUSES_WRITE
    audit_action = "cases.status_events.batch"

    @extend_schema(
        operation_id="status_events_batch",
        tags=TAGS,
        summary="Record up to 1,000 status events of many cases",
        description="One result per event, in order; a refused event carries its problem and does not stop the others.",
        request=s.BatchSerializer,
        responses={200: s.BatchResponseSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        payload = s.BatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        items = [
            StatusEventInput(e["case_number"], e["id"], e["status"], e["occurred_at"], e.get("note", ""))
            for e in payload.validated_data["events"]
        ]
        results = status_events_record(actor=system_actor(request), items=items)
        return Response({"results": [_batch_result(result) for result in results]})


class ConsultationCreateApi(SystemApiView):
    required_scope = Scope.CONSULTATIONS_WRITE
    audit_action = "consultations.register"

    @extend_schema(
        operation_id="consultations_create",
        tags=TAGS,
        summary="Record a consultation",
        request=s.ConsultationCreateSerializer,
        responses={201: s.ConsultationSerializer, 200: s.ConsultationSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        payload = s.ConsultationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        consultation, created = consultation_register(
            actor=system_actor(request),
            service_code=data.get("service", ""),
            channel=data["channel"],
            client=data["client"],
            topic=data["topic"],
            outcome=data.get("outcome", ""),
            specialist=data.get("specialist", ""),
            duration_seconds=data.get("duration_seconds"),
            occurred_at=data["occurred_at"],
            external_id=data.get("external_id", ""),
        )
        return Response(
            s.ConsultationSerializer(consultation).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class FeedbackCreateApi(SystemApiView):
    required_scope = Scope.FEEDBACK_WRITE
    audit_action = "feedback.give"

    @extend_schema(
        operation_id="feedback_create",
        tags=TAGS,
        summary="Record a client's feedback on a case or a consultation",
        request=s.FeedbackCreateSerializer,
        responses={201: s.FeedbackSerializer, **problem_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        payload = s.FeedbackCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        feedback = feedback_give(
            actor=system_actor(request),
            client=data["client"],
            scores=data["scores"],
            channel=data["channel"],
            case_number=data.get("case_number", ""),
            consultation_id=str(data["consultation"]) if data.get("consultation") else "",
            comment=data.get("comment", ""),
        )
        return Response(s.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
