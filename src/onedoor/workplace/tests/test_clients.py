"""The client 360 view (CLI-1 … CLI-3): search, opening with a purpose and consent, caller verification,
the profile's sections and their audit; every refusal leaves nothing behind but a denied audit record."""

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from onedoor.access.contexts import institution_context
from onedoor.access.models import Mandate, MandateScope
from onedoor.accounts.export import my_data
from onedoor.audit.models import AuditRecord
from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import Service
from onedoor.conftest import staff_actor
from onedoor.core.channels import Channel
from onedoor.core.errors import ValidationFailed
from onedoor.identity.models import Role, User
from onedoor.identity.selectors import actor_for_user
from onedoor.notifications.models import ContactKind, ContactPoint
from onedoor.parties.models import BankAccount, Person
from onedoor.workplace.desk import desk_of
from onedoor.workplace.models import ClientView, Verification
from onedoor.workplace.services_clients import client_view_open
from onedoor.workplace.verification import Question, verification_questions

from .conftest import ANNA, JANIS

pytestmark = pytest.mark.django_db

FIND = "/en/workplace/clients/"
OPEN = "/en/workplace/clients/open/"
ANNA_ADDRESS = "Krišjāņa Barona iela 55-7"
UNKNOWN_CODE = "321234-50009"  # valid, in no register
KOKMATERIALI = "40003512877"


def register_case(personal_code: str, service_code: str = "2011") -> Case:
    actor = staff_actor("VSAA", Role.CASE_HANDLER.value)
    return case_register(
        actor=actor,
        service_code=service_code,
        applicant=PartyRef(personal_code=personal_code),
        channel=Channel.E_ACCOUNT,
    ).case


def anna_profile_data() -> Person:
    anna = Person.objects.get(personal_code=ANNA)
    now = timezone.now()
    ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value="anna@example.lv", confirmed_at=now)
    ContactPoint.objects.create(person=anna, kind=ContactKind.PHONE, value="+37120000001", confirmed_at=now)
    ContactPoint.objects.create(person=anna, kind=ContactKind.EMAIL, value="unconfirmed@example.lv")
    BankAccount.objects.create(person=anna, iban="LV80BANK0000435195001", holder_name="Anna Kalniņa", added_at=now)
    return anna


def open_url(client: Client, kind: str = "personal_code", value: str = ANNA) -> str:
    """The purpose form's address, from the search result's link as the specialist follows it."""
    page = client.post(FIND, {"kind": kind, "value": value}).content.decode()
    (url,) = re.findall(r'href="(/en/workplace/clients/open/\?match=[\w-]+)"', page)
    return str(url)


def open_view(client: Client, data: dict[str, Any], *, search: tuple[str, str] = ("personal_code", ANNA)) -> Any:
    return client.post(open_url(client, *search), {"channel": "kac", **data})


def opened(client: Client, **data: Any) -> ClientView:
    response = open_view(client, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    view = ClientView.objects.get()
    assert response["Location"] == f"/en/workplace/clients/views/{view.pk}/"
    return view


def audit(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).order_by("sequence"))


def right_answers(view: ClientView) -> dict[str, str]:
    return {question.key: question.accepted[0] for question in verification_questions(view)}


# --- search -------------------------------------------------------------------------------------


