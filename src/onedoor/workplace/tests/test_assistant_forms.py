"""Application forms from the catalog's JSON Schemas (FORM-3): every demo form is a valid Draft 2020-12
schema the e-assistant can render, errors land on their fields in the page's language, unsupported
schemas are refused clearly, and whatever the form accepts validates against the schema."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from onedoor.catalog.models import Service

from ..errors import UnsupportedFormSchema
from ..jsonforms import FORMAT_CHECKER, SchemaForm, display_rows, form_schema_check

CATALOG = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "catalog.json"
DEMO_FORMS = {
    service["code"]: service["application_form"]
    for service in json.loads(CATALOG.read_text(encoding="utf-8"))["services"]
    if service.get("application_form")
}
P11 = DEMO_FORMS["2011"]
FILLED = {
    "child_personal_code": "329106-27483",
    "child_name": "Emīls Kalniņš",
    "child_birth_date": "2026-10-02",
    "born_abroad": "true",
    "payment": "other_account",
    "iban": "LV80BANK0000435195001",
    "phone": "+371 20000000",
}


def test_the_demo_catalog_has_forms_for_the_childbirth_paternity_parental_and_residence_services() -> None:
    assert sorted(DEMO_FORMS) == ["2011", "2013", "2017", "4003"]


@pytest.mark.parametrize("code", sorted(DEMO_FORMS))
def test_every_demo_form_is_a_valid_schema_that_renders(code: str) -> None:
    schema = DEMO_FORMS[code]
    Draft202012Validator.check_schema(schema)
    form_schema_check(schema)
    for language in ("lv", "en"):
        with translation.override(language):
            form = SchemaForm(schema=schema)
            assert list(form.fields) == [name for group in form.groups for name in group.names]
            assert set(form.fields) == set(schema["properties"])
            assert all(field.label for field in form.fields.values())


@pytest.mark.django_db
def test_the_demo_catalog_loads_the_forms(demo_catalog: None) -> None:
    assert Service.objects.get(code="2011").application_form == P11
    assert Service.objects.get(code="4001").application_form == {}


def test_labels_and_errors_are_in_the_page_language() -> None:
    wrong = {**FILLED, "child_personal_code": "32910627484", "iban": "LV00", "child_name": ""}
    with translation.override("lv"):
        form = SchemaForm(wrong, schema=P11)
        assert not form.is_valid()
        assert form.fields["child_personal_code"].label == "Bērna personas kods"
        assert form.errors["child_personal_code"] == ["Ievadiet derīgu personas kodu, piemēram, 329106-27483."]
        assert form.errors["iban"] == ["Ievadiet Latvijas konta numuru (IBAN), piemēram, LV80BANK0000435195001."]
    with translation.override("en"):
        form = SchemaForm(wrong, schema=P11)
        assert not form.is_valid()
        assert form.errors["child_personal_code"] == ["Enter a valid personal code, e.g. 329106-27483."]
        assert form.errors["child_name"] == ["Enter or choose “Child's name”."]


def test_a_valid_form_gives_the_json_document() -> None:
    form = SchemaForm(FILLED, schema=P11)
    assert form.is_valid(), form.errors
    assert form.instance() == {**FILLED, "born_abroad": True, "child_personal_code": "32910627483"}
    with translation.override("en"):
        rows = display_rows(P11, form.instance())
    assert rows[3] == ("The child", "Was the child born abroad?", "Yes")
    assert rows[4] == ("Payment and contact", "Payment of the benefit", "To another account")


def test_a_draft_may_leave_fields_out_but_not_fill_them_wrongly() -> None:
    assert SchemaForm({"child_name": "Emīls"}, schema=P11, partial=True).is_valid()
    assert not SchemaForm({"child_birth_date": "2026-02-30"}, schema=P11, partial=True).is_valid()


def test_numbers_and_options_are_checked() -> None:
    schema = DEMO_FORMS["2017"]
    with translation.override("en"):
        form = SchemaForm({"leave_days": "11", "payment": "cash"}, schema=schema, partial=True)
        assert not form.is_valid()
        assert form.errors["leave_days"] == ["Enter 10 or less."]
        assert form.errors["payment"] == ["Select a valid choice. cash is not one of the available choices."]
        assert SchemaForm({"leave_days": "x"}, schema=schema, partial=True).errors["leave_days"] == [
            "Enter a whole number."
        ]


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ({}, "the service has no application form."),
        ({"type": "object", "properties": {"a": {"type": "string", "maxLength": -1}}}, "it is not a valid JSON Schema"),
        ({"type": "array", "items": {}}, "the root must be an object with properties."),
        ({"type": "object", "properties": {"a": {"type": "array"}}}, "the field “a” has an unsupported type."),
        ({"type": "object", "properties": {"a": {"type": "object"}}}, "the field “a” has an unsupported type."),
        (
            {"type": "object", "properties": {"a": {"type": "string", "oneOf": [{"type": "string"}]}}},
            "the field “a” uses oneOf.",
        ),
        ({"type": "object", "properties": {"A b": {"type": "string"}}}, "the field name “A b” is not allowed."),
        ({"type": "object", "properties": {"a": {"type": "string", "format": "uri"}}}, "unsupported format"),
        ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}, "a required field"),
        ({"type": "object", "properties": {"a": {"type": "string"}}, "$defs": {}}, "the form uses $defs."),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "x-fieldsets": [{"fields": ["b"]}]},
            "a fieldset names a field",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"not": {}}]},
            "only “if a field has a value",
        ),
    ],
)
def test_an_unsupported_schema_is_refused_as_catalog_data_error(schema: dict[str, Any], reason: str) -> None:
    with translation.override("en"), pytest.raises(UnsupportedFormSchema) as refused:
        SchemaForm(schema=schema)
    assert refused.value.detail.startswith("The application form in the catalog cannot be used: ")
    assert reason in refused.value.detail
    assert refused.value.code == "unsupported_form_schema"


def _typed(prop: dict[str, Any]) -> st.SearchStrategy[str]:
    """What a person might type into the field: plausible values and noise."""
    noise = st.text(max_size=40)
    match prop["type"]:
        case "boolean":
            return st.sampled_from(["true", "false", "", "maybe"])
        case "integer" | "number":
            return st.one_of(st.integers(-5, 30).map(str), noise)
    if "enum" in prop:
        return st.one_of(st.sampled_from([*prop["enum"], ""]), noise)
    if prop.get("format") == "date":
        return st.one_of(st.dates().map(lambda day: day.isoformat()), noise)
    if prop.get("format") == "lv-personal-code":
        return st.sampled_from(["329106-27483", "32910627483", "32910627484", "", "abc"])
    if prop.get("format") == "iban":
        return st.sampled_from(["LV80BANK0000435195001", "LV80BANK0000435195002", ""])
    return noise


@pytest.mark.parametrize("code", sorted(DEMO_FORMS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_anything_the_form_accepts_validates_against_the_schema(code: str, data: st.DataObject) -> None:
    schema = DEMO_FORMS[code]
    typed = {name: data.draw(_typed(prop), label=name) for name, prop in schema["properties"].items()}
    form = SchemaForm(typed, schema=schema)
    if form.is_valid():
        assert Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(form.instance())
        assert json.loads(json.dumps(form.instance())) == form.instance()
