"""The specialist at work: who they are, for which institution, at which place and in which team.

Every workplace page requires a member of staff acting for their institution with the specialist
or case-handler role (WORK-1); `specialist_required` hands the view a `Desk`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from onedoor.catalog.models import ApplicationPlace
from onedoor.core.actors import Actor
from onedoor.identity.models import Role, User
from onedoor.identity.selectors import actor_for_request
from onedoor.parties.models import Institution

from .models import Placement, Team

WORKPLACE_ROLES = frozenset({Role.SPECIALIST.value, Role.CASE_HANDLER.value})

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True, slots=True)
class Desk:
    user: User
    actor: Actor
    institution: Institution
    place: ApplicationPlace | None
    team: Team | None


def desk_for(request: HttpRequest) -> Desk | None:
    """The request's desk, or None when the user is not staff acting for their institution with a workplace role."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user.institution_id is None:
        return None
    actor = actor_for_request(request)
    if actor.acting_for_kind != "institution" or not (actor.roles & WORKPLACE_ROLES):
        return None
    return desk_of(user, actor)


def desk_of(user: User, actor: Actor) -> Desk:
    """The desk of a member of staff acting for their institution as `actor` (also outside a request)."""
    placement = Placement.objects.select_related("place", "team").filter(user=user).first()
    return Desk(
        user=user,
        actor=actor,
        institution=user.institution,  # type: ignore[arg-type]  # staff always belong to an institution
        place=placement.place if placement else None,
        team=placement.team if placement else None,
    )


def specialist_required(view: View) -> View:
    """Sign-in required; anyone else (a client, staff without a workplace role) gets a 403 page
    that says how to get in. The view receives the desk as the keyword argument `desk`."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        desk = desk_for(request)
        if desk is None:
            return render(request, "workplace/not_staff.html", {"active_nav": "workplace"}, status=403)
        return view(request, *args, desk=desk, **kwargs)

    return login_required(wrapped)
