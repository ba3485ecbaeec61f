from django.urls import URLPattern, path

from . import profile

urlpatterns: list[URLPattern] = [
    path("profile", profile.MeProfileApi.as_view(), name="me-profile"),
    path("export", profile.MeExportApi.as_view(), name="me-export"),
]