def test_search_by_personal_code_shows_the_name_and_a_masked_code_only(specialist: Client) -> None:
    anna_profile_data()
    response = specialist.post(FIND, {"kind": "personal_code", "value": "328714-52034"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Anna Kalniņa" in content
    assert "328714-*****" in content
    assert "/en/workplace/clients/open/?match=" in content
    assert not re.search(rf'href="[^"]*({ANNA}|328714-52034)', content)  # no address carries the code
    assert "Barona" not in content
    assert "anna@example.lv" not in content
    [record] = audit("workplace.client.search")
    assert record.actor_label == "Inese Bērziņa"
    assert record.details == {"kind": "personal_code", "value": ANNA, "found": [ANNA]}


def test_search_finds_a_person_known_only_to_the_registers(specialist: Client) -> None:
    Person.objects.filter(personal_code="02115510879").delete()
    response = specialist.post(FIND, {"kind": "personal_code", "value": "02115510879"})
    assert response.status_code == 200
    assert "021155-*****" in response.content.decode()
    assert not Person.objects.filter(personal_code="02115510879").exists()  # searching writes no person


def test_search_by_registration_number(specialist: Client) -> None:
    response = specialist.post(FIND, {"kind": "registration_number", "value": KOKMATERIALI})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kokmateriāli" in content
    assert "400035*****" in content
    assert "/en/workplace/clients/open/?match=" in content
    assert not re.search(rf'href="[^"]*{KOKMATERIALI}', content)


def test_search_by_phone_finds_only_confirmed_numbers(specialist: Client) -> None:
    anna_profile_data()
    janis = Person.objects.get(personal_code=JANIS)
    ContactPoint.objects.create(person=janis, kind=ContactKind.PHONE, value="+37120000002")
    response = specialist.post(FIND, {"kind": "phone", "value": "20 000 001"})
    assert response.status_code == 200
    assert "Anna Kalniņa" in response.content.decode()
    response = specialist.post(FIND, {"kind": "phone", "value": "+371 20000002"})
    assert "Jānis" not in response.content.decode()
    assert response.context["matches"] == []
    assert [record.details["value"] for record in audit("workplace.client.search")] == ["+37120000001", "+37120000002"]


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("personal_code", "328714-52035", "This is not a valid Latvian personal code."),
        ("registration_number", ANNA, "This is a personal code, not a registration number."),
        ("phone", "12", "Enter a phone number, like 20 123 456 or +371 20 123 456."),
        ("personal_code", "", "Enter what to search for."),
    ],
)
def test_invalid_search_is_a_form_error(specialist: Client, kind: str, value: str, message: str) -> None:
    response = specialist.post(FIND, {"kind": kind, "value": value})
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == [message]
    assert "govuk-error-summary" in response.content.decode()
    assert audit("workplace.client.search") == []


def test_search_for_an_unknown_person_finds_nobody(specialist: Client) -> None:
    response = specialist.post(FIND, {"kind": "personal_code", "value": UNKNOWN_CODE})
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert "No client found" in response.content.decode()
    assert specialist.get(OPEN, {"person": UNKNOWN_CODE}).status_code == 404


def test_the_workplace_is_for_specialists_only(client: Client, sign_in: Any, demo_catalog: None) -> None:
    sign_in(client, ANNA)
    assert client.post(FIND, {"kind": "personal_code", "value": ANNA}).status_code == 403
    assert audit("workplace.client.search") == []


# --- opening with a purpose -----------------------------------------------------------------------


