from django.urls import URLPattern, path

from . import mandates

urlpatterns: list[URLPattern] = [
    path("mandates", mandates.MeMandateCollectionApi.as_view(), name="me-mandates"),
    path("mandates/<str:reference>/revoke", mandates.MeMandateRevokeApi.as_view(), name="me-mandate-revoke"),
    path("mandates/<str:reference>/decline", mandates.MeMandateDeclineApi.as_view(), name="me-mandate-decline"),
]
