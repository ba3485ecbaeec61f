"""Routes of the workplace area: a case's documents and the shipments of paper originals (DOC-1, DOC-2)."""

from django.urls import URLPattern, path

from . import views_documents

urlpatterns: list[URLPattern] = [
    path("cases/<str:number>/documents/", views_documents.case_documents, name="case-documents"),
    path("documents/<uuid:document_id>/", views_documents.document_download, name="document"),
    path("shipments/", views_documents.shipments, name="shipments"),
    path("shipments/new/", views_documents.shipment_new, name="shipment-new"),
    path("shipments/<str:reference>/", views_documents.shipment_detail, name="shipment"),
]
