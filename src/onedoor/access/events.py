"""The events mandates emit through the outbox (ACC-5): the mandatary and the mandator are told.

They name no institution, so no institution's system receives them; the notifications app turns
them into inbox messages.
"""

from datetime import datetime
from typing import Any

from onedoor.core.outbox import outbox_append

from .models import Mandate

MANDATE_GRANTED = "mandate.granted"
MANDATE_REVOKED = "mandate.revoked"
MANDATE_DECLINED = "mandate.declined"

EVENT_TYPES = (MANDATE_GRANTED, MANDATE_REVOKED, MANDATE_DECLINED)
SOURCE = "/onedoor/mandates"


def mandate_summary(mandate: Mandate) -> dict[str, Any]:
    return {
        "reference": mandate.reference,
        "mandator": mandate.mandator_label,
        "mandator_kind": "organisation" if mandate.mandator_organisation_id else "person",
        "scope": mandate.scope,
        "service_codes": list(mandate.service_codes),
        "valid_from": mandate.valid_from.isoformat(),
        "valid_until": mandate.valid_until.isoformat(),
    }


def mandate_event_append(mandate: Mandate, type: str, *, occurred_at: datetime) -> None:
    """Record the event in the caller's transaction (published after commit)."""
    outbox_append(
        type=type,
        source=SOURCE,
        subject=mandate.reference,
        ordering_key=str(mandate.pk),
        data=mandate_summary(mandate),
        occurred_at=occurred_at,
    )
