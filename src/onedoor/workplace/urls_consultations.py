"""Routes of the workplace area: consultations (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = [
    path("consultations/new/", lambda request: HttpResponse("consultation-new"), name="consultation-new"),
]
