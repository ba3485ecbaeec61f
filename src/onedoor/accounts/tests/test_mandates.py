"""ACC-5: a person or a company gives a mandate; the mandatary acts within it; either side ends it."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from onedoor.access.contexts import contexts_for
from onedoor.access.errors import MandateNotAllowed
from onedoor.access.models import Mandate, MandateScope
from onedoor.access.services import mandate_grant, mandate_period
from onedoor.access.testing import person_user
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.cases.models import Case
from onedoor.cases.services import (
    PartyRef,
    StatusEventInput,
    case_register,
    feedback_give_as_client,
    status_events_record,
)
from onedoor.conftest import staff_actor
from onedoor.core.actors import Actor, ActorKind
from onedoor.core.channels import Channel
from onedoor.core.models import OutboxEvent
from onedoor.identity.contexts import SESSION_KEY, ActingContext
from onedoor.identity.selectors import actor_for_user
from onedoor.parties.models import Person

pytestmark = pytest.mark.django_db

ANNA = "32871452034"
MARTINS = "08029012184"
EDGARS = "25018614627"
LIGA = "30088813564"
JANIS = "14037812342"
KOKMATERIALI = "40003512877"
BALTIJAS = "40003119424"
CHILDBIRTH, PARENTAL = "2011", "2013"

SignIn = Callable[..., ActingContext]
PORTAL = Actor(kind=ActorKind.SYSTEM, id="test-portal", label="Portal (test)", is_platform_admin=True)


def _url(name: str, *args: str, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def _actor(personal_code: str, acting_for: str = "", mandate: str = "") -> tuple[Actor, ActingContext]:
    user = person_user(personal_code)
    wanted = acting_for or personal_code
    context = next(c for c in contexts_for(user, at=timezone.now()) if c.key == wanted and c.mandate_id == mandate)
    return actor_for_user(user, context=context), context


def grant(
    mandator: str,
    mandatary: str,
    *,
    acting_for: str = "",
    scope: str = MandateScope.ALL_SERVICES,
    services: tuple[str, ...] = (),
    last_day: date | None = None,
) -> Mandate:
    actor, context = _actor(mandator, acting_for)
    today = timezone.localdate()
    valid_from, valid_until = mandate_period(first_day=today, last_day=last_day or today + timedelta(days=30))
    return mandate_grant(
        actor=actor,
        granted_by=Person.objects.get(personal_code=mandator),
        may_grant=context.may_grant_mandates,
        mandatary_code=mandatary,
        scope=scope,
        service_codes=services,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _apply(service_code: str, personal_code: str) -> Case:
    return case_register(
        actor=PORTAL,
        service_code=service_code,
        applicant=PartyRef(personal_code=personal_code),
        channel=Channel.E_ACCOUNT,
    ).case


def _form(**overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "mandatary": "080290-12184",
        "scope": "services",
        "service_codes": [CHILDBIRTH],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=364)).isoformat(),
        **overrides,
    }


def state() -> dict[str, object]:
    """What a refused request must leave as it was: every mandate, the events and the successful audit records."""
    return {
        "mandates": list(Mandate.objects.order_by("pk").values()),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        "succeeded": list(
            AuditRecord.objects.filter(outcome=Outcome.SUCCESS)
            .exclude(action__endswith=".view")
            .values_list("sequence", flat=True)
        ),
    }


def test_a_person_gives_a_mandate_for_one_service_in_two_steps(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, ANNA)
    form = client.get(_url("accounts:mandate-new"))
    assert form.status_code == 200
    today = timezone.localdate()
    assert form.context["form"].initial["valid_from"] == today
    review = client.post(_url("accounts:mandate-new"), _form())
    assert review.status_code == 200
    assert review.context["step"] == "review"
    assert "080290-12184" in review.content.decode()
    assert not Mandate.objects.exists()  # nothing is given before the confirmation
    done = client.post(_url("accounts:mandate-new"), {**_form(), "step": "confirm"})
    mandate = Mandate.objects.get()
    assert done.status_code == 302
    assert done["Location"] == _url("accounts:mandate", mandate.reference)
    assert mandate.mandator_person.personal_code == ANNA
    assert mandate.mandatary.personal_code == MARTINS
    assert mandate.service_codes == [CHILDBIRTH]
    # The last day is inclusive: the mandate holds until midnight at its end, Riga time.
    last = today + timedelta(days=364)
    assert timezone.localtime(mandate.valid_until).isoformat() == f"{last + timedelta(days=1)}T00:00:00+02:00"
    assert mandate.last_day == last
    assert AuditRecord.objects.filter(action="access.mandate.grant", object_id=mandate.reference).count() == 1
    assert OutboxEvent.objects.filter(type="mandate.granted", subject=mandate.reference).count() == 1
    page = client.get(done["Location"]).content.decode()
    for shown in ("Mārtiņš Kalniņš", "Childbirth benefit", "Active"):
        assert shown in page


def test_form_errors_are_shown_on_the_fields_and_nothing_is_given(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, ANNA)
    before = state()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        _url("accounts:mandate-new"),
        _form(mandatary="12345", service_codes=[], valid_from=yesterday, valid_until="2020-01-01"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["mandatary"] == ["Enter a personal code of 11 digits, e.g. 250186-14627."]
    assert errors["service_codes"] == ["Choose at least one service."]
    assert errors["valid_from"] == ["The mandate cannot begin before today."]
    assert errors["valid_until"] == ["The last day cannot be before the first day."]
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert 'href="#id_mandatary"' in page
    # A well-formed code the registers do not know: the service's refusal lands on the field.
    unknown = client.post(_url("accounts:mandate-new"), {**_form(mandatary="010190-11004"), "step": "confirm"})
    assert unknown.status_code == 400
    assert unknown.context["form"].errors["mandatary"] == [
        "No living person with this personal code is known to the registers."
    ]
    myself = client.post(_url("accounts:mandate-new"), {**_form(mandatary=ANNA), "step": "confirm"})
    assert myself.context["form"].errors["mandatary"] == ["A mandate is given to someone else."]
    assert not Mandate.objects.exists()
    assert state() == before


def test_the_mandatary_sees_only_the_mandated_services_cases(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    childbirth = _apply(CHILDBIRTH, ANNA)
    parental = _apply(PARENTAL, ANNA)
    mandate = grant(ANNA, MARTINS, scope=MandateScope.CHOSEN_SERVICES, services=(CHILDBIRTH,))
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    assert client.get(_url("accounts:case", childbirth.url_number)).status_code == 200
    assert client.get(_url("accounts:case", parental.url_number)).status_code == 404
    # ... and the catalog says the other service cannot be applied for in this context.
    page = client.get(_url("catalog:service", PARENTAL)).content.decode()
    assert "cannot be applied for" in page


def test_revoking_ends_the_mandataries_context_at_their_next_request(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    case = _apply(CHILDBIRTH, ANNA)
    mandate = grant(ANNA, MARTINS)
    mandatary = Client()
    sign_in(mandatary, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    assert mandatary.get(_url("accounts:case", case.url_number)).status_code == 200

    sign_in(client, ANNA)
    response = client.post(_url("accounts:mandate", mandate.reference), {"action": "revoke"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    assert mandate.revoked_by_label == "Anna Kalniņa"
    assert OutboxEvent.objects.filter(type="mandate.revoked", subject=mandate.reference).count() == 1

    before = state()
    dropped = mandatary.get(_url("accounts:overview"))
    assert dropped.context["acting_context"].key == MARTINS
    assert "You can no longer act for Anna Kalniņa" in dropped.content.decode()
    assert SESSION_KEY not in mandatary.session
    assert mandatary.get(_url("accounts:case", case.url_number)).status_code == 404
    # Revoked is final: a second revocation changes nothing.
    again = client.post(_url("accounts:mandate", mandate.reference), {"action": "revoke"}, follow=True)
    assert "This mandate has already ended." in again.content.decode()
    assert state() == before
    assert AuditRecord.objects.filter(action="access.mandate.revoke").count() == 1


def test_the_mandatary_declines(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS)
    page = client.get(_url("accounts:mandate", mandate.reference))
    assert page.context["may_decline"] is True
    assert page.context["may_revoke"] is False
    response = client.post(_url("accounts:mandate", mandate.reference), {"action": "decline"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.declined_at is not None
    assert mandate.status_at(timezone.now()) == "declined"
    assert not [c for c in contexts_for(person_user(MARTINS), at=timezone.now()) if c.mandate_id]
    # Only the mandatary declines; and what was declined cannot be revoked.
    sign_in(client, ANNA)
    before = state()
    assert client.post(_url("accounts:mandate", mandate.reference), {"action": "decline"}).status_code == 403
    assert state() == before
    revoked = client.post(_url("accounts:mandate", mandate.reference), {"action": "revoke"}, follow=True)
    assert "This mandate has already ended." in revoked.content.decode()
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
    assert AuditRecord.objects.filter(action="access.mandate.decline").count() == 1


def test_a_mandate_that_expired_a_second_ago_is_refused(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    token = f"mandator:{ANNA}:{mandate.reference}"
    Mandate.objects.filter(pk=mandate.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    response = client.get(_url("accounts:acting-for"))
    assert response.context["acting_context"].key == MARTINS
    assert "You can no longer act for Anna Kalniņa" in response.content.decode()
    assert token not in [row.token for group in response.context["groups"] for row in group.rows]
    before = state()
    chosen = client.post(_url("accounts:acting-for"), {"context": token})
    assert chosen.status_code == 400
    assert client.session.get(SESSION_KEY) is None
    assert state() == before
    detail = client.get(_url("accounts:mandate", mandate.reference))
    assert detail.context["row"].status == "expired"
    assert detail.context["may_decline"] is False


def test_no_sub_delegation(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    before = state()
    page = client.get(_url("accounts:mandate-new"))
    assert page.status_code == 403
    assert "A mandate cannot be passed on" in page.content.decode()
    posted = client.post(_url("accounts:mandate-new"), {**_form(mandatary=EDGARS), "step": "confirm"})
    assert posted.status_code == 403
    assert state() == before
    actor, _context = _actor(MARTINS, ANNA, mandate.reference)
    with pytest.raises(MandateNotAllowed):
        mandate_grant(
            actor=actor,
            granted_by=Person.objects.get(personal_code=MARTINS),
            may_grant=True,
            mandatary_code=EDGARS,
            scope=MandateScope.ALL_SERVICES,
            valid_from=timezone.now(),
            valid_until=timezone.now() + timedelta(days=1),
        )
    assert Mandate.objects.count() == 1
    assert AuditRecord.objects.filter(action="access.mandate.grant_denied", outcome="denied").count() == 1
    assert state() == before


def test_a_joint_representative_cannot_give_the_companys_mandates(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    context = sign_in(client, LIGA, acting_for=KOKMATERIALI)
    assert context.may_grant_mandates is False
    listing = client.get(_url("accounts:mandates"))
    assert "only jointly with other representatives" in listing.content.decode()
    before = state()
    assert client.get(_url("accounts:mandate-new")).status_code == 403
    assert client.post(_url("accounts:mandate-new"), {**_form(), "step": "confirm"}).status_code == 403
    with pytest.raises(MandateNotAllowed):
        grant(LIGA, EDGARS, acting_for=KOKMATERIALI)
    assert not Mandate.objects.exists()
    assert state() == before


def test_a_sole_representative_gives_the_companys_mandate_and_both_sides_see_who_gave_it(
    client: Client, sign_in: SignIn, demo_catalog: None
) -> None:
    sign_in(client, JANIS, acting_for=BALTIJAS)
    response = client.post(
        _url("accounts:mandate-new"),
        {**_form(mandatary=ANNA, scope="results", service_codes=[]), "step": "confirm"},
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.mandator_organisation.registration_number == BALTIJAS
    assert mandate.granted_by.personal_code == JANIS
    given = client.get(_url("accounts:mandates"))
    assert [row.mandate for row in given.context["given"]] == [mandate]
    assert "given by Jānis Bērziņš" in given.content.decode()
    sign_in(client, ANNA)
    received = client.get(_url("accounts:mandates"))
    assert [row.mandate for row in received.context["received"]] == [mandate]
    assert received.context["given"] == []
    page = received.content.decode()
    assert 'AS "Baltijas Loģistika"' in page or "AS &quot;Baltijas Loģistika&quot;" in page
    assert "given by Jānis Bērziņš" in page
    assert "Result retrieval only" in page


def test_another_partys_mandate_is_not_found(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, EDGARS)
    before = state()
    assert client.get(_url("accounts:mandate", mandate.reference)).status_code == 404
    assert client.post(_url("accounts:mandate", mandate.reference), {"action": "revoke"}).status_code == 404
    assert client.get(_url("accounts:mandate", "M-NOSUCH00")).status_code == 404
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
    assert state() == before


def test_every_mandate_form_needs_the_csrf_token(sign_in: SignIn, demo_catalog: None) -> None:
    mandate = grant(ANNA, MARTINS)
    mandator = Client(enforce_csrf_checks=True)
    sign_in(mandator, ANNA)
    mandatary = Client(enforce_csrf_checks=True)
    sign_in(mandatary, MARTINS)
    before = state()
    assert (
        mandator.post(_url("accounts:mandate-new"), {**_form(mandatary=EDGARS), "step": "confirm"}).status_code == 403
    )
    assert mandator.post(_url("accounts:mandate", mandate.reference), {"action": "revoke"}).status_code == 403
    assert mandatary.post(_url("accounts:mandate", mandate.reference), {"action": "decline"}).status_code == 403
    mandate.refresh_from_db()
    assert (mandate.revoked_at, mandate.declined_at) == (None, None)
    assert Mandate.objects.count() == 1
    assert state() == before


def test_the_mandator_sees_what_the_mandatary_did(client: Client, sign_in: SignIn, demo_catalog: None) -> None:
    case = _apply(CHILDBIRTH, ANNA)
    vsaa = staff_actor("VSAA", "statuses:write", system=True)
    (result,) = status_events_record(
        actor=vsaa, items=[StatusEventInput(case.number, "paid-1", "benefit-paid", timezone.now(), "")]
    )
    assert result.error is None
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS, acting_for=ANNA, mandate=mandate.reference)
    assert client.get(_url("accounts:case", case.url_number)).status_code == 200
    actor, _context = _actor(MARTINS, ANNA, mandate.reference)
    feedback_give_as_client(actor=actor, case_number=case.number, scores={"overall": 5}, comment="")

    sign_in(client, ANNA)
    response = client.get(_url("accounts:mandate", mandate.reference))
    rows = response.context["activity_rows"]
    by_action = {row.record.action: row for row in rows}
    assert set(by_action) >= {"accounts.case.view", "cases.feedback.give"}
    who = f"Mārtiņš Kalniņš on behalf of Anna Kalniņa under mandate {mandate.reference}"
    assert by_action["accounts.case.view"].who == who
    assert by_action["accounts.case.view"].what == "Viewed a case"
    page = response.content.decode()
    for shown in (who, "Gave feedback", case.number):
        assert shown in page


@pytest.mark.parametrize(("lang", "text"), [("lv", 'lang="lv"'), ("en", "Mandates you received")])
def test_mandate_pages_render_in_both_languages(
    client: Client, sign_in: SignIn, demo_catalog: None, lang: str, text: str
) -> None:
    mandate = grant(ANNA, MARTINS)
    sign_in(client, MARTINS)
    for url in (_url("accounts:mandates", lang=lang), _url("accounts:mandate", mandate.reference, lang=lang)):
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{lang}"' in response.content.decode()
    assert text in client.get(_url("accounts:mandates", lang=lang)).content.decode()
    sign_in(client, ANNA)
    form = client.get(_url("accounts:mandate-new", lang=lang))
    assert form.status_code == 200
    assert "Childbirth benefit" in form.content.decode() or "Bērna piedzimšanas pabalsts" in form.content.decode()


def test_the_mandates_page_reads_a_constant_number_of_rows(
    client: Client, sign_in: SignIn, demo_catalog: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    for mandatary in (MARTINS, EDGARS):
        grant(ANNA, mandatary, scope=MandateScope.CHOSEN_SERVICES, services=(CHILDBIRTH, PARENTAL))
    sign_in(client, ANNA)
    with django_assert_max_num_queries(20) as few:  # type: ignore[attr-defined]
        client.get(_url("accounts:mandates"))
    for mandatary in ("32910627483", JANIS, LIGA, "09090124155"):
        grant(ANNA, mandatary, scope=MandateScope.CHOSEN_SERVICES, services=(CHILDBIRTH, PARENTAL))
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        response = client.get(_url("accounts:mandates"))
    assert len(response.context["given"]) == 6
