"""Reading and checking the audit log."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from onedoor.core.actors import Actor

from .chain import CHAINED_FIELDS, GENESIS_HASH, record_hash
from .models import AuditRecord, ChainHead


@dataclass(frozen=True, slots=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _records() -> Iterator[dict[str, Any]]:
    columns = ("sequence", "prev_hash", "hash", *CHAINED_FIELDS)
    yield from AuditRecord.objects.order_by("sequence").values(*columns).iterator(chunk_size=5000)


def audit_chain_verify() -> ChainReport:
    """Recompute every hash in order; report the first record that does not fit the chain."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for row in _records():
        sequence = row["sequence"]
        if sequence != expected_sequence:
            return ChainReport(checked, ChainBreak(expected_sequence, f"record {expected_sequence} is missing"))
        if row["prev_hash"] != expected_prev:
            return ChainReport(checked, ChainBreak(sequence, "previous-hash link does not match"))
        if record_hash(sequence=sequence, prev_hash=row["prev_hash"], fields=row) != row["hash"]:
            return ChainReport(checked, ChainBreak(sequence, "content does not match its hash"))
        expected_prev = row["hash"]
        expected_sequence += 1
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_sequence != checked or head.last_hash != expected_prev):
        return ChainReport(checked, ChainBreak(head.last_sequence, "records at the end of the chain are missing"))
    return ChainReport(checked, None)


def audit_records_visible_to(*, actor: Actor) -> QuerySet[AuditRecord]:
    """AUD-2: platform admins see everything; an institution sees actions on its objects and by its staff."""
    records = AuditRecord.objects.all()
    if actor.is_platform_admin:
        return records
    if actor.institution_id is None:
        return records.none()
    return records.filter(Q(holder_id=actor.institution_id) | Q(institution_id=actor.institution_id))
