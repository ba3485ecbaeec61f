"""Sign-in through OpenID Connect (SEC-1, ACC-1; ADR 0006): the platform as a relying party, on
mozilla-django-oidc.

Authorisation code flow with PKCE (S256), state and nonce; RS256 ID tokens checked against the
provider's JWKS, and here also for audience and issuer. The account is the one of the person the
`personal_code` claim names (`services.user_for_signin`). In the demo and in tests the provider is
devidp on the same host, so its endpoints are configured as paths and resolved against the request;
in production they are the national identity provider's absolute URLs.
"""

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import get_language_from_path, get_language_from_request
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from onedoor.core.errors import ApplicationError
from onedoor.core.middleware import client_ip

from .models import User
from .services import user_for_signin

logger = logging.getLogger(__name__)

# Why the last sign-in attempt of this request was refused, for the page the person lands on.
REFUSAL_ATTRIBUTE = "onedoor_sign_in_refusal"


def absolute_endpoint(request: HttpRequest, endpoint: str) -> str:
    """`endpoint` as configured when absolute; a path (demo and tests: devidp on this host) resolved
    against the request."""
    if not endpoint or urlsplit(endpoint).scheme:
        return endpoint
    return request.build_absolute_uri(endpoint)


def page_language(request: HttpRequest, next_url: str | None = None) -> str:
    """The language of the page the person came from (its /lv/ or /en/ prefix), else the request's
    (language cookie, Accept-Language, Latvian)."""
    return get_language_from_path(next_url or "") or get_language_from_request(request)


class OIDCBackend(OIDCAuthenticationBackend):
    """Finds or makes the account of the person the identity provider vouched for."""

    # Set by the library from settings when the backend is made; the endpoints may be paths here.
    OIDC_OP_TOKEN_ENDPOINT: str
    OIDC_OP_USER_ENDPOINT: str
    OIDC_OP_JWKS_ENDPOINT: str
    OIDC_RP_CLIENT_ID: str
    request: HttpRequest

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = absolute_endpoint(request, self.OIDC_OP_TOKEN_ENDPOINT)
        self.OIDC_OP_USER_ENDPOINT = absolute_endpoint(request, self.OIDC_OP_USER_ENDPOINT)
        self.OIDC_OP_JWKS_ENDPOINT = absolute_endpoint(request, self.OIDC_OP_JWKS_ENDPOINT)
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the token must also be meant for this
        client (`aud`, `azp`) and come from the configured issuer (`iss`)."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another party.")
        issuer = absolute_endpoint(self.request, getattr(settings, "OIDC_OP_ISSUER", ""))
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from an unexpected issuer.")
        return payload

    def get_user(self, user_id: Any) -> User | None:
        # The library's own version keeps a deactivated account signed in; Django's does not.
        user: User | None = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return all(isinstance(claims.get(name), str) and claims[name] for name in ("sub", "personal_code"))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo response must be about the ID token's subject.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo response is about another subject than the ID token.")
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The identity provider did not give a personal code.")
        try:
            return user_for_signin(
                personal_code=claims["personal_code"],
                given_name=str(claims.get("given_name", "")),
                family_name=str(claims.get("family_name", "")),
                source_ip=client_ip(self.request),
                request_id=getattr(self.request, "request_id", ""),
            )
        except ValidationError:
            raise SuspiciousOperation("The identity provider gave an invalid personal code.") from None
        except ApplicationError as refusal:
            setattr(self.request, REFUSAL_ATTRIBUTE, refusal.detail)
            return None


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Starts sign-in; the provider shows its pages in the language of the page the person was on."""

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        params = dict(super().get_extra_params(request))
        params["ui_locales"] = page_language(request, request.GET.get("next"))
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    """Completes sign-in. A refused or failed attempt (state or nonce mismatch, a token that does not
    verify, an unreachable provider) leaves the person signed out, on the home page, with a message."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as refusal:
            logger.warning("OpenID Connect sign-in refused: %s", refusal)
            return self.login_failure()
        except requests.RequestException as failure:
            logger.warning("The identity provider could not be reached: %s", failure)
            messages.error(request, _("The sign-in service is not available right now. Please try again later."))
            return HttpResponseRedirect(self.failure_url)
        return response

    def login_failure(self) -> HttpResponse:
        detail = getattr(self.request, REFUSAL_ATTRIBUTE, "") or _("Signing in did not succeed. Please try again.")
        auth.logout(self.request)  # nothing of an earlier session survives a refused sign-in
        messages.error(self.request, detail)
        response: HttpResponse = super().login_failure()
        return response


def op_logout_url(request: HttpRequest) -> str:
    """Where signing out sends the person (OIDC_OP_LOGOUT_URL_METHOD): to the provider's end-session
    endpoint, with the ID token as hint, to end that session too and come back to the home page.
    Without an ID token (an administrator signed in with a password) straight to the home page."""
    return_to = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not endpoint or not id_token:
        return return_to
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": return_to,
        "ui_locales": page_language(request, urlsplit(request.META.get("HTTP_REFERER", "")).path),
    }
    return f"{endpoint}?{urlencode(query)}"
