"""A service's application form: a JSON Schema in the catalog, shown as an accessible Django form (FORM-3).

The catalog stores each service's form as a JSON Schema (draft 2020-12). Only a small, declared subset is
supported, so that every form can be rendered with labels, hints and fieldsets and every error can be
shown on its field; a schema outside it is refused as a catalog data error, never half-rendered.

Conventions (besides standard keywords):

- the root is `{"type": "object", "properties": {…}, "required": […], "additionalProperties": false}`;
- `x-fieldsets`: `[{"x-title": {"lv": …, "en": …}, "fields": ["name", …]}, …]` groups the fields and
  gives their order (PostgreSQL's jsonb does not keep the order of `properties`); fields not listed
  follow in a last group without a legend;
- every property has `x-title` (`{"lv": …, "en": …}`; `title` is the Latvian fallback), optionally
  `x-hint` (same shape; `description` is the fallback) and `x-error` (the message shown when its
  `pattern` or `format` does not match);
- a string `enum` names its options with `x-enum-labels`: `{"value": {"lv": …, "en": …}}`;
- `format`: `date`, `email`, and OneDoor's `lv-personal-code` and `iban` (checked with python-stdnum);
- conditional requirements: `allOf` of `{"if": {"properties": {"a": {"const": v}}, "required": ["a"]},
  "then": {"required": [...]}}`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError as SchemaValidationError
from stdnum import iban

from onedoor.core.i18n import current_language
from onedoor.parties.identifiers import normalize_personal_code

from .errors import UnsupportedFormSchema

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ROOT_KEYWORDS = frozenset(
    {"$schema", "$id", "type", "title", "description", "properties", "required", "additionalProperties", "allOf"}
    | {"x-fieldsets", "x-title"}
)
COMMON_KEYWORDS = frozenset({"type", "title", "description", "x-title", "x-hint", "x-error"})
TYPE_KEYWORDS = {
    "string": frozenset({"minLength", "maxLength", "pattern", "enum", "format", "x-enum-labels"}),
    "integer": frozenset({"minimum", "maximum"}),
    "number": frozenset({"minimum", "maximum"}),
    "boolean": frozenset(),
}
FORMATS = frozenset({"date", "email", "lv-personal-code", "iban"})

Schema = Mapping[str, Any]


def _format_checker() -> FormatChecker:
    checker = FormatChecker(["date", "email"])

    @checker.checks("lv-personal-code")
    def is_personal_code(value: object) -> bool:
        if not isinstance(value, str):
            return True
        try:
            normalize_personal_code(value)
        except ValidationError:
            return False
        return True

    @checker.checks("iban")
    def is_iban(value: object) -> bool:
        return not isinstance(value, str) or iban.is_valid(value)

    return checker


FORMAT_CHECKER = _format_checker()


def localized_text(texts: object, fallback: str = "") -> str:
    """`{"lv": …, "en": …}` in the active language, Latvian when the other is missing."""
    if isinstance(texts, Mapping):
        return str(texts.get(current_language()) or texts.get("lv") or fallback)
    return fallback


def field_title(prop: Schema, name: str) -> str:
    return localized_text(prop.get("x-title"), str(prop.get("title") or name))


def _refuse(reason: str) -> UnsupportedFormSchema:
    return UnsupportedFormSchema(
        _("The application form in the catalog cannot be used: %(reason)s") % {"reason": reason}
    )


def _check_property(name: str, prop: object) -> None:
    if not FIELD_NAME.match(name):
        raise _refuse(_("the field name “%(name)s” is not allowed.") % {"name": name[:60]})
    if not isinstance(prop, Mapping):
        raise _refuse(_("the field “%(name)s” is not an object.") % {"name": name})
    kind = prop.get("type")
    if kind not in TYPE_KEYWORDS:
        raise _refuse(_("the field “%(name)s” has an unsupported type.") % {"name": name})
    unknown = set(prop) - COMMON_KEYWORDS - TYPE_KEYWORDS[kind]
    if unknown:
        raise _refuse(
            _("the field “%(name)s” uses %(keywords)s.") % {"name": name, "keywords": ", ".join(sorted(unknown))}
        )
    if "format" in prop and prop["format"] not in FORMATS:
        raise _refuse(_("the field “%(name)s” has an unsupported format.") % {"name": name})
    if "enum" in prop and not (
        isinstance(prop["enum"], list) and prop["enum"] and all(isinstance(value, str) for value in prop["enum"])
    ):
        raise _refuse(_("the options of “%(name)s” must be texts.") % {"name": name})


def _check_condition(condition: object, names: set[str]) -> None:
    """One `allOf` entry: if a field has a constant value, then more fields are required."""
    shape_ok = (
        isinstance(condition, Mapping)
        and set(condition) == {"if", "then"}
        and isinstance(condition["if"], Mapping)
        and isinstance(condition["then"], Mapping)
        and set(condition["then"]) == {"required"}
        and set(condition["if"]) <= {"properties", "required"}
        and isinstance(condition["if"].get("properties"), Mapping)
    )
    if not shape_ok:
        raise _refuse(_("only “if a field has a value, then require fields” conditions are supported."))
    checked = cast(Mapping[str, Any], condition)
    conditions = checked["if"]["properties"]
    required = checked["then"]["required"]
    if not all(isinstance(rule, Mapping) and set(rule) == {"const"} for rule in conditions.values()) or not (
        set(conditions) | set(required) <= names
    ):
        raise _refuse(_("a condition names a field the form does not have."))


def form_schema_check(schema: object) -> None:
    """Refuse (UnsupportedFormSchema) a schema that is not a valid Draft 2020-12 schema within the supported subset."""
    if not isinstance(schema, Mapping) or not schema:
        raise _refuse(_("the service has no application form."))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise _refuse(_("it is not a valid JSON Schema (%(error)s).") % {"error": error.message[:200]}) from None
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), Mapping) or not schema["properties"]:
        raise _refuse(_("the root must be an object with properties."))
    unknown = set(schema) - ROOT_KEYWORDS
    if unknown:
        raise _refuse(_("the form uses %(keywords)s.") % {"keywords": ", ".join(sorted(unknown))})
    for name, prop in schema["properties"].items():
        _check_property(name, prop)
    names = set(schema["properties"])
    if not set(schema.get("required", [])) <= names:
        raise _refuse(_("a required field is not among the properties."))
    for condition in schema.get("allOf", []):
        _check_condition(condition, names)
    listed: list[str] = []
    for fieldset in schema.get("x-fieldsets", []):
        fields = fieldset.get("fields") if isinstance(fieldset, Mapping) else None
        if not isinstance(fields, list) or not set(fields) <= names:
            raise _refuse(_("a fieldset names a field the form does not have."))
        listed.extend(fields)
    if len(listed) != len(set(listed)):
        raise _refuse(_("a field is in two fieldsets."))


@dataclass(frozen=True, slots=True)
class Fieldset:
    legend: str
    names: tuple[str, ...]


def fieldsets(schema: Schema) -> list[Fieldset]:
    """The groups of fields in their order (the unlisted fields last, without a legend)."""
    groups = [
        Fieldset(legend=localized_text(fieldset.get("x-title")), names=tuple(fieldset["fields"]))
        for fieldset in schema.get("x-fieldsets", [])
    ]
    listed = {name for group in groups for name in group.names}
    rest = tuple(sorted(name for name in schema["properties"] if name not in listed))
    if rest:
        groups.append(Fieldset(legend="", names=rest))
    return groups


YES_NO = (("true", gettext_lazy("Yes")), ("false", gettext_lazy("No")))


class Radios(forms.RadioSelect):
    """Radios whose field's id is the first radio's, so an error summary can link to the group."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else f"{id_}-{index}"


