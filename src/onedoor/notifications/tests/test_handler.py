"""A status change that informs the client becomes an inbox message and, by preference, an e-mail or SMS."""

import pytest
from django.core import mail

from onedoor.catalog.models import ServiceStatusType
from onedoor.core.models import OutboxEvent
from onedoor.notifications.dispatch import dispatches_send_due
from onedoor.notifications.handlers import case_status_notice_record
from onedoor.notifications.models import (
    ContactKind,
    Dispatch,
    DispatchChannel,
    DispatchStatus,
    Message,
    NoticeKind,
    NotificationPreference,
    RecipientSettings,
)
from onedoor.notifications.selectors import inbox_for
from onedoor.notifications.services import notice_send
from onedoor.parties.models import Person

from .conftest import EMAIL, PHONE, contact, publish, record_status, register_case

pytestmark = pytest.mark.django_db


def test_a_status_that_informs_the_client_makes_exactly_one_message(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    case = register_case()
    record_status(case, "eligibility-checked")  # informs_client = False
    record_status(case, "benefit-granted")  # informs_client = True
    publish()
    (message,) = Message.objects.all()
    assert message.recipient == janis
    assert message.kind == NoticeKind.CASE_STATUS
    assert message.case_number == case.number
    assert message.sender is not None
    assert message.sender.code == "VSAA"
    assert message.subject_lv == f"Lieta {case.number}: Pabalsts piešķirts"
    assert message.subject_en == f"Case {case.number}: Benefit granted"
    assert (
        message.source_event_id
        == OutboxEvent.objects.get(type="case.status_changed", data__status="benefit-granted").id
    )
    (dispatch,) = Dispatch.objects.all()
    assert (dispatch.channel, dispatch.address, dispatch.language, dispatch.status) == (
        DispatchChannel.EMAIL,
        EMAIL,
        "lv",
        DispatchStatus.PENDING,
    )
    assert dispatch.subject == message.subject_lv
    assert dispatch.body == message.body_lv


def test_a_status_that_does_not_inform_the_client_makes_nothing(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    case = register_case()
    record_status(case, "eligibility-checked")
    record_status(case, "in_progress")
    publish()
    assert Message.objects.count() == 0
    assert Dispatch.objects.count() == 0


def test_the_informs_client_flag_of_the_service_decides(janis: Person) -> None:
    ServiceStatusType.objects.filter(service__code="2011", code="eligibility-checked").update(informs_client=True)
    case = register_case()
    record_status(case, "eligibility-checked")
    publish()
    assert Message.objects.get().subject_en == f"Case {case.number}: Eligibility checked"


def test_reaching_the_result_is_a_result_notice(janis: Person) -> None:
    case = register_case()
    record_status(case, "benefit-paid")
    publish()
    message = Message.objects.get()
    assert message.kind == NoticeKind.RESULT
    assert message.subject_lv == f"Rezultāts lietā {case.number}: Pabalsts izmaksāts"


def test_the_relay_running_again_adds_nothing(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    case = register_case()
    record_status(case, "benefit-granted")
    publish()
    event = OutboxEvent.objects.get(type="case.status_changed")
    case_status_notice_record(event)  # the handler called again with the same event
    OutboxEvent.objects.filter(pk=event.pk).update(position=None, published_at=None)
    assert publish() == 1  # published a second time, as after a crash between handler and commit
    assert Message.objects.count() == 1
    assert Dispatch.objects.count() == 1


def test_inbox_only_makes_no_dispatch(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    NotificationPreference.objects.create(person=janis, kind=NoticeKind.CASE_STATUS, channel="inbox_only")
    record_status(register_case(), "benefit-granted")
    publish()
    assert [message.kind for message in inbox_for(person=janis)] == [NoticeKind.CASE_STATUS]
    assert Dispatch.objects.count() == 0


def test_sms_preference_sends_the_short_text_in_the_chosen_language(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    contact(janis, ContactKind.PHONE, PHONE)
    NotificationPreference.objects.create(person=janis, kind=NoticeKind.CASE_STATUS, channel="sms")
    RecipientSettings.objects.create(person=janis, language="en")
    case = register_case()
    record_status(case, "benefit-granted")
    publish()
    (dispatch,) = Dispatch.objects.all()
    assert (dispatch.channel, dispatch.address, dispatch.language, dispatch.subject) == ("sms", PHONE, "en", "")
    assert (
        dispatch.body
        == f"OneDoor: case {case.number} is now “Benefit granted”. Details in your e-account: http://127.0.0.1:8000/en/account/inbox/"
    )


def test_preferences_are_per_kind(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    NotificationPreference.objects.create(person=janis, kind=NoticeKind.RESULT, channel="inbox_only")
    case = register_case()
    record_status(case, "benefit-granted")
    record_status(case, "benefit-paid")
    publish()
    assert Message.objects.count() == 2
    assert [dispatch.message.kind for dispatch in Dispatch.objects.select_related("message")] == [
        NoticeKind.CASE_STATUS
    ]


def test_unconfirmed_contact_points_are_not_used(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL, confirmed=False)
    contact(janis, ContactKind.PHONE, PHONE, confirmed=False)
    NotificationPreference.objects.create(person=janis, kind=NoticeKind.RESULT, channel="sms")
    case = register_case()
    record_status(case, "benefit-granted")
    record_status(case, "benefit-paid")
    publish()
    assert Message.objects.count() == 2  # the inbox always has them
    assert Dispatch.objects.count() == 0


def test_the_latest_confirmed_address_is_used(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, "old@example.lv")
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(), "benefit-granted")
    publish()
    assert Dispatch.objects.get().address == EMAIL


def test_a_case_for_a_company_is_skipped_for_now(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    record_status(register_case(registration_number="40003512877"), "benefit-granted")
    publish()
    assert Message.objects.count() == 0


def test_proactive_offers_are_opt_in(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    message = notice_send(person=janis, kind=NoticeKind.PROACTIVE_OFFER, context_for=lambda language: {})
    assert message is None
    assert Message.objects.count() == 0


def test_the_email_goes_out_through_the_configured_backend(janis: Person) -> None:
    contact(janis, ContactKind.EMAIL, EMAIL)
    case = register_case()
    record_status(case, "benefit-granted")
    publish()
    assert dispatches_send_due() == 1
    (sent,) = mail.outbox
    assert sent.to == [EMAIL]
    assert sent.subject == f"Lieta {case.number}: Pabalsts piešķirts"
    dispatch = Dispatch.objects.get()
    assert dispatch.status == DispatchStatus.SENT
    assert sent.extra_headers["Message-ID"] == dispatch.provider_message_id == f"<{dispatch.pk}@127.0.0.1>"
    assert dispatches_send_due() == 0
