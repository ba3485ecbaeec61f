"""Writing notices, contact data and preferences. Keyword-only, checked and audited.

`notice_send` is called by the outbox handlers inside the relay transaction: it only records
the inbox message and the dispatches (no e-mail or SMS is sent there) and is not audited — the
message, its dispatches and their attempts are the record. Everything a person or an
administrator does is audited.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.actors import Actor
from onedoor.parties.models import Institution, Person
from onedoor.parties.services import normalize_phone

from .dispatch import dispatcher_nudge_on_commit
from .errors import DispatchNotRetryable, InvalidContact, InvalidPreference, MessageNotFound, NotificationsNotAllowed
from .models import (
    OPEN_DISPATCH_STATUSES,
    OPT_IN_KINDS,
    ContactKind,
    ContactPoint,
    Dispatch,
    DispatchChannel,
    DispatchStatus,
    Language,
    Message,
    NoticeKind,
    NotificationPreference,
    PreferredChannel,
    RecipientSettings,
)
from .rendering import RenderedNotice, notice_render
from .selectors import acts_as_person, external_route, preferred_channel, recipient_language

ContextFor = Callable[[str], dict[str, Any]]
_SMS_CAPABLE = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


# --- notices -------------------------------------------------------------------------------------


def notice_send(
    *,
    person: Person,
    kind: str,
    context_for: ContextFor,
    sender: Institution | None = None,
    case_number: str = "",
    source_event_id: UUID | None = None,
) -> Message | None:
    """Record a notice for `person`: the inbox message (both languages) and, by the person's
    preference, one pending e-mail or SMS dispatch in their language. Returns the message, or None
    when the person is not subscribed to an opt-in kind.

    `context_for(language)` gives the template context in a language. With a `source_event_id`
    the notice is recorded once per (event, person): a second call returns the first message and
    adds no dispatch. Call inside a transaction; a worker is nudged when it commits.
    """
    channel = preferred_channel(person=person, kind=kind)
    if channel == PreferredChannel.OFF:
        return None
    rendered: dict[str, RenderedNotice] = {
        language: notice_render(kind=kind, language=language, context=context_for(language))
        for language in Language.values
    }
    fields = {
        "kind": kind,
        "sender": sender,
        "case_number": case_number,
        "subject_lv": rendered[Language.LATVIAN].subject[:300],
        "subject_en": rendered[Language.ENGLISH].subject[:300],
        "body_lv": rendered[Language.LATVIAN].body,
        "body_en": rendered[Language.ENGLISH].body,
    }
    with transaction.atomic():
        if source_event_id is None:
            message, created = Message.objects.create(recipient=person, **fields), True
        else:
            message, created = Message.objects.get_or_create(
                source_event_id=source_event_id, recipient=person, defaults=fields
            )
        if not created:
            return message
        route = external_route(person=person, channel=channel)
        if route is not None:
            language = recipient_language(person=person)
            text = rendered[language]
            is_email = route.channel == DispatchChannel.EMAIL
            Dispatch.objects.create(
                message=message,
                person=person,
                channel=route.channel,
                address=route.address,
                language=language,
                subject=text.subject[:300] if is_email else "",
                body=text.body if is_email else text.sms,
                status=DispatchStatus.PENDING,
                next_attempt_at=timezone.now(),
            )
            dispatcher_nudge_on_commit()
    return message


# --- the person's own settings ------------------------------------------------------------------


def _person_object(person: Person) -> AuditedObject:
    return AuditedObject(type="parties.person", id=str(person.pk))


def _check_may_manage(*, actor: Actor, person: Person, action: str) -> None:
    """The person (acting for themself) or the platform (platform administrators, register adapters)."""
    if actor.is_platform_admin or acts_as_person(actor, person):
        return
    audit_record(actor=actor, action=action, outcome=Outcome.DENIED, obj=_person_object(person))
    raise NotificationsNotAllowed(_("Only the person may change their contact data and notification settings."))


def _normalized_contact(kind: str, value: str) -> str:
    value = value.strip()
    try:
        if kind == ContactKind.EMAIL:
            validate_email(value)
            return value.lower()
        if kind == ContactKind.PHONE:
            normalized = normalize_phone(value)
            if phonenumbers.number_type(phonenumbers.parse(normalized)) not in _SMS_CAPABLE:
                message = _("Text messages need a mobile phone number.")
                raise InvalidContact(message, invalid_params={"value": [message]})
            return normalized
    except ValidationError as error:
        raise InvalidContact(error.messages[0], invalid_params={"value": error.messages}) from None
    raise InvalidContact(_("Unknown kind of contact."), invalid_params={"kind": [_("Unknown kind of contact.")]})


def contact_point_add(*, actor: Actor, person: Person, kind: str, value: str) -> ContactPoint:
    """Record an e-mail address or mobile number of the person, unconfirmed (a known one is returned as it is)."""
    _check_may_manage(actor=actor, person=person, action="notifications.contact_point.add_denied")
    normalized = _normalized_contact(kind, value)
    with transaction.atomic():
        contact, created = ContactPoint.objects.get_or_create(person=person, kind=kind, value=normalized)
        if created:
            audit_record(
                actor=actor,
                action="notifications.contact_point.add",
                obj=AuditedObject(type="notifications.contact_point", id=str(contact.pk)),
                details={"person": str(person.pk), "kind": kind},
            )
    return contact


def contact_point_confirm(*, actor: Actor, contact_point: ContactPoint) -> ContactPoint:
    """Mark the contact point confirmed: only then are notices sent to it.

    Call it once the person has proved they hold the address (a code sent to it and typed back);
    that exchange belongs to the e-account pages.
    """
    _check_may_manage(actor=actor, person=contact_point.person, action="notifications.contact_point.confirm_denied")
    if contact_point.confirmed_at is not None:
        return contact_point
    with transaction.atomic():
        contact_point.confirmed_at = timezone.now()
        contact_point.save(update_fields=["confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="notifications.contact_point.confirm",
            obj=AuditedObject(type="notifications.contact_point", id=str(contact_point.pk)),
            details={"person": str(contact_point.person_id), "kind": contact_point.kind},
        )
    return contact_point


def contact_point_remove(*, actor: Actor, contact_point: ContactPoint) -> None:
    """Forget a contact point. Dispatches already recorded keep the address they were made for."""
    _check_may_manage(actor=actor, person=contact_point.person, action="notifications.contact_point.remove_denied")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="notifications.contact_point.remove",
            obj=AuditedObject(type="notifications.contact_point", id=str(contact_point.pk)),
            details={"person": str(contact_point.person_id), "kind": contact_point.kind},
        )
        contact_point.delete()


def notification_preference_set(*, actor: Actor, person: Person, kind: str, channel: str) -> NotificationPreference:
    """Choose the channel of one kind of notice (ACC-6). `off` unsubscribes from an opt-in kind;
    official notices always reach the inbox, so they cannot be switched off."""
    _check_may_manage(actor=actor, person=person, action="notifications.preference.set_denied")
    if kind not in NoticeKind.values:
        raise InvalidPreference(_("Unknown kind of notice."), invalid_params={"kind": [_("Unknown kind of notice.")]})
    if channel not in PreferredChannel.values:
        raise InvalidPreference(_("Unknown channel."), invalid_params={"channel": [_("Unknown channel.")]})
    if channel == PreferredChannel.OFF and kind not in OPT_IN_KINDS:
        message = _("Official notices always reach the e-account inbox; choose “inbox only” instead.")
        raise InvalidPreference(message, invalid_params={"channel": [message]})
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"channel": channel}
        )
        audit_record(
            actor=actor,
            action="notifications.preference.set",
            obj=_person_object(person),
            details={"kind": kind, "channel": channel},
        )
    return preference


def notification_language_set(*, actor: Actor, person: Person, language: str) -> RecipientSettings:
    """Choose the language of the person's e-mails and SMS."""
    _check_may_manage(actor=actor, person=person, action="notifications.language.set_denied")
    if language not in Language.values:
        raise InvalidPreference(_("Unknown language."), invalid_params={"language": [_("Unknown language.")]})
    with transaction.atomic():
        settings_row, _created = RecipientSettings.objects.update_or_create(
            person=person, defaults={"language": language}
        )
        audit_record(
            actor=actor, action="notifications.language.set", obj=_person_object(person), details={"language": language}
        )
    return settings_row


