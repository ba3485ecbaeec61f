"""Fixtures of the workplace's tests: the demo specialists signed in, acting for their institution.

The demo staff (onedoor.demo.accounts, loaded by `demo_catalog`): `kac-specialist` and
`kac-colleague` (VRAA, national customer service centre in Riga, team kac-riga-front) and
`vsaa-handler` (VSAA, case handler and specialist, team family-benefits).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from onedoor.access.testing import staff_sign_in
from onedoor.identity.models import User
from onedoor.identity.selectors import actor_for_user
from onedoor.workplace.desk import desk_of
from onedoor.workplace.models import ClientView
from onedoor.workplace.services_clients import client_view_open

if TYPE_CHECKING:
    from playwright.sync_api import Page

KAC_PLACE = "vpvkac-nacionalais-centrs"
ANNA = "32871452034"  # a mother of a newborn (Emīls, born 2026-10-02): the childbirth benefit's client
JANIS = "14037812342"


@pytest.fixture
def specialist(client: Client, demo_catalog: None) -> Client:
    staff_sign_in(client, "kac-specialist")
    return client


@pytest.fixture
def colleague(demo_catalog: None) -> Client:
    other = Client()
    staff_sign_in(other, "kac-colleague")
    return other


@pytest.fixture
def vsaa_handler(demo_catalog: None) -> Client:
    other = Client()
    staff_sign_in(other, "vsaa-handler")
    return other


@pytest.fixture
def at_work(page: "Page", live_server: LiveServer, demo_catalog: None) -> Callable[[str], None]:
    """`at_work(username)`: the browser (`page`) signed in as the demo member of staff, acting for their
    institution, through a session made by the test client (the OIDC journey is tested in onedoor/tests)."""

    def sign_in_browser(username: str) -> None:
        other = Client()
        staff_sign_in(other, username)
        cookie = other.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    return sign_in_browser


def client_view_for(
    username: str = "kac-specialist", *, kind: str = "person", key: str = ANNA, service: str = "2011"
) -> ClientView:
    """A client view the member of staff opened at their desk (in person at a KAC) for the service, as the
    purpose form would: for pages that start from a profile."""
    user = User.objects.get(username=username)
    desk = desk_of(user, actor_for_user(user))
    channel = "kac" if desk.place is not None else "phone"
    return client_view_open(desk=desk, client_kind=kind, client_key=key, channel=channel, service_code=service)
