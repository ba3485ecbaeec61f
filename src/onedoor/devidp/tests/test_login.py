"""devidp's login page and its own session cookie."""

import json
import stat
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from onedoor.devidp.keys import signing_key_pem
from onedoor.devidp.models import Subject
from onedoor.devidp.sessions import COOKIE_NAME
from onedoor.parties.registers.persons import PERSONS_PATH
from onedoor.parties.registers.population import POPULATION_PATH

pytestmark = pytest.mark.django_db

ANNA = "32871452034"
AUTHORIZE = "/devidp/authorize/?" + urlencode({"client_id": "onedoor-portal", "ui_locales": "en", "state": "s"})


def test_the_page_is_latvian_unless_the_request_asks_for_english(client: Client) -> None:
    latvian = client.get("/devidp/login/")
    english = client.get("/devidp/login/", {"next": AUTHORIZE})
    assert (latvian.status_code, latvian["Content-Language"]) == (200, "lv")
    assert '<html lang="lv"' in latvian.content.decode()
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    assert client.get("/devidp/login/", {"ui_locales": "de en"})["Content-Language"] == "en"
    assert client.get("/devidp/login/", {"ui_locales": "de"})["Content-Language"] == "lv"


def test_the_page_offers_every_living_person_of_the_registers(client: Client) -> None:
    page = client.get("/devidp/login/").content.decode()
    offered = [chunk.split('"')[0] for chunk in page.split('data-personal-code="')[1:]]
    extracts = [json.loads(path.read_text(encoding="utf-8"))["persons"] for path in (POPULATION_PATH, PERSONS_PATH)]
    living = {record["personal_code"] for extract in extracts for record in extract if record["is_alive"]}
    assert set(offered) == living
    assert len(offered) == len(living)
    assert {ANNA, "32395077121", "32983690061", "32685969380"} <= living  # a resident, a non-resident, staff
    assert "03129111937" not in offered  # Laura Liepiņa has died


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your personal code."),
        ("123", "Enter a valid Latvian personal code: 11 digits, with or without a hyphen after the sixth."),
        ("40003512877", "Enter a valid Latvian personal code: 11 digits, with or without a hyphen after the sixth."),
        (
            "161175-19997",
            "No person with this personal code is known to the population register or the persons register.",
        ),
        ("031291-11937", "The population register records this person as deceased: they cannot sign in."),
    ],
)
def test_a_code_that_cannot_sign_in_is_a_form_error(client: Client, typed: str, message: str) -> None:
    response = client.post("/devidp/login/", {"personal_code": typed, "next": AUTHORIZE})
    page = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        expected = gettext(message)
    assert 'class="govuk-error-summary"' in page
    assert f'<li><a href="#personal-code">{expected}</a></li>' in page
    assert 'aria-describedby="personal-code-hint personal-code-error"' in page
    assert COOKIE_NAME not in response.cookies
    assert not Subject.objects.exists()


def test_signing_in_sets_devidps_cookie_and_returns_to_the_authorisation_request(client: Client) -> None:
    response = client.post("/devidp/login/", {"personal_code": "328714-52034", "next": AUTHORIZE})
    assert (response.status_code, response["Location"]) == (302, AUTHORIZE)
    cookie = response.cookies[COOKIE_NAME]
    assert (cookie["path"], cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (
        "/devidp/",
        True,
        "Lax",
        1800,
    )
    subject = Subject.objects.get()
    assert (subject.personal_code, subject.full_name, subject.user.is_active) == (ANNA, "Anna Kalniņa", False)
    assert subject.user.person is None
    assert "Anna Kalniņa" in client.get("/devidp/login/").content.decode()  # shown as signed in


@pytest.mark.parametrize("next_url", ["https://evil.example/devidp/authorize/", "/lv/admin/", "//evil.example/x"])
def test_signing_in_goes_nowhere_but_devidps_authorisation_endpoint(client: Client, next_url: str) -> None:
    response = client.post("/devidp/login/", {"personal_code": ANNA, "next": next_url})
    assert response["Location"] == "/devidp/login/?ui_locales=lv"


def test_the_login_form_is_protected_against_cross_site_requests() -> None:
    response = Client(enforce_csrf_checks=True).post("/devidp/login/", {"personal_code": ANNA})
    assert response.status_code == 403
    assert not Subject.objects.exists()


def test_a_forged_or_stale_cookie_signs_nobody_in(client: Client) -> None:
    client.post("/devidp/login/", {"personal_code": ANNA})
    client.cookies[COOKIE_NAME] = client.cookies[COOKIE_NAME].value.replace(ANNA, "14037812342")
    assert "govuk-inset-text" not in client.get("/devidp/login/").content.decode()
    client.post("/devidp/login/", {"personal_code": ANNA})
    with override_settings(ONEDOOR_DEVIDP_SESSION_SECONDS=-1):
        assert "govuk-inset-text" not in client.get("/devidp/login/").content.decode()
    assert "govuk-inset-text" in client.get("/devidp/login/").content.decode()


def test_the_signing_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "devidp-signing-key.pem"
    key = signing_key_pem(path)
    assert key.startswith("-----BEGIN PRIVATE KEY-----")
    assert signing_key_pem(path) == key == path.read_text(encoding="ascii")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in path.parent.iterdir()] == ["devidp-signing-key.pem"]
    assert signing_key_pem() != signing_key_pem()  # tests: one for the process, never written
