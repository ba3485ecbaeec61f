"""What every page with a form shares."""

from django import forms

from .errors import ApplicationError


def add_service_errors(form: forms.Form, error: ApplicationError, *, field_for: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the fields it names (renamed by `field_for`), else on the form."""
    field_for = field_for or {}
    placed = False
    for name, messages in error.invalid_params.items():
        field = field_for.get(name, name)
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.detail)
