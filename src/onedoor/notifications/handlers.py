"""How notifications react to published outbox events: a case status change that informs the client,
and a mandate given, revoked or declined (ACC-5).

The handler runs inside the relay's transaction (`core.outbox.outbox_publish_pending`), so it
only records work — the inbox message and the pending e-mail or SMS — and is idempotent: a
message exists once per (event, recipient). Once the relay commits, a worker is nudged to send.

Who is told: the person the case is for (`Case.for_person`, which is the applicant when nobody
else was named). A case for a company is skipped for now: company recipients (the people who
represent it) come with acting contexts and mandates. A client known only by a phone number
gets nothing yet (no confirmed contact point, no inbox).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from onedoor.access.events import MANDATE_DECLINED, MANDATE_GRANTED, MANDATE_REVOKED
from onedoor.access.models import Mandate
from onedoor.cases.events import CASE_STATUS_CHANGED
from onedoor.cases.models import Case
from onedoor.cases.numbers import parse_case_number
from onedoor.catalog.models import Lifecycle, Service, ServiceStatusType
from onedoor.core.i18n import localized
from onedoor.core.models import OutboxEvent
from onedoor.core.outbox import outbox_register_handler

from .models import NoticeKind
from .rendering import case_status_context
from .services import notice_send


def case_status_notice_record(event: OutboxEvent) -> None:
    """Record the notice of a status change whose status type informs the client (NOTE-2).

    The status is the event's own (a late event that did not become current is still news to the
    client). Reaching `result_delivered` is a notice of the kind "result", any other a "case_status".
    """
    data = event.data
    number = parse_case_number(str(data.get("case_number") or ""))
    if number is None:
        return
    status_type = (
        ServiceStatusType.objects.select_related("service")
        .filter(service__code=data.get("service"), code=data.get("status"), informs_client=True)
        .first()
    )
    if status_type is None:
        return
    case = Case.objects.select_related("for_person", "holder").filter(number=number).first()
    if case is None or case.for_person is None or case.for_organisation_id is not None:
        return
    person = case.for_person
    kind = NoticeKind.RESULT if status_type.lifecycle == Lifecycle.RESULT_DELIVERED else NoticeKind.CASE_STATUS
    notice_send(
        person=person,
        kind=kind,
        sender=case.holder,
        case_number=case.number,
        source_event_id=event.id,
        context_for=lambda language: case_status_context(
            language=language,
            person_name=person.full_name,
            case_number=case.number,
            service=status_type.service,
            status_type=status_type,
            institution=case.holder,
            occurred_at=event.occurred_at,
        ),
    )


outbox_register_handler(CASE_STATUS_CHANGED, case_status_notice_record)


def _local_day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def mandate_notice_context(*, language: str, event_type: str, mandate: Mandate, recipient_name: str) -> dict[str, Any]:
    """What the mandate templates may use, in one language."""
    services = Service.objects.filter(code__in=mandate.service_codes).order_by("code")
    with translation.override(language):
        path = reverse("accounts:mandate", args=[mandate.reference])
    return {
        "person_name": recipient_name.strip(),
        "change": event_type.removeprefix("mandate."),
        "reference": mandate.reference,
        "mandator": mandate.mandator_label,
        "mandatary": mandate.mandatary.full_name,
        "granted_by": mandate.granted_by.full_name,
        "scope": mandate.scope,
        "services": [f"{localized(service, 'name', language)} ({service.code})" for service in services],
        "first_day": _local_day(mandate.valid_from),
        "last_day": mandate.last_day.isoformat(),
        "mandate_url": f"{settings.ONEDOOR_PUBLIC_URL.rstrip('/')}{path}",
    }


def mandate_notice_record(event: OutboxEvent) -> None:
    """Tell the mandatary that a mandate was given to them or revoked, and the person who gave it that
    it was declined. Mandate notices are official: they always reach the inbox."""
    mandate = (
        Mandate.objects.select_related("mandator_person", "mandator_organisation", "mandatary", "granted_by")
        .filter(reference=event.subject)
        .first()
    )
    if mandate is None:
        return
    recipient = mandate.granted_by if event.type == MANDATE_DECLINED else mandate.mandatary
    notice_send(
        person=recipient,
        kind=NoticeKind.MANDATE,
        source_event_id=event.id,
        context_for=lambda language: mandate_notice_context(
            language=language, event_type=event.type, mandate=mandate, recipient_name=recipient.full_name
        ),
    )


for _mandate_event in (MANDATE_GRANTED, MANDATE_REVOKED, MANDATE_DECLINED):
    outbox_register_handler(_mandate_event, mandate_notice_record)
