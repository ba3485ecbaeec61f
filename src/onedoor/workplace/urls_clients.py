"""Routes of the workplace area: the client 360 view (CLI-1 … CLI-3)."""

from django.urls import URLPattern, path

from . import views_clients

urlpatterns: list[URLPattern] = [
    path("clients/", views_clients.client_find, name="client-find"),
    path("clients/open/", views_clients.client_open, name="client-open"),
    path("clients/views/<uuid:view_id>/", views_clients.client_view, name="client-view"),
    path("clients/views/<uuid:view_id>/verify/", views_clients.client_verify, name="client-verify"),
    path("clients/views/<uuid:view_id>/close/", views_clients.client_view_end, name="client-view-close"),
]
