"""The client 360 view (CLI-1 … CLI-3): searching, opening with a purpose, verifying a caller, showing, closing.

Every step is audited: who (the specialist), whom (the client as the audited object), why (the
purpose, in the details of every record of the view) and what was shown. Refusals are audited as
denied in a transaction of their own, so the record stays although nothing else is written.
"""

from dataclasses import replace
from datetime import timedelta
from enum import StrEnum
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.models import Case
from onedoor.cases.numbers import parse_case_number
from onedoor.catalog.models import Service
from onedoor.core.channels import Channel
from onedoor.core.errors import ApplicationError, ValidationFailed
from onedoor.parties.identifiers import normalize_personal_code, normalize_registration_number
from onedoor.parties.models import Organisation, Person
from onedoor.parties.registers.company import company_register
from onedoor.parties.services import (
    normalize_phone,
    organisation_from_register,
    person_from_register,
    registered_person,
)

from .desk import Desk
from .errors import CallerNotVerified, ClientViewNotFound, ConsentRequired, PurposeRequired
from .models import ClientView, Purpose, Verification
from .selectors_clients import (
    ClientKind,
    ClientMatch,
    ClientProfile,
    client_by_personal_code,
    client_by_registration_number,
    client_match,
    client_of_view,
    client_profile,
    client_view_is_open,
    client_view_may_disclose,
    clients_by_phone,
)
from .verification import ATTEMPTS_ALLOWED, RIGHT_ANSWERS_NEEDED, may_verify, right_answers, verification_questions

VIEW_LIFETIME = timedelta(minutes=30)
VIEW_CHANNELS = (Channel.KAC, Channel.PHONE)


class SearchKind(StrEnum):
    PERSONAL_CODE = "personal_code"
    REGISTRATION_NUMBER = "registration_number"
    PHONE = "phone"


# --- searching ------------------------------------------------------------------------------------


def client_search(*, desk: Desk, kind: str, value: str) -> list[ClientMatch]:
    """Clients by personal code, registration number or confirmed phone: names and keys only; audited
    with the value searched (personal data, kept in the protected audit log)."""
    try:
        match kind:
            case SearchKind.PERSONAL_CODE:
                key = normalize_personal_code(value)
                found = client_by_personal_code(key)
                matches = [found] if found else []
            case SearchKind.REGISTRATION_NUMBER:
                key = normalize_registration_number(value)
                found = client_by_registration_number(key)
                matches = [found] if found else []
            case SearchKind.PHONE:
                key = normalize_phone(value)
                matches = clients_by_phone(key)
            case _:
                message = _("Choose what to search by.")
                raise ValidationFailed(message, invalid_params={"kind": [message]})
    except ValidationError as error:
        message = error.messages[0]
        if kind == SearchKind.PHONE:  # parties' phone messages are not translated
            message = _("Enter a phone number, like 20 123 456 or +371 20 123 456.")
        raise ValidationFailed(message, invalid_params={"value": [message]}) from None
    with transaction.atomic():
        audit_record(
            actor=desk.actor,
            action="workplace.client.search",
            details={"kind": kind, "value": key, "found": [match.key for match in matches]},
        )
    return matches


# --- opening a view -------------------------------------------------------------------------------


def _audited_client(match: ClientMatch) -> AuditedObject:
    return AuditedObject(type=f"parties.{match.kind}", id=match.key, label=match.name)


def _refuse(desk: Desk, match: ClientMatch, action: str, error: ApplicationError, details: dict[str, Any]) -> NoReturn:
    """Audit the refusal as denied (committed on its own) and raise it."""
    with transaction.atomic():
        audit_record(
            actor=desk.actor,
            action=action,
            outcome=Outcome.DENIED,
            obj=_audited_client(match),
            details={**details, "refusal": error.code},
        )
    raise error


def _client_record(match: ClientMatch) -> tuple[Person | None, Organisation | None]:
    """The platform's record of the client, made from the register when it has none yet."""
    if match.kind == ClientKind.PERSON:
        person = Person.objects.filter(personal_code=match.key).first()
        if person is None or not person.full_name.strip():
            registered = registered_person(match.key)
            if registered is not None:
                person = person_from_register(registered)
        assert person is not None  # the match came from one of the two
        return person, None
    organisation = Organisation.objects.filter(registration_number=match.key).first()
    if organisation is None or not organisation.name:
        company = company_register().lookup(match.key)
        if company is not None:
            organisation = organisation_from_register(company)
    assert organisation is not None
    return None, organisation


