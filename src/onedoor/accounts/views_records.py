"""The e-account's records (ACC-1, ACC-4, REG-3, REG-5, ACC-8): overview, service history with its CSV export,
and the case page with its status history, the documents kept at the institution (with their download),
correspondence and feedback.

Views stay thin: the actor comes from the request, every read goes through a selector scoped by it
(another party's case is a 404, as a missing one), every read of personal data is audited once per page.
"""

import csv
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.errors import CaseNotFound
from onedoor.cases.models import Case, FeedbackAspect
from onedoor.cases.services import feedback_give_as_client, feedback_open
from onedoor.core.actors import Actor, acting_description
from onedoor.core.errors import ApplicationError
from onedoor.core.i18n import localized
from onedoor.documents.downloads import download_response
from onedoor.documents.errors import DocumentDamaged
from onedoor.documents.models import Document
from onedoor.documents.selectors import documents_of_case
from onedoor.documents.services import document_read
from onedoor.identity.selectors import actor_for_request
from onedoor.notifications.selectors import inbox_person, inbox_unread_count

from .decorators import client_required
from .forms_records import FeedbackForm, HistoryFilterForm
from .paging import paged
from .selectors import (
    CASE,
    HistoryEntry,
    case_correspondence,
    case_feedback_of_party,
    case_status_types,
    client_case_get,
    history_entries,
    history_index,
    history_stream,
    overview_for,
)
from .views_inbox import kept_document_rows

NAV = {"active_nav": "account"}


def _party(actor: Actor, kind: str) -> AuditedObject:
    return AuditedObject(type=kind, id=actor.acting_for, label=actor.acting_for_label, holder_id=actor.acting_for_id)


@client_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    summary = overview_for(actor=actor)
    inbox_owner = inbox_person(actor=actor)
    unread = inbox_unread_count(person=inbox_owner) if inbox_owner is not None else None
    audit_record(actor=actor, action="accounts.overview.view", obj=_party(actor, "accounts.overview"))
    return render(
        request,
        "accounts/overview.html",
        {**NAV, "actor": actor, "overview": summary, "unread_count": unread, "shows_inbox": unread is not None},
    )


@client_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    actor = actor_for_request(request)
    form = HistoryFilterForm(request.GET)
    valid = form.is_valid()
    entries: list[HistoryEntry] = []
    paging: dict[str, Any] = {"page": None}
    if valid:
        page, paging = paged(request, history_index(actor=actor, filters=form.filters()), form.rows_per_page())
        entries = history_entries(actor=actor, keys=list(page.object_list))
    audit_record(
        actor=actor,
        action="accounts.history.view",
        obj=_party(actor, "accounts.history"),
        details={"filters": {name: value for name, value in request.GET.items() if value}},
    )
    return render(
        request,
        "accounts/history.html",
        {
            **NAV,
            "actor": actor,
            "form": form,
            "entries": entries,
            **paging,
            "query": request.GET.urlencode(),
            "has_filters": any(value for name, value in request.GET.items() if name not in {"page", "page_size"}),
        },
        status=200 if valid else 400,
    )


