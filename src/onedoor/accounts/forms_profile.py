"""Forms of the profile pages: contact data, the SMS code, the bank account, notification preferences.

They check what can be checked from the input alone; the services check again and their refusals
(`ApplicationError.invalid_params`) are put on the fields by `onedoor.core.forms.add_service_errors`.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onedoor.notifications.models import OPT_IN_KINDS, Language, NoticeKind, PreferredChannel

from .profile import HOLDER_NAME_MAX

CODE_LENGTH = 6


class EmailAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.lv."),
        },
    )


class PhoneAddForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=30,
        error_messages={"required": _("Enter your mobile phone number.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=20,
        error_messages={"required": _("Enter the code from the SMS.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != CODE_LENGTH or not code.isdigit():
            raise forms.ValidationError(_("Enter the 6-digit code from the SMS."), code="invalid_code")
        return code


class BankAccountForm(forms.Form):
    iban = forms.CharField(
        label=_("Account number (IBAN)"),
        max_length=50,
        error_messages={"required": _("Enter the account number.")},
    )
    holder_name = forms.CharField(
        label=_("Name of the account holder"),
        max_length=HOLDER_NAME_MAX,
        error_messages={
            "required": _("Enter the name of the account holder."),
            "max_length": _("The name of the account holder can be at most %(limit_value)d characters long."),
        },
    )


def channel_choices(kind: str) -> list[tuple[str, Any]]:
    """The channels a person may choose for a kind of notice: opt-in kinds may also be switched off."""
    choices = [
        (PreferredChannel.INBOX_ONLY.value, PreferredChannel.INBOX_ONLY.label),
        (PreferredChannel.EMAIL.value, _("E-mail and e-account inbox")),
        (PreferredChannel.SMS.value, _("SMS and e-account inbox")),
    ]
    if kind in OPT_IN_KINDS:
        choices.append((PreferredChannel.OFF.value, _("Do not send me these")))
    return choices


class PreferencesForm(forms.Form):
    """One choice of channel per kind of notice (fields `channel_<kind>`) and the language of notices."""

    language = forms.ChoiceField(
        label=_("Language of e-mails and SMS"),
        choices=Language.choices,
        error_messages={"required": _("Choose the language of your notices.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NoticeKind:
            self.fields[self.field_name(kind)] = forms.ChoiceField(
                label=kind.label,
                choices=channel_choices(kind),
                error_messages={"required": _("Choose how to receive this kind of notice.")},
            )

    @staticmethod
    def field_name(kind: str) -> str:
        return f"channel_{kind}"

    def channels(self) -> dict[str, str]:
        """The chosen channel of every kind of notice (after validation)."""
        return {kind.value: self.cleaned_data[self.field_name(kind)] for kind in NoticeKind}
