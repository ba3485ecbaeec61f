"""Who is acting: the acting context of a request (SEC-2), built once per request."""

from django.http import HttpRequest

from onedoor.core.actors import Actor, ActorKind, anonymous
from onedoor.core.middleware import client_ip

from .models import Role, User


def actor_for_user(user: User, *, source_ip: str | None = None, request_id: str = "") -> Actor:
    institution = user.institution
    roles = frozenset(user.roles or [])
    is_platform_admin = user.is_superuser or (
        institution is not None and institution.is_platform_operator and Role.PLATFORM_ADMIN in roles
    )
    return Actor(
        kind=ActorKind.USER,
        id=str(user.pk),
        label=user.get_username(),
        institution_id=str(institution.pk) if institution else None,
        institution_code=institution.code if institution else None,
        acting_for=institution.code if institution else "",
        roles=roles,
        source_ip=source_ip,
        request_id=request_id,
        is_platform_admin=is_platform_admin,
    )


def actor_for_request(request: HttpRequest) -> Actor:
    request_id = getattr(request, "request_id", "")
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return actor_for_user(user, source_ip=client_ip(request), request_id=request_id)
    return anonymous(source_ip=client_ip(request), request_id=request_id)
