"""Signing in to the platform through devidp, end to end: real redirects, and the token, JWKS and
userinfo calls over HTTP to the live server (SEC-1, ACC-1)."""

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from oauth2_provider.models import AccessToken, Grant, IDToken
from pytest_django.live_server_helper import LiveServer

from onedoor.audit.models import AuditRecord, Outcome
from onedoor.devidp.clients import PORTAL_CLIENT_ID, PORTAL_CLIENT_SECRET
from onedoor.devidp.models import Subject
from onedoor.devidp.sessions import COOKIE_NAME
from onedoor.devidp.testing import live_host, local, oidc_sign_in
from onedoor.identity.models import User

pytestmark = pytest.mark.django_db(transaction=True)

ANNA = "32871452034"  # Anna Kalniņa, in the population register
ERIK = "32395077121"  # Erik Lindqvist, a non-resident in the persons register
LAURA_DECEASED = "03129111937"
UNKNOWN = "16117519997"  # valid, in no register


def claims_of(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.select_related("person").get(pk=user_id) if user_id else None


def start(client: Client, live_server: LiveServer, **params: str) -> tuple[str, dict[str, str]]:
    """/oidc/authenticate/ → the authorisation request it redirects to: (path, parameters)."""
    response = client.get(reverse("oidc_authentication_init"), params, HTTP_HOST=live_host(live_server.url))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    return location.path, {key: values[0] for key, values in parse_qs(location.query).items()}


def test_a_person_signs_in_through_devidp(devidp_client: Any, live_server: LiveServer, client: Client) -> None:
    host = live_host(live_server.url)
    path, params = start(client, live_server, next="/en/")
    assert path == "/devidp/authorize/"
    assert params["client_id"] == PORTAL_CLIENT_ID
    assert params["scope"] == "openid profile"
    assert params["code_challenge_method"] == "S256"
    assert params["ui_locales"] == "en"
    assert params["redirect_uri"] == f"{live_server.url}/oidc/callback/"
    assert {"state", "nonce", "code_challenge"} <= params.keys()

    authorize = client.get("/devidp/authorize/", params, HTTP_HOST=host)
    assert authorize.status_code == 302
    login_url = urlsplit(authorize["Location"])
    assert login_url.path == "/devidp/login/"
    next_url = parse_qs(login_url.query)["next"][0]
    assert urlsplit(next_url).path == "/devidp/authorize/"

    login_page = client.get(local(authorize["Location"]), HTTP_HOST=host)
    assert login_page.status_code == 200
    assert login_page["Content-Language"] == "en"
    assert 'lang="en"' in login_page.content.decode()
    assert 'data-personal-code="32871452034"' in login_page.content.decode()

    signed_in_at_devidp = client.post(
        "/devidp/login/", {"personal_code": "328714-52034", "next": next_url}, HTTP_HOST=host
    )
    assert signed_in_at_devidp.status_code == 302
    assert signed_in_at_devidp["Location"] == next_url
    cookie = signed_in_at_devidp.cookies[COOKIE_NAME]
    assert (cookie["path"], cookie["httponly"], cookie["samesite"]) == ("/devidp/", True, "Lax")
    assert signed_in_user(client) is None  # devidp's session is not the platform's

    code_issued = client.get(local(next_url), HTTP_HOST=host)
    assert code_issued.status_code == 302
    callback = urlsplit(code_issued["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == f"{live_server.url}/oidc/callback/"
    answer = parse_qs(callback.query)
    assert answer["state"] == [params["state"]]
    assert answer["iss"] == [f"{live_server.url}/devidp"]

    signed_in = client.get(local(code_issued["Location"]), HTTP_HOST=host)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/en/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.person.personal_code, user.get_full_name()) == (f"p-{ANNA}", ANNA, "Anna Kalniņa")
    assert not user.has_usable_password()

    id_token = claims_of(client.session["oidc_id_token"])
    subject = Subject.objects.get(personal_code=ANNA)
    assert id_token["sub"] == str(subject.user_id)
    assert (id_token["personal_code"], id_token["given_name"], id_token["family_name"], id_token["name"]) == (
        ANNA,
        "Anna",
        "Kalniņa",
        "Anna Kalniņa",
    )
    assert id_token["nonce"] == params["nonce"]
    assert id_token["aud"] == PORTAL_CLIENT_ID
    assert id_token["iss"] == f"{live_server.url}/devidp"
    assert not subject.user.is_active  # devidp's shadow of the subject is no platform account

    record = AuditRecord.objects.get(action="identity.sign_in")
    assert (record.outcome, record.actor_id, record.object_id) == (Outcome.SUCCESS, str(user.pk), str(user.pk))
    assert record.details == {"method": "openid_connect", "created": True}


def test_signing_in_again_finds_the_same_account_without_asking_devidp_again(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    oidc_sign_in(client, live_server.url, ERIK)
    first = signed_in_user(client)
    # Signing out of the platform without following it to devidp's end-session: devidp's cookie stays.
    client.post(reverse("oidc_logout"), HTTP_HOST=live_host(live_server.url))
    assert signed_in_user(client) is None

    path, params = start(client, live_server, next="/lv/")
    code_issued = client.get(path, params, HTTP_HOST=live_host(live_server.url))
    assert urlsplit(code_issued["Location"]).path == "/oidc/callback/"  # still signed in at devidp
    response = client.get(local(code_issued["Location"]), HTTP_HOST=live_host(live_server.url))
    assert response["Location"] == "/lv/"
    assert signed_in_user(client) == first
    assert User.objects.filter(person__personal_code=ERIK).count() == 1
    assert AuditRecord.objects.filter(action="identity.sign_in").count() == 2


def test_a_member_of_staff_gets_their_staff_account(
    devidp_client: Any, live_server: LiveServer, client: Client, demo_catalog: None
) -> None:
    response = oidc_sign_in(client, live_server.url, "32983690061")
    assert response["Location"] == "/lv/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.institution.code, user.is_staff) == ("vsaa-editor", "VSAA", True)
    assert not User.objects.filter(username="p-32983690061").exists()


def test_a_disabled_account_is_refused_and_the_refusal_audited(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    oidc_sign_in(client, live_server.url, ANNA)
    User.objects.filter(username=f"p-{ANNA}").update(is_active=False)
    client.post(reverse("oidc_logout"), HTTP_HOST=live_host(live_server.url))
    response = oidc_sign_in(client, live_server.url, ANNA)
    assert response["Location"] == "/"
    assert signed_in_user(client) is None
    with translation.override("lv"):  # the callback has no language prefix: the default language
        expected = gettext("Your account is disabled. Please contact the platform's support.")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [expected]
    refusal = AuditRecord.objects.filter(action="identity.sign_in").order_by("sequence").last()
    assert refusal is not None
    assert (refusal.outcome, refusal.details["refusal"]) == (Outcome.DENIED, "account_disabled")


def _code_for(client: Client, live_server: LiveServer, personal_code: str) -> tuple[dict[str, str], str]:
    """Signed in at devidp, the authorisation request and the callback URL with the code."""
    host = live_host(live_server.url)
    path, params = start(client, live_server, next="/lv/")
    client.post("/devidp/login/", {"personal_code": personal_code}, HTTP_HOST=host)
    code_issued = client.get(path, params, HTTP_HOST=host)
    assert urlsplit(code_issued["Location"]).path == "/oidc/callback/"
    return params, local(code_issued["Location"])


def test_a_callback_with_another_state_is_refused(devidp_client: Any, live_server: LiveServer, client: Client) -> None:
    params, callback = _code_for(client, live_server, ANNA)
    forged = callback.replace(f"state={params['state']}", "state=forged-state")
    response = client.get(forged, HTTP_HOST=live_host(live_server.url))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user(client) is None
    assert not AccessToken.objects.exists()  # the code was never exchanged
    assert not AuditRecord.objects.filter(action="identity.sign_in").exists()


def test_an_id_token_with_another_nonce_is_refused(devidp_client: Any, live_server: LiveServer, client: Client) -> None:
    params, callback = _code_for(client, live_server, ANNA)
    session = client.session
    session["oidc_states"][params["state"]]["nonce"] = "another-nonce"
    session.save()
    response = client.get(callback, HTTP_HOST=live_host(live_server.url))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user(client) is None
    assert IDToken.objects.count() == 1  # devidp answered; the platform refused what it got
    assert not User.objects.filter(person__personal_code=ANNA).exists()
    assert not AuditRecord.objects.filter(action="identity.sign_in").exists()


def test_a_code_is_only_exchanged_with_the_pkce_verifier(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    import requests

    params, callback = _code_for(client, live_server, ANNA)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": params["redirect_uri"],
        "client_id": PORTAL_CLIENT_ID,
        "client_secret": PORTAL_CLIENT_SECRET,
    }
    without = requests.post(f"{live_server.url}/devidp/token/", data=exchange, timeout=10)
    wrong = requests.post(f"{live_server.url}/devidp/token/", data={**exchange, "code_verifier": "x" * 64}, timeout=10)
    assert (without.status_code, without.json()["error"]) == (400, "invalid_request")
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("method", [None, "plain"])
def test_an_authorisation_request_without_an_s256_challenge_is_refused(
    devidp_client: Any, live_server: LiveServer, client: Client, method: str | None
) -> None:
    host = live_host(live_server.url)
    client.post("/devidp/login/", {"personal_code": ANNA}, HTTP_HOST=host)
    _path, params = start(client, live_server, next="/lv/")
    if method is None:
        del params["code_challenge"], params["code_challenge_method"]
    else:
        params["code_challenge_method"] = method
    response = client.get("/devidp/authorize/", params, HTTP_HOST=host)
    assert response.status_code == 302
    refusal = urlsplit(response["Location"])
    assert refusal.path == "/oidc/callback/"
    assert parse_qs(refusal.query)["error"] == ["invalid_request"]
    assert "code" not in parse_qs(refusal.query)
    assert not Grant.objects.exists()


def test_pkce_is_checked_before_anyone_signs_in(devidp_client: Any, live_server: LiveServer, client: Client) -> None:
    _path, params = start(client, live_server, next="/lv/")
    del params["code_challenge"], params["code_challenge_method"]
    response = client.get("/devidp/authorize/", params, HTTP_HOST=live_host(live_server.url))
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_request"]


def test_an_unknown_client_is_refused(devidp_client: Any, live_server: LiveServer, client: Client) -> None:
    host = live_host(live_server.url)
    client.post("/devidp/login/", {"personal_code": ANNA}, HTTP_HOST=host)
    _path, params = start(client, live_server, next="/lv/")
    response = client.get("/devidp/authorize/", {**params, "client_id": "somebody-else"}, HTTP_HOST=host)
    assert response.status_code == 400
    assert "invalid_client" in response.content.decode()
    assert not Grant.objects.exists()


def test_an_unregistered_redirect_uri_is_refused_without_redirecting(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    host = live_host(live_server.url)
    client.post("/devidp/login/", {"personal_code": ANNA}, HTTP_HOST=host)
    _path, params = start(client, live_server, next="/lv/")
    response = client.get(
        "/devidp/authorize/", {**params, "redirect_uri": "https://evil.example/callback"}, HTTP_HOST=host
    )
    assert response.status_code == 400
    assert not Grant.objects.exists()


def test_the_token_endpoint_serves_only_devidp_clients(devidp_client: Any, live_server: LiveServer) -> None:
    import requests

    response = requests.post(
        f"{live_server.url}/devidp/token/",
        data={"grant_type": "client_credentials", "client_id": "vsaa-backoffice", "client_secret": "x"},
        timeout=10,
    )
    assert (response.status_code, response.json()) == (401, {"error": "invalid_client"})


def test_a_platform_session_cannot_get_a_devidp_code_through_the_oauth_endpoint(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    oidc_sign_in(client, live_server.url, ANNA)
    _path, params = start(client, live_server, next="/lv/")
    response = client.get("/oauth/authorize/", params, HTTP_HOST=live_host(live_server.url))
    refusal = parse_qs(urlsplit(response["Location"]).query)
    assert refusal["error"] == ["access_denied"]
    assert not Grant.objects.exists()


def test_signing_out_ends_the_platform_session_and_devidps(
    devidp_client: Any, live_server: LiveServer, client: Client
) -> None:
    host = live_host(live_server.url)
    oidc_sign_in(client, live_server.url, ANNA)
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("oidc_logout"), HTTP_HOST=host)
    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert end_session.path == "/devidp/end-session/"
    assert parse_qs(end_session.query) == {
        "id_token_hint": [id_token],
        "client_id": [PORTAL_CLIENT_ID],
        "post_logout_redirect_uri": [f"{live_server.url}/"],
        "ui_locales": ["lv"],
    }
    assert signed_in_user(client) is None
    assert "oidc_id_token" not in client.session

    ended = client.get(local(response["Location"]), HTTP_HOST=host)
    assert (ended.status_code, ended["Location"]) == (302, f"{live_server.url}/")
    assert ended.cookies[COOKIE_NAME].value == ""
    assert ended.cookies[COOKIE_NAME]["path"] == "/devidp/"
    assert not AccessToken.objects.exists()
    assert not IDToken.objects.exists()

    path, params = start(client, live_server, next="/lv/")
    again = client.get(path, params, HTTP_HOST=host)
    assert urlsplit(again["Location"]).path == "/devidp/login/"  # devidp asks who signs in


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"post_logout_redirect_uri": "https://evil.example/"}, 400),
        ({"id_token_hint": ""}, 400),
        ({"id_token_hint": "not-a-token"}, 400),
        ({"client_id": "somebody-else"}, 400),
    ],
)
def test_end_session_refuses_what_it_cannot_verify(
    devidp_client: Any, live_server: LiveServer, client: Client, change: dict[str, str], status: int
) -> None:
    host = live_host(live_server.url)
    oidc_sign_in(client, live_server.url, ANNA)
    query = {
        "id_token_hint": client.session["oidc_id_token"],
        "client_id": PORTAL_CLIENT_ID,
        "post_logout_redirect_uri": f"{live_server.url}/",
    }
    response = client.get("/devidp/end-session/", {**query, **change}, HTTP_HOST=host)
    assert response.status_code == status
    assert COOKIE_NAME not in response.cookies  # still signed in at devidp
    assert IDToken.objects.count() == 1


def test_the_discovery_document_and_the_keys(devidp_client: Any, live_server: LiveServer) -> None:
    import requests

    issuer = f"{live_server.url}/devidp"
    metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert metadata["issuer"] == issuer
    assert {name: metadata[name] for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint")} == {
        "authorization_endpoint": f"{issuer}/authorize/",
        "token_endpoint": f"{issuer}/token/",
        "userinfo_endpoint": f"{issuer}/userinfo/",
    }
    assert (metadata["jwks_uri"], metadata["end_session_endpoint"]) == (f"{issuer}/jwks/", f"{issuer}/end-session/")
    assert metadata["scopes_supported"] == ["openid", "profile"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = requests.get(metadata["jwks_uri"], timeout=10).json()["keys"]
    assert [(key["kty"], key["alg"], key["use"]) for key in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # the public half only
