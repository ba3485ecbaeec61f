from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onedoor.parties.identifiers import normalize_personal_code
from onedoor.parties.registers.population import RegisteredPerson
from onedoor.parties.services import registered_person


class LoginForm(forms.Form):
    """Sign in as a person by their personal code (the demo persons' buttons post the same field)."""

    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        error_messages={"required": _("Enter your personal code.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    ui_locales = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.registered: RegisteredPerson | None = None

    def clean_personal_code(self) -> str:
        value: str = self.cleaned_data["personal_code"].strip()
        try:
            code = normalize_personal_code(value)
        except ValidationError:
            raise ValidationError(
                _("Enter a valid Latvian personal code: 11 digits, with or without a hyphen after the sixth."),
                code="invalid",
            ) from None
        registered = registered_person(code)
        if registered is None:
            raise ValidationError(
                _("No person with this personal code is known to the population register or the persons register."),
                code="unknown",
            )
        if not registered.is_alive:
            raise ValidationError(
                _("The population register records this person as deceased: they cannot sign in."), code="deceased"
            )
        self.registered = registered
        return code
