"""The acting context that travels with every request into services and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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
    acting_for: str = ""
    mandate_id: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    source_ip: str | None = None
    request_id: str = ""
    is_platform_admin: bool = False
    service_codes: frozenset[str] | None = None  # an institution system limited to these services

    def may_use_service(self, code: str) -> bool:
        return self.service_codes is None or code in self.service_codes

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


SYSTEM = Actor(kind=ActorKind.SYSTEM, id="onedoor", label="OneDoor platform", is_platform_admin=True)


def anonymous(*, source_ip: str | None = None, request_id: str = "") -> Actor:
    return Actor(kind=ActorKind.ANONYMOUS, label="anonymous", source_ip=source_ip, request_id=request_id)
