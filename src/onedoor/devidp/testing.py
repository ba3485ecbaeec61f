"""Signing in through devidp in tests, with every real redirect and real token, JWKS and userinfo calls.

The relying party calls devidp's token, JWKS and userinfo endpoints over HTTP on the host the browser
used, so a sign-in needs pytest-django's `live_server` and the portal's client registered for it (the
`devidp_client` fixture of onedoor/conftest.py):

    def test_the_overview(devidp_client, live_server, client):
        oidc_sign_in(client, live_server.url, "32871452034")
        response = client.get("/lv/account/", HTTP_HOST=live_host(live_server.url))

    @pytest.mark.browser
    def test_the_overview_page(devidp_client, live_server, page):
        oidc_sign_in(page, live_server.url, "32871452034", next_url="/lv/account/")

A Django test client stands in for the browser: its requests carry the live server's host, so the
callback URL and the relative endpoints resolve to the live server, which answers the server-side calls.
"""

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from playwright.sync_api import Page


def live_host(base_url: str) -> str:
    """The `Host` a test client sends to act on the live server, e.g. "localhost:53127"."""
    return urlsplit(base_url).netloc


def local(location: str) -> str:
    """A redirect target as path and query (drops the scheme and host of absolute callback URLs)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _client_sign_in(client: Client, base_url: str, personal_code: str, next_url: str) -> Any:
    host = live_host(base_url)

    def follow(response: Any) -> Any:
        assert response.status_code == 302, (response.status_code, response.content.decode()[:1000])
        return client.get(local(response["Location"]), HTTP_HOST=host)

    start = client.get(reverse("oidc_authentication_init"), {"next": next_url}, HTTP_HOST=host)
    response = follow(start)  # devidp's authorisation endpoint
    assert response.status_code == 302, response.content.decode()[:1000]
    if urlsplit(response["Location"]).path == reverse("devidp:login"):
        login_next = parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]
        signed_in = client.post(
            reverse("devidp:login"), {"personal_code": personal_code, "next": login_next}, HTTP_HOST=host
        )
        response = follow(signed_in)  # the authorisation endpoint again, now signed in at devidp
        assert response.status_code == 302, response.content.decode()[:1000]
    assert urlsplit(response["Location"]).path == reverse("oidc_authentication_callback"), response["Location"]
    callback = follow(response)
    assert callback.status_code == 302, callback
    return callback


def _page_sign_in(page: "Page", base_url: str, personal_code: str, next_url: str) -> None:
    page.goto(f"{base_url}{reverse('oidc_authentication_init')}?{urlencode({'next': next_url})}")
    page.wait_for_url(lambda url: urlsplit(url).path != reverse("devidp:authorize"))
    if urlsplit(page.url).path == reverse("devidp:login"):
        page.locator("#personal-code").fill(personal_code)
        page.locator("form:has(#personal-code) button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path.split("/")[1] not in {"devidp", "oidc"})


def oidc_sign_in(client_or_page: "Client | Page", base_url: str, personal_code: str, *, next_url: str = "/lv/") -> Any:
    """Signs in as the person with this personal code through devidp, starting at /oidc/authenticate/.

    With a Django test `Client`: returns the callback's redirect (to `next_url` when the sign-in
    succeeded; to the home page, with a message, when it was refused); the client then holds the
    platform's session. With a Playwright `Page`: goes through devidp's pages, typing the code when
    devidp asks, and returns once the browser has left devidp and the callback.
    """
    if isinstance(client_or_page, Client):
        return _client_sign_in(client_or_page, base_url, personal_code, next_url)
    _page_sign_in(client_or_page, base_url, personal_code, next_url)
    return None
