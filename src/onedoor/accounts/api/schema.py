"""How /api/v1/me/… authenticates, as the OpenAPI schema describes it."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .base import ME_SCOPE


class MeTokenScheme(OpenApiAuthenticationExtension):
    """An access token issued to a signed-in person (authorization code with PKCE) with the `me` scope."""

    target_class = "onedoor.accounts.api.base.MeTokenAuthentication"
    name = "personApp"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "An app the person signed in to, e.g. the mobile app (authorization code with PKCE).",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/oauth/authorize/",
                    "tokenUrl": "/oauth/token/",
                    "scopes": {ME_SCOPE: "Your own e-account: cases, messages, documents and mandates"},
                }
            },
        }

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        return {self.name: [ME_SCOPE]}
