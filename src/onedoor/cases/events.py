"""The events the registry emits through the outbox (published to institutions' systems as CloudEvents)."""

from typing import Any

from onedoor.core.models import OutboxEvent

from .models import Case, CaseStatusEvent, Consultation, Feedback
from .numbers import url_case_number

CASE_REGISTERED = "case.registered"
CASE_SUBMITTED = "case.submitted"
CASE_STATUS_CHANGED = "case.status_changed"
CONSULTATION_REGISTERED = "consultation.registered"
FEEDBACK_RECEIVED = "feedback.received"

EVENT_TYPES = (CASE_REGISTERED, CASE_SUBMITTED, CASE_STATUS_CHANGED, CONSULTATION_REGISTERED, FEEDBACK_RECEIVED)
SOURCE = "/onedoor/registry"


def _party(case: Case) -> dict[str, Any]:
    return {
        "kind": case.applicant_kind,
        "personal_code": case.applicant_person.personal_code if case.applicant_person else None,
        "registration_number": case.applicant_organisation.registration_number if case.applicant_organisation else None,
        "phone": case.applicant_phone or None,
    }


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "case_number": url_case_number(case.number),
        "service": case.service.code,
        "holder": case.holder.code,
        "channel": case.channel,
        "result_channel": case.result_channel or None,
        "status": case.status,
        "lifecycle": case.lifecycle,
        "is_closed": case.is_closed,
        "submitted_at": case.submitted_at.isoformat(),
        "external_id": case.external_id or None,
        "applicant": _party(case),
        "acting_for": {
            "personal_code": case.for_person.personal_code if case.for_person else None,
            "registration_number": case.for_organisation.registration_number if case.for_organisation else None,
            "mandate": case.mandate_reference or None,
        },
        "submitted_by": {
            "kind": case.registered_by_kind,
            "label": case.registered_by_label,
            "place": case.place.code if case.place_id and case.place else None,
            "authorisation": case.authorisation or None,
        },
        "data": case.data,
    }


def case_event(case: Case, type: str) -> OutboxEvent:
    return OutboxEvent(
        type=type,
        source=SOURCE,
        subject=url_case_number(case.number),
        ordering_key=str(case.pk),
        institution_id=case.holder_id,
        service_code=case.service.code,
        data=case_summary(case),
        occurred_at=case.submitted_at,
    )


def status_changed_event(case: Case, event: CaseStatusEvent) -> OutboxEvent:
    return OutboxEvent(
        type=CASE_STATUS_CHANGED,
        source=SOURCE,
        subject=url_case_number(case.number),
        ordering_key=str(case.pk),
        institution_id=case.holder_id,
        service_code=case.service_code,
        data={
            "case_number": url_case_number(case.number),
            "service": case.service_code,
            "event_id": event.event_id,
            "status": event.status,
            "lifecycle": event.lifecycle,
            "is_final": event.is_final,
            "occurred_at": event.occurred_at.isoformat(),
            "note": event.note or None,
            "actor": event.actor_label,
            "current_status": case.status,
            "current_lifecycle": case.lifecycle,
            "is_closed": case.is_closed,
        },
        occurred_at=event.occurred_at,
    )


def consultation_event(consultation: Consultation) -> OutboxEvent:
    return OutboxEvent(
        type=CONSULTATION_REGISTERED,
        source=SOURCE,
        subject=str(consultation.pk),
        ordering_key=str(consultation.pk),
        institution_id=consultation.service.holder_id if consultation.service else consultation.institution_id,
        service_code=consultation.service.code if consultation.service else "",
        data={
            "id": str(consultation.pk),
            "service": consultation.service.code if consultation.service else None,
            "institution": consultation.institution.code,
            "channel": consultation.channel,
            "client_kind": consultation.client_kind,
            "topic": consultation.topic,
            "outcome": consultation.outcome or None,
            "duration_seconds": consultation.duration_seconds,
            "occurred_at": consultation.occurred_at.isoformat(),
        },
        occurred_at=consultation.occurred_at,
    )


def feedback_event(feedback: Feedback, *, holder_id: Any, service_code: str, subject: str) -> OutboxEvent:
    return OutboxEvent(
        type=FEEDBACK_RECEIVED,
        source=SOURCE,
        subject=subject,
        ordering_key=subject,
        institution_id=holder_id,
        service_code=service_code,
        data={
            "id": str(feedback.pk),
            "subject": subject,
            "scores": feedback.scores,
            "comment": feedback.comment or None,
            "channel": feedback.channel,
            "given_at": feedback.given_at.isoformat(),
        },
        occurred_at=feedback.given_at,
    )
