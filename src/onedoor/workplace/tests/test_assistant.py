"""Applying for a client with the e-assistant (ASST-1, ASST-2, WORK-2): the childbirth benefit (P.11) for
Anna Kalniņa's son Emīls at the national customer service centre, under an in-person authorisation or a
mandate, printed with its case number, signed, submitted to VSAA; and every refusal on the way."""

import html
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from onedoor.access.models import Mandate, MandateScope
from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case, CaseNumberCounter
from onedoor.cases.numbers import format_case_number
from onedoor.catalog.models import ApplicationPlace, Service
from onedoor.core.models import OutboxEvent
from onedoor.documents.models import Document
from onedoor.documents.tests.factories import use_document_root
from onedoor.parties.models import Institution, Person
from onedoor.parties.services import person_from_register, registered_person

from ..models import Activity, ApplicationStatus, AssistedApplication, Signature, TimeRecord
from .conftest import ANNA, JANIS, KAC_PLACE, client_view_for

pytestmark = pytest.mark.django_db

EMILS = "32910627483"
EDGARS, LIGA, LAURA_DECEASED = "25018614627", "30088813564", "03129111937"
P11 = {
    "child_personal_code": EMILS,
    "child_name": "Emīls Kalniņš",
    "child_birth_date": "2026-10-02",
    "born_abroad": "false",
    "payment": "account_on_file",
    "iban": "",
    "phone": "",
}


def url(name: str, *args: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"workplace:{name}", args=args)


def start(client: Client, **fields: str) -> Any:
    data = {"person": ANNA, "service": "2011", "channel": "kac", "authorisation": "in_person", **fields}
    return client.post(url("applications"), data)


def started(client: Client, **fields: str) -> AssistedApplication:
    response = start(client, **fields)
    assert response.status_code == 302, text(response)[:3000]
    return AssistedApplication.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def printed(client: Client, **fields: str) -> AssistedApplication:
    application = started(client, **fields)
    response = client.post(url("application-print", application.pk), P11)
    assert response.status_code == 302
    application.refresh_from_db()
    return application


def text(response: Any) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def person(code: str) -> Person:
    registered = registered_person(code)
    assert registered is not None
    return person_from_register(registered)


def mandate(reference: str, *, mandator: str, scope: str, services: list[str], days: int = 30) -> Mandate:
    now = timezone.now()
    return Mandate.objects.create(
        reference=reference,
        mandator_person=person(mandator),
        mandatary=person(EDGARS),
        granted_by=person(mandator),
        scope=scope,
        service_codes=services,
        valid_from=now - timedelta(days=days + 1),
        valid_until=now + timedelta(days=days),
        granted_at=now - timedelta(days=days + 1),
    )


def counts() -> tuple[int, ...]:
    return (
        AssistedApplication.objects.count(),
        Case.objects.count(),
        OutboxEvent.objects.count(),
        TimeRecord.objects.count(),
        AuditRecord.objects.filter(action__startswith="workplace.application").count(),
    )


# --- the whole flow ---------------------------------------------------------------------------------------


