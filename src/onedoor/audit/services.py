"""Writing the audit log. Call inside the transaction of the change being audited."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from onedoor.core.actors import Actor

from .chain import GENESIS_HASH, record_hash
from .models import AuditRecord, ChainHead, Outcome


@dataclass(frozen=True, slots=True)
class AuditedObject:
    type: str
    id: str
    label: str = ""
    holder_id: str | None = None


def audit_record(
    *,
    actor: Actor,
    action: str,
    outcome: str = Outcome.SUCCESS,
    obj: AuditedObject | None = None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record to the hash chain, in the caller's transaction.

    The chain head row is locked until the caller's transaction ends, so appends are serialised
    and the chain has no gaps; if the caller rolls back, the record disappears with the change.
    """
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1, defaults={"last_hash": GENESIS_HASH})
        fields: dict[str, Any] = {
            **actor.as_audit_fields(),
            "occurred_at": timezone.now(),
            "action": action,
            "outcome": str(outcome),
            "object_type": obj.type if obj else "",
            "object_id": obj.id if obj else "",
            "object_label": obj.label[:300] if obj else "",
            "holder_id": (obj.holder_id or "") if obj else "",
            "details": details or {},
        }
        sequence = head.last_sequence + 1
        digest = record_hash(sequence=sequence, prev_hash=head.last_hash, fields=fields)
        record = AuditRecord.objects.create(sequence=sequence, prev_hash=head.last_hash, hash=digest, **fields)
        head.last_sequence = sequence
        head.last_hash = digest
        head.save(update_fields=["last_sequence", "last_hash"])
    return record
