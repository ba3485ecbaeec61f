"""Fixtures shared by the e-account tests."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings as django_settings
from django.test import Client
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from onedoor.notifications.sms_simulator import SmsSimulator

if TYPE_CHECKING:
    from playwright.sync_api import Page

SMS_TOKEN = "accounts-test-token"

SignedIn = Callable[..., None]


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Uploaded files (message attachments) go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def locmem_mail(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "OneDoor <pazinojumi@onedoor.example>"


@pytest.fixture
def sms(settings: Settings) -> Iterator[SmsSimulator]:
    """The SMS provider simulator, reached through the HTTP gateway adapter (notifications/sms.py)."""
    simulator = SmsSimulator(token=SMS_TOKEN).start()
    settings.ONEDOOR_SMS_GATEWAY_URL = simulator.url
    settings.ONEDOOR_SMS_GATEWAY_TOKEN = SMS_TOKEN
    settings.ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS = 5
    yield simulator
    simulator.stop()


@pytest.fixture
def signed_in(page: "Page", live_server: LiveServer, sign_in: Callable[..., object]) -> SignedIn:
    """`signed_in(personal_code, acting_for="", mandate="")`: signs the browser (`page`) in as a demo person in a
    context, through a session made by the test client."""

    def sign_in_browser(personal_code: str, **context: str) -> None:
        client = Client()
        sign_in(client, personal_code, **context)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )

    return sign_in_browser
