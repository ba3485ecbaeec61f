"""Writing notices, contact data and preferences. Keyword-only, checked and audited.

`notice_send` is called by the outbox handlers inside the relay transaction: it only records
the inbox message and the dispatches (no e-mail or SMS is sent there) and is not audited — the
message, its dispatches and their attempts are the record. Everything a person or an
administrator does is audited.
"""

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import phonenumbers
import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onedoor.audit.models import Outcome
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.cases.errors import CaseNotFound
from onedoor.cases.models import Case
from onedoor.cases.numbers import parse_case_number
from onedoor.cases.selectors import cases_visible_to
from onedoor.core.actors import Actor
from onedoor.core.i18n import localized
from onedoor.documents.filetypes import ACCEPTED_FILE_TYPES, attachment_filename, file_type_detect
from onedoor.parties.identifiers import normalize_personal_code
from onedoor.parties.models import Institution, Person
from onedoor.parties.services import normalize_phone, person_from_register, registered_person

from .dispatch import dispatcher_nudge_on_commit
from .errors import (
    ConfirmationInvalid,
    ConfirmationLimit,
    ConfirmationNotSent,
    DispatchNotRetryable,
    InvalidContact,
    InvalidMessage,
    InvalidPreference,
    MessageNotFound,
    NotificationsNotAllowed,
    RecipientNotFound,
)
from .mail import send_timeout_seconds
from .models import (
    OPEN_DISPATCH_STATUSES,
    OPT_IN_KINDS,
    Attachment,
    ContactConfirmation,
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
from .rendering import RenderedNotice, eaccount_url, notice_render
from .selectors import acts_as_person, external_route, preferred_channel, recipient_language
from .sending import SendResult, elapsed_ms
from .sms import sms_gateway

ContextFor = Callable[[str], dict[str, Any]]
log = structlog.get_logger(__name__)
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


# --- confirming contact points (ACC-2) -----------------------------------------------------------
#
# An e-mail address is confirmed by a link, a phone number by a code typed back. The secret goes
# out once, through the same e-mail backend and SMS gateway adapter as every notice, straight
# after the confirmation is committed (the person is waiting for it); only a keyed hash is kept.

CONFIRMATION_HASH_SALT = "onedoor.notifications.contact_confirmation"
EMAIL_LINK_VALIDITY = timedelta(hours=24)
SMS_CODE_VALIDITY = timedelta(minutes=10)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_DIGITS = 6
LinkFor = Callable[[str], str]


def confirmations_per_hour() -> int:
    """How many links and codes a person may ask for in an hour (each SMS costs and may annoy a stranger)."""
    return int(getattr(settings, "ONEDOOR_CONTACT_CONFIRMATIONS_PER_HOUR", 5))


def _secret_hash(value: str) -> str:
    return salted_hmac(CONFIRMATION_HASH_SALT, value, algorithm="sha256").hexdigest()


def _code_hash(confirmation_id: UUID, code: str) -> str:
    # Salted with the confirmation: the same six digits never hash alike twice.
    return _secret_hash(f"{confirmation_id}:{code}")


def _contact_object(contact_point: ContactPoint) -> AuditedObject:
    return AuditedObject(
        type="notifications.contact_point", id=str(contact_point.pk), holder_id=str(contact_point.person_id)
    )


def contact_confirmation_send(
    *, actor: Actor, contact_point: ContactPoint, language: str, link_for: LinkFor
) -> ContactConfirmation:
    """Send a proof of holding the contact point: an e-mail with a link valid 24 hours (`link_for(token)`
    makes its address) or an SMS with a 6-digit code valid 10 minutes. Earlier ones stop working.

    ConfirmationLimit after too many in an hour; ConfirmationNotSent when the e-mail server or the
    SMS gateway did not take it (the confirmation is then void).
    """
    person = contact_point.person
    _check_may_manage(actor=actor, person=person, action="notifications.contact_point.confirmation_denied")
    if contact_point.confirmed_at is not None:
        raise ConfirmationInvalid(_("This contact is already confirmed."))
    language = language if language in Language.values else Language.LATVIAN
    now = timezone.now()
    is_email = contact_point.kind == ContactKind.EMAIL
    with transaction.atomic():
        # Serialises requests of one person, so that the hourly limit holds under concurrency.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        recent = ContactConfirmation.objects.filter(
            contact_point__person=person, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= confirmations_per_hour():
            raise ConfirmationLimit(
                _("You have asked for too many confirmations in the last hour. Please try again later.")
            )
        ContactConfirmation.objects.filter(
            contact_point=contact_point, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now, updated_at=now)
        confirmation = ContactConfirmation(
            contact_point=contact_point, expires_at=now + (EMAIL_LINK_VALIDITY if is_email else SMS_CODE_VALIDITY)
        )
        if is_email:
            secret = secrets.token_urlsafe(32)
            confirmation.secret_hash = _secret_hash(secret)
        else:
            secret = f"{secrets.randbelow(10**SMS_CODE_DIGITS):0{SMS_CODE_DIGITS}d}"
            confirmation.secret_hash = _code_hash(confirmation.pk, secret)
        confirmation.save()
        audit_record(
            actor=actor,
            action="notifications.contact_point.confirmation_send",
            obj=_contact_object(contact_point),
            details={"kind": contact_point.kind, "expires_at": confirmation.expires_at.isoformat()},
        )
    context = {
        "person_name": person.full_name.strip(),
        "address": contact_point.value,
        "link": link_for(secret) if is_email else "",
        "code": "" if is_email else secret,
        "valid_hours": int(EMAIL_LINK_VALIDITY.total_seconds() // 3600),
        "valid_minutes": int(SMS_CODE_VALIDITY.total_seconds() // 60),
    }
    kind = "contact_confirmation_email" if is_email else "contact_confirmation_sms"
    text = notice_render(kind=kind, language=language, context=context)
    if is_email:
        result = _confirmation_email_send(to=contact_point.value, text=text, language=language)
    else:
        result = _confirmation_sms_send(to=contact_point.value, text=text.sms, reference=str(confirmation.pk))
    if not result.sent:
        log.warning("contact confirmation not sent", kind=contact_point.kind, error=result.error)
        ContactConfirmation.objects.filter(pk=confirmation.pk).update(expires_at=timezone.now())
        raise ConfirmationNotSent(_("The message could not be sent just now. Please try again in a few minutes."))
    return confirmation


def _confirmation_email_send(*, to: str, text: RenderedNotice, language: str) -> SendResult:
    started = time.monotonic()
    email = EmailMessage(
        subject=text.subject,
        body=text.body,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    try:
        connection = get_connection(fail_silently=False, timeout=send_timeout_seconds())
        accepted = connection.send_messages([email])
    except OSError as error:  # smtplib errors, refused connections and timeouts
        return SendResult(sent=False, latency_ms=elapsed_ms(started), error=f"{type(error).__name__}: {error}")
    return SendResult(sent=bool(accepted), latency_ms=elapsed_ms(started), error="" if accepted else "nothing sent")


def _confirmation_sms_send(*, to: str, text: str, reference: str) -> SendResult:
    gateway = sms_gateway()
    try:
        return gateway.send(to=to, text=text, reference=reference)
    finally:
        gateway.close()


def contact_point_confirm_by_link(*, actor: Actor, token: str) -> ContactPoint:
    """Confirm the e-mail address a link was sent to. The link works once, for 24 hours, and only for
    the person it was sent to; anything else raises ConfirmationInvalid and changes nothing."""
    with transaction.atomic():
        confirmation = (
            ContactConfirmation.objects.select_for_update(of=("self",))
            .select_related("contact_point__person")
            .filter(secret_hash=_secret_hash(token), contact_point__kind=ContactKind.EMAIL)
            .first()
        )
        if confirmation is None:
            raise ConfirmationInvalid(_("This confirmation link is not valid. Check that you opened the whole link."))
        contact_point = confirmation.contact_point
        if not acts_as_person(actor, contact_point.person):
            audit_record(
                actor=actor,
                action="notifications.contact_point.confirm_denied",
                outcome=Outcome.DENIED,
                obj=_contact_object(contact_point),
            )
            denied = True
        else:
            denied = False
    if denied:
        # Outside the block above, so that the refusal stays in the audit log.
        raise ConfirmationInvalid(
            _("This confirmation link was sent to someone else. Sign in as the person who added the address.")
        )
    with transaction.atomic():
        confirmation = ContactConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if confirmation.used_at is not None or contact_point.confirmed_at is not None:
            raise ConfirmationInvalid(_("This confirmation link has already been used."))
        if confirmation.expires_at <= timezone.now():
            raise ConfirmationInvalid(_("This confirmation link has expired. Ask for a new one from your profile."))
        confirmation.used_at = timezone.now()
        confirmation.save(update_fields=["used_at", "updated_at"])
        return contact_point_confirm(actor=actor, contact_point=contact_point)


def contact_point_confirm_by_code(*, actor: Actor, contact_point: ContactPoint, code: str) -> ContactPoint:
    """Confirm a phone number with the code sent to it. After 5 wrong codes a new code is needed."""
    _check_may_manage(actor=actor, person=contact_point.person, action="notifications.contact_point.confirm_denied")
    code = "".join(code.split())
    refusal = ""
    with transaction.atomic():
        confirmation = (
            ContactConfirmation.objects.select_for_update()
            .filter(contact_point=contact_point, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if confirmation is None or confirmation.expires_at <= timezone.now():
            refusal = _("The code has expired. Ask for a new code.")
        elif confirmation.failed_attempts >= SMS_CODE_MAX_ATTEMPTS:
            refusal = _("The code was entered wrongly too many times. Ask for a new code.")
        elif not constant_time_compare(confirmation.secret_hash, _code_hash(confirmation.pk, code)):
            confirmation.failed_attempts += 1
            confirmation.save(update_fields=["failed_attempts", "updated_at"])
            audit_record(
                actor=actor,
                action="notifications.contact_point.confirm_failed",
                outcome=Outcome.FAILURE,
                obj=_contact_object(contact_point),
                details={"failed_attempts": confirmation.failed_attempts},
            )
            left = SMS_CODE_MAX_ATTEMPTS - confirmation.failed_attempts
            if left:
                refusal = ngettext(
                    "The code is not right. You can try %(left)d more time.",
                    "The code is not right. You can try %(left)d more times.",
                    left,
                ) % {"left": left}
            else:
                refusal = _("The code was entered wrongly too many times. Ask for a new code.")
        else:
            confirmation.used_at = timezone.now()
            confirmation.save(update_fields=["used_at", "updated_at"])
            return contact_point_confirm(actor=actor, contact_point=contact_point)
    # Raised after the block commits: the count of wrong tries must stay.
    raise ConfirmationInvalid(refusal, invalid_params={"code": [refusal]})


def message_mark_unread(*, actor: Actor, message: Message) -> Message:
    """The recipient wants to come back to the message later: it shows as unread again."""
    _check_recipient(actor=actor, message=message)
    if message.read_at is None:
        return message
    with transaction.atomic():
        message.read_at = None
        message.save(update_fields=["read_at", "updated_at"])
        audit_record(actor=actor, action="notifications.message.mark_unread", obj=_message_object(message))
    return message


def message_unarchive(*, actor: Actor, message: Message) -> Message:
    """The recipient moves an archived message back into the inbox."""
    _check_recipient(actor=actor, message=message)
    if message.archived_at is None:
        return message
    with transaction.atomic():
        message.archived_at = None
        message.save(update_fields=["archived_at", "updated_at"])
        audit_record(actor=actor, action="notifications.message.unarchive", obj=_message_object(message))
    return message


# --- messages from institutions, with attachments (ACC-3, NOTE-1) ----------------------------------

SCOPE_MESSAGES_WRITE = "messages:write"
SUBJECT_MAX_CHARS = 300
BODY_MAX_CHARS = 20_000
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_ATTACHMENTS_PER_MESSAGE = 5


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    max_bytes: int
    max_count: int


def attachment_limits() -> AttachmentLimits:
    """Per file and per message; ONEDOOR_ATTACHMENT_MAX_BYTES and ONEDOOR_ATTACHMENTS_PER_MESSAGE change them."""
    return AttachmentLimits(
        max_bytes=int(getattr(settings, "ONEDOOR_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)),
        max_count=int(getattr(settings, "ONEDOOR_ATTACHMENTS_PER_MESSAGE", DEFAULT_ATTACHMENTS_PER_MESSAGE)),
    )


# In a message's text no control characters other than line breaks and tabs, nor lone surrogates,
# which no encoding can store.
_NOT_SHOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class AttachmentInput:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class _CheckedAttachment:
    filename: str
    content: bytes
    media_type: str
    sha256: str


def _checked_texts(
    *, subject: Mapping[str, str], body: Mapping[str, str], errors: dict[str, list[str]]
) -> dict[str, str]:
    """Subject and body in Latvian (required) and English (optional: English pages show the Latvian text)."""
    fields: dict[str, str] = {}
    for name, texts, limit in (("subject", subject, SUBJECT_MAX_CHARS), ("body", body, BODY_MAX_CHARS)):
        for language in Language.values:
            text = (texts.get(language) or "").replace("\r\n", "\n").strip()
            if name == "subject":
                text = " ".join(text.split())
            if language == Language.LATVIAN and not text:
                errors.setdefault(f"{name}.{language}", []).append(_("Give the text in Latvian."))
            elif _NOT_SHOWN.search(text):
                errors.setdefault(f"{name}.{language}", []).append(
                    _("The text has control characters that cannot be shown; only line breaks and tabs may be used.")
                )
            elif len(text) > limit:
                errors.setdefault(f"{name}.{language}", []).append(
                    _("At most %(limit)d characters (this has %(length)d).") % {"limit": limit, "length": len(text)}
                )
            fields[f"{name}_{language}"] = text
    return fields


def _checked_attachments(
    attachments: Sequence[AttachmentInput], errors: dict[str, list[str]]
) -> list[_CheckedAttachment]:
    limits = attachment_limits()
    if len(attachments) > limits.max_count:
        errors.setdefault("attachments", []).append(
            _("At most %(count)d attachments per message.") % {"count": limits.max_count}
        )
        return []
    checked = []
    accepted = ", ".join(file_type.extensions[0].upper() for file_type in ACCEPTED_FILE_TYPES)
    for index, attachment in enumerate(attachments):
        content_field = f"attachments.{index}.content_base64"
        if not attachment.content:
            errors.setdefault(content_field, []).append(_("The file is empty."))
            continue
        if len(attachment.content) > limits.max_bytes:
            errors.setdefault(content_field, []).append(
                _("The file is larger than %(size)s.") % {"size": filesizeformat(limits.max_bytes)}
            )
            continue
        file_type = file_type_detect(attachment.content)
        if file_type is None:
            errors.setdefault(content_field, []).append(
                _("This kind of file is not accepted; send one of: %(types)s.") % {"types": accepted}
            )
            continue
        filename = attachment_filename(attachment.filename, file_type)
        if not filename:
            errors.setdefault(f"attachments.{index}.filename", []).append(_("Give the file's name."))
            continue
        checked.append(
            _CheckedAttachment(
                filename=filename,
                content=attachment.content,
                media_type=file_type.media_type,
                sha256=hashlib.sha256(attachment.content).hexdigest(),
            )
        )
    return checked


def _message_recipient(personal_code: str) -> Person:
    """The person with this personal code: known to the platform, or to the population or persons register."""
    field = "recipient.personal_code"
    try:
        digits = normalize_personal_code(personal_code)
        person = Person.objects.filter(personal_code=digits).first()
        registered = None if person else registered_person(digits)
    except ValidationError as error:
        raise InvalidMessage(error.messages[0], invalid_params={field: error.messages}) from None
    if person is not None:
        return person
    if registered is None:
        message = _("Nobody with this personal code is known.")
        raise RecipientNotFound(message, invalid_params={field: [message]})
    return person_from_register(registered)


def _message_case(*, actor: Actor, case_number: str, person: Person) -> Case | None:
    """The case the message is about: one the sending system may see, of the recipient (the client
    it is for, or who applied for it)."""
    if not case_number:
        return None
    number = parse_case_number(case_number)
    if number is None:
        message = _("Not a case number; give it as “2011 0042”.")
        raise InvalidMessage(message, invalid_params={"case_number": [message]})
    case = cases_visible_to(actor=actor).filter(number=number).first()
    if case is None:
        message = _("No case %(number)s among the cases you may see.") % {"number": number}
        raise CaseNotFound(message, invalid_params={"case_number": [message]})
    if person.pk not in (case.for_person_id, case.applicant_person_id):
        message = _("Case %(number)s is not the recipient's.") % {"number": number}
        raise InvalidMessage(message, invalid_params={"case_number": [message]})
    return case


def _check_may_send(actor: Actor) -> Institution:
    institution = Institution.objects.filter(pk=actor.institution_id).first() if actor.institution_id else None
    if institution is not None and (actor.is_platform_admin or actor.has_role(SCOPE_MESSAGES_WRITE)):
        return institution
    audit_record(actor=actor, action="notifications.message.send_denied", outcome=Outcome.DENIED)
    raise NotificationsNotAllowed(
        _("Only an institution's system with the scope %(scope)s may send messages.") % {"scope": SCOPE_MESSAGES_WRITE}
    )


def institution_message_send(
    *,
    actor: Actor,
    personal_code: str,
    subject: Mapping[str, str],
    body: Mapping[str, str],
    case_number: str = "",
    attachments: Sequence[AttachmentInput] = (),
) -> Message:
    """An institution's letter to a person's e-account inbox (ACC-3), optionally about one of the
    person's cases, with up to five files (NOTE-1).

    Everything is checked before anything is written; then, in one transaction, the message, its
    files and the audit record are stored and the notice goes out like a status notice: by the
    person's preference and confirmed contact points, one e-mail or SMS (`notice_send`). The e-mail
    and SMS say only that a letter arrived and from whom — its text and files stay in the
    e-account, as neither channel is a safe place for them. Files written to storage are removed
    again if the transaction fails.
    """
    institution = _check_may_send(actor)
    errors: dict[str, list[str]] = {}
    texts = _checked_texts(subject=subject, body=body, errors=errors)
    files = _checked_attachments(attachments, errors)
    if errors:
        raise InvalidMessage(
            _("The message has invalid fields: %(names)s.") % {"names": ", ".join(errors)}, invalid_params=errors
        )
    person = _message_recipient(personal_code)
    case = _message_case(actor=actor, case_number=case_number, person=person)
    number = case.number if case else ""
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = notice_send(
                person=person,
                kind=NoticeKind.INSTITUTION_MESSAGE,
                sender=institution,
                case_number=number,
                context_for=lambda language: {
                    "person_name": person.full_name.strip(),
                    "institution_name": localized(institution, "name", language),
                    "institution_code": institution.code,
                    "case_number": number,
                    "attachment_count": len(files),
                    "eaccount_url": eaccount_url(language),
                },
            )
            assert message is not None, "institution messages are not opt-in"
            # notice_send put the notice's text in the inbox copy; the inbox holds the letter itself.
            for name, value in texts.items():
                setattr(message, name, value)
            message.save(update_fields=[*texts, "updated_at"])
            for file in files:
                attachment = Attachment(
                    message=message,
                    filename=file.filename,
                    media_type=file.media_type,
                    size=len(file.content),
                    sha256=file.sha256,
                )
                attachment.content.save(file.filename, ContentFile(file.content), save=False)
                stored.append(str(attachment.content.name))
                attachment.save()
            audit_record(
                actor=actor,
                action="notifications.message.send",
                obj=_message_object(message),
                details={
                    "recipient": str(person.pk),
                    "attachments": [{"sha256": file.sha256, "size": len(file.content)} for file in files],
                },
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return message
