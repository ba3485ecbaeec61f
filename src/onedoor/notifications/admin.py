"""Platform administrators watch notice delivery here and send failed notices again.

Everything is read-only: messages and dispatches are the dispatcher's record. The lists show
what delivery needs — status, channel, attempts, errors — and not what the notices say: a
person's correspondence is theirs, so bodies are not shown. The only action is "Send again",
which goes through `dispatch_retry` (checked and audited).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onedoor.core.errors import ApplicationError
from onedoor.identity.admin_access import ReadOnlyForPlatformAdmins, ReadOnlyInline, is_platform_admin
from onedoor.identity.selectors import actor_for_request

from .models import Attachment, Dispatch, DispatchAttempt, Message
from .services import dispatch_retry


class DispatchInline(ReadOnlyInline):
    model = Dispatch
    fields = readonly_fields = ("channel", "status", "attempts", "sent_at", "last_error")
    show_change_link = True


class AttachmentInline(ReadOnlyInline):
    """What storage and integrity need — type, size, digest — not the file or its name."""

    model = Attachment
    fields = readonly_fields = ("media_type", "size", "sha256", "created_at")


@admin.register(Message)
class MessageAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["created_at", "kind", "case_number", "sender", "read_at", "archived_at"]
    list_filter = ["kind", "sender"]
    list_select_related = ["sender"]
    search_fields = ["case_number", "=id"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "id",
        "kind",
        "sender",
        "case_number",
        "source_event_id",
        "created_at",
        "read_at",
        "archived_at",
    )
    inlines = [DispatchInline, AttachmentInline]


class DispatchAttemptInline(ReadOnlyInline):
    model = DispatchAttempt
    fields = readonly_fields = ("attempted_at", "succeeded", "latency_ms", "provider_message_id", "error")


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["created_at", "channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    search_fields = ["=id", "message__case_number", "provider_message_id"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "id",
        "message",
        "channel",
        "language",
        "status",
        "attempts",
        "first_attempt_at",
        "next_attempt_at",
        "leased_until",
        "sent_at",
        "provider_message_id",
        "last_error",
    )
    inlines = [DispatchAttemptInline]
    actions = ["send_again"]

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request)

    @admin.action(description=_("Send again"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Dispatch]) -> None:
        actor = actor_for_request(request)
        queued = 0
        for dispatch in queryset:
            try:
                dispatch_retry(actor=actor, dispatch=dispatch)
            except ApplicationError as error:
                self.message_user(request, f"{dispatch.pk}: {error.detail}", messages.WARNING)
            else:
                queued += 1
        message = ngettext("%(count)d notice queued again.", "%(count)d notices queued again.", queued)
        self.message_user(request, message % {"count": queued}, messages.SUCCESS)
