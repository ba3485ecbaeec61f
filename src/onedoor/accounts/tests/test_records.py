"""The e-account's records as a client sees them: overview, service history and its CSV, the case page
(ACC-1, ACC-4, REG-3), each party seeing only its own cases (SEC-2)."""

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.models import Case, Consultation
from onedoor.cases.services import (
    PartyRef,
    StatusEventInput,
    case_register,
    consultation_register,
    status_events_record,
)
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.models import OutboxEvent
from onedoor.identity.models import User
from onedoor.notifications.models import Message, NoticeKind
from onedoor.parties.models import Institution, Person

pytestmark = pytest.mark.django_db

ANNA, MARTINS, JANIS, ELZA, PETERIS = "32871452034", "08029012184", "14037812342", "05030920418", "02115510879"
KOKMATERIALI, BALTIJAS_LOGISTIKA = "40003512877", "40003119424"
REGISTRAR = Actor(kind=ActorKind.SYSTEM, id="test-registrar", label="Test registrar", is_platform_admin=True)

SignIn = Callable[..., object]


def register(
    service_code: str,
    *,
    person: str = "",
    company: str = "",
    for_person: str = "",
    channel: str = Channel.E_ACCOUNT,
    days_ago: float = 0,
) -> Case:
    """A case applied for by the person or company (for another person with `for_person`)."""
    applicant = PartyRef(personal_code=person) if person else PartyRef(registration_number=company)
    return case_register(
        actor=REGISTRAR,
        service_code=service_code,
        applicant=applicant,
        acting_for=PartyRef(personal_code=for_person) if for_person else None,
        channel=channel,
        submitted_at=timezone.now() - timedelta(days=days_ago),
    ).case


def move(case: Case, *statuses: str) -> Case:
    """Record the statuses one hour after another, after the submission."""
    results = status_events_record(
        actor=REGISTRAR,
        items=[
            StatusEventInput(
                case.number, f"test-{case.url_number}-{index}", status, case.submitted_at + timedelta(hours=index + 1)
            )
            for index, status in enumerate(statuses)
        ],
    )
    assert [result.outcome for result in results] == ["created"] * len(statuses)
    case.refresh_from_db()
    return case


def consultation(person: str, topic: str, *, days_ago: float = 0, service_code: str = "") -> Consultation:
    item, _ = consultation_register(
        actor=REGISTRAR,
        channel=Channel.PHONE,
        client=PartyRef(personal_code=person),
        topic=topic,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        service_code=service_code,
        institution=Institution.objects.get(code="VSAA"),
    )
    return item


def rows(response: object) -> list[str]:
    """The case numbers (or "Consultation") of the history table, in order."""
    content = response.content.decode()  # type: ignore[attr-defined]
    table = content.split('data-testid="history-table"', 1)[1].split("</table>", 1)[0]
    cells = [part.split("</th>", 1)[0] for part in table.split('<th scope="row" class="govuk-table__header">')[1:]]
    return [cell.split(">", 1)[1].split("<", 1)[0] if cell.startswith("<a") else cell.strip() for cell in cells]


@pytest.fixture
def anna_cases(demo_catalog: None) -> dict[str, Case]:
    """Anna's cases: a closed statement, a declaration awaiting her, a childbirth benefit in progress; Mārtiņš's own."""
    closed = move(register("4006", person=ANNA, days_ago=30), "in_progress", "result_delivered", "closed")
    waiting = move(register("3006", person=ANNA, days_ago=10, channel=Channel.WEB_PORTAL), "corrections-requested")
    benefit = move(register("2011", person=ANNA, days_ago=1), "in_progress")
    other = register("4006", person=MARTINS, days_ago=2)
    return {"closed": closed, "waiting": waiting, "benefit": benefit, "other": other}


