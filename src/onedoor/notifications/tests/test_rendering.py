"""Notice templates: one per kind and language, the subject on the first line, plain text."""

from datetime import UTC, datetime

import pytest

from onedoor.catalog.models import Service, ServiceStatusType
from onedoor.notifications.rendering import case_status_context, notice_render
from onedoor.parties.models import Institution

pytestmark = pytest.mark.django_db

OCCURRED = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)  # 10:30 in Riga


def _context(language: str) -> dict[str, object]:
    service = Service.objects.get(code="2011")
    return case_status_context(
        language=language,
        person_name="Jānis Bērziņš",
        case_number="2011 0042",
        service=service,
        status_type=ServiceStatusType.objects.get(service=service, code="benefit-granted"),
        institution=Institution.objects.get(code="VSAA"),
        occurred_at=OCCURRED,
    )


def test_a_case_status_notice_in_latvian(demo_catalog: None) -> None:
    notice = notice_render(kind="case_status", language="lv", context=_context("lv"))
    assert notice.subject == "Lieta 2011 0042: Pabalsts piešķirts"
    assert notice.body.splitlines()[0] == "Labdien, Jānis Bērziņš!"
    assert (
        "Jūsu lietas 2011 0042 „Bērna piedzimšanas pabalsts” statuss ir mainījies: Pabalsts piešķirts." in notice.body
    )
    assert "VSAA ir pieņēmusi lēmumu piešķirt pabalstu. Lēmums ir pieejams jūsu e-kontā." in notice.body
    assert "Statuss mainīts 21.11.2026. 10:30." in notice.body
    assert "\n\n\n" not in notice.body
    assert notice.sms == (
        "OneDoor: lietas 2011 0042 statuss – Pabalsts piešķirts. Sīkāk e-kontā: http://127.0.0.1:8000/lv/account/inbox/"
    )


def test_a_case_status_notice_in_english(demo_catalog: None) -> None:
    notice = notice_render(kind="case_status", language="en", context=_context("en"))
    assert notice.subject == "Case 2011 0042: Benefit granted"
    assert notice.body.splitlines()[0] == "Hello Jānis Bērziņš,"
    assert "The status of your case 2011 0042 “Childbirth benefit” has changed: Benefit granted." in notice.body
    assert "VSAA has decided to grant the benefit." in notice.body
    assert "You can follow the case in your e-account: http://127.0.0.1:8000/en/account/inbox/" in notice.body
    assert notice.sms.startswith("OneDoor: case 2011 0042 is now “Benefit granted”.")


def test_a_result_notice_has_its_own_template(demo_catalog: None) -> None:
    lv = notice_render(kind="result", language="lv", context=_context("lv"))
    en = notice_render(kind="result", language="en", context=_context("en"))
    assert lv.subject == "Rezultāts lietā 2011 0042: Pabalsts piešķirts"
    assert en.subject == "Result of case 2011 0042: Benefit granted"


def test_text_is_not_html_escaped_and_a_nameless_person_is_greeted_plainly(demo_catalog: None) -> None:
    context = {**_context("lv"), "service_name": "Zeme & ūdeņi <pilot>", "person_name": ""}
    notice = notice_render(kind="case_status", language="lv", context=context)
    assert "„Zeme & ūdeņi <pilot>”" in notice.body
    assert notice.body.splitlines()[0] == "Labdien!"
