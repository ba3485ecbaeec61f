from django.urls import path

from . import events

urlpatterns = [
    path("feed", events.FeedApi.as_view(), name="feed"),
    path("subscriptions", events.SubscriptionCollectionApi.as_view(), name="subscriptions"),
    path("subscriptions/<uuid:subscription_id>", events.SubscriptionDetailApi.as_view(), name="subscription"),
    path("deliveries", events.DeliveryCollectionApi.as_view(), name="deliveries"),
    path("deliveries/<int:delivery_id>/redeliver", events.DeliveryRedeliverApi.as_view(), name="delivery-redeliver"),
]
