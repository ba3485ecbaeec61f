"""Forms of the client 360 view: the search, the purpose of opening, the caller's answers.

They take the input as typed; the services check it (and audit refusals), and their refusals are put
on the fields with `add_service_errors`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from onedoor.catalog.models import Service
from onedoor.core.channels import Channel
from onedoor.core.i18n import localized

from .services_clients import SearchKind
from .verification import Question

NOTE_MAX = 300


class ClientSearchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Search by"),
        choices=[
            (SearchKind.PERSONAL_CODE.value, _("Personal code")),
            (SearchKind.REGISTRATION_NUMBER.value, _("Registration number")),
            (SearchKind.PHONE.value, _("Phone number")),
        ],
        initial=SearchKind.PERSONAL_CODE.value,
        error_messages={"required": _("Choose what to search by."), "invalid_choice": _("Choose what to search by.")},
    )
    value = forms.CharField(
        label=_("Personal code, registration number or phone number"),
        max_length=40,
        error_messages={"required": _("Enter what to search for.")},
    )


class ClientOpenForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=30, required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX,
        required=False,
        error_messages={"max_length": _("The note can be at most %(limit_value)d characters long.")},
    )
    channel = forms.ChoiceField(
        label=_("How is the client served?"),
        choices=[(Channel.KAC.value, _("In person at the centre")), (Channel.PHONE.value, _("On the phone"))],
        initial=Channel.KAC.value,
        error_messages={
            "required": _("Choose how the client is served: in person or on the phone."),
            "invalid_choice": _("Choose how the client is served: in person or on the phone."),
        },
    )
    consent = forms.BooleanField(
        label=_("The client consents to their profile being opened for this purpose"), required=False
    )

    def __init__(
        self, *args: object, services: list[Service], language: str, in_person: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not in_person:  # a desk without an application place serves callers only
            self.fields["channel"].choices = [(Channel.PHONE.value, _("On the phone"))]  # type: ignore[attr-defined]
            self.fields["channel"].initial = Channel.PHONE.value
        named = sorted(
            ((service.code, localized(service, "name", language)) for service in services), key=lambda s: s[1]
        )
        self.fields["service"].choices = [("", _("No service: the purpose is a case")), *named]  # type: ignore[attr-defined]
        self.consent_services = [service.code for service in services if service.client_view_consent_required]


class VerificationForm(forms.Form):
    """One text field per question; the expected answers never reach the page."""

    def __init__(self, *args: object, questions: list[Question], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for question in questions:
            self.fields[question.key] = forms.CharField(label=question.prompt, max_length=200, required=False)

    def answers(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.cleaned_data.items()}
