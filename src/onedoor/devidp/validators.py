"""The OAuth 2.0 validator of demo and test settings: devidp's relying parties get OpenID Connect,
every other client is judged by the platform's own validator, unchanged."""

from typing import Any

from oauthlib.oauth2.rfc6749 import errors

from onedoor.integration.auth import SystemOAuth2Validator

from .clients import devidp_client_ids, is_devidp_client
from .issuer import devidp_issuer
from .models import Subject

DEVIDP_SCOPES = frozenset({"openid", "profile"})
DEVIDP_CLAIMS = ("sub", "personal_code", "given_name", "family_name", "name")


class DevIdpOAuth2Validator(SystemOAuth2Validator):
    # The personal code is what the national identity provider always releases: it comes with `openid`.
    oidc_claim_scope = {**SystemOAuth2Validator.oidc_claim_scope, "personal_code": "openid"}

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if is_devidp_client(client):
            return "openid" in scopes and set(scopes) <= DEVIDP_SCOPES
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        if is_devidp_client(request.client):
            return sorted(DEVIDP_SCOPES)
        return super().get_default_scopes(client_id, request, *args, **kwargs)

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        if client_id in devidp_client_ids():
            return True
        return bool(super().is_pkce_required(client_id, request))

    def save_authorization_code(
        self, client_id: str, code: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        # A code for a devidp client is only ever issued to a person signed in at devidp: never to
        # whoever holds a platform session (django-oauth-toolkit's own /oauth/authorize/ would).
        if is_devidp_client(request.client) and not Subject.objects.filter(user=request.user).exists():
            raise errors.AccessDeniedError(request=request)
        super().save_authorization_code(client_id, code, request, *args, **kwargs)

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        if not is_devidp_client(request.client):
            return dict(super().get_additional_claims(request))
        subject = Subject.objects.filter(user=request.user).first()
        if subject is None:
            return {}
        return {
            "personal_code": subject.personal_code,
            "given_name": subject.given_name,
            "family_name": subject.family_name,
            "name": subject.full_name,
        }

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(DEVIDP_CLAIMS)

    def get_oidc_issuer_endpoint(self, request: Any) -> str:
        return devidp_issuer(request)
