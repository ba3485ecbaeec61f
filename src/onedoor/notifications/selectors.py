"""Reading notices, contact data and preferences (for the e-account pages and the handlers).

The inbox selectors take the person whose inbox it is: the e-account resolves that person from
the acting context before calling them. `message_get` checks the actor itself.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onedoor.core.actors import Actor, ActorKind
from onedoor.parties.models import Person

from .errors import AttachmentNotFound, ContactNotFound, MessageNotFound
from .models import (
    OPT_IN_KINDS,
    Attachment,
    ContactConfirmation,
    ContactKind,
    ContactPoint,
    DispatchChannel,
    Language,
    Message,
    NotificationPreference,
    PreferredChannel,
    RecipientSettings,
)


def acts_as_person(actor: Actor, person: Person) -> bool:
    """Whether the actor is the person, acting for themself: a signed-in citizen whose acting context
    (ACC-1) is their own personal code, without a mandate. Representatives acting under a mandate
    (ACC-5) are not the recipient; what a mandate lets them see comes with the mandates."""
    return actor.kind == ActorKind.USER and not actor.mandate_id and actor.acting_for == person.personal_code


def inbox_for(*, person: Person, unread_only: bool = False) -> QuerySet[Message]:
    """The person's inbox, newest first, without archived messages."""
    messages = Message.objects.filter(recipient=person, archived_at__isnull=True)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.select_related("sender").order_by("-created_at", "-id")


def archive_for(*, person: Person) -> QuerySet[Message]:
    """The person's archived messages, newest first."""
    return (
        Message.objects.filter(recipient=person, archived_at__isnull=False)
        .select_related("sender")
        .order_by("-created_at", "-id")
    )


def inbox_unread_count(*, person: Person) -> int:
    return Message.objects.filter(recipient=person, read_at__isnull=True, archived_at__isnull=True).count()


def message_get(*, actor: Actor, message_id: UUID | str) -> Message:
    """One message of the actor's own inbox; MessageNotFound for anyone else's, as for a missing one."""
    message = Message.objects.select_related("recipient", "sender").filter(pk=message_id).first()
    if message is None or not acts_as_person(actor, message.recipient):
        raise MessageNotFound(_("No message %(id)s.") % {"id": message_id})
    return message


def contact_points_for(*, person: Person) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(person=person).order_by("kind", "-confirmed_at", "value")


def default_channel(kind: str) -> str:
    """Without a preference: opt-in kinds are off; every other notice also goes by e-mail, if confirmed."""
    return PreferredChannel.OFF if kind in OPT_IN_KINDS else PreferredChannel.EMAIL


def preferred_channel(*, person: Person, kind: str) -> str:
    chosen = NotificationPreference.objects.filter(person=person, kind=kind).values_list("channel", flat=True).first()
    return chosen or default_channel(kind)


def recipient_language(*, person: Person) -> str:
    """The language of the person's e-mails and SMS: their choice, Latvian by default."""
    language = RecipientSettings.objects.filter(person=person).values_list("language", flat=True).first()
    return language or Language.LATVIAN


@dataclass(frozen=True, slots=True)
class Route:
    """An external channel and the confirmed address a notice goes to."""

    channel: str
    address: str


_CONTACT_FOR_CHANNEL: dict[str, str] = {
    PreferredChannel.EMAIL: ContactKind.EMAIL,
    PreferredChannel.SMS: ContactKind.PHONE,
}


def external_route(*, person: Person, channel: str) -> Route | None:
    """Where a notice goes besides the inbox: the latest confirmed contact point of the preferred
    kind, or None (inbox only; also when the chosen channel has no confirmed contact — there is
    no silent fall-back to the other channel, the inbox always has the notice)."""
    contact_kind = _CONTACT_FOR_CHANNEL.get(channel)
    if contact_kind is None:
        return None
    address = (
        ContactPoint.objects.filter(person=person, kind=contact_kind, confirmed_at__isnull=False)
        .order_by("-confirmed_at", "-created_at")
        .values_list("value", flat=True)
        .first()
    )
    if address is None:
        return None
    channel_used = DispatchChannel.EMAIL if contact_kind == ContactKind.EMAIL else DispatchChannel.SMS
    return Route(channel=channel_used, address=address)


# --- confirming contact points -------------------------------------------------------------------