def test_childbirth_benefit_for_anna_from_start_to_submission(specialist: Client) -> None:
    view = client_view_for()
    page = specialist.get(url("applications") + f"?client_view={view.pk}")
    assert page.status_code == 200
    assert f'value="{ANNA}"' in text(page)
    assert "2011 Childbirth benefit (VSAA)" in text(page)

    application = started(specialist)
    assert (application.status, application.channel, application.authorisation) == ("draft", "kac", "in_person")
    assert application.person.personal_code == ANNA
    assert application.place is not None
    assert application.place.code == KAC_PLACE

    form = specialist.get(url("application", application.pk))
    body = text(form)
    assert form.status_code == 200
    assert "Child's personal code" in body
    assert "Was the child born abroad?" in body
    assert 'type="radio" value="false"' in body
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h3 class="govuk-fieldset__heading">The child'
        in body
    )

    wrong = specialist.post(url("application", application.pk), {**P11, "child_personal_code": "32910627484"})
    assert wrong.status_code == 400
    assert "Enter a valid personal code, e.g. 329106-27483." in text(wrong)
    incomplete = specialist.post(url("application-print", application.pk), {**P11, "child_name": ""})
    assert incomplete.status_code == 400
    assert "Enter or choose “Child's name”." in text(incomplete)
    other_account = specialist.post(url("application-print", application.pk), {**P11, "payment": "other_account"})
    assert "Enter or choose “Account number (IBAN)”." in text(other_account)
    application.refresh_from_db()
    assert (application.data, application.case) == ({}, None)

    draft = specialist.post(url("application", application.pk), {"child_personal_code": EMILS})
    assert draft.status_code == 302
    application.refresh_from_db()
    assert application.data == {"child_personal_code": EMILS}
    assert f'value="{EMILS}"' in text(specialist.get(url("application", application.pk)))

    assert specialist.post(url("application-print", application.pk), P11).status_code == 302
    application.refresh_from_db()
    case = application.case
    assert case is not None
    assert application.status == ApplicationStatus.PRINTED
    sequence = CaseNumberCounter.objects.get(service__code="2011").last_sequence
    assert case.number == format_case_number("2011", sequence)
    assert case.lifecycle == "registered"
    assert application.data == {
        "child_personal_code": EMILS,
        "child_name": "Emīls Kalniņš",
        "child_birth_date": "2026-10-02",
        "born_abroad": False,
        "payment": "account_on_file",
    }
    assert case.data == application.data
    assert not OutboxEvent.objects.filter(type="case.submitted", subject=case.url_number).exists()

    assert specialist.post(url("application-print", application.pk), P11).status_code == 302
    application.refresh_from_db()
    assert application.case == case
    assert CaseNumberCounter.objects.get(service__code="2011").last_sequence == sequence
    assert Case.objects.filter(service__code="2011").count() == 1

    pdf = specialist.get(url("application-pdf", application.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'inline; filename="application-{case.url_number}.pdf"'
    paper = pdf_text(pdf.content)
    for expected in (
        case.number,
        "Anna Kalniņa",
        "328714-52034",
        "Emīls Kalniņš",
        EMILS,
        "Bērna piedzimšanas pabalsts",
    ):
        assert expected in paper
    assert f"/lv/account/cases/{case.url_number}/" in paper

    frozen = specialist.post(url("application", application.pk), {**P11, "child_name": "Cits"})
    assert frozen.status_code == 302
    application.refresh_from_db()
    assert application.data["child_name"] == "Emīls Kalniņš"

    assert specialist.post(url("application-sign", application.pk), {"signed_in_person": "on"}).status_code == 302
    submitted = specialist.post(url("application-submit", application.pk))
    assert submitted.status_code == 302
    confirmation = text(specialist.get(url("application", application.pk)))
    assert "Application submitted" in confirmation
    assert case.number in confirmation
    assert "The client sees it in their e-account" in confirmation

    application.refresh_from_db()
    case.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.signature == Signature.IN_PERSON
    assert application.submitted_at is not None
    assert (case.channel, case.place.code if case.place else "", case.authorisation) == ("kac", KAC_PLACE, "in_person")
    assert (case.registered_by_label, case.lifecycle, case.mandate_reference) == ("Inese Bērziņa", "submitted", "")
    vsaa = Institution.objects.get(code="VSAA")
    (event,) = OutboxEvent.objects.filter(type="case.submitted", subject=case.url_number)
    assert event.institution_id == vsaa.pk
    assert event.data["submitted_by"] == {
        "kind": "user",
        "label": "Inese Bērziņa",
        "place": KAC_PLACE,
        "authorisation": "in_person",
    }
    assert event.data["data"]["child_personal_code"] == EMILS
    (record,) = TimeRecord.objects.filter(case=case)
    assert (record.activity, record.stage, record.channel, record.specialist_label) == (
        Activity.APPLICATION,
        "application",
        "kac",
        "Inese Bērziņa",
    )
    assert record.service is not None
    assert record.service.code == "2011"
    assert record.started_at == application.created_at
    actions = list(
        AuditRecord.objects.filter(action__startswith="workplace.application.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "workplace.application.start",
        "workplace.application.save",
        "workplace.application.save",
        "workplace.application.print",
        "workplace.application.pdf",
        "workplace.application.sign",
        "workplace.application.submit",
    ]
    listed = text(specialist.get(url("applications")))
    assert case.number in listed
    assert "Submitted" in listed


def test_the_signed_scan_is_stored_with_its_paper_original(
    specialist: Client, settings: Settings, tmp_path: Path
) -> None:
    use_document_root(settings, tmp_path / "documents")
    settings.ONEDOOR_CLAMD_SOCKET, settings.ONEDOOR_CLAMD_HOST = "", ""
    application = printed(specialist)
    scan = specialist.get(url("application-pdf", application.pk)).content
    upload = io.BytesIO(scan)
    upload.name = "paraksts.pdf"
    response = specialist.post(url("application-sign", application.pk), {"file": upload})
    assert response.status_code == 302
    application.refresh_from_db()
    document = application.signed_scan
    assert document is not None
    assert application.signature == Signature.SCAN
    assert (document.kind, document.media_type, document.has_paper_original) == ("scan", "application/pdf", True)
    assert (document.case, document.person, document.place) == (application.case, application.person, application.place)
    assert specialist.post(url("application-submit", application.pk)).status_code == 302
    assert Case.objects.get(pk=application.case_id).lifecycle == "submitted"


def test_a_refused_scan_is_shown_on_the_form(specialist: Client, settings: Settings, tmp_path: Path) -> None:
    use_document_root(settings, tmp_path / "documents")
    settings.ONEDOOR_CLAMD_SOCKET, settings.ONEDOOR_CLAMD_HOST = "", ""
    application = printed(specialist)
    upload = io.BytesIO(b"MZ\x90\x00 not a scan at all")
    upload.name = "scan.exe"
    before = (Document.objects.count(), counts())
    response = specialist.post(url("application-sign", application.pk), {"file": upload})
    assert response.status_code == 400
    assert 'id="id_file-error"' in text(response)
    assert (Document.objects.count(), counts()) == before
    application.refresh_from_db()
    assert (application.signature, application.signed_scan) == ("", None)


# --- under a mandate --------------------------------------------------------------------------------------


def test_a_mandate_of_the_client_covering_the_service_is_accepted(specialist: Client) -> None:
    mandate("M-TEST0001", mandator=ANNA, scope=MandateScope.CHOSEN_SERVICES, services=["2011"])
    application = started(
        specialist, authorisation="mandate", mandate_reference="m-test0001", representative=EDGARS, channel="phone"
    )
    assert (application.authorisation, application.mandate_reference, application.channel) == (
        "mandate",
        "M-TEST0001",
        "phone",
    )
    specialist.post(url("application-print", application.pk), P11)
    application.refresh_from_db()
    assert application.case is not None
    assert (application.case.mandate_reference, application.case.authorisation) == ("M-TEST0001", "mandate")
    assert "Submitted on behalf of the client under mandate M-TEST0001" in pdf_text(
        specialist.get(url("application-pdf", application.pk)).content
    )
    refused = specialist.post(url("application-sign", application.pk), {"signed_in_person": "on"})
    assert refused.status_code == 400  # on the phone only a signed scan will do
    mandate("M-TEST0002", mandator=ANNA, scope=MandateScope.ALL_SERVICES, services=[])
    assert (
        started(
            specialist, authorisation="mandate", mandate_reference="M-TEST0002", representative=EDGARS
        ).mandate_reference
        == "M-TEST0002"
    )


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("M-DEMO0001", "This client has given no mandate with this reference."),
        ("M-RESULTS1", "Mandate M-RESULTS1 is for result retrieval only."),
        ("M-EXPIRED1", "Mandate M-EXPIRED1 is not in force now (Expired)."),
        ("M-OTHER001", "Mandate M-OTHER001 does not cover this service."),
        ("M-NOSUCH01", "This client has given no mandate with this reference."),
        ("", "Enter the reference of the mandate, e.g. M-7K3Q9F2A."),
    ],
)
def test_a_mandate_that_does_not_allow_applying_is_refused(specialist: Client, reference: str, message: str) -> None:
    # As the demo's M-DEMO0001: Līga lets Edgars apply for the family state benefit — Līga's, not Anna's.
    mandate("M-DEMO0001", mandator=LIGA, scope=MandateScope.CHOSEN_SERVICES, services=["2012"])
    mandate("M-RESULTS1", mandator=ANNA, scope=MandateScope.RESULTS_ONLY, services=[])
    mandate("M-OTHER001", mandator=ANNA, scope=MandateScope.CHOSEN_SERVICES, services=["2012"])
    expired = mandate("M-EXPIRED1", mandator=ANNA, scope=MandateScope.ALL_SERVICES, services=[])
    Mandate.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - timedelta(days=1))
    before = counts()
    response = start(specialist, authorisation="mandate", mandate_reference=reference, representative=EDGARS)
    assert response.status_code == 400
    assert message in text(response)
    assert 'id="id_mandate_reference-error"' in text(response)
    assert counts() == before