def _state() -> dict[str, object]:
    """What a refused request must leave as it was: the cases, the letters, the events, the successful audit."""
    return {
        "cases": list(Case.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        # Reading is audited too, even when the page only shows an error; a change is not allowed.
        "succeeded": list(
            AuditRecord.objects.filter(outcome=Outcome.SUCCESS)
            .exclude(action__endswith=".view")
            .exclude(action__endswith=".list")
            .values_list("sequence", flat=True)
        ),
    }


# --- who may open the pages ---------------------------------------------------------------------------


def test_pages_need_sign_in(client: Client, demo_catalog: None) -> None:
    for path in (
        "/lv/account/",
        "/lv/account/history/",
        "/lv/account/history/export.csv",
        "/lv/account/cases/4006-0001/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/oidc/authenticate/" in response["Location"]


def test_an_institution_context_is_asked_to_switch(client: Client, demo_catalog: None) -> None:
    client.force_login(User.objects.get(username="admin"))
    before = _state()
    response = client.get("/en/account/history/")
    assert response.status_code == 403
    assert _state() == before
    assert "accounts/not_a_client.html" in [template.name for template in response.templates]
    assert "Choose whom you act for" in response.content.decode()


# --- overview -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_overview_shows_open_cases_what_waits_and_unread_messages(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], lang: str
) -> None:
    Message.objects.create(
        recipient=Person.objects.get(personal_code=ANNA),
        kind=NoticeKind.CASE_STATUS,
        subject_lv="Statuss",
        subject_en="Status",
        body_lv="…",
        body_en="…",
        case_number=anna_cases["waiting"].number,
    )
    sign_in(client, ANNA)
    response = client.get(f"/{lang}/account/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'lang="{lang}"' in content
    assert response.context["active_nav"] == "account"
    assert "Anna Kalniņa" in content.split('data-testid="overview-heading">', 1)[1].split("</h1>", 1)[0]
    assert response.context["overview"].open_count == 2  # the closed one is not open
    assert [case.number for case in response.context["overview"].latest_open] == [
        anna_cases["benefit"].number,
        anna_cases["waiting"].number,
    ]
    assert [case.number for case in response.context["overview"].needs_action] == [anna_cases["waiting"].number]
    needs_action = content.split('data-testid="needs-action"', 1)[1].split("</ul>", 1)[0]
    assert f"/{lang}/account/cases/{anna_cases['waiting'].url_number}/" in needs_action
    assert response.context["unread_count"] == 1
    assert anna_cases["other"].number not in content
    for section in ("history/", "inbox/", "documents/", "profile/"):
        assert f'href="/{lang}/account/{section}"' in content


def test_overview_of_a_company_has_no_inbox_count(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    register("3031", company=KOKMATERIALI)
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    response = client.get("/en/account/")
    assert response.status_code == 200
    assert response.context["unread_count"] is None
    assert 'data-testid="unread-count"' not in response.content.decode()
    assert response.context["overview"].open_count == 1


# --- history ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_history_lists_cases_and_consultations_newest_first(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], lang: str
) -> None:
    consultation(ANNA, "Which documents for the childbirth benefit?", days_ago=5, service_code="2011")
    sign_in(client, ANNA)
    response = client.get(f"/{lang}/account/history/")
    assert response.status_code == 200
    assert [(entry.kind, entry.case.number if entry.case else None) for entry in response.context["entries"]] == [
        ("case", anna_cases["benefit"].number),
        ("consultation", None),
        ("case", anna_cases["waiting"].number),
        ("case", anna_cases["closed"].number),
    ]
    assert rows(response)[0] == anna_cases["benefit"].number
    assert response.context["page"].paginator.count == 4
    assert anna_cases["other"].number not in response.content.decode()


def test_history_filters_by_period_service_institution_status_and_channel(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case]
) -> None:
    consultation(ANNA, "Pension age", days_ago=3)
    sign_in(client, ANNA)
    today = timezone.localdate()

    def numbers(query: str) -> list[str]:
        response = client.get(f"/en/account/history/?{query}")
        assert response.status_code == 200, response.context["form"].errors
        return [entry.case.number if entry.case else entry.consultation.topic for entry in response.context["entries"]]

    closed, waiting, benefit = anna_cases["closed"], anna_cases["waiting"], anna_cases["benefit"]
    assert numbers(f"date_from={today - timedelta(days=11)}&date_to={today - timedelta(days=2)}") == [
        "Pension age",
        waiting.number,
    ]
    # The day it was submitted in Riga: thirty days of 24 hours may cross a change of summer time.
    assert numbers(f"date_to={timezone.localdate(closed.submitted_at)}") == [closed.number]
    assert numbers("service=4006") == [closed.number]
    assert numbers("service=fizisko+personu+registra") == [closed.number]  # "Fizisko personu reģistra", folded
    assert numbers("service=childbirth") == [benefit.number]
    assert numbers("institution=VID") == [waiting.number]
    assert numbers("status=awaiting_client") == [waiting.number]
    assert numbers("status=closed") == [closed.number]
    assert numbers("channel=web_portal") == [waiting.number]
    assert numbers("channel=phone") == ["Pension age"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=2026-13-45", "date_from", "Enter the date as year-month-day"),
        ("date_from=2026-05-01&date_to=2026-04-01", "date_to", "The end date must be the same as or after"),
        ("channel=pigeon", "channel", "Select a valid choice"),
        ("status=lost", "status", "Select a valid choice"),
        ("institution=NOPE", "institution", "Select a valid choice"),
        ("page_size=7", "page_size", "Select a valid choice"),
    ],
)
def test_history_rejects_bad_filters_with_field_errors(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], query: str, field: str, message: str
) -> None:
    sign_in(client, ANNA)
    before = _state()
    response = client.get(f"/en/account/history/?{query}")
    assert response.status_code == 400
    assert _state() == before
    assert message in str(response.context["form"].errors[field])
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content
    assert f'href="#filter-{field}"' in content
    assert 'data-testid="history-table"' not in content


