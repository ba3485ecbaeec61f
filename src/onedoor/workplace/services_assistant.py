"""Applying for a client with the e-assistant (ASST-1, ASST-2, WORK-2).

A specialist starts an application for a client (at the desk or on the phone, under an in-person
authorisation or the client's mandate), fills the service's form, prints it (which registers the
case, so the paper carries its number), attaches the client's signature and submits it to the
holder. Every step checks that the application is the specialist's own and in the right state,
runs in one transaction and is audited.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.access.models import Mandate, MandateScope, MandateStatus
from onedoor.access.selectors import mandates_in_status
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Authorisation
from onedoor.cases.services import PartyRef, StatusEventInput, case_register, case_submit, status_events_record
from onedoor.catalog.models import Lifecycle, Service
from onedoor.core.channels import Channel
from onedoor.core.errors import ValidationFailed
from onedoor.documents.models import DocumentKind
from onedoor.documents.services import document_store
from onedoor.parties.identifiers import normalize_personal_code
from onedoor.parties.models import Person
from onedoor.parties.services import person_from_register, registered_person

from .desk import Desk
from .errors import (
    ApplicationNotFound,
    ApplicationState,
    ClientNotFound,
    InvalidAuthorisation,
    InvalidFormData,
    ServiceNotAssisted,
    UnsupportedFormSchema,
)
from .jsonforms import form_schema_check, schema_errors
from .models import Activity, ApplicationStatus, AssistedApplication, Signature, Stage
from .selectors_assistant import assisted_services
from .timerecords import time_record_add

WITHDRAWN = Lifecycle.WITHDRAWN.value  # the generic status every service has


def _audited(application: AssistedApplication) -> AuditedObject:
    return AuditedObject(
        type="workplace.application",
        id=str(application.pk),
        label=application.case.number if application.case else application.service.code,
        holder_id=str(application.person_id),
    )


def assisted_channels(desk: Desk) -> list[str]:
    """In person at the desk's application place, or on the phone."""
    return [Channel.KAC, Channel.PHONE] if desk.place is not None else [Channel.PHONE]


def _client(personal_code: str) -> Person:
    try:
        code = normalize_personal_code(personal_code)
    except ValidationError as error:
        raise ClientNotFound(error.messages[0], invalid_params={"person": error.messages}) from None
    registered = registered_person(code)
    if registered is None:
        message = _("The registers know no person with this personal code.")
        raise ClientNotFound(message, invalid_params={"person": [message]})
    if not registered.is_alive:
        message = _("According to the population register this person has died; nobody can apply in their name.")
        raise ClientNotFound(message, invalid_params={"person": [message]})
    return person_from_register(registered)


def _assisted_service(desk: Desk, service_code: str) -> Service:
    service = Service.objects.filter(code=service_code, is_published=True).first()
    if service is None:
        message = _("There is no service with code %(code)s.") % {"code": service_code}
        raise ServiceNotAssisted(message, invalid_params={"service": [message]})
    if not service.e_assistant_allowed:
        message = _("The holder of this service does not allow applying with the e-assistant.")
        raise ServiceNotAssisted(message, invalid_params={"service": [message]})
    if not assisted_services(desk=desk).filter(pk=service.pk).exists():
        message = (
            _("Your application place does not offer this service.")
            if desk.place is not None
            else _("Without an application place you can apply only for your institution's services.")
        )
        raise ServiceNotAssisted(message, invalid_params={"service": [message]})
    try:
        form_schema_check(service.application_form)
    except UnsupportedFormSchema as error:
        raise UnsupportedFormSchema(error.detail, invalid_params={"service": [error.detail]}) from None
    return service


def _covering_mandate(reference: str, *, person: Person, service: Service, representative: str) -> Mandate:
    """The client's mandate in force now, given to the representative the specialist identified, that
    lets them apply for the service: a reference alone proves nothing about who holds it."""

    def refused(message: str, field: str = "mandate_reference") -> InvalidAuthorisation:
        return InvalidAuthorisation(message, invalid_params={field: [message]})

    try:
        representative_code = normalize_personal_code(representative)
    except ValidationError as error:
        raise refused(error.messages[0], "representative") from None
    mandate = Mandate.objects.select_related("mandatary").filter(reference=reference.strip().upper()).first()
    if mandate is None or mandate.mandator_person_id != person.pk:
        raise refused(_("This client has given no mandate with this reference."))
    if mandate.mandatary.personal_code != representative_code:
        raise refused(_("Mandate %(reference)s was given to someone else.") % {"reference": mandate.reference})
    if not mandates_in_status(Mandate.objects.filter(pk=mandate.pk), status=MandateStatus.ACTIVE, at=timezone.now()):
        raise refused(
            _("Mandate %(reference)s is not in force now (%(status)s).")
            % {"reference": mandate.reference, "status": mandate.status_label_at(timezone.now())}
        )
    if mandate.scope == MandateScope.RESULTS_ONLY:
        raise refused(_("Mandate %(reference)s is for result retrieval only.") % {"reference": mandate.reference})
    if mandate.scope == MandateScope.CHOSEN_SERVICES and service.code not in mandate.service_codes:
        raise refused(_("Mandate %(reference)s does not cover this service.") % {"reference": mandate.reference})
    return mandate


