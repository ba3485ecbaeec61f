"""The printed application (ASST-1): A4, Latvian first, the case number, the client, the filled fields, who
applied where and under what authority, and a QR code of the case's e-account page drawn from segno."""

import io
from pathlib import Path

import pytest
import segno
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader
from pytest_django.fixtures import Settings
from reportlab.lib.pagesizes import A4

from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import ApplicationPlace, Service
from onedoor.core.actors import Actor, ActorKind
from onedoor.parties.models import Institution
from onedoor.parties.services import person_from_register, registered_person

from ..models import AssistedApplication
from ..pdf import application_pdf, case_url, qr_modules
from .conftest import ANNA, KAC_PLACE

pytestmark = pytest.mark.django_db

DATA = {
    "child_personal_code": "32910627483",
    "child_name": "Emīls Kalniņš",
    "child_birth_date": "2026-10-02",
    "born_abroad": True,
    "payment": "other_account",
    "iban": "LV80BANK0000435195001",
}


def printed_application(mandate: str = "") -> AssistedApplication:
    from onedoor.identity.models import User

    inese = User.objects.get(username="kac-specialist")
    place = ApplicationPlace.objects.get(code=KAC_PLACE)
    actor = Actor(
        kind=ActorKind.USER,
        id=str(inese.pk),
        label="Inese Bērziņa",
        institution_id=str(place.institution_id),
        institution_code="VRAA",
        roles=frozenset({"specialist"}),
    )
    case = case_register(
        actor=actor,
        service_code="2011",
        applicant=PartyRef(personal_code=ANNA),
        channel="kac",
        place=place,
        authorisation="mandate" if mandate else "in_person",
        mandate_reference=mandate,
        data=DATA,
        submit=False,
    ).case
    registered = registered_person(ANNA)
    assert registered is not None
    return AssistedApplication.objects.create(
        service=Service.objects.get(code="2011"),
        person=person_from_register(registered),
        specialist=inese,
        institution=Institution.objects.get(code="VRAA"),
        place=place,
        channel="kac",
        authorisation=case.authorisation,
        mandate_reference=mandate,
        data=DATA,
        status="printed",
        case=case,
    )


def test_the_pdf_carries_the_case_the_client_and_the_fields_in_latvian_and_english(
    demo_catalog: None, settings: Settings
) -> None:
    settings.ONEDOOR_PUBLIC_URL = "https://onedoor.example"
    application = printed_application()
    assert application.case is not None
    reader = PdfReader(io.BytesIO(application_pdf(application=application)))
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)
    text = "\n".join(page.extract_text() for page in reader.pages)
    number = application.case.number
    expected = [
        "OneDoor",
        "Bērna piedzimšanas pabalsts",
        "Childbirth benefit",
        ": 2011",
        number,
        "Anna Kalniņa",
        "328714-52034",
        "Emīls Kalniņš",
        "32910627483",
        "2026-10-02",
        "LV80BANK0000435195001",
        "Bērna personas kods",
        "Child's personal code",
        "Inese Bērziņa",
        ApplicationPlace.objects.get(code=KAC_PLACE).name_lv,
        "in-person authorisation",
        f"https://onedoor.example/lv/account/cases/{application.case.url_number}/",
    ]
    for value in expected:
        assert value in text, value
    assert text.index("Bērna personas kods") < text.index("Child's personal code")
    assert any(letter in text for letter in "āčēģīķļņšūž")
    assert reader.metadata is not None
    assert reader.metadata.title == f"{number} Bērna piedzimšanas pabalsts"


def test_the_pdf_names_the_mandate(demo_catalog: None) -> None:
    application = printed_application(mandate="M-TEST0001")
    text = PdfReader(io.BytesIO(application_pdf(application=application))).pages[0].extract_text()
    assert "Submitted on behalf of the client under mandate M-TEST0001" in text


def test_the_qr_code_is_segnos_matrix_of_the_case_url(demo_catalog: None, settings: Settings) -> None:
    settings.ONEDOOR_PUBLIC_URL = "https://onedoor.example/"
    application = printed_application()
    assert application.case is not None
    url = case_url(application.case)
    assert url == f"https://onedoor.example/lv/account/cases/{application.case.url_number}/"
    matrix = segno.make(url, error="m").matrix
    drawn = set(qr_modules(url))
    assert drawn == {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert len(drawn) > 100


def test_a_missing_font_is_a_clear_configuration_error(demo_catalog: None, settings: Settings, tmp_path: Path) -> None:
    settings.ONEDOOR_PDF_FONT = str(tmp_path / "missing.ttf")
    with pytest.raises(ImproperlyConfigured, match="ONEDOOR_PDF_FONT: no TrueType font at"):
        application_pdf(application=printed_application())