def test_history_is_paginated(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    for day in range(12):
        register("4006", person=ANNA, days_ago=day)
    sign_in(client, ANNA)
    first = client.get("/en/account/history/?page_size=10")
    second = client.get("/en/account/history/?page_size=10&page=2")
    assert len(first.context["entries"]) == 10
    assert len(second.context["entries"]) == 2
    assert first.context["entries"][0].case.submitted_at > second.context["entries"][0].case.submitted_at
    assert 'href="?page_size=10&amp;page=2"' in first.content.decode()
    assert {entry.case.number for entry in first.context["entries"]}.isdisjoint(
        entry.case.number for entry in second.context["entries"]
    )


def test_history_reads_in_the_same_number_of_queries_for_5_and_50_cases(
    client: Client, sign_in: SignIn, demo_catalog: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    sign_in(client, ANNA)
    counts = []
    for total in (5, 50):
        for day in range(Case.objects.filter(for_person__personal_code=ANNA).count(), total):
            # Older and older, a case and a consultation a day: every page has both.
            move(register("4006", person=ANNA, days_ago=day + 0.1), "in_progress")
            consultation(ANNA, "A question", days_ago=day + 0.2)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/account/history/?page_size=50")
        assert response.status_code == 200
        assert len(response.context["entries"]) == min(2 * total, 50)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get("/en/account/history/?page_size=50&page=2")


@pytest.mark.parametrize(("lang", "delimiter", "status_header"), [("en", ",", "Status"), ("lv", ";", "Statuss")])
def test_history_csv_has_the_filtered_rows(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], lang: str, delimiter: str, status_header: str
) -> None:
    consultation(ANNA, '=HYPERLINK("http://evil")', days_ago=4)
    sign_in(client, ANNA)
    response = client.get(f"/{lang}/account/history/export.csv?date_from={timezone.localdate() - timedelta(days=11)}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="onedoor-history-')
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))
    assert lines[0][7] == status_header
    assert [line[2] for line in lines[1:]] == [anna_cases["benefit"].number, "", anna_cases["waiting"].number]
    benefit = lines[1]
    assert benefit[3] == "2011"
    assert benefit[4] == ("Bērna piedzimšanas pabalsts" if lang == "lv" else "Childbirth benefit")
    assert lines[2][8] == '\'=HYPERLINK("http://evil")'  # never a formula in a spreadsheet
    assert AuditRecord.objects.filter(action="accounts.history.export", acting_for=ANNA).count() == 1


