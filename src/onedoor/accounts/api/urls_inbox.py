"""/api/v1/me/messages and /api/v1/me/documents (ACC-3, ACC-8)."""

from django.urls import URLPattern, path

from . import inbox

urlpatterns: list[URLPattern] = [
    path("messages", inbox.MeMessageListApi.as_view(), name="me-messages"),
    path("messages/<uuid:message_id>", inbox.MeMessageDetailApi.as_view(), name="me-message"),
    path("messages/<uuid:message_id>/archive", inbox.MeMessageArchiveApi.as_view(), name="me-message-archive"),
    path("documents", inbox.MeDocumentListApi.as_view(), name="me-documents"),
    path("documents/<uuid:attachment_id>/content", inbox.MeDocumentContentApi.as_view(), name="me-document-content"),
]
