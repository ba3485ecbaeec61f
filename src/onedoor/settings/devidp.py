"""The development identity provider (ADR 0006), shared by the demo and test settings: a real OpenID Connect
provider at /devidp/ on this host, standing in for the national one; the portal signs in through it like through
the national one. `from .devidp import *` gives the portal's OIDC client settings; `devidp_apps` and
`devidp_oauth2_provider` extend the base settings' apps and provider."""

from typing import Any

__all__ = [
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_ISSUER",
    "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_OP_LOGOUT_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
]

OIDC_RP_CLIENT_ID = "onedoor-portal"
OIDC_RP_CLIENT_SECRET = "onedoor-demo-portal-secret"
OIDC_OP_ISSUER = "/devidp"
OIDC_OP_AUTHORIZATION_ENDPOINT = "/devidp/authorize/"
OIDC_OP_TOKEN_ENDPOINT = "/devidp/token/"
OIDC_OP_USER_ENDPOINT = "/devidp/userinfo/"
OIDC_OP_JWKS_ENDPOINT = "/devidp/jwks/"
OIDC_OP_LOGOUT_ENDPOINT = "/devidp/end-session/"


def devidp_apps(installed_apps: list[str]) -> list[str]:
    return [*installed_apps, "onedoor.devidp"]


def devidp_oauth2_provider(oauth2_provider: dict[str, Any], *, signing_key_pem: str) -> dict[str, Any]:
    """The OAuth2 provider settings with OpenID Connect on, signing ID tokens with the given RSA key."""
    return {
        **oauth2_provider,
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key_pem,
        "OAUTH2_VALIDATOR_CLASS": "onedoor.devidp.validators.DevIdpOAuth2Validator",
        "SCOPES": {
            **oauth2_provider["SCOPES"],
            "openid": "Sign in with OpenID Connect",
            "profile": "Your name",
        },
    }