def application_start(
    *,
    desk: Desk,
    personal_code: str,
    service_code: str,
    channel: str,
    authorisation: str,
    mandate_reference: str = "",
    representative: str = "",
) -> AssistedApplication:
    """Start an application for a client (ASST-1): the client exists in the registers and is alive, the
    service allows the e-assistant and is offered here, and the authorisation holds — in person only at
    the place, or a mandate of this client in force that covers the service, held by the representative
    (their personal code, from their identity document or the caller verification)."""
    if channel not in assisted_channels(desk):
        message = _("Choose how the client is served.")
        raise ValidationFailed(message, invalid_params={"channel": [message]})
    person = _client(personal_code)
    service = _assisted_service(desk, service_code)
    reference = ""
    if authorisation == Authorisation.IN_PERSON:
        if channel != Channel.KAC:
            message = _("On the phone the client is not in front of you: an in-person authorisation is not possible.")
            raise InvalidAuthorisation(message, invalid_params={"authorisation": [message]})
    elif authorisation == Authorisation.MANDATE:
        if not mandate_reference.strip():
            message = _("Enter the reference of the mandate, e.g. M-7K3Q9F2A.")
            raise InvalidAuthorisation(message, invalid_params={"mandate_reference": [message]})
        reference = _covering_mandate(
            mandate_reference, person=person, service=service, representative=representative
        ).reference
    else:
        message = _("Choose under what authority you apply.")
        raise InvalidAuthorisation(message, invalid_params={"authorisation": [message]})
    with transaction.atomic():
        application = AssistedApplication.objects.create(
            service=service,
            person=person,
            specialist=desk.user,
            institution=desk.institution,
            place=desk.place,
            channel=channel,
            authorisation=authorisation,
            mandate_reference=reference,
        )
        audit_record(
            actor=desk.actor,
            action="workplace.application.start",
            obj=_audited(application),
            details={"service": service.code, "channel": channel, "authorisation": authorisation, "mandate": reference},
        )
    return application


def _locked(desk: Desk, application: AssistedApplication, *allowed: str) -> AssistedApplication:
    """The application locked for the change, still the specialist's own and in one of the allowed states."""
    locked = (
        AssistedApplication.objects.select_for_update(of=("self",))
        .select_related("service", "service__holder", "person", "place", "case")
        .filter(pk=application.pk, specialist=desk.user, institution=desk.institution)
        .first()
    )
    if locked is None:
        raise ApplicationNotFound(f"No application {application.pk}.")
    if locked.status not in allowed:
        raise ApplicationState(
            _("The application is %(status)s: this cannot be done any more.")
            % {"status": ApplicationStatus(locked.status).label}
        )
    return locked


def application_save(*, desk: Desk, application: AssistedApplication, data: dict[str, Any]) -> AssistedApplication:
    """Save the form as a draft: what is filled must be valid, missing fields may still be filled later."""
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.DRAFT)
        errors = schema_errors(locked.service.application_form, data, partial=True)
        if errors:
            raise InvalidFormData(_("Correct the marked fields."), invalid_params=errors)
        locked.data = data
        locked.save(update_fields=["data", "updated_at"])
        audit_record(actor=desk.actor, action="workplace.application.save", obj=_audited(locked))
    return locked


