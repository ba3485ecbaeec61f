"""Outbound events for institutions' systems (INT-2): the pull feed, webhook subscriptions, deliveries.

Every operation needs the `events:read` scope and sees only the calling system's own objects;
another system's subscription or delivery is not found.
"""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from onedoor.cases.events import EVENT_TYPES
from onedoor.core.api.fields import StrictCharField, StrictRegexField
from onedoor.core.api.pagination import MAX_PAGE_SIZE
from onedoor.core.api.schema import problem_responses

from ..auth import system_actor
from ..delivery import delivery_redeliver
from ..models import Delivery, DeliveryAttempt, DeliveryStatus, Scope, Subscription
from ..selectors import deliveries_of, delivery_get, feed_events, subscription_get, subscriptions_of
from ..services import MAX_SECRET_LENGTH, MAX_URL_LENGTH, MIN_SECRET_LENGTH, subscription_create, subscription_delete
from ..webhooks import cloudevent
from .views import SystemApiView

TAGS = ["Events"]
MAX_FEED_LIMIT = 500
DEFAULT_FEED_LIMIT = 100


class CloudEventSerializer(serializers.Serializer):
    """A CloudEvents 1.0 event in structured JSON mode: a webhook body and a feed item alike."""

    specversion = StrictCharField(help_text="Always `1.0`.")
    id = serializers.UUIDField(help_text="The event id; the same in webhooks and the feed. Deduplicate by it.")
    # CloudEvents attribute names; DRF's metaclass takes declared fields off the class, so nothing is shadowed.
    source = StrictCharField()  # type: ignore[assignment]
    type = StrictCharField(help_text=f"One of {', '.join(EVENT_TYPES)}; more may be added, so ignore others.")
    subject = StrictCharField(help_text="The case number (or the consultation's id).")
    time = serializers.DateTimeField(help_text="When it happened, UTC.")
    datacontenttype = StrictCharField(help_text="Always `application/json`.")
    data = serializers.DictField(help_text="The event's payload; its shape depends on `type`.")  # type: ignore[assignment]
    onedoorposition = serializers.IntegerField(help_text="The event's place in commit order.")


class FeedQuerySerializer(serializers.Serializer):
    after = StrictRegexField(
        r"^\d{1,18}$",
        required=False,
        help_text="The `next_cursor` of the previous page; leave out to start from the first event.",
        error_messages={"invalid": gettext_lazy("Not a cursor this feed gave out.")},
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_FEED_LIMIT, min_value=1, max_value=MAX_FEED_LIMIT, help_text="Events per page."
    )


class FeedSerializer(serializers.Serializer):
    results = CloudEventSerializer(many=True)
    next_cursor = StrictCharField(help_text="Opaque; pass it as `after` to read on. Unchanged when nothing is new.")


class FeedApi(SystemApiView):
    required_scope = Scope.EVENTS_READ
    audit_action = "events.feed"

    @extend_schema(
        operation_id="feed_list",
        tags=TAGS,
        summary="The calling system's events in commit order (pull feed)",
        description=(
            "For systems that cannot receive webhooks: the events of the caller's institution (within the "
            "services its credentials cover) in the order they were committed, with the same ids as the "
            "webhooks. Poll with the returned `next_cursor`."
        ),
        parameters=[FeedQuerySerializer],
        responses={200: FeedSerializer, **problem_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = FeedQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        after = int(query.validated_data.get("after", "0"))
        events = feed_events(actor=system_actor(request), after=after, limit=query.validated_data["limit"])
        next_cursor = str(events[-1].position) if events else str(after)
        return Response({"results": [cloudevent(event) for event in events], "next_cursor": next_cursor})


class PageQuerySerializer(serializers.Serializer):
    """The paginator's parameters, declared because the problem responses hide the list from the schema generator."""

    page = serializers.IntegerField(required=False, min_value=1, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, help_text=f"Results per page, 1 to {MAX_PAGE_SIZE}."
    )


class SubscriptionSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), help_text="Empty means every type."
    )
    service_codes = serializers.ListField(child=StrictCharField(), help_text="Empty means every service.")

    class Meta:
        model = Subscription
        fields = ["id", "url", "event_types", "service_codes", "is_active", "created_at"]


class SubscriptionCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=MAX_URL_LENGTH, help_text="Where the events are posted (http or https).")
    secret = StrictCharField(
        min_length=MIN_SECRET_LENGTH,
        max_length=MAX_SECRET_LENGTH,
        write_only=True,
        help_text="Shared secret for the HMAC-SHA256 signature; never shown again.",
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        required=False,
        max_length=len(EVENT_TYPES),
        help_text="Leave out or empty for every type.",
    )
    service_codes = serializers.ListField(
        child=StrictRegexField(r"^\d{4,6}$"),
        required=False,
        max_length=100,
        help_text="Leave out or empty for every service.",
    )


