"""The e-assistant's forms (ASST-1): starting an application and signing it. What may be done is decided by
`services_assistant`; these forms check what the specialist typed and put the services' refusals on fields."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onedoor.cases.models import Authorisation
from onedoor.catalog.models import Service
from onedoor.core.channels import Channel
from onedoor.core.i18n import localized

from .jsonforms import Radios

AUTHORISATION_CHOICES = [
    (Authorisation.IN_PERSON.value, _("The client is here in person with an identity document")),
    (Authorisation.MANDATE.value, _("A person with the client's mandate")),
]


class ApplicationStartForm(forms.Form):
    person = forms.CharField(
        label=_("Client's personal code"),
        max_length=12,
        error_messages={"required": _("Enter the client's personal code.")},
    )
    service = forms.ChoiceField(
        label=_("Service"),
        error_messages={"required": _("Choose the service."), "invalid_choice": _("Choose a service from the list.")},
    )
    channel = forms.ChoiceField(
        label=_("How is the client served?"),
        widget=Radios,
        error_messages={
            "required": _("Choose how the client is served."),
            "invalid_choice": _("Choose how the client is served."),
        },
    )
    authorisation = forms.ChoiceField(
        label=_("Under what authority do you apply?"),
        choices=AUTHORISATION_CHOICES,
        widget=Radios,
        error_messages={
            "required": _("Choose under what authority you apply."),
            "invalid_choice": _("Choose under what authority you apply."),
        },
    )
    mandate_reference = forms.CharField(label=_("Reference of the mandate"), max_length=12, required=False)
    representative = forms.CharField(
        label=_("Personal code of the client's representative"), max_length=12, required=False
    )

    def __init__(self, *args: Any, services: Iterable[Service], channels: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ChoiceField)
        service_field.choices = [
            ("", _("Choose a service")),
            *(
                (service.code, f"{service.code} {localized(service, 'name')} ({service.holder.code})")
                for service in services
            ),
        ]
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)
        channel_field.choices = [(channel, Channel(channel).label) for channel in channels]
        if len(channels) == 1 and not self.is_bound:
            self.initial.setdefault("channel", channels[0])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("authorisation") == Authorisation.MANDATE and not data.get("mandate_reference"):
            self.add_error("mandate_reference", _("Enter the reference of the mandate, e.g. M-7K3Q9F2A."))
        if data.get("authorisation") == Authorisation.MANDATE and not data.get("representative"):
            self.add_error("representative", _("Enter the personal code of the person who holds the mandate."))
        return data


class SignatureForm(forms.Form):
    """The signed paper's scan, or the client's signature in front of the specialist."""

    file = forms.FileField(
        label=_("Scan of the signed application"), required=False, error_messages={"empty": _("The file is empty.")}
    )
    signed_in_person = forms.BooleanField(
        label=_("The client signed the application in person in front of me"), required=False
    )

    def __init__(self, *args: Any, in_person_allowed: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.in_person_allowed = in_person_allowed
        if not in_person_allowed:
            del self.fields["signed_in_person"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        has_file = data.get("file") is not None
        in_person = bool(data.get("signed_in_person"))
        if has_file and in_person:
            self.add_error("file", _("Either attach the scan or confirm the signature in person, not both."))
        elif not has_file and not in_person:
            self.add_error(
                "file",
                _("Attach the scan of the signed application or confirm that the client signed in front of you.")
                if self.in_person_allowed
                else _("Attach the scan of the signed application."),
            )
        return data
