"""Forms of the queue pages: a new task and the actions on a task. What is allowed is decided by
`services_tasks`; these forms check what a specialist types and show the services' refusals."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedoor.identity.models import User

from .services_tasks import TaskTarget

TARGET_CHOICES = [
    (TaskTarget.TEAM.value, _("My team")),
    (TaskTarget.INSTITUTION.value, _("My institution")),
    (TaskTarget.COLLEAGUE.value, _("A colleague")),
]


def colleague_choices(colleagues: list[User]) -> list[tuple[str, str]]:
    return [
        ("", str(_("Choose a colleague"))),
        *((str(user.pk), user.get_full_name() or user.username) for user in colleagues),
    ]


def end_of_day(day: date) -> datetime:
    """A due date means by the end of that day, Riga time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What needs to be done"), max_length=200, error_messages={"required": _("Enter what needs to be done.")}
    )
    details = forms.CharField(label=_("Details (optional)"), required=False, max_length=4000, widget=forms.Textarea)
    target = forms.ChoiceField(
        label=_("Whose queue"),
        choices=TARGET_CHOICES,
        initial=TaskTarget.TEAM.value,
        error_messages={"required": _("Choose whose queue."), "invalid_choice": _("Choose whose queue.")},
    )
    colleague = forms.ChoiceField(
        label=_("Colleague"), required=False, error_messages={"invalid_choice": _("Choose a colleague from the list.")}
    )
    due_date = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-01-31.")},
    )
    case_number = forms.CharField(label=_("Case number (optional)"), required=False, max_length=20)

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = colleague_choices(colleagues)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == TaskTarget.COLLEAGUE and not data.get("colleague") and "colleague" not in self.errors:
            self.add_error("colleague", _("Choose a colleague."))
        due = data.get("due_date")
        if due is not None and due < timezone.localdate():
            self.add_error("due_date", _("The due date cannot be in the past."))
        return data

    def due_at(self) -> datetime | None:
        due = self.cleaned_data.get("due_date")
        return end_of_day(due) if due else None


class HandOverForm(forms.Form):
    colleague = forms.ChoiceField(
        label=_("Colleague"),
        error_messages={"required": _("Choose a colleague."), "invalid_choice": _("Choose a colleague from the list.")},
    )
    note = forms.CharField(
        label=_("Note for your colleague"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a note for your colleague.")},
    )

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "handover")
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = colleague_choices(colleagues)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why do you return it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why you return the task.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the outcome.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "complete")
        super().__init__(*args, **kwargs)
