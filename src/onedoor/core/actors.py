"""The acting context that travels with every request into services and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts (user or system), for whom, in which institution, from where."""

    kind: ActorKind
    id: str = ""
    label: str = ""
    institution_id: str | None = None
    institution_code: str | None = None
    acting_for: str = ""  # personal code, registration number or institution code
    acting_for_kind: str = ""  # "person", "organisation" or "institution"
    acting_for_id: str = ""  # the Person, Organisation or Institution primary key
    acting_for_label: str = ""  # the name shown: "Anna Kalniņa", "SIA “Kokmateriāli”"
    mandate_id: str = ""
    may_act: bool = True  # False under a mandate for result retrieval only
    roles: frozenset[str] = field(default_factory=frozenset)
    source_ip: str | None = None
    request_id: str = ""
    is_platform_admin: bool = False
    service_codes: frozenset[str] | None = None  # an institution system limited to these services

    def may_use_service(self, code: str) -> bool:
        return self.service_codes is None or code in self.service_codes

    @property
    def is_client(self) -> bool:
        """A signed-in person acting as a client: for themself, a child, a company or a mandator."""
        return self.kind == ActorKind.USER and self.acting_for_kind in {"person", "organisation"}

    @property
    def description(self) -> str:
        """“X”, “X on behalf of Y” or “X on behalf of Y under mandate M”, as case histories show it."""
        if not self.acting_for_label or self.acting_for_label == self.label:
            return self.label
        return acting_description(actor=self.label, client=self.acting_for_label, mandate=self.mandate_id)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def as_audit_fields(self) -> dict[str, Any]:
        return {
            "actor_kind": self.kind.value,
            "actor_id": self.id,
            "actor_label": self.label,
            "institution_id": self.institution_id or "",
            "acting_for": self.acting_for,
            "mandate_id": self.mandate_id,
            "source_ip": self.source_ip,
            "request_id": self.request_id,
        }


def acting_description(*, actor: str, client: str = "", mandate: str = "") -> str:
    """“X”, “X on behalf of Y” or “X on behalf of Y under mandate M” in the active language (ACC-5)."""
    if not client or client == actor:
        return actor
    if mandate:
        return _("%(actor)s on behalf of %(client)s under mandate %(mandate)s") % {
            "actor": actor,
            "client": client,
            "mandate": mandate,
        }
    return _("%(actor)s on behalf of %(client)s") % {"actor": actor, "client": client}


SYSTEM = Actor(kind=ActorKind.SYSTEM, id="onedoor", label="OneDoor platform", is_platform_admin=True)


def anonymous(*, source_ip: str | None = None, request_id: str = "") -> Actor:
    return Actor(kind=ActorKind.ANONYMOUS, label="anonymous", source_ip=source_ip, request_id=request_id)