def _is_clients_case(case: Case, match: ClientMatch) -> bool:
    if match.kind == ClientKind.PERSON:
        return match.key in {
            case.for_person.personal_code if case.for_person else "",
            case.applicant_person.personal_code if case.applicant_person else "",
        }
    return match.key in {
        case.for_organisation.registration_number if case.for_organisation else "",
        case.applicant_organisation.registration_number if case.applicant_organisation else "",
    }


def _purpose_case(number: str, match: ClientMatch) -> Case | None:
    """The case with this number when it is the client's (registry-wide: the purpose check is not
    limited to what the institution sees, CLI-1); None otherwise, whether or not it exists."""
    canonical = parse_case_number(number)
    if canonical is None:
        return None
    case = (
        Case.objects.select_related(
            "service", "for_person", "applicant_person", "for_organisation", "applicant_organisation"
        )
        .filter(number=canonical)
        .first()
    )
    return case if case is not None and _is_clients_case(case, match) else None


def client_view_open(
    *,
    desk: Desk,
    client_kind: str,
    client_key: str,
    channel: str,
    case_number: str = "",
    service_code: str = "",
    note: str = "",
    consent: bool = False,
) -> ClientView:
    """Open the client's 360 view for a purpose: one of the client's cases or a service (CLI-2).

    Refused (audited as denied, nothing else written) without a purpose, with a case that is not the
    client's, or without the client's consent where the service requires it. The view expires in 30
    minutes; on the phone nothing is shown until the caller is verified (CLI-3).
    """
    match = client_match(kind=client_kind, key=client_key)
    case_number, service_code, note = case_number.strip(), service_code.strip(), note.strip()
    asked = {"purpose": "", "case": case_number, "service": service_code, "note": note, "channel": channel}
    action = "workplace.client_view.open"
    if channel not in VIEW_CHANNELS:
        message = _("Choose how the client is served: in person or on the phone.")
        _refuse(desk, match, action, ValidationFailed(message, invalid_params={"channel": [message]}), asked)
    if channel == Channel.KAC and desk.place is None:
        # Without an application place nobody stands at the desk: the caller must be verified (CLI-3).
        message = _("You work without an application place: serve the client on the phone, with caller verification.")
        _refuse(desk, match, action, ValidationFailed(message, invalid_params={"channel": [message]}), asked)
    if not case_number and not service_code:
        message = _("State the purpose: a case or a service.")
        _refuse(desk, match, action, PurposeRequired(message, invalid_params={"purpose": [message]}), asked)
    if case_number and service_code:
        message = _("State one purpose: a case or a service, not both.")
        _refuse(desk, match, action, PurposeRequired(message, invalid_params={"purpose": [message]}), asked)
    case = None
    if case_number:
        asked["purpose"] = Purpose.CASE
        case = _purpose_case(case_number, match)
        if case is None:
            message = _("The client has no case with this number. Check the number with the client.")
            _refuse(desk, match, action, PurposeRequired(message, invalid_params={"case_number": [message]}), asked)
        service = case.service
    else:
        asked["purpose"] = Purpose.SERVICE
        found = Service.objects.filter(code=service_code, is_published=True).first()
        if found is None:
            message = _("Choose a service from the list.")
            _refuse(desk, match, action, PurposeRequired(message, invalid_params={"service": [message]}), asked)
        service = found
    if service.client_view_consent_required and not consent:
        message = _("This service requires the client's consent before their profile is opened.")
        _refuse(desk, match, action, ConsentRequired(message, invalid_params={"consent": [message]}), asked)
    now = timezone.now()
    with transaction.atomic():
        person, organisation = _client_record(match)
        view = ClientView.objects.create(
            opened_by=desk.user,
            opened_by_label=desk.actor.label,
            institution=desk.institution,
            person=person,
            organisation=organisation,
            channel=channel,
            purpose=Purpose.CASE if case else Purpose.SERVICE,
            case=case,
            service=None if case else service,
            purpose_note=note,
            consent_given_at=now if service.client_view_consent_required else None,
            verification=Verification.PENDING if channel == Channel.PHONE else Verification.NOT_NEEDED,
            expires_at=now + VIEW_LIFETIME,
        )
        audit_record(
            actor=desk.actor,
            action=action,
            obj=_view_object(view),
            details={
                **_purpose_details(view),
                "channel": channel,
                "consent": view.consent_given_at.isoformat() if view.consent_given_at else None,
            },
        )
    return view


