"""The consultation form (REG-4): channel, service, topic, client, outcome, duration from a running
timer and an optional follow-up task. The timer's start is a token signed by the server, so the
duration cannot be forged; the specialist may correct it in whole minutes."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.cases.models import ClientKind
from onedoor.cases.services import PartyRef
from onedoor.catalog.models import Service
from onedoor.core.channels import Channel
from onedoor.identity.models import User
from onedoor.parties.identifiers import normalize_personal_code, normalize_registration_number
from onedoor.parties.services import normalize_phone

from .forms_queue import TARGET_CHOICES, colleague_choices
from .services_tasks import TaskTarget
from .timerecords import MAX_RECORDED_SECONDS

TIMER_SALT = "onedoor.workplace.consultation.timer"
CONSULTATION_CHANNELS = [Channel.KAC, Channel.PHONE, Channel.EMAIL, Channel.POST, Channel.E_ACCOUNT]
CLIENT_CHOICES = [
    (ClientKind.ANONYMOUS.value, _("Anonymous")),
    (ClientKind.PHONE.value, _("Phone number only")),
    (ClientKind.PERSON.value, _("Identified person")),
    (ClientKind.ORGANISATION.value, _("Company or organisation")),
]


def timer_token(started_at: datetime) -> str:
    """The signed start of the consultation's timer, handed to the form when the page loads."""
    return signing.dumps(started_at.timestamp(), salt=TIMER_SALT)


def timer_started_at(token: str) -> datetime:
    """The start a token carries; ValidationError when it was altered or is older than a working day."""
    try:
        stamp = signing.loads(token, salt=TIMER_SALT, max_age=MAX_RECORDED_SECONDS)
    except signing.BadSignature:
        raise ValidationError(_("The timer of this form is not valid; it has been started again.")) from None
    return datetime.fromtimestamp(float(stamp), tz=timezone.get_current_timezone())


class ConsultationForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(channel.value, channel.label) for channel in CONSULTATION_CHANNELS],
        error_messages={"required": _("Choose the channel."), "invalid_choice": _("Choose the channel.")},
    )
    service = forms.CharField(
        label=_("Service (optional)"),
        required=False,
        max_length=200,
        help_text=_("Type words of its name to search, or its code, e.g. 2011."),
    )
    topic = forms.CharField(
        label=_("Topic"), max_length=300, error_messages={"required": _("Enter the topic of the consultation.")}
    )
    client_kind = forms.ChoiceField(
        label=_("Client"),
        choices=CLIENT_CHOICES,
        initial=ClientKind.ANONYMOUS.value,
        error_messages={"required": _("Choose who the client is."), "invalid_choice": _("Choose who the client is.")},
    )
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=30)
    personal_code = forms.CharField(label=_("Personal code"), required=False, max_length=12)
    registration_number = forms.CharField(label=_("Registration number"), required=False, max_length=12)
    outcome = forms.CharField(
        label=_("Outcome (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    timer = forms.CharField(widget=forms.HiddenInput, required=False)
    minutes = forms.IntegerField(
        label=_("Duration in minutes (optional)"),
        required=False,
        min_value=0,
        max_value=MAX_RECORDED_SECONDS // 60,
        help_text=_("Leave empty to use the timer; enter minutes to correct it."),
        error_messages={
            "invalid": _("Enter the duration as a whole number of minutes."),
            "min_value": _("Enter the duration as a whole number of minutes."),
            "max_value": _("A consultation lasts at most 480 minutes."),
        },
    )
    follow_up = forms.BooleanField(label=_("Create a follow-up task"), required=False)
    follow_up_title = forms.CharField(label=_("What needs to be done"), required=False, max_length=200)
    follow_up_target = forms.ChoiceField(
        label=_("Whose queue"),
        choices=TARGET_CHOICES,
        required=False,
        initial=TaskTarget.TEAM.value,
        error_messages={"invalid_choice": _("Choose whose queue.")},
    )
    follow_up_colleague = forms.ChoiceField(
        label=_("Colleague"), required=False, error_messages={"invalid_choice": _("Choose a colleague from the list.")}
    )

    def __init__(self, *args: Any, services: QuerySet[Service], colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = services
        self.chosen_service: Service | None = None
        self.started_at: datetime | None = None
        field = self.fields["follow_up_colleague"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = colleague_choices(colleagues)

    def clean_service(self) -> str:
        text = self.cleaned_data["service"].strip()
        if not text:
            return ""
        code = text.split()[0]
        self.chosen_service = self.services.filter(code=code).first()
        if self.chosen_service is None:
            raise ValidationError(_("There is no published service with the code %(code)s.") % {"code": code})
        return self.chosen_service.code

    def clean_timer(self) -> str:
        token = self.cleaned_data["timer"]
        self.started_at = timer_started_at(token)
        return str(token)

    def _client_field(self, name: str, message: Any, normalize: Any) -> None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            self.add_error(name, message)
            return
        try:
            self.cleaned_data[name] = normalize(value)
        except ValidationError as error:
            self.add_error(name, error.messages[0] if name != "phone" else _("Enter a valid phone number."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "timer" in self.errors:  # the hidden token's error is shown on the duration the specialist sees
            for message in self.errors.pop("timer"):
                self.add_error("minutes", message)
        kind = data.get("client_kind")
        if kind == ClientKind.PHONE:
            self._client_field("phone", _("Enter the phone number."), normalize_phone)
        elif kind == ClientKind.PERSON:
            self._client_field("personal_code", _("Enter the personal code."), normalize_personal_code)
        elif kind == ClientKind.ORGANISATION:
            self._client_field(
                "registration_number", _("Enter the registration number."), normalize_registration_number
            )
        if data.get("follow_up"):
            if not (data.get("follow_up_title") or "").strip():
                self.add_error("follow_up_title", _("Enter what needs to be done."))
            if data.get("follow_up_target") == TaskTarget.COLLEAGUE and not data.get("follow_up_colleague"):
                self.add_error("follow_up_colleague", _("Choose a colleague."))
        return data

    def client(self) -> PartyRef:
        data = self.cleaned_data
        match data["client_kind"]:
            case ClientKind.PHONE:
                return PartyRef(phone=data["phone"])
            case ClientKind.PERSON:
                return PartyRef(personal_code=data["personal_code"])
            case ClientKind.ORGANISATION:
                return PartyRef(registration_number=data["registration_number"])
        return PartyRef(anonymous=True)

    def duration(self) -> timedelta | None:
        """The corrected duration, or None to take the timer's."""
        minutes = self.cleaned_data.get("minutes")
        return timedelta(minutes=minutes) if minutes is not None else None
