"""Forms of the records pages: the history filter (GET) and the feedback on a case (REG-5)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onedoor.cases.models import FeedbackAspect
from onedoor.catalog.models import Lifecycle
from onedoor.core.channels import Channel
from onedoor.core.i18n import localized
from onedoor.parties.models import Institution, InstitutionKind

from .selectors import HistoryFilters

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 50
SCORES = [
    ("1", _("1 – very poor")),
    ("2", _("2 – poor")),
    ("3", _("3 – acceptable")),
    ("4", _("4 – good")),
    ("5", _("5 – very good")),
]
REQUIRED_ASPECTS = frozenset({FeedbackAspect.OVERALL})


class HistoryFilterForm(forms.Form):
    """The filters of the service history; every field may be left empty."""

    date_from = forms.DateField(
        label=_("Date from"),
        required=False,
        help_text=_("For example, 2026-01-31"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-01-31.")},
    )
    date_to = forms.DateField(
        label=_("Date to"),
        required=False,
        help_text=_("For example, 2026-12-31"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-12-31.")},
    )
    service = forms.CharField(label=_("Service (code or name)"), required=False, max_length=200)
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Lifecycle.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    page_size = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=None,
        initial=DEFAULT_PAGE_SIZE,
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.exclude(kind=InstitutionKind.PLATFORM_OPERATOR).order_by("code")
        self.fields["institution"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((institution.code, localized(institution, "name")) for institution in institutions),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start date."))
        return cleaned

    def filters(self) -> HistoryFilters:
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        return HistoryFilters(
            submitted_from=data.get("date_from"),
            submitted_to=data.get("date_to"),
            service=(data.get("service") or "").strip(),
            institution=data.get("institution") or "",
            lifecycle=data.get("status") or "",
            channel=data.get("channel") or "",
        )

    def rows_per_page(self) -> int:
        size = self.cleaned_data.get("page_size") if self.is_valid() else None
        return size if isinstance(size, int) else DEFAULT_PAGE_SIZE


class FeedbackForm(forms.Form):
    """A score from 1 to 5 for each aspect (the overall one required) and an optional comment."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for aspect in FeedbackAspect:
            self.fields[self.field_name(aspect)] = forms.ChoiceField(
                label=aspect.label,
                choices=SCORES,
                required=aspect in REQUIRED_ASPECTS,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score for “%(aspect)s”.") % {"aspect": aspect.label}},
            )
        # The comment last, after the aspects.
        self.order_fields([*(self.field_name(aspect) for aspect in FeedbackAspect), "comment"])

    @staticmethod
    def field_name(aspect: str) -> str:
        return f"score_{aspect}"

    def aspect_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(aspect)] for aspect in FeedbackAspect]

    def scores(self) -> dict[str, int]:
        return {
            str(aspect): int(value)
            for aspect in FeedbackAspect
            if (value := self.cleaned_data.get(self.field_name(aspect)))
        }
