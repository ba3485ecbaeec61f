"""REG-5 in the e-account: the client rates a case once it has a result, once per client; who gave it and
under which mandate is recorded and shown (ACC-5); nothing is written on a refused or forged request."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.access.contexts import self_context
from onedoor.access.models import Mandate, MandateScope
from onedoor.access.services import mandate_grant, mandate_period
from onedoor.access.testing import person_user
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.models import Case, Feedback
from onedoor.core.channels import Channel
from onedoor.core.models import OutboxEvent
from onedoor.identity.selectors import actor_for_user

from .test_records import ANNA, MARTINS, SignIn, move, register

pytestmark = pytest.mark.django_db

GOOD = {"score_overall": "5", "score_speed": "4", "comment": "Ātri un skaidri."}


@pytest.fixture
def closed_case(demo_catalog: None) -> Case:
    return move(register("4006", person=ANNA, days_ago=3), "in_progress", "result_delivered", "closed")


def _mandate(scope: str, **extra: object) -> Mandate:
    """Anna's mandate to Mārtiņš."""
    user = person_user(ANNA)
    assert user.person is not None
    # From the start of today in Riga: "an hour ago" is yesterday in the first hour after midnight.
    valid_from, valid_until = mandate_period(
        first_day=timezone.localdate(), last_day=timezone.localdate() + timedelta(days=30)
    )
    return mandate_grant(
        actor=actor_for_user(user, context=self_context(user.person)),
        granted_by=user.person,
        may_grant=True,
        mandatary_code=MARTINS,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        **extra,  # type: ignore[arg-type]
    )


def _state() -> dict[str, object]:
    """What a refused request must leave as it was: feedback, events, successful audit records."""
    return {
        "feedback": list(Feedback.objects.order_by("pk").values()),
        "events": list(OutboxEvent.objects.order_by("created_at", "id").values_list("id", flat=True)),
        "succeeded": list(
            AuditRecord.objects.filter(outcome=Outcome.SUCCESS)
            .exclude(action__endswith=".view")
            .values_list("sequence", flat=True)
        ),
    }


def _url(case: Case, lang: str = "en") -> str:
    return f"/{lang}/account/cases/{case.url_number}/"


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_client_rates_a_case_with_a_result_once(
    client: Client, sign_in: SignIn, closed_case: Case, lang: str
) -> None:
    sign_in(client, ANNA)
    page = client.get(_url(closed_case, lang))
    content = page.content.decode()
    assert 'data-testid="feedback-form"' in content
    assert content.count('<fieldset class="govuk-fieldset"') == 5  # one per aspect
    assert 'id="score_overall-5"' in content

    response = client.post(_url(closed_case, lang), GOOD)
    assert response.status_code == 302
    assert response["Location"] == f"{_url(closed_case, lang)}#feedback"
    feedback = Feedback.objects.get(case=closed_case)
    assert feedback.scores == {"overall": 5, "speed": 4}
    assert feedback.comment == "Ātri un skaidri."
    assert (feedback.client_key, feedback.given_by_label, feedback.mandate_reference) == (ANNA, "Anna Kalniņa", "")
    assert feedback.channel == Channel.E_ACCOUNT
    assert OutboxEvent.objects.filter(type="feedback.received", subject=closed_case.url_number).count() == 1

    shown = client.get(_url(closed_case, lang)).content.decode()
    assert 'data-testid="feedback-form"' not in shown
    given = shown.split('data-testid="feedback-given"', 1)[1]
    assert "Anna Kalniņa" in given
    assert "Ātri un skaidri." in given

    before = _state()
    again = client.post(_url(closed_case, lang), {**GOOD, "score_overall": "1"})
    assert again.status_code == 409
    already = {
        "en": "This client has already given feedback on it.",
        "lv": "Šis klients par to jau ir sniedzis atsauksmi.",
    }
    assert already[lang] in again.content.decode()
    assert 'class="govuk-error-summary"' in again.content.decode()
    assert Feedback.objects.get(case=closed_case).scores == {"overall": 5, "speed": 4}
    assert _state() == before


