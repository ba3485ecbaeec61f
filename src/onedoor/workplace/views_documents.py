"""The document pages (DOC-1, DOC-2): a case's documents with scans of paper attached at the desk, a
document's download, and the shipments of paper originals from the place to the holder.

Views stay thin: reads through onedoor.documents.selectors scoped by the desk's actor (another
institution's case, document or batch is a 404, as a missing one), writes through its services.
"""

from itertools import groupby
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onedoor.cases.errors import CaseNotFound
from onedoor.cases.models import Case
from onedoor.cases.selectors import case_get
from onedoor.core.errors import ApplicationError, NotFound
from onedoor.core.forms import add_service_errors
from onedoor.documents.downloads import download_response
from onedoor.documents.errors import DocumentDamaged
from onedoor.documents.models import DocumentKind, ShipmentBatch, ShipmentStatus
from onedoor.documents.selectors import (
    document_get,
    documents_of_case,
    originals_awaiting_shipment,
    shipment_documents,
    shipment_get,
    shipments_visible_to,
)
from onedoor.documents.services import (
    document_max_bytes,
    document_read,
    document_store,
    shipment_add,
    shipment_create,
    shipment_mark_received,
    shipment_mark_shipped,
    shipment_remove,
)
from onedoor.parties.models import Institution

from .desk import Desk, specialist_required
from .forms_documents import OriginalsForm, ScanForm

SHIPMENT_LIST_LIMIT = 50


def _page(desk: Desk, section: str, **context: Any) -> dict[str, Any]:
    return {"desk": desk, "section": section, "active_nav": "workplace", **context}


def _case(desk: Desk, number: str) -> Case:
    try:
        return case_get(actor=desk.actor, number=number)
    except CaseNotFound:
        raise Http404(number) from None


def _case_documents_page(request: HttpRequest, desk: Desk, case: Case, form: ScanForm, status: int) -> HttpResponse:
    context = _page(
        desk,
        "clients",
        case=case,
        documents=list(documents_of_case(actor=desk.actor, case=case)),
        form=form,
        max_bytes=document_max_bytes(),
    )
    return render(request, "workplace/case_documents.html", context, status=status)


@specialist_required
@require_http_methods(["GET", "POST"])
def case_documents(request: HttpRequest, number: str, *, desk: Desk) -> HttpResponse:
    """The case's documents; the client handed in paper: scan it and attach it here (DOC-1)."""
    case = _case(desk, number)
    if request.method == "GET":
        return _case_documents_page(request, desk, case, ScanForm(), 200)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_documents_page(request, desk, case, form, 400)
    upload = form.cleaned_data["file"]
    try:
        document = document_store(
            actor=desk.actor,
            # One byte over the limit is enough to refuse a file as too large, without reading it all.
            content=upload.read(document_max_bytes() + 1),
            filename=upload.name or "",
            kind=DocumentKind.SCAN,
            institution=desk.institution,
            case=case,
            place=desk.place,
            has_paper_original=form.cleaned_data["has_paper_original"],
        )
    except ApplicationError as error:
        add_service_errors(form, error)
        return _case_documents_page(request, desk, case, form, error.status)
    messages.success(
        request, _("%(name)s is attached to case %(number)s.") % {"name": document.filename, "number": case.number}
    )
    return HttpResponseRedirect(reverse("workplace:case-documents", args=[case.url_number]))


@specialist_required
@require_GET
def document_download(request: HttpRequest, document_id: UUID, *, desk: Desk) -> HttpResponseBase:
    """The file as a download of the type detected when it arrived: never shown inline, never sniffed."""
    try:
        document = document_get(actor=desk.actor, document_id=str(document_id))
    except NotFound:
        raise Http404(str(document_id)) from None
    try:
        content = document_read(actor=desk.actor, document=document)
    except DocumentDamaged as error:
        messages.error(request, error.detail)
        if document.case is None:
            return HttpResponseRedirect(reverse("workplace:queue"))
        return HttpResponseRedirect(reverse("workplace:case-documents", args=[document.case.url_number]))
    return download_response(content, media_type=document.media_type, filename=document.filename)


# --- shipments of originals (DOC-2) -------------------------------------------------------------


def _with_counts(batches: Any) -> list[ShipmentBatch]:
    return list(batches.annotate(document_count=Count("documents")).order_by("-created_at")[:SHIPMENT_LIST_LIMIT])


