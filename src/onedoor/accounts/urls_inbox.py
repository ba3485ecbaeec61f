"""Inbox and documents of the e-account (ACC-3, ACC-8)."""

from django.urls import URLPattern, path

from . import views_inbox

urlpatterns: list[URLPattern] = [
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<uuid:message_id>/", views_inbox.message_detail, name="message"),
    path(
        "inbox/<uuid:message_id>/attachments/<uuid:attachment_id>/",
        views_inbox.attachment_download,
        name="attachment",
    ),
    path("documents/", views_inbox.documents, name="documents"),
]
