"""devidp's endpoints: django-oauth-toolkit's views, narrowed to devidp's clients and its own session."""

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.views import View
from oauth2_provider import views as oauth2_views
from oauth2_provider.exceptions import InvalidIDTokenError, InvalidOIDCClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OIDCLogoutOnlyMixin
from oauthlib.common import add_params_to_uri

from .clients import devidp_client_ids, is_devidp_client
from .forms import LoginForm
from .issuer import devidp_issuer, with_issuer
from .persons import demo_persons, display_code
from .services import subject_sign_in
from .sessions import forget, remember, signed_in_subject
from .validators import DEVIDP_CLAIMS, DEVIDP_SCOPES


def ui_language(*preferences: str | None) -> str:
    """The first supported language among OpenID Connect `ui_locales` values (space-separated BCP 47
    tags, in order of preference); Latvian when none is supported."""
    supported = {code for code, _name in settings.LANGUAGES}
    for preference in preferences:
        for tag in (preference or "").split():
            code = tag.split("-")[0].lower()
            if code in supported:
                return code
    return str(settings.LANGUAGE_CODE)


def _ui_locales_in(url: str) -> str:
    return " ".join(parse_qs(urlsplit(url).query).get("ui_locales", []))


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str, status: int = 200
) -> HttpResponse:
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


def _error_page(request: HttpRequest, *, error: str, description: str, status: int = 400) -> HttpResponse:
    language = ui_language(request.GET.get("ui_locales"))
    return _render(
        request,
        "devidp/error.html",
        {"error": {"error": error, "description": description}},
        language=language,
        status=status,
    )


class _DevIdpPageMixin:
    """Renders django-oauth-toolkit's error pages with devidp's template in the request's language."""

    template_name = "devidp/error.html"
    request: HttpRequest

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        language = ui_language(self.request.GET.get("ui_locales"))
        response = TemplateResponse(self.request, self.template_name, context, **response_kwargs)
        with translation.override(language):
            response.render()
        response["Content-Language"] = language
        return response


class LoginView(View):
    """The sign-in page: a demo person's button or a typed personal code; no password (ADR 0006)."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        next_url = self._safe_next(request, request.GET.get("next", ""))
        language = ui_language(request.GET.get("ui_locales"), _ui_locales_in(next_url))
        form = LoginForm(initial={"next": next_url, "ui_locales": language})
        return self._page(request, form, next_url=next_url, language=language)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LoginForm(request.POST)
        next_url = self._safe_next(request, request.POST.get("next", ""))
        language = ui_language(request.POST.get("ui_locales"), _ui_locales_in(next_url))
        if not form.is_valid() or form.registered is None:
            return self._page(request, form, next_url=next_url, language=language)
        subject = subject_sign_in(registered=form.registered)
        response = HttpResponseRedirect(next_url or f"{reverse('devidp:login')}?{urlencode({'ui_locales': language})}")
        remember(response, request, subject)
        return response

    @staticmethod
    def _safe_next(request: HttpRequest, value: str) -> str:
        """Only back to devidp's own authorisation endpoint on this host; anything else is dropped."""
        if not value or not url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return ""
        return value if urlsplit(value).path == reverse("devidp:authorize") else ""

    def _page(self, request: HttpRequest, form: LoginForm, *, next_url: str, language: str) -> HttpResponse:
        persons = [
            {
                "personal_code": person.personal_code,
                "name": f"{person.given_name} {person.family_name}",
                "display_code": display_code(person),
            }
            for person in demo_persons()
        ]
        language_links = []
        for code, _name in settings.LANGUAGES:
            query = {"ui_locales": code, **({"next": next_url} if next_url else {})}
            language_links.append(
                {
                    "code": code,
                    "name": capfirst(str(get_language_info(code)["name_local"])),
                    "url": f"{reverse('devidp:login')}?{urlencode(query)}",
                    "is_current": code == language,
                }
            )
        context = {
            "form": form,
            "persons": persons,
            "next": next_url,
            "ui_locales": language,
            "signed_in": signed_in_subject(request),
            "language_links": language_links,
        }
        return _render(request, "devidp/login.html", context, language=language)


class AuthorizeView(_DevIdpPageMixin, oauth2_views.AuthorizationView):
    """The authorisation endpoint for devidp's clients, signed in by devidp's cookie alone.

    Whoever is signed in to the platform does not matter here: the person is the one named by the
    devidp cookie, or nobody, in which case the request is checked and the login page asked first.
    """

    http_method_names = ["get"]
    login_url = reverse_lazy("devidp:login")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("client_id", "") not in devidp_client_ids():
            return _error_page(
                request, error="invalid_client", description="This client is not registered with this provider."
            )
        subject = signed_in_subject(request)
        request.user = subject.user if subject is not None else AnonymousUser()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def handle_no_permission(self) -> HttpResponse:
        # An invalid request (unknown redirect URI, no PKCE challenge …) is refused before anyone signs in.
        try:
            self.validate_authorization_request(self.request)
        except OAuthToolkitError as error:
            refusal: HttpResponse = self.error_response(error, application=None)
            return refusal
        response: HttpResponse = super().handle_no_permission()
        return response

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool
    ) -> tuple[str, dict[str, str], str, int]:
        uri, headers, body, status = super().create_authorization_response(request, scopes, credentials, allow)
        if uri and oauth2_settings.COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS:
            uri = with_issuer(uri, devidp_issuer(request))
            headers["Location"] = uri
        return uri, headers, body, status


