"""Routes of the workplace area: queue (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("", lambda request: HttpResponse("queue"), name="queue"),
    path("time/", lambda request: HttpResponse("time"), name="time"),
]
