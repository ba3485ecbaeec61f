"""Routes of the workplace area: applications with the e-assistant (ASST-1, ASST-2, WORK-2)."""

from django.urls import URLPattern, path

from . import views_assistant

urlpatterns: list[URLPattern] = [
    path("applications/", views_assistant.applications, name="applications"),
    path("applications/<uuid:application_id>/", views_assistant.application, name="application"),
    path(
        "applications/<uuid:application_id>/print/",
        views_assistant.application_print_view,
        name="application-print",
    ),
    path("applications/<uuid:application_id>/pdf/", views_assistant.application_pdf_view, name="application-pdf"),
    path("applications/<uuid:application_id>/sign/", views_assistant.application_sign, name="application-sign"),
    path(
        "applications/<uuid:application_id>/submit/",
        views_assistant.application_submit_view,
        name="application-submit",
    ),
    path(
        "applications/<uuid:application_id>/cancel/",
        views_assistant.application_cancel_view,
        name="application-cancel",
    ),
]
