"""Routes of the workplace area: clients (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("clients/", lambda request: HttpResponse("client-find"), name="client-find"),
]
