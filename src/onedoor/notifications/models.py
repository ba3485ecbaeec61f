"""Notices to clients (NOTE-1, NOTE-2, ACC-3, ACC-6): the inbox, external dispatches, contact data, preferences.

Contact points and preferences live here until the e-account app takes the profile over; the
person (parties.Person) is the recipient, a company recipient comes with acting contexts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onedoor.core.models import BaseModel


class NoticeKind(models.TextChoices):
    """What a notice is about (NOTE-2); preferences are set per kind."""

    CASE_STATUS = "case_status", _("Case status changes")
    RESULT = "result", _("Results")
    INVOICE = "invoice", _("Invoices")
    APPOINTMENT = "appointment", _("Appointments")
    PROACTIVE_OFFER = "proactive_offer", _("Proactive offers and reminders")
    INSTITUTION_MESSAGE = "institution_message", _("Messages from institutions")
    MANDATE = "mandate", _("Mandates given to you and their changes")


# Kinds a person receives only after subscribing (ACC-6, PRO-1); the others always reach the inbox.
OPT_IN_KINDS = frozenset({NoticeKind.PROACTIVE_OFFER})


class PreferredChannel(models.TextChoices):
    """Where a notice goes besides the inbox. `off` exists only for opt-in kinds."""

    INBOX_ONLY = "inbox_only", _("E-account inbox only")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    OFF = "off", _("Not subscribed")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Mobile phone number")


class Language(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    ENGLISH = "en", _("English")


class DispatchChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, to be retried")
    DEAD = "dead", _("Given up")


# A dispatch in one of these states is waiting for a worker.
OPEN_DISPATCH_STATUSES = (DispatchStatus.PENDING, DispatchStatus.FAILED)


class ContactPoint(BaseModel):
    """An e-mail address or mobile number of a person; only confirmed ones are used for notices."""

    person = models.ForeignKey("parties.Person", on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = models.CharField(
        max_length=254, help_text=_("Normalised: e-mail addresses in lower case, phone numbers in E.164 form.")
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "value"], name="contact_point_unique_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class NotificationPreference(BaseModel):
    """The channel a person chose for one kind of notice (ACC-6); without a row the default applies."""

    person = models.ForeignKey("parties.Person", on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(max_length=12, choices=PreferredChannel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_unique_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(channel=PreferredChannel.OFF) | models.Q(kind__in=sorted(OPT_IN_KINDS)),
                name="notification_preference_off_only_opt_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel}"


class RecipientSettings(models.Model):
    """Person-level notification settings: the language of e-mails and SMS (the inbox keeps both)."""

    person = models.OneToOneField(
        "parties.Person", on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.LATVIAN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("recipient settings")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.language}"


class Message(BaseModel):
    """One notice in a person's e-account inbox (ACC-3), in Latvian and English."""

    recipient = models.ForeignKey("parties.Person", on_delete=models.PROTECT, related_name="inbox_messages")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    sender = models.ForeignKey(
        "parties.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_messages",
        help_text=_("The institution the notice comes from (the case holder)."),
    )
    subject_lv = models.CharField(max_length=300)
    subject_en = models.CharField(max_length=300)
    body_lv = models.TextField()
    body_en = models.TextField()
    case_number = models.CharField(max_length=20, blank=True)
    source_event_id = models.UUIDField(
        null=True, blank=True, help_text=_("The outbox event that produced the notice; one message per recipient.")
    )
    read_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_event_id", "recipient"],
                condition=models.Q(source_event_id__isnull=False),
                name="message_once_per_event_and_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, archived_at__isnull=True),
                name="message_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        # Not the subject: administrators see that a notice exists, not what it says.
        return f"{self.kind} {self.case_number or self.pk}"


class Dispatch(BaseModel):
    """One message sent through one external channel (e-mail or SMS): its status, retries and lease.

    `subject` and `body` are rendered once, in the recipient's language, when the dispatch is
    recorded; `person` repeats the message's recipient for the per-recipient rate limit.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="dispatches")
    person = models.ForeignKey("parties.Person", on_delete=models.PROTECT, related_name="notification_dispatches")
    channel = models.CharField(max_length=10, choices=DispatchChannel.choices)
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=2, choices=Language.choices)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text=_("Attempts since the dispatch was last queued."))
    next_attempt_at = models.DateTimeField()
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="dispatch_once_per_message_and_channel"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "failed"]),
                name="dispatch_due_idx",
            ),
            models.Index(fields=["person", "sent_at"], name="dispatch_person_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.pk})"


class DispatchAttempt(models.Model):
    """One try at sending a dispatch, kept with its error."""

    id = models.BigAutoField(primary_key=True)
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField()
    succeeded = models.BooleanField()
    error = models.CharField(max_length=1000, blank=True)
    latency_ms = models.PositiveIntegerField()
    provider_message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dispatch", "attempted_at"], name="dispatch_attempt_idx")]

    def __str__(self) -> str:
        return f"{self.dispatch_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class ContactConfirmation(BaseModel):
    """A pending proof that a person holds a contact point (ACC-2): a link sent by e-mail or a code by SMS.

    Only a keyed hash of the secret is stored. A confirmation is used once and expires; a code
    allows a few wrong tries, then a new one is needed. Sending a new one ends the earlier ones.
    """

    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="confirmations")
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["contact_point", "-created_at"], name="contact_confirm_recent_idx")]

    def __str__(self) -> str:
        return f"{self.contact_point_id} until {self.expires_at:%Y-%m-%d %H:%M}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """Where the file is stored: by ids only, so a sender's file name never becomes a path."""
    return f"attachments/{attachment.message_id}/{attachment.pk}"


class Attachment(BaseModel):
    """A file that came with an inbox message (ACC-3, ACC-8), kept in Django's default storage.

    Deliberately simple until the central document store (DOC-1) arrives with virus scanning
    (ClamAV), retention and documents sent by the client: the media type is the one detected from
    the content (never the sender's word), the size is limited, and the SHA-256 digest recorded at
    arrival is checked again on every download.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255, help_text=_("The file name shown to the recipient."))
    media_type = models.CharField(max_length=100, help_text=_("Detected from the content."))
    size = models.PositiveBigIntegerField(help_text=_("In bytes."))
    sha256 = models.CharField(max_length=64)
    content = models.FileField(upload_to=attachment_path, max_length=200)

    class Meta:
        indexes = [models.Index(fields=["message", "created_at"], name="attachment_message_idx")]

    def __str__(self) -> str:
        # Not the file name: administrators see that a file exists, not what it is called.
        return f"{self.media_type} {self.pk}"
