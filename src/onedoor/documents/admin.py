"""Platform administrators look at the document store and the shipments here, read-only.

What storage and integrity need — kind, type, size, digest, scan result, where it is — not the
file or its name: a client's documents are theirs. Changes go through the services only.
"""

from django.contrib import admin

from onedoor.identity.admin_access import ReadOnlyForPlatformAdmins, ReadOnlyInline

from .models import Document, ShipmentBatch


@admin.register(Document)
class DocumentAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["created_at", "kind", "media_type", "size", "scan_result", "institution", "has_paper_original"]
    list_filter = ["kind", "scan_result", "has_paper_original", "institution"]
    list_select_related = ["institution"]
    search_fields = ["=id", "=sha256", "case__number"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "id",
        "kind",
        "media_type",
        "size",
        "sha256",
        "scan_result",
        "case",
        "institution",
        "place",
        "has_paper_original",
        "shipment",
        "stored_by_kind",
        "stored_by_id",
        "created_at",
    )


class ShipmentDocumentInline(ReadOnlyInline):
    model = Document
    fields = readonly_fields = ("media_type", "size", "sha256", "case", "created_at")
    show_change_link = True


@admin.register(ShipmentBatch)
class ShipmentBatchAdmin(ReadOnlyForPlatformAdmins):
    list_display = ["reference", "status", "place", "sender", "holder", "created_at", "shipped_at", "received_at"]
    list_filter = ["status", "sender", "holder"]
    list_select_related = ["place", "sender", "holder"]
    search_fields = ["=reference"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "reference",
        "status",
        "place",
        "sender",
        "holder",
        "created_by_label",
        "created_at",
        "shipped_at",
        "shipped_by_label",
        "received_at",
        "received_by_label",
        "note",
    )
    inlines = [ShipmentDocumentInline]