def test_a_mandate_is_accepted_only_from_the_representative_who_holds_it(specialist: Client) -> None:
    mandate("M-TEST0003", mandator=ANNA, scope=MandateScope.ALL_SERVICES, services=[])
    before = counts()
    for representative, field, message in [
        ("", "representative", "Enter the personal code of the person who holds the mandate."),
        (JANIS, "mandate_reference", "Mandate M-TEST0003 was given to someone else."),
    ]:
        response = start(
            specialist, authorisation="mandate", mandate_reference="M-TEST0003", representative=representative
        )
        assert response.status_code == 400
        assert message in text(response)
        assert f'id="id_{field}-error"' in text(response)
    assert counts() == before


# --- refusals ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"service": "4001"}, "service", "Choose a service from the list."),
        ({"person": "12345678901"}, "person", "This is not a valid Latvian personal code."),
        ({"person": LAURA_DECEASED}, "person", "this person has died"),
        ({"channel": "phone"}, "authorisation", "an in-person authorisation is not possible"),
        ({"channel": "post"}, "channel", "Choose how the client is served."),
        ({"authorisation": ""}, "authorisation", "Choose under what authority you apply."),
    ],
)
def test_starting_is_refused_on_the_field(specialist: Client, fields: dict[str, str], field: str, message: str) -> None:
    before = counts()
    response = start(specialist, **fields)
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert f'id="id_{field}-error"' in body
    assert counts() == before


