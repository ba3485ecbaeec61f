"""OAuth 2.0 client credentials for institutions' systems (INT-3), on django-oauth-toolkit.

A system may obtain a token only for the scopes it was granted; every API request made with
the token acts as that system, within its institution and its services.
"""

from typing import Any

from django.http import HttpRequest
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractAccessToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from onedoor.core.actors import Actor, ActorKind
from onedoor.core.middleware import client_ip

from .models import InstitutionSystem


def _system_for_client(client: Any) -> InstitutionSystem | None:
    return InstitutionSystem.objects.select_related("institution").filter(application=client, is_active=True).first()


# What an app acting for a signed-in person (authorization code flow, e.g. the mobile app) may ask for.
PERSON_APP_SCOPES = frozenset({"me"})


def _is_person_app(client: Any) -> bool:
    return client is not None and client.authorization_grant_type == client.GRANT_AUTHORIZATION_CODE


class SystemOAuth2Validator(OAuth2Validator):
    """Grants a system no scope it was not given; without a `scope` parameter, all it was given.
    An app a person signs in to gets at most the `me` scope, and only for that person."""

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        system = _system_for_client(client)
        if system is not None:
            return set(scopes) <= set(system.scopes)
        return _is_person_app(client) and set(scopes) <= PERSON_APP_SCOPES

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        system = _system_for_client(request.client)
        if system is not None:
            return list(system.scopes)
        return sorted(PERSON_APP_SCOPES) if _is_person_app(request.client) else []


def actor_for_system(system: InstitutionSystem, *, scopes: frozenset[str], request: HttpRequest) -> Actor:
    service_codes = frozenset(system.services.values_list("code", flat=True))
    return Actor(
        kind=ActorKind.SYSTEM,
        id=str(system.pk),
        label=system.code,
        institution_id=str(system.institution_id),
        institution_code=system.institution.code,
        acting_for=system.institution.code,
        roles=scopes,
        source_ip=client_ip(request),
        request_id=getattr(request, "request_id", ""),
        service_codes=service_codes or None,
    )


class SystemTokenAuthentication(OAuth2Authentication):
    """A bearer token of an active institution system; `request.auth` stays the access token."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        system = _system_for_client(token.application)
        if system is None:
            raise AuthenticationFailed("The system of this token is not active.")
        request._request.onedoor_actor = actor_for_system(  # type: ignore[attr-defined]
            system, scopes=frozenset(token.scope.split()), request=request._request
        )
        return _user, token


def system_actor(request: Request) -> Actor:
    actor: Actor = request._request.onedoor_actor  # type: ignore[attr-defined]
    return actor


class HasScope(BasePermission):
    """The token carries the view's `required_scope`."""

    message = "The access token does not have the scope this operation needs."

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if not isinstance(token, AbstractAccessToken):
            return False
        required: str = getattr(view, "required_scope", "")
        return bool(required) and required in token.scope.split()