# --- the inbox ----------------------------------------------------------------------------------


def _message_object(message: Message) -> AuditedObject:
    return AuditedObject(
        type="notifications.message",
        id=str(message.pk),
        label=message.case_number,
        holder_id=str(message.sender_id) if message.sender_id else None,
    )


def _check_recipient(*, actor: Actor, message: Message) -> None:
    if not acts_as_person(actor, message.recipient):
        # As for a missing message: nobody learns whose messages exist.
        raise MessageNotFound(_("No message %(id)s.") % {"id": message.pk})


def message_mark_read(*, actor: Actor, message: Message) -> Message:
    """The recipient opened the message (ACC-3). Recorded once, audited so the sender can see it was read."""
    _check_recipient(actor=actor, message=message)
    if message.read_at is not None:
        return message
    with transaction.atomic():
        message.read_at = timezone.now()
        message.save(update_fields=["read_at", "updated_at"])
        audit_record(actor=actor, action="notifications.message.read", obj=_message_object(message))
    return message


def message_archive(*, actor: Actor, message: Message) -> Message:
    """The recipient moves the message out of the inbox (it stays in the archive)."""
    _check_recipient(actor=actor, message=message)
    if message.archived_at is not None:
        return message
    with transaction.atomic():
        message.archived_at = timezone.now()
        message.save(update_fields=["archived_at", "updated_at"])
        audit_record(actor=actor, action="notifications.message.archive", obj=_message_object(message))
    return message


# --- operations ---------------------------------------------------------------------------------


def dispatch_retry(*, actor: Actor, dispatch: Dispatch) -> Dispatch:
    """Queue a failed or dead dispatch again, due now, with a fresh attempt count and give-up window.

    Platform administrators only. A pending one is already on its way and a sent one was
    accepted (sending it again would duplicate it): both are refused (DispatchNotRetryable).
    """
    if not actor.is_platform_admin:
        raise NotificationsNotAllowed(_("Only a platform administrator may send a notice again."))
    with transaction.atomic():
        current = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if current.status not in (DispatchStatus.FAILED, DispatchStatus.DEAD) or (
            current.status in OPEN_DISPATCH_STATUSES and current.leased_until and current.leased_until > timezone.now()
        ):
            raise DispatchNotRetryable(_("Only failed or given-up notices can be sent again."))
        previous = current.status
        current.status = DispatchStatus.PENDING
        current.attempts = 0
        current.next_attempt_at = timezone.now()
        current.first_attempt_at = None
        current.leased_until = None
        current.save(
            update_fields=["status", "attempts", "next_attempt_at", "first_attempt_at", "leased_until", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="notifications.dispatch.retry",
            obj=AuditedObject(type="notifications.dispatch", id=str(current.pk), label=current.channel),
            details={"message": str(current.message_id), "was": previous},
        )
        dispatcher_nudge_on_commit()
    return current