def test_opening_without_a_purpose_is_refused_and_discloses_nothing(specialist: Client) -> None:
    anna_profile_data()
    response = open_view(specialist, {"note": "asks about her data"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "State the purpose: a case or a service." in content
    assert ANNA_ADDRESS not in content
    assert "anna@example.lv" not in content
    assert ClientView.objects.count() == 0
    [record] = audit("workplace.client_view.open")
    assert record.outcome == "denied"
    assert (record.object_type, record.object_id) == ("parties.person", ANNA)
    assert record.details["refusal"] == "purpose_required"
    assert audit("workplace.client_view.sections") == []


def test_opening_for_a_case_of_someone_else_is_refused_without_saying_whose(specialist: Client) -> None:
    janis_case = register_case(JANIS)
    response = open_view(specialist, {"case_number": janis_case.number})
    assert response.status_code == 400
    assert response.context["form"].errors["case_number"] == [
        "The client has no case with this number. Check the number with the client."
    ]
    assert "Jānis" not in response.content.decode()
    assert ClientView.objects.count() == 0
    assert [record.outcome for record in audit("workplace.client_view.open")] == ["denied"]


def test_opening_for_the_clients_case_seen_registry_wide(specialist: Client) -> None:
    case = register_case(ANNA)  # a VSAA case, applied for online: not among what the KAC's cases show
    view = opened(specialist, case_number=case.number.replace(" ", "-"))
    assert (view.purpose, view.case, view.service) == ("case", case, None)
    [record] = audit("workplace.client_view.open")
    assert record.details["case"] == case.number
    assert record.details["service"] == "2011"


def test_both_a_case_and_a_service_is_refused(specialist: Client) -> None:
    case = register_case(ANNA)
    response = open_view(specialist, {"case_number": case.number, "service": "2011"})
    assert response.status_code == 400
    assert "State one purpose: a case or a service, not both." in response.content.decode()
    assert ClientView.objects.count() == 0


def test_a_service_requiring_consent_needs_the_consent_box(specialist: Client) -> None:
    Service.objects.filter(code="2011").update(client_view_consent_required=True)
    response = open_view(specialist, {"service": "2011"})
    assert response.status_code == 400
    assert response.context["form"].errors["consent"] == [
        "This service requires the client's consent before their profile is opened."
    ]
    assert ClientView.objects.count() == 0
    assert audit("workplace.client_view.open")[0].details["refusal"] == "consent_required"

    before = timezone.now()
    view = opened(specialist, service="2011", consent="on")
    assert view.consent_given_at is not None
    assert view.consent_given_at >= before
    assert audit("workplace.client_view.open")[-1].details["consent"] == view.consent_given_at.isoformat()


def test_a_case_whose_service_requires_consent_needs_it_too(specialist: Client) -> None:
    case = register_case(ANNA)
    Service.objects.filter(code="2011").update(client_view_consent_required=True)
    response = open_view(specialist, {"case_number": case.number})
    assert response.status_code == 400
    assert ClientView.objects.count() == 0


def test_a_service_without_consent_records_none(specialist: Client) -> None:
    view = opened(specialist, service="2011", consent="on")
    assert view.consent_given_at is None


# --- the profile in person ------------------------------------------------------------------------


def test_in_person_the_sections_are_shown_and_audited(specialist: Client) -> None:
    anna = anna_profile_data()
    case = register_case(ANNA)
    now = timezone.now()
    Mandate.objects.create(
        reference="M-TEST0001",
        mandator_person=anna,
        mandatary=Person.objects.get(personal_code=JANIS),
        scope=MandateScope.ALL_SERVICES,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30),
        granted_by=anna,
        granted_at=now - timedelta(days=1),
    )
    view = opened(specialist, service="2011", note="childbirth benefit questions")
    assert view.verification == Verification.NOT_NEEDED
    assert abs(view.expires_at - view.created_at - timedelta(minutes=30)) < timedelta(seconds=5)

    response = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert ANNA_ADDRESS in content
    assert "328714-52034" in content
    assert "anna@example.lv" in content
    assert "+37120000001" in content
    assert "unconfirmed@example.lv" not in content
    assert "LV80 **** 5001" in content
    assert "LV80BANK0000435195001" not in content
    assert case.number in content
    assert "Payments are not yet part of the platform." in content
    mandates = response.content.decode().split('data-testid="client-mandates-given"')[1].split("</table>")[0]
    assert "M-TEST0001" in mandates
    assert "Jānis Bērziņš" in mandates
    assert "Active" in mandates
    assert f"/en/workplace/consultations/new/?client_view={view.pk}" in content
    assert f"/en/workplace/applications/?client_view={view.pk}" in content

    user = User.objects.get(username="kac-specialist")
    [opening] = audit("workplace.client_view.open")
    assert (opening.actor_id, opening.actor_label) == (str(user.pk), "Inese Bērziņa")
    assert (opening.object_type, opening.object_id, opening.object_label) == ("parties.person", ANNA, "Anna Kalniņa")
    assert opening.details == {
        "view": str(view.pk),
        "purpose": "service",
        "case": "",
        "service": "2011",
        "note": "childbirth benefit questions",
        "channel": "kac",
        "consent": None,
    }
    [shown] = audit("workplace.client_view.sections")
    assert shown.actor_id == str(user.pk)
    assert shown.object_id == ANNA
    assert shown.details["view"] == str(view.pk)
    assert shown.details["purpose"] == "service"
    assert shown.details["service"] == "2011"
    assert shown.details["sections"] == {
        "bank_account": 1,
        "cases": 1,
        "consultations": 0,
        "contacts": 2,
        "identity": 1,
        "mandates_given": 1,
        "mandates_received": 0,
    }


def test_an_organisations_profile(specialist: Client) -> None:
    response = open_view(specialist, {"service": "1003"}, search=("registration_number", KOKMATERIALI))
    assert response.status_code == 302
    view = ClientView.objects.get()
    assert view.organisation is not None
    assert view.person is None
    opened_org = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    content = opened_org.content.decode()
    assert "Rūpniecības iela 15" in content
    assert audit("workplace.client_view.sections")[0].object_type == "parties.organisation"


def test_the_profile_page_takes_a_constant_number_of_queries(specialist: Client) -> None:
    anna_profile_data()
    register_case(ANNA)
    view = opened(specialist, service="2011")
    url = f"/en/workplace/clients/views/{view.pk}/"
    with CaptureQueriesContext(connection) as one_case:
        assert specialist.get(url).status_code == 200
    for _ in range(4):
        register_case(ANNA)
    with CaptureQueriesContext(connection) as five_cases:
        response = specialist.get(url)
    assert response.content.decode().count('<th scope="row" class="govuk-table__header">2011 ') == 5
    assert len(five_cases) == len(one_case)
    assert len(five_cases) <= 25, len(five_cases)  # 23 today: session, desk, view, sections, one audit record


def test_cases_keep_the_newest_twenty_with_a_count(specialist: Client) -> None:
    for _ in range(21):
        register_case(ANNA)
    view = opened(specialist, service="2011")
    response = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    content = response.content.decode()
    assert "Cases (21)" in content
    assert "The newest 20 of 21." in content
    assert audit("workplace.client_view.sections")[0].details["sections"]["cases"] == 20


# --- on the phone -----------------------------------------------------------------------------------


def test_on_the_phone_nothing_is_disclosed_before_verification(specialist: Client) -> None:
    anna_profile_data()
    case = register_case(ANNA)
    view = opened(specialist, service="2011", channel="phone")
    assert view.verification == Verification.PENDING
    response = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Verify the caller" in content
    assert ANNA_ADDRESS not in content
    assert "Barona" not in content
    assert case.number not in content
    assert "anna@example.lv" not in content
    assert "5001" not in content
    assert "1992" not in content  # the expected answers never reach the page
    questions = verification_questions(view)
    assert len(questions) == 3
    for question in questions:
        assert str(question.prompt).replace("'", "&#x27;") in content
    assert audit("workplace.client_view.sections") == []


def test_three_wrong_answers_fail_and_close_the_view(specialist: Client) -> None:
    anna_profile_data()
    view = opened(specialist, service="2011", channel="phone")
    verify = f"/en/workplace/clients/views/{view.pk}/verify/"
    wrong = {question.key: "wrong" for question in verification_questions(view)}
    for attempt in (1, 2):
        response = specialist.post(verify, wrong)
        assert response.status_code == 400
        assert "The answers do not verify the caller." in response.content.decode()
        view.refresh_from_db()
        assert (view.verification, view.verification_attempts, view.closed_at) == ("pending", attempt, None)
    response = specialist.post(verify, wrong)
    assert response.status_code == 302
    view.refresh_from_db()
    assert view.verification == Verification.FAILED
    assert view.verification_attempts == 3
    assert view.closed_at is not None
    page = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    assert page.status_code == 410
    assert "Refer the caller to a customer service centre or to their e-account." in page.content.decode()
    assert ANNA_ADDRESS not in page.content.decode()
    records = audit("workplace.client_view.verify")
    assert [(record.outcome, record.details["attempt"], record.details["right"]) for record in records] == [
        ("failure", 1, 0),
        ("failure", 2, 0),
        ("failure", 3, 0),
    ]
    assert records[-1].details["verification"] == "failed"
    assert all("wrong" not in str(record.details) for record in records)
    assert audit("workplace.client_view.sections") == []


def test_right_answers_verify_the_caller_and_show_the_sections(specialist: Client) -> None:
    anna_profile_data()
    view = opened(specialist, service="2011", channel="phone")
    answers = right_answers(view)
    first = next(iter(answers))
    answers[first] = "wrong"  # two of three are enough
    response = specialist.post(f"/en/workplace/clients/views/{view.pk}/verify/", answers)
    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.verification, view.verification_attempts) == ("passed", 1)
    page = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    assert ANNA_ADDRESS in page.content.decode()
    [record] = audit("workplace.client_view.verify")
    assert (record.outcome, record.details["right"], record.object_id) == ("success", 2, ANNA)
    assert audit("workplace.client_view.sections")[0].details["view"] == str(view.pk)