def test_a_service_the_holder_does_not_allow_is_refused_by_the_service(specialist: Client) -> None:
    """Even when the form is bypassed (the list offers only allowed services), the service refuses."""
    from onedoor.workplace.desk import desk_for
    from onedoor.workplace.errors import ServiceNotAssisted
    from onedoor.workplace.services_assistant import application_start

    request = specialist.get(url("applications")).wsgi_request
    desk = desk_for(request)
    assert desk is not None
    before = counts()
    with pytest.raises(ServiceNotAssisted) as refused:
        application_start(desk=desk, personal_code=ANNA, service_code="4001", channel="kac", authorisation="in_person")
    assert refused.value.invalid_params == {
        "service": ["The holder of this service does not allow applying with the e-assistant."]
    }
    ApplicationPlace.objects.get(code=KAC_PLACE).services.remove(Service.objects.get(code="2011"))
    with pytest.raises(ServiceNotAssisted) as not_offered:
        application_start(desk=desk, personal_code=ANNA, service_code="2011", channel="kac", authorisation="in_person")
    assert not_offered.value.invalid_params == {"service": ["Your application place does not offer this service."]}
    assert counts() == before


def test_only_the_specialist_who_started_it_sees_the_application(specialist: Client, colleague: Client) -> None:
    application = printed(specialist)
    before = counts()
    for name in ("application", "application-pdf"):
        assert colleague.get(url(name, application.pk)).status_code == 404
    for name in ("application", "application-print", "application-sign", "application-submit", "application-cancel"):
        assert colleague.post(url(name, application.pk), {**P11, "signed_in_person": "on"}).status_code == 404
    assert str(application.pk) not in text(colleague.get(url("applications")))
    assert counts() == before
    application.refresh_from_db()
    assert (application.status, application.signature) == ("printed", "")


def test_submitting_without_a_signature_is_refused(specialist: Client) -> None:
    application = printed(specialist)
    before = counts()
    response = specialist.post(url("application-submit", application.pk))
    assert response.status_code == 409
    assert "The client has not signed the application yet" in text(response)
    assert counts() == before
    assert Case.objects.get(pk=application.case_id).lifecycle == "registered"


def test_a_draft_cannot_be_signed_or_submitted(specialist: Client) -> None:
    application = started(specialist)
    before = counts()
    assert specialist.post(url("application-submit", application.pk)).status_code == 409
    assert specialist.post(url("application-sign", application.pk), {"signed_in_person": "on"}).status_code == 400
    assert counts() == before


# --- cancelling -------------------------------------------------------------------------------------------


def test_cancelling_a_draft_just_ends_it(specialist: Client) -> None:
    application = started(specialist)
    assert specialist.post(url("application-cancel", application.pk)).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.case) == ("cancelled", None)
    assert str(application.pk) not in text(specialist.get(url("applications")))


def test_cancelling_a_printed_application_withdraws_its_case(specialist: Client) -> None:
    application = printed(specialist)
    assert specialist.post(url("application-cancel", application.pk)).status_code == 302
    application.refresh_from_db()
    case = Case.objects.get(pk=application.case_id)
    assert (application.status, case.status, case.lifecycle, case.is_closed) == (
        "cancelled",
        "withdrawn",
        "withdrawn",
        True,
    )
    assert specialist.get(url("application-pdf", application.pk)).status_code == 404
    before = counts()
    assert specialist.post(url("application-submit", application.pk)).status_code == 409
    assert counts() == before


def test_a_submitted_application_cannot_be_cancelled(specialist: Client) -> None:
    application = printed(specialist)
    specialist.post(url("application-sign", application.pk), {"signed_in_person": "on"})
    specialist.post(url("application-submit", application.pk))
    before = counts()
    assert specialist.post(url("application-cancel", application.pk)).status_code == 409
    assert counts() == before


def test_the_list_costs_the_same_few_queries_for_many_applications(
    specialist: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        printed(specialist)
    with django_assert_max_num_queries(12):
        response = specialist.get(url("applications"))
    assert text(response).count('href="/en/workplace/applications/') >= 6
