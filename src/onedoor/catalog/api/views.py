"""Public catalog API (CAT-5): one view per operation; validate, call a selector, serialize."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onedoor.core.api.filters import StrictFilterBackend
from onedoor.core.api.pagination import PAGE_PARAMETERS
from onedoor.core.api.schema import problem_responses
from onedoor.identity.selectors import actor_for_request

from ..errors import ServiceNotFound
from ..models import ApplicationPlace, Category, LifeSituation, Service
from ..selectors import (
    GeoPoint,
    categories_with_counts,
    life_situations_with_counts,
    places_active,
    places_by_distance,
    service_get,
    services_for_listing,
    services_visible_to,
)
from .filters import ServiceFilter
from .serializers import (
    CategorySerializer,
    LifeSituationSerializer,
    PlaceSerializer,
    ServiceDetailSerializer,
    ServiceListSerializer,
)

CATALOG_TAG = ["Catalog"]


class ServiceListApi(ListAPIView):
    serializer_class = ServiceListSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ServiceFilter

    def get_queryset(self) -> QuerySet[Service]:
        return services_for_listing(services_visible_to(actor=actor_for_request(self.request)))

    @extend_schema(
        operation_id="services_list",
        tags=CATALOG_TAG,
        summary="Search and filter the service catalog",
        responses={200: ServiceListSerializer(many=True), **problem_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ServiceDetailApi(APIView):
    @extend_schema(
        operation_id="services_retrieve",
        tags=CATALOG_TAG,
        summary="One service with its statuses, fee, channels and legal basis",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=r"^\d{4,6}$")],
        responses={200: ServiceDetailSerializer, **problem_responses(404)},
    )
    def get(self, request: Request, code: str) -> Response:
        service = service_get(actor=actor_for_request(request), code=code)
        return Response(ServiceDetailSerializer(service, context={"request": request}).data)


class CategoryListApi(ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self) -> QuerySet[Category]:
        return categories_with_counts(actor=actor_for_request(self.request))

    @extend_schema(
        operation_id="categories_list",
        tags=CATALOG_TAG,
        summary="Service categories",
        responses={200: CategorySerializer(many=True), **problem_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class LifeSituationListApi(ListAPIView):
    serializer_class = LifeSituationSerializer

    def get_queryset(self) -> QuerySet[LifeSituation]:
        return life_situations_with_counts(actor=actor_for_request(self.request))

    @extend_schema(
        operation_id="life_situations_list",
        tags=CATALOG_TAG,
        summary="Life situations",
        responses={200: LifeSituationSerializer(many=True), **problem_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PlaceQuerySerializer(serializers.Serializer):
    service = serializers.RegexField(
        r"^\d{4,6}$", required=False, help_text="Only places where this service (code) can be applied for."
    )
    near = serializers.CharField(
        required=False, help_text="`<latitude>,<longitude>` in decimal degrees: order by distance from this point."
    )

    def validate_near(self, value: str) -> GeoPoint:
        try:
            latitude, longitude = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError(
                _("Give the point as <latitude>,<longitude>, e.g. 56.95,24.11.")
            ) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise serializers.ValidationError(_("Latitude must be within ±90 and longitude within ±180."))
        return GeoPoint(latitude, longitude)


class PlaceListApi(GenericAPIView):
    serializer_class = PlaceSerializer
    queryset = ApplicationPlace.objects.none()  # tells the schema generator the model; get() uses selectors

    @extend_schema(
        operation_id="application_places_list",
        tags=CATALOG_TAG,
        summary="Application places, nearest first when `near` is given",
        parameters=[PlaceQuerySerializer, *PAGE_PARAMETERS],
        responses={200: PlaceSerializer(many=True), **problem_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        query = PlaceQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        actor = actor_for_request(request)
        service = None
        if "service" in query.validated_data:
            try:
                service = service_get(actor=actor, code=query.validated_data["service"])
            except ServiceNotFound as error:
                raise serializers.ValidationError({"service": [error.detail]}) from None
        ranked = places_by_distance(places=places_active(service=service), near=query.validated_data.get("near"))
        page = self.paginate_queryset(ranked)
        return self.get_paginated_response(PlaceSerializer(page, many=True).data)
