"""Registering a consultation at the desk (REG-4, COST-3): anonymous, by phone number, identified (and
then in the client's e-account history), with a follow-up task; refusals write nothing."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.audit.models import AuditRecord
from onedoor.cases.models import ClientKind, Consultation
from onedoor.workplace.forms_consultations import timer_token
from onedoor.workplace.models import ClientView, Task, TimeRecord

from .conftest import ANNA, client_view_for

KOKMATERIALI = "40003512877"

pytestmark = pytest.mark.django_db

FORM = "/en/workplace/consultations/new/"


def started(minutes: float) -> str:
    return timer_token(timezone.now() - timedelta(minutes=minutes))


def post(client: Client, **fields: Any) -> Any:
    data = {"channel": "kac", "topic": "Childbirth benefit documents", "client_kind": "anonymous", "timer": started(5)}
    data.update(fields)
    return client.post(FORM, data)


def counts() -> tuple[int, int, int, int]:
    return Consultation.objects.count(), TimeRecord.objects.count(), Task.objects.count(), AuditRecord.objects.count()


def test_the_form_starts_the_timer_and_defaults_the_channel(
    specialist: Client, vsaa_handler: Client, demo_catalog: None
) -> None:
    response = specialist.get(FORM)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'value="kac"[^>]* checked autofocus', html)
    assert 'role="timer"' in html
    assert 'name="timer" value="' in html
    assert 'hx-get="/en/workplace/services/search/"' in html
    assert re.search(r'value="phone"[^>]* checked autofocus', vsaa_handler.get(FORM).content.decode())
    prefilled = specialist.get(f"{FORM}?client_view={client_view_for().pk}").content.decode()
    assert re.search(r'value="person"[^>]* checked', prefilled)
    assert f'value="{ANNA}"' in prefilled


def test_a_consultation_is_filled_in_only_from_the_specialists_own_open_view(
    specialist: Client, demo_catalog: None
) -> None:
    company_view = client_view_for(kind="organisation", key=KOKMATERIALI, service="1003")
    company = specialist.get(f"{FORM}?client_view={company_view.pk}").content.decode()
    assert re.search(r'value="organisation"[^>]* checked', company)
    assert f'value="{KOKMATERIALI}"' in company
    ClientView.objects.filter(pk=company_view.pk).update(closed_at=timezone.now())
    for not_open_to_her in (company_view, client_view_for("kac-colleague")):
        page = specialist.get(f"{FORM}?client_view={not_open_to_her.pk}").content.decode()
        assert re.search(r'value="anonymous"[^>]* checked', page)
        assert ANNA not in page
        assert KOKMATERIALI not in page


def test_an_anonymous_consultation_with_its_time(specialist: Client, demo_catalog: None) -> None:
    audits = AuditRecord.objects.count()
    response = post(specialist, service="2011", outcome="Explained the documents")
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{FORM}?registered={consultation.pk}"
    assert consultation.client_kind == ClientKind.ANONYMOUS
    assert consultation.service.code == "2011"  # type: ignore[union-attr]
    assert (consultation.channel, consultation.specialist, consultation.place.code) == (  # type: ignore[union-attr]
        "kac",
        "Inese Bērziņa",
        "vpvkac-nacionalais-centrs",
    )
    assert consultation.outcome == "Explained the documents"
    assert 300 <= (consultation.duration_seconds or 0) <= 310
    record = TimeRecord.objects.get()
    assert (record.activity, record.stage, record.channel, record.consultation, record.service) == (
        "consultation",
        "consultation",
        "kac",
        consultation,
        consultation.service,
    )
    assert record.seconds == consultation.duration_seconds
    assert record.started_at == consultation.occurred_at
    assert AuditRecord.objects.filter(action="cases.consultation.register").count() == 1
    assert AuditRecord.objects.count() == audits + 1
    confirmation = specialist.get(response["Location"]).content.decode()
    assert "The consultation “Childbirth benefit documents” is registered (5:0" in confirmation
    assert "Register another consultation" in confirmation
    assert 'name="timer" value="' in confirmation


def test_a_phone_number_only_consultation_with_corrected_minutes(specialist: Client, demo_catalog: None) -> None:
    response = post(specialist, channel="phone", client_kind="phone", phone="29 123 456", minutes="12")
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.client_kind, consultation.phone, consultation.duration_seconds) == (
        ClientKind.PHONE,
        "+37129123456",
        720,
    )
    assert TimeRecord.objects.get().seconds == 720


def test_an_identified_client_sees_it_in_their_history(
    specialist: Client, demo_catalog: None, sign_in: Any, client: Client
) -> None:
    response = post(specialist, client_kind="person", personal_code="328714-52034", topic="Benefit for Emīls")
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.person.personal_code == ANNA  # type: ignore[union-attr]
    anna = Client()
    sign_in(anna, ANNA)
    history = anna.get("/en/account/history/")
    assert history.status_code == 200
    assert "Benefit for Emīls" in history.content.decode()


def test_a_follow_up_task_goes_to_the_team_queue(specialist: Client, colleague: Client, demo_catalog: None) -> None:
    response = post(
        specialist, service="2011", follow_up="on", follow_up_title="Send the form", follow_up_target="team"
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    task = Task.objects.get()
    assert (task.consultation, task.team.code, task.assignee, task.service) == (  # type: ignore[union-attr]
        consultation,
        "kac-riga-front",
        None,
        consultation.service,
    )
    assert (task.title, task.channel) == ("Send the form", "kac")
    assert [t.title for t in colleague.get("/en/workplace/").context["queue"].team.tasks] == ["Send the form"]
    confirmation = specialist.get(response["Location"]).content.decode()
    assert f'href="/en/workplace/tasks/{task.pk}/"' in confirmation


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"service": "99999"}, "There is no published service with the code 99999."),
        ({"client_kind": "person", "personal_code": "12345678901"}, "This is not a valid Latvian personal code."),
        ({"client_kind": "person", "personal_code": ""}, "Enter the personal code."),
        ({"client_kind": "phone", "phone": "12"}, "Enter a valid phone number."),
        ({"topic": ""}, "Enter the topic of the consultation."),
        ({"timer": "forged"}, "The timer of this form is not valid; it has been started again."),
        ({"timer": started(5)[:-3] + "abc"}, "The timer of this form is not valid; it has been started again."),
        ({"timer": ""}, "The timer of this form is not valid; it has been started again."),
        ({"follow_up": "on", "follow_up_title": ""}, "Enter what needs to be done."),
        ({"follow_up": "on", "follow_up_title": "x", "follow_up_target": "colleague"}, "Choose a colleague."),
        ({"minutes": "-3"}, "Enter the duration as a whole number of minutes."),
    ],
)
def test_bad_input_shows_errors_and_writes_nothing(
    specialist: Client, demo_catalog: None, fields: dict[str, str], message: str
) -> None:
    before = counts()
    response = post(specialist, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert message in html
    assert counts() == before


def test_a_forged_timer_is_replaced_and_a_valid_one_kept(specialist: Client, demo_catalog: None) -> None:
    token = started(3)
    kept = post(specialist, timer=token, topic="")
    assert f'name="timer" value="{token}"' in kept.content.decode()
    forged = post(specialist, timer=token + "x")
    assert f'name="timer" value="{token}' not in forged.content.decode()
    assert 'name="timer" value="' in forged.content.decode()


def test_the_service_search_lists_published_services(specialist: Client, demo_catalog: None) -> None:
    response = specialist.get("/en/workplace/services/search/", {"q": "childbirth benefit"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-service-code="2011"' in html
    assert "1 service found" in html or "services found" in html
    assert "<html" not in html
    by_field = specialist.get("/en/workplace/services/search/", {"service": "2011"}).content.decode()
    assert 'data-service-code="2011"' in by_field
    assert "data-service-code" not in specialist.get("/en/workplace/services/search/", {"q": "z"}).content.decode()