@specialist_required
@require_GET
def shipments(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    """Batches of my place, incoming batches for my institution as holder, and originals waiting for a batch."""
    visible = shipments_visible_to(actor=desk.actor)
    outgoing = _with_counts(visible.filter(place=desk.place)) if desk.place else []
    incoming = _with_counts(visible.filter(holder=desk.institution).exclude(status=ShipmentStatus.OPEN))
    awaiting = list(originals_awaiting_shipment(actor=desk.actor, place=desk.place)) if desk.place else []
    groups = [
        (holder, list(documents))
        for holder, documents in groupby(awaiting, key=lambda document: document.case.holder)  # type: ignore[union-attr]
    ]
    return render(
        request,
        "workplace/shipments.html",
        _page(desk, "shipments", outgoing=outgoing, incoming=incoming, awaiting_groups=groups),
    )


@specialist_required
@require_POST
def shipment_new(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    """A new batch for one holder's originals, at the desk's place."""
    holder = Institution.objects.filter(code=request.POST.get("holder", "")).first()
    if holder is None or desk.place is None:
        raise Http404("holder")
    try:
        batch = shipment_create(actor=desk.actor, place=desk.place, holder=holder)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return HttpResponseRedirect(reverse("workplace:shipments"))
    return HttpResponseRedirect(reverse("workplace:shipment", args=[batch.reference]))


def _shipment_page(
    request: HttpRequest,
    desk: Desk,
    batch: ShipmentBatch,
    *,
    add_form: OriginalsForm | None = None,
    remove_form: OriginalsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_sender = str(batch.sender_id) == desk.actor.institution_id
    is_holder = str(batch.holder_id) == desk.actor.institution_id
    packing = is_sender and batch.status == ShipmentStatus.OPEN
    contents = list(shipment_documents(batch=batch))
    awaiting = (
        list(originals_awaiting_shipment(actor=desk.actor, place=batch.place, holder=batch.holder)) if packing else []
    )
    context = _page(
        desk,
        "shipments",
        batch=batch,
        contents=contents,
        awaiting=awaiting,
        packing=packing,
        may_receive=is_holder and batch.status == ShipmentStatus.SHIPPED,
        add_form=add_form or OriginalsForm(documents=awaiting, prefix="add"),
        remove_form=remove_form or OriginalsForm(documents=contents, prefix="remove"),
    )
    return render(request, "workplace/shipment.html", context, status=status)


@specialist_required
@require_http_methods(["GET", "POST"])
def shipment_detail(request: HttpRequest, reference: str, *, desk: Desk) -> HttpResponse:
    """One batch: its originals, adding and taking out originals, and marking it shipped or received."""
    try:
        batch = shipment_get(actor=desk.actor, reference=reference)
    except NotFound:
        raise Http404(reference) from None
    if request.method == "GET":
        return _shipment_page(request, desk, batch)
    action = request.POST.get("action", "")
    forms: dict[str, OriginalsForm] = {}
    try:
        if action in {"add", "remove"}:
            if action == "add":
                choices = originals_awaiting_shipment(actor=desk.actor, place=batch.place, holder=batch.holder)
            else:
                choices = shipment_documents(batch=batch)
            form = OriginalsForm(request.POST, documents=choices, prefix=action)
            forms[f"{action}_form"] = form
            if not form.is_valid():
                return _shipment_page(request, desk, batch, status=400, **forms)
            service = shipment_add if action == "add" else shipment_remove
            service(actor=desk.actor, batch=batch, documents=form.chosen())
            done = _("The originals are added.") if action == "add" else _("The originals are taken out.")
        elif action == "ship":
            shipment_mark_shipped(actor=desk.actor, batch=batch)
            done = _("Batch %(reference)s is marked as shipped.") % {"reference": batch.reference}
        elif action == "receive":
            shipment_mark_received(actor=desk.actor, batch=batch)
            done = _("Batch %(reference)s is marked as received.") % {"reference": batch.reference}
        else:
            return _shipment_page(request, desk, batch, status=400)
    except ApplicationError as error:
        if forms:
            add_service_errors(next(iter(forms.values())), error)
        else:
            messages.error(request, error.detail)
        batch.refresh_from_db()
        return _shipment_page(request, desk, batch, status=error.status, **forms)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("workplace:shipment", args=[batch.reference]))
