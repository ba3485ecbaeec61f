"""The hash chain: how a record's hash is computed from its content and its predecessor's hash."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

CHAINED_FIELDS = (
    "occurred_at",
    "actor_kind",
    "actor_id",
    "actor_label",
    "institution_id",
    "acting_for",
    "mandate_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "holder_id",
    "source_ip",
    "request_id",
    "outcome",
    "details",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def record_hash(*, sequence: int, prev_hash: str, fields: dict[str, Any]) -> str:
    content = {name: _canonical(fields.get(name)) for name in CHAINED_FIELDS}
    content["sequence"] = sequence
    content["prev_hash"] = prev_hash
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
