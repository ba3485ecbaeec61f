"""Fixtures shared by every app's tests."""

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from onedoor.core.actors import Actor, ActorKind

if TYPE_CHECKING:
    from django.test import Client
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

    from onedoor.identity.contexts import ActingContext

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo_catalog(db: None) -> None:
    """The pilot institutions, demo people, staff accounts and the whole demo catalog."""
    from onedoor.catalog.demo_data import load_catalog
    from onedoor.core.actors import SYSTEM
    from onedoor.demo.accounts import load_accounts, load_placements
    from onedoor.integration.demo_data import load_systems
    from onedoor.parties.demo_data import load_institutions, load_people

    load_institutions()
    load_people()
    load_accounts()
    load_catalog(actor=SYSTEM)
    load_placements()
    load_systems()


def staff_actor(institution_code: str, *roles: str, platform_admin: bool = False, system: bool = False) -> Actor:
    """A member of staff (or, with `system=True`, an institution system) of the institution."""
    from onedoor.parties.models import Institution

    institution = Institution.objects.get(code=institution_code)
    return Actor(
        kind=ActorKind.SYSTEM if system else ActorKind.USER,
        id=f"test-{institution_code.lower()}",
        label=f"test user of {institution_code}",
        institution_id=str(institution.pk),
        institution_code=institution.code,
        roles=frozenset(roles),
        is_platform_admin=platform_admin,
    )


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    """Debian's Chromium, driven by Playwright (never a browser build of Playwright's own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=BROWSER_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: "Browser", live_server: "LiveServer") -> Iterator["Page"]:
    context = browser.new_context(base_url=live_server.url, locale="lv-LV", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


def assert_accessible(page: "Page") -> None:
    """axe-core on the page as shown: no serious or critical WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = [
        violation for violation in results.response["violations"] if violation["impact"] in {"serious", "critical"}
    ]
    assert not violations, "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in violations
    )


def system_token(institution_code: str, *, scopes: str | None = None) -> str:
    """A bearer token of the institution's demo system, with all its scopes or the ones given."""
    from datetime import timedelta
    from secrets import token_urlsafe

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from onedoor.integration.models import InstitutionSystem

    system = InstitutionSystem.objects.get(code=f"{institution_code.lower()}-backoffice")
    token = AccessToken.objects.create(
        application=system.application,
        token=token_urlsafe(30),
        expires=timezone.now() + timedelta(hours=1),
        scope=scopes if scopes is not None else " ".join(system.scopes),
    )
    return token.token


@pytest.fixture
def vsaa_api(client: "Client", demo_catalog: None) -> "Client":
    """A test client that calls the API as VSAA's back-office system."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {system_token('VSAA')}"
    return client


@pytest.fixture
def sign_in(db: None) -> Callable[..., "ActingContext"]:
    """`sign_in(client, personal_code, acting_for="", mandate="")`: a test client signed in as a
    demo person (see onedoor.access.testing)."""
    from onedoor.access.testing import sign_in as sign_in_client

    return sign_in_client


@pytest.fixture
def devidp_client(live_server: "LiveServer") -> object:
    """The portal's client at the development identity provider, registered for the live server; sign in
    with `onedoor.devidp.testing.oidc_sign_in(client_or_page, live_server.url, personal_code)`."""
    from onedoor.devidp.clients import register_portal_client

    return register_portal_client(
        [f"{live_server.url}/oidc/callback/"], post_logout_redirect_uris=[f"{live_server.url}/"]
    )
