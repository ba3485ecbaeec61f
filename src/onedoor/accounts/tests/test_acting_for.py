"""ACC-1: after one sign-in the user chooses whom to act for — themself, a child, a company, a mandator."""

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onedoor.access.middleware import CHOICE_PENDING_KEY
from onedoor.access.testing import person_user
from onedoor.audit.models import AuditRecord, Outcome
from onedoor.core.models import OutboxEvent
from onedoor.identity.contexts import SESSION_KEY, ActingContext
from onedoor.identity.models import User

pytestmark = pytest.mark.django_db

JANIS = "14037812342"
ELZA = "05030920418"
ROBERTS = "12060423071"
PETERIS = "02115510879"
ANNA = "32871452034"
KOKMATERIALI = "40003512877"
BALTIJAS = "40003119424"
DARBNICA = "40102944786"
ROJAS_ZIVIS = "40103726150"

SignIn = Callable[..., ActingContext]


def _url(name: str, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name)


def _state(client: Client) -> dict[str, object]:
    """What a refused switch must leave as it was: the session's context, the events, the successful audit."""
    return {
        "context": client.session.get(SESSION_KEY),
        "events": sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)),
        "succeeded": list(AuditRecord.objects.filter(outcome=Outcome.SUCCESS).values_list("sequence", flat=True)),
    }


def _tokens(response: object) -> list[str]:
    groups = response.context["groups"]  # type: ignore[attr-defined]
    return [row.token for group in groups for row in group.rows]


def test_janis_acts_for_himself_his_minor_child_and_three_companies(client: Client, sign_in: SignIn) -> None:
    sign_in(client, JANIS)
    response = client.get(_url("accounts:acting-for"))
    assert response.status_code == 200
    groups = {group.kind: group for group in response.context["groups"]}
    assert list(groups) == ["self", "child", "organisation"]
    assert [row.label for row in groups["self"].rows] == ["Jānis Bērziņš"]
    assert [row.label for row in groups["child"].rows] == ["Elza Bērziņa"]
    assert sorted(row.label for row in groups["organisation"].rows) == [
        'AS "Baltijas Loģistika"',
        'IK "Bērziņa darbnīca"',
        'SIA "Kokmateriāli"',
    ]
    assert _tokens(response) == [
        f"self:{JANIS}:",
        f"child:{ELZA}:",
        f"organisation:{KOKMATERIALI}:",
        f"organisation:{BALTIJAS}:",
        f"organisation:{DARBNICA}:",
    ]
    page = response.content.decode()
    assert "Roberts" not in page  # of age: no longer in his parent's care
    for role in ("procurist", "owner", "board member"):
        assert role in page
    assert "You may represent it alone and give its mandates." in page
    current = [row for group in groups.values() for row in group.rows if row.is_current]
    assert [row.label for row in current] == ["Jānis Bērziņš"]


def test_peteris_represents_the_company_in_liquidation_as_its_liquidator(client: Client, sign_in: SignIn) -> None:
    sign_in(client, PETERIS)
    response = client.get(_url("accounts:acting-for"))
    companies = next(group for group in response.context["groups"] if group.kind == "organisation")
    assert [row.label for row in companies.rows] == ['SIA "Rojas zivis"']
    assert companies.rows[0].details == [
        f"Registration number {ROJAS_ZIVIS}; you are its liquidator or other representative",
        "You may represent it alone and give its mandates.",
        "The company is in liquidation.",
    ]


def test_choosing_a_company_switches_the_context_and_returns_to_the_page(client: Client, sign_in: SignIn) -> None:
    sign_in(client, JANIS)
    services = _url("catalog:search")
    response = client.post(_url("accounts:acting-for"), {"context": f"organisation:{KOKMATERIALI}:", "next": services})
    assert response.status_code == 302
    assert response["Location"] == services
    assert client.session[SESSION_KEY]["key"] == KOKMATERIALI
    page = client.get(services)
    assert page.context["acting_context"].label == 'SIA "Kokmateriāli"'
    assert 'data-testid="acting-for">SIA &quot;Kokmateriāli&quot;</strong>' in page.content.decode()
    record = AuditRecord.objects.filter(action="access.context.choose").get()
    assert record.acting_for == KOKMATERIALI
    assert record.object_label == 'SIA "Kokmateriāli"'
    assert record.details["previous"] == f"self:{JANIS}:"


