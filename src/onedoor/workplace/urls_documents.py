"""Routes of the workplace area: documents (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("shipments/", lambda request: HttpResponse("shipments"), name="shipments"),
]