def test_history_csv_with_bad_filters_goes_back_to_the_page(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, ANNA)
    before = _state()
    response = client.get("/en/account/history/export.csv?date_from=yesterday")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/history/?date_from=yesterday"
    assert _state() == before  # no export is recorded


# --- whose cases --------------------------------------------------------------------------------------


def test_a_company_context_sees_that_companys_cases_only(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    timber = register("3031", company=KOKMATERIALI, days_ago=2)
    logistics = register("1003", company=BALTIJAS_LOGISTIKA, days_ago=1)
    personal = register("4006", person=JANIS)
    sign_in(client, JANIS, acting_for=KOKMATERIALI)
    response = client.get("/en/account/history/")
    assert rows(response) == [timber.number]
    before = _state()
    assert client.get(f"/en/account/cases/{logistics.url_number}/").status_code == 404
    assert client.get(f"/en/account/cases/{personal.url_number}/").status_code == 404
    assert _state() == before
    assert client.get(f"/en/account/cases/{timber.url_number}/").status_code == 200
    sign_in(client, JANIS, acting_for=BALTIJAS_LOGISTIKA)
    assert rows(client.get("/en/account/history/")) == [logistics.number]


def test_a_parent_acting_for_a_child_sees_the_childs_case(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    passport = register("4001", person=JANIS, for_person=ELZA, channel=Channel.KAC)
    sign_in(client, JANIS, acting_for=ELZA)
    response = client.get(f"/en/account/cases/{passport.url_number}/")
    assert response.status_code == 200
    facts = response.content.decode().split('data-testid="case-facts"', 1)[1].split("</dl>", 1)[0]
    assert "Jānis Bērziņš" in facts  # the applicant
    assert "Elza" in facts  # for whom


# --- the case page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_case_page_shows_facts_status_history_and_correspondence(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], lang: str
) -> None:
    case = anna_cases["waiting"]
    anna = Person.objects.get(personal_code=ANNA)
    Message.objects.create(
        recipient=anna,
        kind=NoticeKind.CASE_STATUS,
        sender=case.holder,
        subject_lv="Nepieciešami labojumi",
        subject_en="Corrections needed",
        body_lv="…",
        body_en="…",
        case_number=case.number,
    )
    Message.objects.create(
        recipient=Person.objects.get(personal_code=MARTINS),
        kind=NoticeKind.CASE_STATUS,
        subject_lv="Cita persona",
        subject_en="Someone else's",
        body_lv="…",
        body_en="…",
        case_number=case.number,
    )
    sign_in(client, ANNA)
    response = client.get(f"/{lang}/account/cases/{case.url_number}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"/{lang}/services/3006/" in content  # the service's catalog page
    history = content.split('data-testid="status-history"', 1)[1].split("</table>", 1)[0]
    assert history.count('<th scope="row"') == 2  # registered, corrections requested
    correspondence = content.split('data-testid="correspondence"', 1)[1].split("</ul>", 1)[0]
    assert ("Corrections needed" if lang == "en" else "Nepieciešami labojumi") in correspondence
    assert "Someone else" not in content
    assert "Cita persona" not in content
    assert 'data-testid="feedback-form"' not in content  # no result yet
    record = AuditRecord.objects.filter(action="accounts.case.view").latest("sequence")
    assert (record.object_id, record.acting_for, record.holder_id) == (case.number, ANNA, str(anna.pk))


@pytest.mark.parametrize("which", ["someone else's", "missing", "malformed"])
def test_another_persons_or_a_missing_case_is_not_found(
    client: Client, sign_in: SignIn, anna_cases: dict[str, Case], which: str
) -> None:
    number = {"someone else's": anna_cases["other"].url_number, "missing": "9999-0001", "malformed": "x-1"}[which]
    sign_in(client, ANNA)
    audited = AuditRecord.objects.filter(action="accounts.case.view").count()
    before = _state()
    response = client.get(f"/en/account/cases/{number}/")
    assert response.status_code == 404
    assert AuditRecord.objects.filter(action="accounts.case.view").count() == audited
    assert _state() == before
