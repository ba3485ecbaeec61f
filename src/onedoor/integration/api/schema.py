"""How the integration API's authentication appears in the OpenAPI document."""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SystemTokenScheme(OpenApiAuthenticationExtension):
    """OAuth 2.0 client credentials; each operation lists the one scope it needs."""

    target_class = "onedoor.integration.auth.SystemTokenAuthentication"
    name = "institutionSystem"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scopes: dict[str, str] = settings.OAUTH2_PROVIDER["SCOPES"]  # type: ignore[assignment]
        return {
            "type": "oauth2",
            "description": "Client credentials of an institution's system (see docs/api.md).",
            "flows": {"clientCredentials": {"tokenUrl": "/oauth/token/", "scopes": scopes}},
        }

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        scope = auto_schema.view.scope_for(auto_schema.method)
        return {self.name: [scope] if scope else []}