def _form_field(prop: Schema, *, required: bool) -> forms.Field:
    label = field_title(prop, "")
    hint = localized_text(prop.get("x-hint"), str(prop.get("description") or ""))
    options: dict[str, Any] = {"label": label, "help_text": hint, "required": False}
    match prop["type"]:
        case "boolean":
            return forms.TypedChoiceField(
                choices=YES_NO, coerce=lambda value: value == "true", widget=Radios, **options
            )
        case "integer":
            return forms.IntegerField(error_messages={"invalid": _("Enter a whole number.")}, **options)
        case "number":
            return forms.FloatField(error_messages={"invalid": _("Enter a number.")}, **options)
    if "enum" in prop:
        labels = prop.get("x-enum-labels") or {}
        choices = [(value, localized_text(labels.get(value), value)) for value in prop["enum"]]
        return forms.ChoiceField(
            choices=choices if required else [("", _("Not given")), *choices], widget=Radios, **options
        )
    if prop.get("format") == "date":
        return forms.DateField(
            input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."],
            error_messages={"invalid": _("Enter a real date, e.g. 2027-01-31.")},
            **options,
        )
    attrs: dict[str, str] = {}
    if "maxLength" in prop:
        attrs["maxlength"] = str(prop["maxLength"])
    return forms.CharField(strip=True, widget=forms.TextInput(attrs=attrs), **options)


