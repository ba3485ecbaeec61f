"""Who is acting: the acting context of a request (SEC-2), built once per request."""

from django.http import HttpRequest

from onedoor.core.actors import Actor, ActorKind, anonymous
from onedoor.core.middleware import client_ip

from .contexts import ActingContext, ContextKind
from .models import Role, User


def actor_for_user(
    user: User, *, context: ActingContext | None = None, source_ip: str | None = None, request_id: str = ""
) -> Actor:
    """The actor for a signed-in user. Without a context (password sign-in to the administration),
    a staff member acts for their institution; with one, institution rights come only with the
    institution context — a civil servant acting as a private person is just a client."""
    if context is not None and context.kind != ContextKind.INSTITUTION:
        label = user.person.full_name if user.person_id and user.person else user.get_full_name() or user.username
        return Actor(
            kind=ActorKind.USER,
            id=str(user.pk),
            label=label,
            acting_for=context.key,
            acting_for_kind=context.party_kind.value,
            acting_for_id=context.party_id,
            acting_for_label=context.label,
            mandate_id=context.mandate_id,
            may_act=context.may_act,
            service_codes=context.service_codes,
            source_ip=source_ip,
            request_id=request_id,
        )
    institution = user.institution
    roles = frozenset(user.roles or [])
    is_platform_admin = user.is_superuser or (
        institution is not None and institution.is_platform_operator and Role.PLATFORM_ADMIN in roles
    )
    return Actor(
        kind=ActorKind.USER,
        id=str(user.pk),
        label=user.get_full_name() or user.get_username(),
        institution_id=str(institution.pk) if institution else None,
        institution_code=institution.code if institution else None,
        acting_for=institution.code if institution else "",
        acting_for_kind="institution" if institution else "",
        acting_for_id=str(institution.pk) if institution else "",
        acting_for_label=institution.code if institution else "",
        roles=roles,
        source_ip=source_ip,
        request_id=request_id,
        is_platform_admin=is_platform_admin,
    )


def actor_for_request(request: HttpRequest) -> Actor:
    request_id = getattr(request, "request_id", "")
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return actor_for_user(
            user,
            context=getattr(request, "acting_context", None),
            source_ip=client_ip(request),
            request_id=request_id,
        )
    return anonymous(source_ip=client_ip(request), request_id=request_id)