class _Echo:
    """A file-like object for csv.writer that hands each written line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Text as a spreadsheet shows it, never run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_line(entry: HistoryEntry) -> list[str]:
    moment = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
    if entry.kind == CASE:
        case = entry.case
        assert case is not None
        return [
            moment,
            _("Case"),
            case.number,
            case.service.code,
            localized(case.service, "name"),
            localized(case.holder, "name"),
            case.get_channel_display(),
            getattr(case, "status_name", "") or case.status,
            "",
        ]
    consultation = entry.consultation
    assert consultation is not None
    service = consultation.service
    return [
        moment,
        _("Consultation"),
        "",
        service.code if service else "",
        localized(service, "name") if service else "",
        localized(consultation.institution, "name"),
        consultation.get_channel_display(),
        "",
        consultation.topic,
    ]


def _csv_rows(entries: Iterator[HistoryEntry], delimiter: str) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"  # the byte order mark, so that spreadsheet programs read UTF-8 (ā, š, ņ)
    yield writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("Case number"),
            _("Service code"),
            _("Service"),
            _("Institution"),
            _("Channel"),
            _("Status"),
            _("Topic"),
        ]
    )
    for entry in entries:
        yield writer.writerow([_cell(value) for value in _csv_line(entry)])


@client_required
@require_GET
def history_csv(request: HttpRequest) -> HttpResponseBase:
    """The filtered history as CSV, streamed; the delimiter is the one spreadsheets expect in the page's
    language (a semicolon where the decimal separator is a comma, as in Latvian)."""
    actor = actor_for_request(request)
    form = HistoryFilterForm(request.GET)
    if not form.is_valid():
        url = reverse("accounts:history")
        return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}")
    audit_record(
        actor=actor,
        action="accounts.history.export",
        obj=_party(actor, "accounts.history"),
        details={"filters": {name: value for name, value in request.GET.items() if value}},
    )
    delimiter = "," if (get_language() or "lv").startswith("en") else ";"
    response = StreamingHttpResponse(
        _csv_rows(history_stream(actor=actor, filters=form.filters()), delimiter),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"onedoor-history-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _case_context(actor: Actor, case: Case, form: FeedbackForm | None) -> dict[str, Any]:
    status_types = case_status_types(case)
    inbox_owner = inbox_person(actor=actor)
    feedback = case_feedback_of_party(actor=actor, case=case)
    may_give_feedback = feedback is None and actor.may_act and feedback_open(case)
    timeline = [(event, status_types.get(event.status)) for event in case.status_events.all()]
    given_by = ""
    if feedback is not None:
        given_by = acting_description(
            actor=feedback.given_by_label or actor.acting_for_label,
            client=actor.acting_for_label,
            mandate=feedback.mandate_reference,
        )
    return {
        **NAV,
        "actor": actor,
        "case": case,
        "current_status": status_types.get(case.status),
        "timeline": timeline,
        "kept_rows": kept_document_rows(documents_of_case(actor=actor, case=case), case),
        "correspondence": case_correspondence(person=inbox_owner, case=case) if inbox_owner is not None else [],
        "shows_correspondence": inbox_owner is not None,
        "feedback": feedback,
        "feedback_given_by": given_by,
        "feedback_scores": _scores_shown(feedback.scores) if feedback else [],
        "feedback_open": feedback_open(case),
        "may_give_feedback": may_give_feedback,
        "form": form if form is not None else (FeedbackForm() if may_give_feedback else None),
    }


def _scores_shown(scores: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(aspect.label), scores[aspect]) for aspect in FeedbackAspect if aspect in scores]


def _client_case(actor: Actor, number: str) -> Case:
    try:
        return client_case_get(actor=actor, number=number)
    except CaseNotFound:
        raise Http404(number) from None


def _case_page(
    request: HttpRequest, actor: Actor, case: Case, *, form: FeedbackForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    """The case page, its view audited (it shows the case's history and documents)."""
    audit_record(
        actor=actor,
        action="accounts.case.view",
        obj=AuditedObject(type="cases.case", id=case.number, label=case.number, holder_id=actor.acting_for_id),
    )
    return render(request, "accounts/case.html", {**_case_context(actor, case, form), **extra}, status=status)


@client_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_for_request(request)
    case = _client_case(actor, number)
    form = None
    status = 200
    if request.method == "POST" and not actor.may_act:
        # Under a mandate for result retrieval only: refused before anything is read from the form.
        messages.error(request, _("Under a mandate for result retrieval only you cannot give feedback."))
        status = 403
    elif request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                feedback_give_as_client(
                    actor=actor, case_number=case.number, scores=form.scores(), comment=form.cleaned_data["comment"]
                )
            except ApplicationError as error:
                form.add_error(None, error.detail)
                status = error.status
            else:
                messages.success(request, _("Thank you. Your feedback has been sent to the institution."))
                return HttpResponseRedirect(reverse("accounts:case", args=[case.url_number]) + "#feedback")
        else:
            status = 400
    return _case_page(request, actor, case, form=form, status=status)


def _case_document(actor: Actor, case: Case, document_id: UUID) -> Document:
    """A document of this case the actor may see; another case's, another party's or one a mandate does not
    cover is a 404, as a missing one."""
    document = documents_of_case(actor=actor, case=case).filter(pk=document_id).first()
    if document is None:
        raise Http404(str(document_id))
    return document


@client_required
@require_GET
def case_document_download(request: HttpRequest, number: str, document_id: UUID) -> HttpResponse:
    """A document kept at the institution, as a download (ACC-8, DOC-1). The store checks its SHA-256 digest and
    audits the read; a damaged file is never served: the case page says so instead, with the error's status."""
    actor = actor_for_request(request)
    case = _client_case(actor, number)
    document = _case_document(actor, case, document_id)
    try:
        content = document_read(actor=actor, document=document)
    except DocumentDamaged as error:
        return _case_page(request, actor, case, status=error.status, damaged_document=document)
    return download_response(content, media_type=document.media_type, filename=document.filename)