def _purpose_details(view: ClientView) -> dict[str, str]:
    """Why the view is open, as every audit record of the view repeats it."""
    return {
        "view": str(view.pk),
        "purpose": view.purpose,
        "case": view.case.number if view.case else "",
        "service": view.case.service.code if view.case else view.service.code if view.service else "",
        "note": view.purpose_note,
    }


def _view_object(view: ClientView) -> AuditedObject:
    """The client as the audited object; `holder_id` is the client's own id, so the records reach the
    client's "download my data" (SEC-3): they can see who opened their profile and why."""
    client = view.person or view.organisation
    assert client is not None
    return replace(_audited_client(client_of_view(view)), holder_id=str(client.pk))


def _locked_open_view(view: ClientView) -> ClientView:
    """The view's row, locked; ClientViewNotFound when it has ended."""
    locked = ClientView.objects.select_for_update().get(pk=view.pk)
    if not client_view_is_open(locked):
        raise ClientViewNotFound(_("This view has ended. Open it again with a purpose."))
    return locked


# --- verifying a caller ---------------------------------------------------------------------------


def client_view_verify(*, desk: Desk, view: ClientView, answers: dict[str, str]) -> tuple[ClientView, int]:
    """Check a caller's answers to the view's questions (CLI-3) and return the view and how many were right.

    Two right of three pass; the third failed attempt fails the verification and closes the view.
    Each attempt is audited (success or failure); the answers themselves are never recorded.
    """
    if view.opened_by_id != desk.user.pk:
        raise ClientViewNotFound(_("No such client view."))
    questions = verification_questions(view)
    if not may_verify(questions):
        raise CallerNotVerified(_("The profile holds too little to verify a caller."))
    right = right_answers(questions, answers)
    with transaction.atomic():
        locked = _locked_open_view(view)
        if locked.verification != Verification.PENDING:
            return locked, right
        locked.verification_attempts += 1
        passed = right >= RIGHT_ANSWERS_NEEDED
        if passed:
            locked.verification = Verification.PASSED
        elif locked.verification_attempts >= ATTEMPTS_ALLOWED:
            locked.verification = Verification.FAILED
            locked.closed_at = timezone.now()
        locked.save(update_fields=["verification", "verification_attempts", "closed_at", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.client_view.verify",
            outcome=Outcome.SUCCESS if passed else Outcome.FAILURE,
            obj=_view_object(view),
            details={
                **_purpose_details(view),
                "attempt": locked.verification_attempts,
                "asked": [question.key for question in questions],
                "right": right,
                "verification": locked.verification,
            },
        )
    view.verification = locked.verification
    view.verification_attempts = locked.verification_attempts
    view.closed_at = locked.closed_at
    return view, right


# --- showing and closing --------------------------------------------------------------------------


def client_view_show(*, desk: Desk, view: ClientView, language: str) -> ClientProfile:
    """The client's profile under an open view, with one audit record of the sections shown and their rows."""
    if view.opened_by_id != desk.user.pk or not client_view_is_open(view):
        raise ClientViewNotFound(_("This view has ended. Open it again with a purpose."))
    if not client_view_may_disclose(view):
        raise CallerNotVerified(_("Verify the caller before anything is disclosed."))
    profile = client_profile(view=view, language=language)
    with transaction.atomic():
        audit_record(
            actor=desk.actor,
            action="workplace.client_view.sections",
            obj=_view_object(view),
            details={
                **_purpose_details(view),
                "sections": {key: section.shown for key, section in sorted(profile.sections.items())},
            },
        )
    return profile


def client_view_close(*, desk: Desk, view: ClientView) -> ClientView:
    """Close the view before it expires; closing one that has already ended changes nothing."""
    if view.opened_by_id != desk.user.pk:
        raise ClientViewNotFound(_("No such client view."))
    with transaction.atomic():
        locked = ClientView.objects.select_for_update().get(pk=view.pk)
        if not client_view_is_open(locked):
            return locked
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at", "updated_at"])
        audit_record(
            actor=desk.actor,
            action="workplace.client_view.close",
            obj=_view_object(view),
            details=_purpose_details(view),
        )
    view.closed_at = locked.closed_at
    return view