def test_answers_are_compared_without_case_diacritics_or_spaces() -> None:
    street = Question("street", "street?", ("Krišjāņa Barona iela", "Krišjāņa Barona"))
    assert street.is_answered_by("  krisjana   BARONA iela ")
    assert street.is_answered_by("Krisjana Barona")
    assert not street.is_answered_by("Barona")
    assert not street.is_answered_by("")


def test_a_profile_with_too_little_data_cannot_verify_a_caller(specialist: Client) -> None:
    # Kokmateriāli's legal address and form give two questions; a company unknown to both gives none.
    response = open_view(
        specialist, {"service": "1003", "channel": "phone"}, search=("registration_number", KOKMATERIALI)
    )
    view = ClientView.objects.get()
    assert response.status_code == 302
    assert len(verification_questions(view)) == 2


# --- whose view, for how long ------------------------------------------------------------------------


def test_another_specialists_view_is_not_found(specialist: Client, colleague: Client) -> None:
    anna_profile_data()
    view = opened(specialist, service="2011", channel="phone")
    base = f"/en/workplace/clients/views/{view.pk}/"
    assert colleague.get(base).status_code == 404
    assert colleague.post(f"{base}verify/", right_answers(view)).status_code == 404
    assert colleague.post(f"{base}close/").status_code == 404
    view.refresh_from_db()
    assert (view.verification, view.verification_attempts, view.closed_at) == ("pending", 0, None)
    assert audit("workplace.client_view.verify") == []
    assert audit("workplace.client_view.close") == []


