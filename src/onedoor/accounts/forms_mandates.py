"""The forms of the mandate pages (ACC-1, ACC-5). What a mandate may be is decided by
`access.services.mandate_grant`; these forms check what a person types and explain it on the page."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.access.models import MandateScope
from onedoor.access.services import mandate_period
from onedoor.catalog.models import Service
from onedoor.core.i18n import localized
from onedoor.parties.identifiers import normalize_personal_code

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."]
SCOPE_HINTS = {
    MandateScope.ALL_SERVICES: _("Apply for any service, see every case and give feedback on your behalf."),
    MandateScope.CHOSEN_SERVICES: _("The same, but only for the services you choose below."),
    MandateScope.RESULTS_ONLY: _("Only see the results of your cases; they cannot apply or act for you."),
}


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February that does not exist then)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class ContextChoiceForm(forms.Form):
    """The switcher posts the chosen context's token; the view finds it among the contexts the user has now."""

    context = forms.CharField(
        max_length=200,
        error_messages={"required": _("Choose whom you act for.")},
    )
    next = forms.CharField(max_length=2000, required=False)


class MandateForm(forms.Form):
    mandatary = forms.CharField(
        label=_("Personal code of the person you give the mandate to"),
        max_length=12,
        error_messages={"required": _("Enter the personal code of the person.")},
    )
    scope = forms.ChoiceField(
        label=_("What may they do for you?"),
        choices=MandateScope.choices,
        error_messages={
            "required": _("Choose what the mandate covers."),
            "invalid_choice": _("Choose what the mandate covers."),
        },
    )
    service_codes = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        error_messages={"invalid_choice": _("Choose services from the list.")},
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter a real date, e.g. 2027-01-31.")},
    )
    valid_until = forms.DateField(
        label=_("Valid until (inclusive)"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter a real date, e.g. 2027-01-31.")},
    )

    def __init__(self, *args: Any, services: Iterable[Service], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.services = list(services)
        field = self.fields["service_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(service.code, f"{localized(service, 'name')} ({service.code})") for service in self.services]

    @staticmethod
    def initial_period() -> dict[str, date]:
        """Today to a year from today: the default period."""
        today = timezone.localdate()
        return {"valid_from": today, "valid_until": add_years(today, 1)}

    def clean_mandatary(self) -> str:
        try:
            return normalize_personal_code(self.cleaned_data["mandatary"])
        except ValidationError:
            raise ValidationError(_("Enter a personal code of 11 digits, e.g. 250186-14627.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == MandateScope.CHOSEN_SERVICES and "service_codes" in data and not data["service_codes"]:
            self.add_error("service_codes", _("Choose at least one service."))
        first, last = data.get("valid_from"), data.get("valid_until")
        if first is not None and first < timezone.localdate():
            self.add_error("valid_from", _("The mandate cannot begin before today."))
        if first is not None and last is not None and last < first:
            self.add_error("valid_until", _("The last day cannot be before the first day."))
        return data

    def chosen_services(self) -> list[Service]:
        """The chosen services in list order (for the summary); none unless chosen services are the scope."""
        if self.cleaned_data.get("scope") != MandateScope.CHOSEN_SERVICES:
            return []
        codes = set(self.cleaned_data.get("service_codes") or [])
        return [service for service in self.services if service.code in codes]

    def period(self) -> tuple[datetime, datetime]:
        return mandate_period(first_day=self.cleaned_data["valid_from"], last_day=self.cleaned_data["valid_until"])

    def add_service_errors(self, invalid_params: dict[str, list[str]]) -> None:
        """The service's refusals (`MandateInvalid.invalid_params`) on the fields they name."""
        for name, reasons in invalid_params.items():
            field = name if name in self.fields else None
            for reason in reasons:
                self.add_error(field, reason)