def _client_id_of(request: HttpRequest) -> str:
    """The client id of a token request: from HTTP Basic authentication or the form body."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("Basic "):
        try:
            decoded = base64.b64decode(authorization.removeprefix("Basic ").strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[0]
    return str(request.POST.get("client_id", ""))


class TokenView(oauth2_views.TokenView):
    """The token endpoint, for devidp's clients only (institutions' systems use /oauth/token/)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _client_id_of(request) not in devidp_client_ids():
            return JsonResponse({"error": "invalid_client"}, status=401)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


class UserInfoView(oauth2_views.UserInfoView):
    """The userinfo endpoint: the claims of the access token's subject (tokens without `openid` are refused)."""


class JwksView(oauth2_views.JwksInfoView):
    """The public half of the signing key (RS256)."""


DOT_ENDPOINTS = {
    "authorize": "devidp:authorize",
    "token": "devidp:token",
    "user-info": "devidp:userinfo",
    "jwks-info": "devidp:jwks",
    "rp-initiated-logout": "devidp:end-session",
}


class DiscoveryView(oauth2_views.ConnectDiscoveryInfoView):
    """OpenID Provider metadata pointing at devidp's endpoints (not django-oauth-toolkit's /oauth/ ones)."""

    def _get_endpoint_url(self, request: HttpRequest, view_name: str, required: bool = False) -> str | None:
        name = DOT_ENDPOINTS.get(view_name)
        if name is None:
            if required:
                raise NoReverseMatch(view_name)
            return None
        return request.build_absolute_uri(reverse(name))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        metadata = json.loads(super().get(request, *args, **kwargs).content)
        metadata.update(
            {
                "issuer": devidp_issuer(request),
                "end_session_endpoint": self._get_endpoint_url(request, "rp-initiated-logout"),
                "scopes_supported": sorted(DEVIDP_SCOPES),
                "claims_supported": list(DEVIDP_CLAIMS),
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "ui_locales_supported": [code for code, _name in settings.LANGUAGES],
            }
        )
        response = JsonResponse(metadata)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class EndSessionView(_DevIdpPageMixin, oauth2_views.RPInitiatedLogoutView):
    """RP-initiated logout: checks that the ID token hint is devidp's and that the return address is
    registered for its client, ends devidp's session (the cookie) and sends the person back.

    The platform's session is not touched: the platform ends it itself before sending the person here.
    """

    http_method_names = ["get"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.oidc_data: dict[str, Any] = {}
        # Skips only the OIDC_RP_INITIATED_LOGOUT_ENABLED check: that setting would also open
        # django-oauth-toolkit's /oauth/logout/, which ends the platform's session instead of devidp's.
        response: HttpResponse = super(OIDCLogoutOnlyMixin, self).dispatch(request, *args, **kwargs)
        return response

    def validate_logout_request(
        self, id_token_hint: str | None, client_id: str | None, post_logout_redirect_uri: str | None
    ) -> tuple[Any, Any]:
        if not id_token_hint:
            raise InvalidIDTokenError()
        if client_id and client_id not in devidp_client_ids():
            raise InvalidOIDCClientError()
        application, token_user = super().validate_logout_request(id_token_hint, client_id, post_logout_redirect_uri)
        if not is_devidp_client(application):
            raise InvalidOIDCClientError()
        return application, token_user

    def must_prompt(self, token_user: Any) -> bool:
        # devidp stands in for the national provider, which signs the person out when the service asks
        # with a valid ID token of theirs; there is nothing else at devidp to keep a session for.
        return False

    def do_logout(
        self,
        application: Any = None,
        post_logout_redirect_uri: str | None = None,
        state: str | None = None,
        token_user: Any = None,
    ) -> HttpResponse:
        if token_user is not None and oauth2_settings.OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS:
            access_tokens = list(get_access_token_model().objects.filter(user=token_user, application=application))
            refresh_tokens = list(get_refresh_token_model().objects.filter(access_token__in=access_tokens))
            for token in access_tokens:
                if token.id_token:
                    token.id_token.revoke()
                token.revoke()
            for refresh_token in refresh_tokens:
                refresh_token.revoke()
        if post_logout_redirect_uri:
            target = (
                add_params_to_uri(post_logout_redirect_uri, [("state", state)]) if state else post_logout_redirect_uri
            )
            response: HttpResponse = OAuth2ResponseRedirect(target, application.get_allowed_schemes())
        else:
            language = ui_language(self.request.GET.get("ui_locales"))
            response = HttpResponseRedirect(f"{reverse('devidp:login')}?{urlencode({'ui_locales': language})}")
        forget(response)
        return response