def test_an_expired_view_shows_no_data(specialist: Client) -> None:
    anna_profile_data()
    view = opened(specialist, service="2011")
    ClientView.objects.filter(pk=view.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    content = response.content.decode()
    assert response.status_code == 410
    assert "This view has ended" in content
    assert ANNA_ADDRESS not in content
    assert "anna@example.lv" not in content
    assert ANNA not in content
    (reopen,) = re.findall(r'href="(/en/workplace/clients/open/\?match=[\w-]+)"', content)
    assert "Anna Kalniņa" in specialist.get(reopen).content.decode()
    assert audit("workplace.client_view.sections") == []


def test_closing_the_view_ends_it(specialist: Client) -> None:
    view = opened(specialist, service="2011")
    response = specialist.post(f"/en/workplace/clients/views/{view.pk}/close/")
    assert response.status_code == 302
    view.refresh_from_db()
    assert view.closed_at is not None
    [record] = audit("workplace.client_view.close")
    assert (record.object_id, record.details["view"]) == (ANNA, str(view.pk))
    assert specialist.get(f"/en/workplace/clients/views/{view.pk}/").status_code == 410
    specialist.post(f"/en/workplace/clients/views/{view.pk}/close/")
    assert len(audit("workplace.client_view.close")) == 1


def test_a_desk_without_a_place_serves_callers_only(vsaa_handler: Client) -> None:
    """Nobody stands at a desk without an application place: "in person" would skip the caller verification."""
    url = open_url(vsaa_handler)
    page = vsaa_handler.get(url).content.decode()
    assert 'value="kac"' not in page
    assert 'value="phone"' in page
    response = vsaa_handler.post(url, {"channel": "kac", "service": "2011"})
    assert response.status_code == 400
    assert not ClientView.objects.exists()
    handler = User.objects.get(username="vsaa-handler")
    desk = desk_of(handler, actor_for_user(handler, context=institution_context(handler)))
    with pytest.raises(ValidationFailed, match="serve the client on the phone"), translation.override("en"):
        client_view_open(desk=desk, client_kind="person", client_key=ANNA, channel="kac", service_code="2011")
    assert not ClientView.objects.exists()
    assert audit("workplace.client_view.open")[-1].outcome == "denied"
    opened = vsaa_handler.post(url, {"channel": "phone", "service": "2011"})
    assert opened.status_code == 302
    assert ClientView.objects.get().verification == Verification.PENDING


def test_the_client_finds_who_opened_their_profile_in_their_data(specialist: Client) -> None:
    view = opened(specialist, service="2011", note="asks about the childbirth benefit")
    specialist.get(f"/en/workplace/clients/views/{view.pk}/")
    data = my_data(person=Person.objects.get(personal_code=ANNA))
    seen = {
        (record["action"], record["actor_label"])
        for record in data["audit_records"]
        if record["action"].startswith("workplace.client_view.")
    }
    assert seen == {
        ("workplace.client_view.open", "Inese Bērziņa"),
        ("workplace.client_view.sections", "Inese Bērziņa"),
    }


def test_the_purpose_form_names_only_clients_found_in_this_session(specialist: Client, colleague: Client) -> None:
    """A personal code in the address opens nothing; a search result's reference works only for whoever searched."""
    for query in ({"person": ANNA}, {"organisation": KOKMATERIALI}, {"match": "made-up"}):
        assert specialist.get(OPEN, query).status_code == 404
        assert specialist.post(f"{OPEN}?{urlencode(query)}", {"channel": "kac", "service": "2011"}).status_code == 404
    url = open_url(specialist)
    assert colleague.get(url).status_code == 404
    assert colleague.post(url, {"channel": "kac", "service": "2011"}).status_code == 404
    assert not ClientView.objects.exists()
    assert "Anna Kalniņa" in specialist.get(url).content.decode()
    assert [record.actor_label for record in audit("workplace.client.search")] == ["Inese Bērziņa"]
