"""Contact data, preferences and the inbox: only the person (or the platform) may change them, and it is audited."""

import pytest
from django.utils import timezone

from onedoor.audit.models import AuditRecord
from onedoor.core.actors import SYSTEM
from onedoor.notifications.errors import InvalidContact, InvalidPreference, MessageNotFound, NotificationsNotAllowed
from onedoor.notifications.models import ContactPoint, Message, NotificationPreference, RecipientSettings
from onedoor.notifications.selectors import inbox_for, inbox_unread_count, message_get, preferred_channel
from onedoor.notifications.services import (
    contact_point_add,
    contact_point_confirm,
    contact_point_remove,
    message_archive,
    message_mark_read,
    notification_language_set,
    notification_preference_set,
)
from onedoor.parties.models import Person

from .conftest import citizen, publish, record_status, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(demo_catalog: None) -> Person:
    return Person.objects.get(personal_code="32871452034")


def _actions() -> list[str]:
    return list(
        AuditRecord.objects.filter(action__startswith="notifications.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_a_person_adds_and_confirms_contact_points_in_normal_form(janis: Person) -> None:
    me = citizen(janis)
    email = contact_point_add(actor=me, person=janis, kind="email", value="  Janis.Berzins@Example.LV ")
    phone = contact_point_add(actor=me, person=janis, kind="phone", value="29 123 456")
    assert (email.value, phone.value) == ("janis.berzins@example.lv", "+37129123456")
    assert email.confirmed_at is None
    again = contact_point_add(actor=me, person=janis, kind="email", value="janis.berzins@example.lv")
    assert again.pk == email.pk
    contact_point_confirm(actor=me, contact_point=email)
    assert ContactPoint.objects.get(pk=email.pk).confirmed_at is not None
    contact_point_remove(actor=me, contact_point=phone)
    assert list(ContactPoint.objects.values_list("value", flat=True)) == ["janis.berzins@example.lv"]
    assert _actions() == [
        "notifications.contact_point.add",
        "notifications.contact_point.add",
        "notifications.contact_point.confirm",
        "notifications.contact_point.remove",
    ]


@pytest.mark.parametrize(
    ("kind", "value"), [("email", "not an address"), ("phone", "12"), ("phone", "67 123 456"), ("fax", "123")]
)
def test_invalid_contact_data_is_refused(janis: Person, kind: str, value: str) -> None:
    with pytest.raises(InvalidContact):
        contact_point_add(actor=citizen(janis), person=janis, kind=kind, value=value)
    assert ContactPoint.objects.count() == 0


def test_nobody_else_changes_a_persons_settings_and_the_attempt_is_audited(janis: Person, anna: Person) -> None:
    with pytest.raises(NotificationsNotAllowed):
        contact_point_add(actor=citizen(anna), person=janis, kind="email", value="anna@example.lv")
    with pytest.raises(NotificationsNotAllowed):
        notification_preference_set(actor=citizen(anna), person=janis, kind="case_status", channel="sms")
    assert ContactPoint.objects.count() == 0
    assert NotificationPreference.objects.count() == 0
    assert _actions() == ["notifications.contact_point.add_denied", "notifications.preference.set_denied"]
    assert set(AuditRecord.objects.filter(action__endswith="_denied").values_list("outcome", flat=True)) == {"denied"}


def test_the_platform_may_record_contact_data(janis: Person) -> None:
    point = contact_point_add(actor=SYSTEM, person=janis, kind="email", value="j@example.lv")
    assert point.person == janis


def test_preferences_and_language(janis: Person) -> None:
    me = citizen(janis)
    assert preferred_channel(person=janis, kind="case_status") == "email"
    assert preferred_channel(person=janis, kind="proactive_offer") == "off"
    notification_preference_set(actor=me, person=janis, kind="case_status", channel="sms")
    notification_preference_set(actor=me, person=janis, kind="case_status", channel="inbox_only")
    notification_preference_set(actor=me, person=janis, kind="proactive_offer", channel="email")
    assert preferred_channel(person=janis, kind="case_status") == "inbox_only"
    assert preferred_channel(person=janis, kind="proactive_offer") == "email"
    notification_language_set(actor=me, person=janis, language="en")
    assert RecipientSettings.objects.get(person=janis).language == "en"
    with pytest.raises(InvalidPreference):
        notification_preference_set(actor=me, person=janis, kind="case_status", channel="off")
    with pytest.raises(InvalidPreference):
        notification_preference_set(actor=me, person=janis, kind="gossip", channel="email")
    with pytest.raises(InvalidPreference):
        notification_language_set(actor=me, person=janis, language="ru")
    assert NotificationPreference.objects.count() == 2


def test_the_recipient_reads_and_archives_a_message(janis: Person, anna: Person) -> None:
    record_status(register_case(), "benefit-granted")
    publish()
    message = Message.objects.get()
    assert inbox_unread_count(person=janis) == 1
    with pytest.raises(MessageNotFound):
        message_mark_read(actor=citizen(anna), message=message)
    with pytest.raises(MessageNotFound):
        message_get(actor=citizen(anna), message_id=message.pk)
    assert Message.objects.get().read_at is None

    me = citizen(janis)
    assert message_get(actor=me, message_id=message.pk) == message
    message_mark_read(actor=me, message=message)
    first_read = Message.objects.get().read_at
    message_mark_read(actor=me, message=message)  # once is enough
    assert Message.objects.get().read_at == first_read
    assert inbox_unread_count(person=janis) == 0
    assert list(inbox_for(person=janis)) == [message]
    assert list(inbox_for(person=janis, unread_only=True)) == []
    message_archive(actor=me, message=message)
    assert list(inbox_for(person=janis)) == []
    read = AuditRecord.objects.get(action="notifications.message.read")
    assert read.holder_id == str(message.sender_id)
    assert _actions() == ["notifications.message.read", "notifications.message.archive"]


def test_a_representative_under_a_mandate_is_not_the_recipient(janis: Person) -> None:
    from dataclasses import replace

    record_status(register_case(), "benefit-granted")
    publish()
    with pytest.raises(MessageNotFound):
        message_mark_read(actor=replace(citizen(janis), mandate_id="m-1"), message=Message.objects.get())


def test_the_inbox_lists_in_one_query(janis: Person, django_assert_num_queries: object) -> None:
    case = register_case()
    for status in ("benefit-granted", "benefit-paid", "benefit-refused"):
        record_status(case, status)
    publish()
    Message.objects.filter(kind="result").update(read_at=timezone.now())
    with django_assert_num_queries(1):  # type: ignore[operator]
        listed = [
            (message.subject_lv, message.sender.code if message.sender else "") for message in inbox_for(person=janis)
        ]
    assert len(listed) == 3
    assert {sender for _, sender in listed} == {"VSAA"}