def test_a_context_the_user_does_not_have_is_refused_and_nothing_changes(client: Client, sign_in: SignIn) -> None:
    sign_in(client, ANNA)
    before = _state(client)
    # Anna was a procurist of AS "Baltijas Loģistika" until 2025; the browser cannot bring that right back.
    response = client.post(_url("accounts:acting-for"), {"context": f"organisation:{BALTIJAS}:"})
    assert response.status_code == 400
    assert "You cannot act for this party now." in response.content.decode()
    assert client.session[SESSION_KEY]["key"] == ANNA
    assert not AuditRecord.objects.filter(action="access.context.choose").exists()
    empty = client.post(_url("accounts:acting-for"), {})
    assert empty.status_code == 400
    assert "Choose whom you act for." in empty.content.decode()
    assert _state(client) == before


def test_next_must_stay_on_the_site(client: Client, sign_in: SignIn) -> None:
    sign_in(client, JANIS)
    response = client.post(
        _url("accounts:acting-for"), {"context": f"child:{ELZA}:", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == _url("accounts:overview")
    again = client.get(_url("accounts:acting-for") + "?next=//evil.example/")
    assert again.context["next_url"] == ""


def test_after_sign_in_a_user_with_a_choice_is_asked_once(client: Client) -> None:
    user = person_user(JANIS)
    client.force_login(user)  # sends user_logged_in, as the OIDC callback does
    assert client.session[CHOICE_PENDING_KEY] is True
    services = _url("catalog:search", "lv")
    response = client.get(services)
    assert response.status_code == 302
    assert response["Location"] == f"{_url('accounts:acting-for', 'lv')}?next={quote(services, safe='')}"
    chooser = client.get(response["Location"])
    assert chooser.status_code == 200
    assert chooser.context["next_url"] == services
    chosen = client.post(_url("accounts:acting-for", "lv"), {"context": f"organisation:{BALTIJAS}:", "next": services})
    assert chosen["Location"] == services
    assert client.get(services).status_code == 200  # asked once only


def test_a_user_with_only_themself_is_not_asked(client: Client) -> None:
    client.force_login(person_user("25018614627"))  # Edgars Ozols: no children, companies or mandates
    assert client.get(_url("catalog:search")).status_code == 200


def test_staff_member_can_switch_to_their_institution(client: Client, demo_catalog: None) -> None:
    staff = User.objects.get(username="vsaa-editor")
    client.force_login(staff)
    response = client.get(_url("accounts:acting-for"))
    assert response.status_code == 302  # asked first: person and institution
    chooser = client.get(response["Location"])
    tokens = _tokens(chooser)
    assert tokens[-1] == "institution:VSAA:"
    chosen = client.post(_url("accounts:acting-for"), {"context": "institution:VSAA:"})
    assert chosen["Location"] == _url("catalog:home")
    assert client.get(_url("accounts:mandates")).status_code == 403  # the e-account asks to switch back


def test_switching_needs_the_csrf_token(sign_in: SignIn) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, JANIS)
    before = _state(client)
    response = client.post(_url("accounts:acting-for"), {"context": f"child:{ELZA}:"})
    assert response.status_code == 403
    assert client.session[SESSION_KEY]["key"] == JANIS
    assert _state(client) == before


@pytest.mark.parametrize(("lang", "heading"), [("lv", 'lang="lv"'), ("en", "Whom do you act for?")])
def test_the_chooser_renders_in_both_languages(client: Client, sign_in: SignIn, lang: str, heading: str) -> None:
    sign_in(client, JANIS)
    response = client.get(_url("accounts:acting-for", lang))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page
    assert heading in page
    assert "Elza Bērziņa" in page
