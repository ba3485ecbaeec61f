"""Routes of the workplace area: consultations and the catalog search they use (REG-4)."""

from django.urls import URLPattern, path

from . import views_consultations

urlpatterns: list[URLPattern] = [
    path("consultations/new/", views_consultations.consultation_new, name="consultation-new"),
    path("services/search/", views_consultations.service_search, name="service-search"),
]