def _instance_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _message(error: SchemaValidationError, prop: Schema) -> str:
    """The error in words of the page's language (jsonschema's own messages are English and technical)."""
    custom = localized_text(prop.get("x-error"))
    match error.validator:
        case "pattern" | "format":
            if custom:
                return custom
            if error.validator_value == "date":
                return _("Enter a real date, e.g. 2027-01-31.")
            if error.validator_value == "email":
                return _("Enter an e-mail address, e.g. name@example.lv.")
            if error.validator_value == "lv-personal-code":
                return _("This is not a valid Latvian personal code.")
            if error.validator_value == "iban":
                return _("This is not a valid IBAN account number.")
            return _("The value is not in the expected form.")
        case "maxLength":
            return _("Enter at most %(count)s characters.") % {"count": error.validator_value}
        case "minLength":
            return _("Enter at least %(count)s characters.") % {"count": error.validator_value}
        case "minimum":
            return _("Enter %(limit)s or more.") % {"limit": error.validator_value}
        case "maximum":
            return _("Enter %(limit)s or less.") % {"limit": error.validator_value}
        case "enum":
            return _("Choose one of the options.")
        case "type":
            return _("The value is of the wrong kind.")
    return _("The value is not accepted.")


def schema_errors(schema: Schema, instance: Mapping[str, Any], *, partial: bool = False) -> dict[str, list[str]]:
    """Each field's errors in the page's language; with `partial` (a draft), missing fields are no error."""
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    properties: Mapping[str, Schema] = schema["properties"]
    found: dict[str, list[str]] = {}
    for error in validator.iter_errors(instance):
        if error.validator == "required":
            if partial:
                continue
            for name in error.validator_value:
                if name not in instance:
                    found.setdefault(name, [])
                    message = _("Enter or choose “%(field)s”.") % {"field": field_title(properties[name], name)}
                    if message not in found[name]:
                        found[name].append(message)
            continue
        if error.validator == "additionalProperties" or not error.absolute_path:
            found.setdefault("__all__", []).append(_("The form has a field the service does not know."))
            continue
        name = str(error.absolute_path[0])
        message = _message(error, properties.get(name, {}))
        if message not in found.setdefault(name, []):
            found[name].append(message)
    return found


def _canonical(prop: Schema, value: Any) -> Any:
    """A valid personal code or IBAN in its canonical form; anything else as given (validation reports it)."""
    if not isinstance(value, str):
        return value
    if prop.get("format") == "lv-personal-code":
        try:
            return normalize_personal_code(value)
        except ValidationError:
            return value
    if prop.get("format") == "iban" and iban.is_valid(value):
        return iban.compact(value)
    return value


class SchemaForm(forms.Form):
    """A Django form of a service's application form; `instance()` is the JSON document it accepted."""

    def __init__(self, *args: Any, schema: Schema, partial: bool = False, autofocus: bool = True, **kwargs: Any):
        form_schema_check(schema)
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.partial = partial
        required = set(schema.get("required", []))
        self.required_names = frozenset(required)
        self.groups = fieldsets(schema)
        ordered = [name for group in self.groups for name in group.names]
        for name in ordered:
            self.fields[name] = _form_field(schema["properties"][name], required=name in required)
        if autofocus and ordered:
            self.fields[ordered[0]].widget.attrs["autofocus"] = True

    @staticmethod
    def initial_from(data: Mapping[str, Any]) -> dict[str, Any]:
        """A stored document as the form's initial values (booleans as the radios' values)."""
        return {
            name: ("true" if value else "false") if isinstance(value, bool) else value for name, value in data.items()
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, messages in schema_errors(self.schema, self.instance(), partial=self.partial).items():
            if name in self.errors:  # a value Django could not read is left out of the instance: one error is enough
                continue
            for message in messages:
                self.add_error(None if name == "__all__" else name, message)
        return cleaned

    def instance(self) -> dict[str, Any]:
        """The filled fields as a JSON document: empty fields are left out, identifiers in their
        canonical form (a personal code as 11 digits, an IBAN compact), as holders' systems expect."""
        properties: Mapping[str, Schema] = self.schema["properties"]
        return {
            name: _canonical(properties[name], _instance_value(value))
            for name, value in self.cleaned_data.items()
            if value is not None and value != ""
        }

    def bound_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fieldsets with their bound fields, for the template."""
        return [(group.legend, [self[name] for name in group.names]) for group in self.groups]


def display_value(prop: Schema, value: Any) -> str:
    """A stored value as people read it, in the active language (options by their labels)."""
    if isinstance(value, bool):
        return str(YES_NO[0][1] if value else YES_NO[1][1])
    if isinstance(value, str) and "enum" in prop:
        return localized_text((prop.get("x-enum-labels") or {}).get(value), value)
    return str(value)


def display_rows(schema: Schema, data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(fieldset legend, field title, value) of the filled fields in the form's order, in the active language."""
    properties: Mapping[str, Schema] = schema["properties"]
    return [
        (group.legend, field_title(properties[name], name), display_value(properties[name], data[name]))
        for group in fieldsets(schema)
        for name in group.names
        if name in data
    ]
