"""devidp's issuer identifier: the absolute URL of /devidp on the host the request came to.

The demo runs on whichever host and port `make demo` is given, so the issuer follows the request,
and the discovery document, the ID tokens' `iss` and the authorisation responses' `iss` agree.
"""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest
from django.urls import reverse

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


class _RequestFromHeaders(HttpRequest):
    """A Django request over the headers oauthlib carries (django-oauth-toolkit copies request.META)."""

    def __init__(self, headers: Any):
        super().__init__()
        self.META = dict(headers)
        self._secure = bool(self.META.get("X_DJANGO_OAUTH_TOOLKIT_SECURE"))

    def _get_scheme(self) -> str:
        return "https" if self._secure else "http"


def devidp_issuer(request: Any) -> str:
    """The issuer for a Django request or an oauthlib request."""
    django_request = request if isinstance(request, HttpRequest) else _RequestFromHeaders(request.headers)
    return django_request.build_absolute_uri(reverse("devidp:discovery")).removesuffix(DISCOVERY_SUFFIX)


def with_issuer(uri: str, issuer: str) -> str:
    """`uri` whose query carries `iss=issuer` (RFC 9207) in place of any other value."""
    parts = urlsplit(uri)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "iss"]
    query.append(("iss", issuer))
    return urlunsplit(parts._replace(query=urlencode(query)))
