"""Routes of the workplace area: assistant (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("applications/", lambda request: HttpResponse("applications"), name="applications"),
]