def contact_point_get(*, actor: Actor, contact_point_id: UUID | str) -> ContactPoint:
    """One of the actor's own contact points; ContactNotFound for anyone else's, as for a missing one."""
    try:
        pk = UUID(str(contact_point_id))
    except ValueError:
        pk = None
    contact = ContactPoint.objects.select_related("person").filter(pk=pk).first() if pk else None
    if contact is None or not acts_as_person(actor, contact.person):
        raise ContactNotFound(_("No such e-mail address or phone number in your profile."))
    return contact


def contact_confirmation_open(*, contact_point: ContactPoint) -> ContactConfirmation | None:
    """The confirmation of the contact point that can still be used (not used, not expired), if any."""
    return (
        ContactConfirmation.objects.filter(
            contact_point=contact_point, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


# --- the inbox in the e-account, attachments and documents (ACC-3, ACC-8) ------------------------


def inbox_person(*, actor: Actor) -> Person | None:
    """The person whose inbox the actor reads: the person they act for, when that is themself or a
    minor child in their custody (a parent is the child's legal representative). None when acting
    for a company or under a mandate — company inboxes and mandataries' access come later."""
    if actor.kind != ActorKind.USER or actor.mandate_id or actor.acting_for_kind != "person":
        return None
    person = Person.objects.filter(pk=actor.acting_for_id).first() if actor.acting_for_id else None
    if person is None or not acts_as_person(actor, person):
        return None
    return person


def inbox_messages(*, person: Person, archived: bool | None = False, unread_only: bool = False) -> QuerySet[Message]:
    """The person's inbox (or archive; with `archived=None` both), newest first, each with its number
    of attachments."""
    if archived is None:
        messages = Message.objects.filter(recipient=person).select_related("sender").order_by("-created_at", "-id")
    else:
        messages = archive_for(person=person) if archived else inbox_for(person=person)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.annotate(attachment_count=Count("attachments"))


def message_attachments(*, message: Message) -> QuerySet[Attachment]:
    """The files of a message in the order they were sent."""
    return message.attachments.order_by("created_at", "id")


def attachments_by_message(*, messages: Iterable[Message]) -> dict[UUID, list[Attachment]]:
    """The files of several messages in one query (for a page of the API's message list)."""
    grouped: dict[UUID, list[Attachment]] = {message.pk: [] for message in messages}
    for attachment in Attachment.objects.filter(message__in=list(grouped)).order_by("created_at", "id"):
        grouped[attachment.message_id].append(attachment)
    return grouped


def documents_for(*, person: Person) -> QuerySet[Attachment]:
    """Every file the person received with a message (archived ones too), newest first (ACC-8)."""
    return (
        Attachment.objects.filter(message__recipient=person)
        .select_related("message", "message__sender")
        .order_by("-created_at", "-id")
    )


def _uuid_or_none(value: UUID | str | None) -> UUID | None:
    try:
        return UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def attachment_get(*, actor: Actor, attachment_id: UUID | str, message_id: UUID | str | None = None) -> Attachment:
    """One file of the actor's own inbox (of the given message, when one is given); AttachmentNotFound
    for anyone else's, as for a missing one."""
    pk, message_pk = _uuid_or_none(attachment_id), _uuid_or_none(message_id)
    attachments = Attachment.objects.select_related("message", "message__recipient", "message__sender")
    if message_id is not None:
        attachments = attachments.filter(message_id=message_pk) if message_pk else attachments.none()
    attachment = attachments.filter(pk=pk).first() if pk else None
    if attachment is None or not acts_as_person(actor, attachment.message.recipient):
        raise AttachmentNotFound(_("No document %(id)s.") % {"id": attachment_id})
    return attachment


class AttachmentDamaged(RuntimeError):
    """The stored file is not the one that arrived (its SHA-256 differs): an operations fault, never shown."""


def attachment_content(*, attachment: Attachment) -> bytes:
    """The file's bytes, checked against the digest recorded when it arrived."""
    with attachment.content.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise AttachmentDamaged(f"Attachment {attachment.pk} does not match its SHA-256 digest.")
    return content


def persons_with_confirmed_phone(*, phone: str) -> QuerySet[Person]:
    """The persons whose confirmed phone contact point is this number (E.164, as `normalize_phone` gives it)."""
    return Person.objects.filter(
        contact_points__kind=ContactKind.PHONE, contact_points__value=phone, contact_points__confirmed_at__isnull=False
    ).distinct()
