"""Records of the e-account: overview, service history (and its CSV), one case and the documents kept with it
(ACC-1, ACC-4, ACC-8, REG-3, REG-5)."""

from django.urls import URLPattern, path

from . import views_records

urlpatterns: list[URLPattern] = [
    path("", views_records.overview, name="overview"),
    path("history/", views_records.history, name="history"),
    path("history/export.csv", views_records.history_csv, name="history-csv"),
    path("cases/<str:number>/", views_records.case_detail, name="case"),
    path(
        "cases/<str:number>/documents/<uuid:document_id>/",
        views_records.case_document_download,
        name="case-document",
    ),
]
