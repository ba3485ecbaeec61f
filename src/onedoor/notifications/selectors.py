"""Reading notices, contact data and preferences (for the e-account pages and the handlers).

The inbox selectors take the person whose inbox it is: the e-account resolves that person from
the acting context before calling them. `message_get` checks the actor itself.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onedoor.core.actors import Actor, ActorKind
from onedoor.parties.models import Person

from .errors import MessageNotFound
from .models import (
    OPT_IN_KINDS,
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
