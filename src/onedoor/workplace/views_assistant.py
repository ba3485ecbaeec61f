"""The e-assistant's pages (ASST-1, ASST-2, WORK-2): start an application, fill it, print it, sign, submit.

Views stay thin: the rules live in `services_assistant`, the reads in `selectors_assistant`; another
specialist's application is a 404, as a missing one.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Authorisation
from onedoor.core.channels import Channel
from onedoor.core.errors import ApplicationError
from onedoor.core.forms import add_service_errors
from onedoor.documents.services import document_max_bytes

from .desk import Desk, specialist_required
from .errors import ApplicationNotFound, UnsupportedFormSchema
from .forms_assistant import ApplicationStartForm, SignatureForm
from .jsonforms import SchemaForm, display_rows
from .models import ApplicationStatus, AssistedApplication
from .pdf import application_pdf, case_url
from .selectors_assistant import application_get, applications_of_desk, assisted_services
from .selectors_clients import ClientKind, client_of_disclosing_view
from .services_assistant import (
    application_attach_scan,
    application_cancel,
    application_print,
    application_save,
    application_sign_in_person,
    application_start,
    application_submit,
    assisted_channels,
)

SECTION = {"section": "applications"}
STATUS_TAGS = {
    ApplicationStatus.DRAFT: "govuk-tag--grey",
    ApplicationStatus.PRINTED: "govuk-tag--blue",
    ApplicationStatus.SUBMITTED: "govuk-tag--green",
    ApplicationStatus.CANCELLED: "govuk-tag--red",
}


def _own(desk: Desk, application_id: UUID) -> AssistedApplication:
    try:
        return application_get(desk=desk, application_id=application_id)
    except ApplicationNotFound:
        raise Http404(str(application_id)) from None


def _page(desk: Desk, **context: Any) -> dict[str, Any]:
    return {"desk": desk, **SECTION, "status_tags": STATUS_TAGS, **context}


@specialist_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest, *, desk: Desk) -> HttpResponse:
    """My applications in hand and submitted today, and the form to start one for a client."""
    services = list(assisted_services(desk=desk).only("code", "name_lv", "name_en", "holder__code"))
    channels = assisted_channels(desk)
    status = 200
    if request.method == "POST":
        form = ApplicationStartForm(request.POST, services=services, channels=channels)
        if form.is_valid():
            try:
                application = application_start(
                    desk=desk,
                    personal_code=form.cleaned_data["person"],
                    service_code=form.cleaned_data["service"],
                    channel=form.cleaned_data["channel"],
                    authorisation=form.cleaned_data["authorisation"],
                    mandate_reference=form.cleaned_data["mandate_reference"],
                    representative=form.cleaned_data["representative"],
                )
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                return HttpResponseRedirect(reverse("workplace:application", args=[application.pk]))
        status = 400
    else:
        client = client_of_disclosing_view(desk=desk, view_id=request.GET.get("client_view", ""))
        person = client.key if client is not None and client.kind == ClientKind.PERSON else ""
        initial = {"person": person, "service": request.GET.get("service", "")[:6]}
        if desk.place is not None:
            initial |= {"channel": Channel.KAC, "authorisation": Authorisation.IN_PERSON}
        form = ApplicationStartForm(initial=initial, services=services, channels=channels)
    return render(
        request,
        "workplace/applications.html",
        _page(desk, form=form, applications=list(applications_of_desk(desk=desk))),
        status=status,
    )


def _application_page(
    request: HttpRequest,
    desk: Desk,
    application: AssistedApplication,
    *,
    form: SchemaForm | None = None,
    signature_form: SignatureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    schema = application.service.application_form
    schema_problem = ""
    if application.status == ApplicationStatus.DRAFT and form is None:
        try:
            form = SchemaForm(schema=schema, initial=SchemaForm.initial_from(application.data))
        except UnsupportedFormSchema as error:
            schema_problem = error.detail
    if application.status == ApplicationStatus.PRINTED and signature_form is None:
        signature_form = SignatureForm(in_person_allowed=application.channel == Channel.KAC)
    rows = display_rows(schema, application.data) if application.status != ApplicationStatus.DRAFT else []
    return render(
        request,
        "workplace/application.html",
        _page(
            desk,
            application=application,
            form=form,
            signature_form=signature_form,
            schema_problem=schema_problem,
            rows=rows,
            case_url=case_url(application.case) if application.case else "",
        ),
        status=status,
    )


@specialist_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    """The application: its form while a draft (POST saves the draft), then what was printed, signed, submitted."""
    current = _own(desk, application_id)
    if request.method == "GET":
        return _application_page(request, desk, current)
    if current.status != ApplicationStatus.DRAFT:
        messages.error(request, _("The application is printed: its data cannot be changed any more."))
        return HttpResponseRedirect(reverse("workplace:application", args=[current.pk]))
    try:
        form = SchemaForm(request.POST, schema=current.service.application_form, partial=True)
    except UnsupportedFormSchema:
        return _application_page(request, desk, current, status=400)
    if form.is_valid():
        try:
            application_save(desk=desk, application=current, data=form.instance())
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return HttpResponseRedirect(reverse("workplace:application", args=[current.pk]))
    return _application_page(request, desk, current, form=form, status=400)


@specialist_required
@require_POST
def application_print_view(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    """Save the form, check it whole and register the case; then the page offers the PDF."""
    current = _own(desk, application_id)
    if current.status == ApplicationStatus.DRAFT:
        try:
            form = SchemaForm(request.POST, schema=current.service.application_form)
        except UnsupportedFormSchema:
            return _application_page(request, desk, current, status=400)
        if not form.is_valid():
            return _application_page(request, desk, current, form=form, status=400)
        try:
            current = application_save(desk=desk, application=current, data=form.instance())
            current = application_print(desk=desk, application=current)
        except ApplicationError as error:
            add_service_errors(form, error)
            return _application_page(request, desk, current, form=form, status=error.status)
        messages.success(
            request,
            _("Case %(number)s is registered. Print the application for the client to check and sign.")
            % {"number": current.case.number if current.case else ""},
        )
    return HttpResponseRedirect(reverse("workplace:application", args=[current.pk]))


@specialist_required
@require_GET
def application_pdf_view(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    """The printed application, inline, named by its case number."""
    current = _own(desk, application_id)
    if current.case is None or current.status == ApplicationStatus.CANCELLED:
        raise Http404(str(application_id))
    content = application_pdf(application=current)
    audit_record(
        actor=desk.actor,
        action="workplace.application.pdf",
        obj=AuditedObject(
            type="workplace.application",
            id=str(current.pk),
            label=current.case.number,
            holder_id=str(current.person_id),
        ),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="application-{current.case.url_number}.pdf"'
    return response


@specialist_required
@require_POST
def application_sign(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    """Attach the signed scan or confirm the signature in person."""
    current = _own(desk, application_id)
    form = SignatureForm(request.POST, request.FILES, in_person_allowed=current.channel == Channel.KAC)
    if form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            if upload is not None:
                application_attach_scan(
                    desk=desk,
                    application=current,
                    content=upload.read(document_max_bytes() + 1),  # the store refuses anything longer
                    filename=upload.name,
                )
            else:
                application_sign_in_person(desk=desk, application=current)
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signature is recorded. You can submit the application."))
            return HttpResponseRedirect(reverse("workplace:application", args=[current.pk]))
    return _application_page(request, desk, current, signature_form=form, status=400)


@specialist_required
@require_POST
def application_submit_view(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    current = _own(desk, application_id)
    try:
        application_submit(desk=desk, application=current)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return _application_page(request, desk, current, status=error.status)
    return HttpResponseRedirect(reverse("workplace:application", args=[current.pk]))


@specialist_required
@require_POST
def application_cancel_view(request: HttpRequest, application_id: UUID, *, desk: Desk) -> HttpResponse:
    current = _own(desk, application_id)
    try:
        application_cancel(desk=desk, application=current)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return _application_page(request, desk, current, status=error.status)
    messages.success(request, _("The application is cancelled."))
    return HttpResponseRedirect(reverse("workplace:applications"))