def test_missing_and_bad_scores_are_field_errors_and_nothing_is_written(
    client: Client, sign_in: SignIn, closed_case: Case
) -> None:
    sign_in(client, ANNA)
    before = _state()
    response = client.post(_url(closed_case), {"score_speed": "9", "comment": "x" * 2001})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"score_overall", "score_speed", "comment"}
    content = response.content.decode()
    assert 'href="#score_overall-1"' in content  # the error summary leads to the first radio
    assert 'id="score_overall-error"' in content
    assert not Feedback.objects.exists()
    assert _state() == before


def test_no_feedback_before_there_is_a_result(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    case = move(register("4006", person=ANNA), "in_progress")
    sign_in(client, ANNA)
    assert 'data-testid="feedback-form"' not in client.get(_url(case)).content.decode()
    before = _state()
    status = Case.objects.values().get(pk=case.pk)
    response = client.post(_url(case), GOOD)
    assert response.status_code == 409
    assert "once the case has a result" in response.content.decode()
    assert not Feedback.objects.exists()
    assert _state() == before
    assert Case.objects.values().get(pk=case.pk) == status


def test_the_feedback_form_needs_the_csrf_token(sign_in: SignIn, closed_case: Case) -> None:
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, ANNA)
    before = _state()
    forged = browser.post(_url(closed_case), GOOD)
    assert forged.status_code == 403
    assert not Feedback.objects.exists()
    assert _state() == before
    token = browser.get(_url(closed_case)).context["csrf_token"]
    assert browser.post(_url(closed_case), {**GOOD, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert Feedback.objects.count() == 1


def test_another_persons_case_cannot_be_rated(client: Client, sign_in: SignIn, closed_case: Case) -> None:
    sign_in(client, MARTINS)
    before = _state()
    assert client.post(_url(closed_case), GOOD).status_code == 404
    assert not Feedback.objects.exists()
    assert _state() == before


def test_a_mandatary_rates_on_behalf_of_the_client_and_it_shows(
    client: Client, sign_in: SignIn, closed_case: Case
) -> None:
    mandate = _mandate(MandateScope.ALL_SERVICES)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    assert client.post(_url(closed_case), GOOD).status_code == 302
    feedback = Feedback.objects.get(case=closed_case)
    assert (feedback.client_key, feedback.given_by_label, feedback.mandate_reference) == (
        ANNA,
        "Mārtiņš Kalniņš",
        mandate.reference,
    )
    given = client.get(_url(closed_case)).content.decode().split('data-testid="feedback-given"', 1)[1]
    assert f"Mārtiņš Kalniņš on behalf of Anna Kalniņa under mandate {mandate.reference}" in given
    # Anna sees the same feedback as hers: once per client.
    sign_in(client, ANNA)
    shown = client.get(_url(closed_case)).content.decode()
    assert 'data-testid="feedback-form"' not in shown
    assert mandate.reference in shown.split('data-testid="feedback-given"', 1)[1]


def test_a_result_only_mandatary_sees_the_result_but_cannot_rate(
    client: Client, sign_in: SignIn, closed_case: Case
) -> None:
    open_case = register("4006", person=ANNA)
    mandate = _mandate(MandateScope.RESULTS_ONLY)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    page = client.get(_url(closed_case))
    assert page.status_code == 200
    assert 'data-testid="feedback-form"' not in page.content.decode()
    assert "result retrieval only" in page.content.decode()
    assert client.get(_url(open_case)).status_code == 404  # no result yet: not covered by the mandate
    before = _state()
    refused = client.post(_url(closed_case), GOOD)
    assert refused.status_code == 403
    assert not Feedback.objects.exists()
    assert _state() == before


@pytest.mark.parametrize("ended", ["revoked_at", "valid_until"])
def test_after_the_mandate_ends_the_mandatary_cannot_rate(
    client: Client, sign_in: SignIn, closed_case: Case, ended: str
) -> None:
    mandate = _mandate(MandateScope.ALL_SERVICES)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    Mandate.objects.filter(pk=mandate.pk).update(**{ended: timezone.now() - timedelta(seconds=1)})
    before = _state()
    refused = client.post(_url(closed_case), GOOD)
    assert refused.status_code in {403, 404}
    assert not Feedback.objects.exists()
    assert _state() == before
