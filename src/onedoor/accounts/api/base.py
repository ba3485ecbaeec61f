"""What every /api/v1/me/… view shares: who may call it and as whom (ACC-1, SEC-1).

The browser calls it with the session (CSRF enforced, in the acting context chosen on the pages);
the mobile app with an OAuth access token issued to the signed-in person with the `me` scope, acting
for themself. A token without a person behind it (an institution system's) is refused.
"""

from typing import Any

from django.http import HttpRequest
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from onedoor.access.contexts import default_context
from onedoor.core.actors import Actor
from onedoor.core.middleware import client_ip
from onedoor.identity.contexts import ActingContext
from onedoor.identity.models import User
from onedoor.identity.selectors import actor_for_user
from onedoor.parties.models import Person

ME_SCOPE = "me"


class MeTokenAuthentication(OAuth2Authentication):
    """An OAuth access token given to a person (authorization code flow) with the `me` scope."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None or not token.allow_scopes([ME_SCOPE]):
            return None
        return user, token


class HasClientContext(BasePermission):
    """Signed in and acting as a client (a person or a company, not an institution)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        context = acting_context_of(request)
        return context is not None and context.is_client


def acting_context_of(request: Request) -> ActingContext | None:
    """The session's chosen context; with a token, the person themself."""
    django_request: HttpRequest = request._request
    if request.auth is not None and isinstance(request.user, User):
        return default_context(request.user)
    return getattr(django_request, "acting_context", None)


class MeApiView(APIView):
    authentication_classes = [SessionAuthentication, MeTokenAuthentication]
    permission_classes = [HasClientContext]

    def get_authenticate_header(self, request: Request) -> str:
        # Session authentication comes first and has no challenge, which would turn "not signed in" into
        # 403; the token is the other way in, so answer 401 with its challenge.
        return 'Bearer realm="api"'

    def actor(self) -> Actor:
        user = self.request.user
        assert isinstance(user, User)
        return actor_for_user(
            user,
            context=acting_context_of(self.request),
            source_ip=client_ip(self.request._request),
            request_id=getattr(self.request._request, "request_id", ""),
        )

    def signed_in_person(self) -> Person | None:
        """The person who is signed in (not whom they act for)."""
        user = self.request.user
        return user.person if isinstance(user, User) else None