def application_print(*, desk: Desk, application: AssistedApplication) -> AssistedApplication:
    """Check the whole form and register the case once (not yet submitted), so the printed application
    carries its number; the data are frozen from now on. Printing again keeps the number."""
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.DRAFT, ApplicationStatus.PRINTED)
        if locked.status == ApplicationStatus.PRINTED:
            return locked
        errors = schema_errors(locked.service.application_form, locked.data)
        if errors:
            raise InvalidFormData(
                _("The application is not complete: correct the marked fields."), invalid_params=errors
            )
        registration = case_register(
            actor=desk.actor,
            service_code=locked.service.code,
            applicant=PartyRef(personal_code=locked.person.personal_code),
            channel=locked.channel,
            place=desk.place,
            authorisation=locked.authorisation,
            mandate_reference=locked.mandate_reference,
            data=locked.data,
            submit=False,
        )
        locked.case = registration.case
        locked.status = ApplicationStatus.PRINTED
        locked.save(update_fields=["case", "status", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.application.print",
            obj=_audited(locked),
            details={"case": registration.case.number},
        )
    return locked


def application_sign_in_person(*, desk: Desk, application: AssistedApplication) -> AssistedApplication:
    """The client signed the printed application in front of the specialist (at the place only)."""
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.PRINTED)
        if locked.channel != Channel.KAC:
            message = _("Only a client at the desk can sign in front of you; attach the signed scan instead.")
            raise ValidationFailed(message, invalid_params={"signed_in_person": [message]})
        locked.signature, locked.signed_scan = Signature.IN_PERSON, None
        locked.save(update_fields=["signature", "signed_scan", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.application.sign",
            obj=_audited(locked),
            details={"signature": Signature.IN_PERSON},
        )
    return locked


def application_attach_scan(
    *, desk: Desk, application: AssistedApplication, content: bytes, filename: str
) -> AssistedApplication:
    """Store the scan of the signed paper in the document store, linked to the case and the client. At
    a KAC the paper original stays at the place until it is shipped to the holder (DOC-2); a scan
    sent in by a caller has no original here.

    The document store works in a transaction of its own, outside the application's lock: a virus
    scan may take seconds, and a refused file's audit record must stay even though nothing is linked.
    """
    with transaction.atomic():
        checked = _locked(desk, application, ApplicationStatus.PRINTED)
    at_the_desk = checked.channel == Channel.KAC and desk.place is not None
    document = document_store(
        actor=desk.actor,
        content=content,
        filename=filename,
        kind=DocumentKind.SCAN,
        institution=desk.institution,
        case=checked.case,
        person=checked.person,
        place=desk.place if at_the_desk else None,
        has_paper_original=at_the_desk,
    )
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.PRINTED)
        locked.signature, locked.signed_scan = Signature.SCAN, document
        locked.save(update_fields=["signature", "signed_scan", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.application.sign",
            obj=_audited(locked),
            details={"signature": Signature.SCAN, "document": str(document.pk)},
        )
    return locked


def application_submit(*, desk: Desk, application: AssistedApplication) -> AssistedApplication:
    """Send the signed application to the holder (`case.submitted`) and record the specialist's time."""
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.PRINTED)
        if not locked.signature or locked.case is None:
            message = _(
                "The client has not signed the application yet: attach the signed scan or confirm the signature."
            )
            raise ApplicationState(message, invalid_params={"signature": [message]})
        case = case_submit(actor=desk.actor, case=locked.case)
        locked.status, locked.submitted_at = ApplicationStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        time_record_add(
            desk=desk,
            activity=Activity.APPLICATION,
            stage=Stage.APPLICATION,
            channel=locked.channel,
            started_at=locked.created_at,
            ended_at=locked.submitted_at,
            service=locked.service,
            case=case,
        )
        audit_record(
            actor=desk.actor,
            action="workplace.application.submit",
            obj=_audited(locked),
            details={"case": case.number, "signature": locked.signature},
        )
    return locked


def application_cancel(*, desk: Desk, application: AssistedApplication) -> AssistedApplication:
    """Cancel before submitting: a draft simply ends; a printed one also withdraws its registered case."""
    with transaction.atomic():
        locked = _locked(desk, application, ApplicationStatus.DRAFT, ApplicationStatus.PRINTED)
        if locked.case is not None:
            now = timezone.now()
            (result,) = status_events_record(
                actor=desk.actor,
                items=[
                    StatusEventInput(
                        case_number=locked.case.number,
                        event_id=f"withdrawn-{locked.pk}",
                        status=WITHDRAWN,
                        occurred_at=now,
                        note=_("The application was cancelled before it was submitted."),
                    )
                ],
            )
            if result.error is not None:
                raise result.error
        locked.status = ApplicationStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.application.cancel",
            obj=_audited(locked),
            details={"case": locked.case.number if locked.case else ""},
        )
    return locked
