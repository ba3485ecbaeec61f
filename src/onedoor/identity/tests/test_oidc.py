"""The platform as an OpenID Connect relying party: the account a signed-in person gets, and the checks
around the library (SEC-1, ACC-1). The whole flow through devidp is tested in onedoor/devidp/tests."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.test import Client, RequestFactory
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from onedoor.audit.models import AuditRecord, Outcome
from onedoor.identity.models import User
from onedoor.identity.oidc import OIDCBackend, absolute_endpoint, op_logout_url, page_language
from onedoor.identity.services import SignInRefused, user_for_signin
from onedoor.parties.demo_data import load_institutions, load_people
from onedoor.parties.models import Institution, Person

ANNA = "32871452034"
UNKNOWN = "16117519997"  # valid, in no register


def _state() -> dict[str, object]:
    """What a refused sign-in must leave as it was: accounts, people and the successful audit records."""
    return {
        "users": list(User.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "succeeded": list(AuditRecord.objects.filter(outcome=Outcome.SUCCESS).values_list("sequence", flat=True)),
    }


@pytest.mark.django_db
def test_a_first_sign_in_makes_the_persons_account_and_audits_it() -> None:
    user = user_for_signin(personal_code="328714-52034", given_name="A", family_name="K", source_ip="192.0.2.7")
    assert (user.username, user.get_full_name(), user.is_staff, user.has_usable_password()) == (
        f"p-{ANNA}",
        "Anna Kalniņa",  # the register's names, not the claims'
        False,
        False,
    )
    person = Person.objects.get(personal_code=ANNA)
    assert user.person == person
    assert (person.given_name, person.family_name, str(person.birth_date)) == ("Anna", "Kalniņa", "1992-07-21")
    record = AuditRecord.objects.get()
    assert (record.action, record.outcome, record.actor_id, record.actor_label, record.source_ip) == (
        "identity.sign_in",
        Outcome.SUCCESS,
        str(user.pk),
        "Anna Kalniņa",
        "192.0.2.7",
    )
    assert record.details == {"method": "openid_connect", "created": True}


@pytest.mark.django_db
def test_signing_in_again_gives_the_same_account() -> None:
    first = user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    again = user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    assert again == first
    assert User.objects.count() == 1
    assert list(AuditRecord.objects.order_by("sequence").values_list("details__created", flat=True)) == [True, False]


@pytest.mark.django_db
def test_staff_linked_to_the_person_get_their_staff_account() -> None:
    load_institutions()
    load_people()
    User.objects.create(
        username="roja-handler",
        institution=Institution.objects.get(code="ROJA"),
        person=Person.objects.get(personal_code="32685969380"),
        is_staff=True,
    )
    user = user_for_signin(personal_code="32685969380", given_name="Aija", family_name="Zvejniece")
    assert (user.username, user.institution.code if user.institution else None) == ("roja-handler", "ROJA")
    record = AuditRecord.objects.get(action="identity.sign_in")
    assert record.institution_id == str(user.institution_id)


@pytest.mark.django_db
def test_a_person_unknown_to_the_registers_is_recorded_by_code() -> None:
    user = user_for_signin(personal_code=UNKNOWN, given_name="Jānis", family_name="Paraugs")
    assert (user.username, user.get_full_name()) == (f"p-{UNKNOWN}", "Jānis Paraugs")
    assert Person.objects.get(personal_code=UNKNOWN).given_name == ""


@pytest.mark.django_db
def test_a_disabled_account_is_refused_and_the_refusal_is_audited() -> None:
    user = user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    User.objects.filter(pk=user.pk).update(is_active=False)
    before = _state()
    with pytest.raises(SignInRefused):
        user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    assert _state() == before
    refusal = AuditRecord.objects.order_by("sequence").last()
    assert refusal is not None
    assert (refusal.outcome, refusal.details) == (
        Outcome.DENIED,
        {"method": "openid_connect", "created": False, "refusal": "account_disabled"},
    )


@pytest.mark.django_db
def test_a_person_with_two_accounts_is_refused() -> None:
    user = user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    User.objects.create(username="anna-again", person=user.person)
    before = _state()
    with pytest.raises(SignInRefused):
        user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    assert _state() == before
    assert AuditRecord.objects.order_by("sequence").last().details["refusal"] == "several_accounts"


@pytest.mark.django_db
def test_an_invalid_personal_code_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValidationError):
        user_for_signin(personal_code="40003512877", given_name="SIA", family_name="Kokmateriāli")
    assert not User.objects.exists()
    assert not AuditRecord.objects.exists()
    assert not Person.objects.exists()


def test_relative_endpoints_are_resolved_against_the_request_and_absolute_ones_kept() -> None:
    request = RequestFactory().get("/oidc/callback/", HTTP_HOST="127.0.0.1:8123")
    assert absolute_endpoint(request, "/devidp/token/") == "http://127.0.0.1:8123/devidp/token/"
    assert absolute_endpoint(request, "https://idp.example.lv/token") == "https://idp.example.lv/token"
    assert absolute_endpoint(request, "") == ""


@pytest.mark.parametrize(("next_url", "language"), [("/en/services/", "en"), ("/lv/", "lv"), ("/healthz", "lv")])
def test_the_provider_is_asked_for_the_language_of_the_page(next_url: str, language: str) -> None:
    request = RequestFactory().get("/oidc/authenticate/")
    assert page_language(request, next_url) == language


@pytest.mark.django_db
def test_the_authentication_request_uses_pkce_state_nonce_and_the_page_language(client: Client) -> None:
    response = client.get("/oidc/authenticate/", {"next": "/en/services/"})
    location = urlsplit(response["Location"])
    params = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert (response.status_code, location.path) == (302, "/devidp/authorize/")
    assert (params["response_type"], params["scope"], params["ui_locales"]) == ("code", "openid profile", "en")
    assert params["code_challenge_method"] == "S256"
    stored = client.session["oidc_states"][params["state"]]
    assert stored["nonce"] == params["nonce"]
    assert len(stored["code_verifier"]) == 64
    assert client.session["oidc_login_next"] == "/en/services/"


@pytest.mark.django_db
def test_a_callback_with_an_error_signs_nobody_in(client: Client) -> None:
    before = _state()
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": "x"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert SESSION_KEY not in client.session
    assert _state() == before


@pytest.mark.django_db
def test_administrators_still_sign_in_with_a_password(client: Client) -> None:
    User.objects.create_superuser("root", password="a-long-enough-password")
    response = client.post("/en/admin/login/", {"username": "root", "password": "a-long-enough-password"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_its_next_request(client: Client) -> None:
    user = user_for_signin(personal_code=ANNA, given_name="Anna", family_name="Kalniņa")
    client.force_login(user, backend="onedoor.identity.oidc.OIDCBackend")
    assert OIDCBackend().get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert OIDCBackend().get_user(user.pk) is None
    assert not client.get("/healthz").wsgi_request.user.is_authenticated


def _backend(monkeypatch: pytest.MonkeyPatch, payload: dict[str, Any]) -> OIDCBackend:
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", lambda self, token, **kwargs: payload)
    backend = OIDCBackend()
    backend.request = RequestFactory().get("/oidc/callback/", HTTP_HOST="localhost:8000")
    return backend


GOOD = {"aud": "onedoor-portal", "iss": "http://localhost:8000/devidp", "sub": "1", "nonce": "n"}


@pytest.mark.parametrize(
    "payload",
    [
        {**GOOD, "aud": "somebody-else"},
        {**GOOD, "aud": ["somebody-else", "onedoor-portal"], "azp": "somebody-else"},
        {**GOOD, "iss": "http://localhost:8000/elsewhere"},
        {key: value for key, value in GOOD.items() if key != "aud"},
    ],
)
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(
    monkeypatch: pytest.MonkeyPatch, payload: dict[str, Any]
) -> None:
    with pytest.raises(SuspiciousOperation):
        _backend(monkeypatch, payload).verify_token("token", nonce="n")


def test_an_id_token_for_this_client_from_the_issuer_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _backend(monkeypatch, GOOD).verify_token("token", nonce="n") == GOOD
    both = {**GOOD, "aud": ["onedoor-portal", "other"], "azp": "onedoor-portal"}
    assert _backend(monkeypatch, both).verify_token("token", nonce="n") == both


@pytest.mark.parametrize(
    "userinfo",
    [
        {"sub": "2", "personal_code": ANNA},  # about someone else than the ID token
        {"sub": "1"},  # no personal code
        {"sub": "1", "personal_code": ""},
    ],
)
@pytest.mark.django_db
def test_userinfo_about_another_subject_or_without_a_personal_code_is_refused(
    monkeypatch: pytest.MonkeyPatch, userinfo: dict[str, str]
) -> None:
    backend = _backend(monkeypatch, GOOD)
    monkeypatch.setattr(OIDCBackend, "get_userinfo", lambda self, *args: userinfo)
    before = _state()
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {"sub": "1"})
    assert _state() == before


@pytest.mark.django_db
def test_without_an_id_token_signing_out_goes_straight_home() -> None:
    request = RequestFactory().post("/oidc/logout/", HTTP_HOST="localhost:8000")
    request.session = {}
    assert op_logout_url(request) == "http://localhost:8000/"


def test_sessions_last_thirty_minutes_from_the_last_request() -> None:
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (1800, True)
    assert (settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE) == (True, "Lax")
    assert settings.AUTHENTICATION_BACKENDS == [
        "onedoor.identity.oidc.OIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