class SubscriptionCollectionApi(SystemApiView, GenericAPIView):
    required_scope = Scope.EVENTS_READ
    serializer_class = SubscriptionSerializer
    queryset = Subscription.objects.none()  # tells the schema generator the model; the views use selectors

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.audit_action = "subscriptions.list" if request.method == "GET" else "subscriptions.create"
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="subscriptions_list",
        tags=TAGS,
        summary="The calling system's webhook subscriptions",
        parameters=[PageQuerySerializer],
        responses={200: SubscriptionSerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(subscriptions_of(actor=system_actor(request)))
        return self.get_paginated_response(SubscriptionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="subscriptions_create",
        tags=TAGS,
        summary="Subscribe to events pushed as signed CloudEvents webhooks",
        description=(
            "Each event is posted as `application/cloudevents+json` with `X-OneDoor-Event-Id`, "
            "`X-OneDoor-Timestamp` and `X-OneDoor-Signature: t=<timestamp>,v1=<hex HMAC-SHA256 of "
            '"<timestamp>.<body>" with the secret>`. Any 2xx answer acknowledges it; otherwise it is retried '
            "with exponential backoff for up to 72 hours, then kept as a dead letter. Delivery is at least "
            "once: deduplicate by the event id. The events of one case arrive in order."
        ),
        request=SubscriptionCreateSerializer,
        responses={201: SubscriptionSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        payload = SubscriptionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        subscription = subscription_create(
            actor=system_actor(request),
            url=data["url"],
            secret=data["secret"],
            event_types=data.get("event_types", []),
            service_codes=data.get("service_codes", []),
        )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailApi(SystemApiView):
    required_scope = Scope.EVENTS_READ
    audit_action = "subscriptions.delete"

    @extend_schema(
        operation_id="subscriptions_destroy",
        tags=TAGS,
        summary="Remove a webhook subscription and its deliveries",
        parameters=[OpenApiParameter("subscription_id", UUID, OpenApiParameter.PATH)],
        responses={204: None, **problem_responses(401, 403, 404)},
    )
    def delete(self, request: Request, subscription_id: UUID) -> Response:
        actor = system_actor(request)
        subscription_delete(actor=actor, subscription=subscription_get(actor=actor, pk=subscription_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["attempted_at", "status_code", "latency_ms", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    subscription = serializers.UUIDField(source="subscription_id")
    event_id = serializers.UUIDField(help_text="The CloudEvent id.")
    type = StrictCharField(source="event.type")
    subject = StrictCharField(source="event.subject")
    attempt_count = serializers.IntegerField(source="attempts", help_text="Attempts since it was last queued.")
    attempts = DeliveryAttemptSerializer(many=True, source="attempt_log.all", help_text="Every attempt, oldest first.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "subscription",
            "event_id",
            "type",
            "subject",
            "position",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_error",
            "created_at",
            "delivered_at",
            "attempts",
        ]


class DeliveryQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


class DeliveryCollectionApi(SystemApiView, GenericAPIView):
    required_scope = Scope.EVENTS_READ
    audit_action = "deliveries.list"
    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()  # tells the schema generator the model; the views use selectors

    @extend_schema(
        operation_id="deliveries_list",
        tags=TAGS,
        summary="Webhook deliveries to the calling system, newest first, with every attempt",
        parameters=[DeliveryQuerySerializer, PageQuerySerializer],
        responses={200: DeliverySerializer(many=True), **problem_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        query = DeliveryQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        deliveries = deliveries_of(actor=system_actor(request), status=query.validated_data.get("status"))
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryRedeliverApi(SystemApiView):
    required_scope = Scope.EVENTS_READ
    audit_action = "deliveries.redeliver"

    @extend_schema(
        operation_id="deliveries_redeliver",
        tags=TAGS,
        summary="Send a dead (or delivered) delivery again",
        description="The delivery becomes pending, due now, with a fresh 72-hour retry window.",
        parameters=[OpenApiParameter("delivery_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={200: DeliverySerializer, **problem_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, delivery_id: int) -> Response:
        actor = system_actor(request)
        delivery_redeliver(actor=actor, delivery=delivery_get(actor=actor, pk=delivery_id))
        return Response(DeliverySerializer(delivery_get(actor=actor, pk=delivery_id)).data)
