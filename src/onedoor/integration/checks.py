from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError


@register("onedoor", deploy=True)
def no_demo_systems_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Production refuses to start while systems with published demo secrets can get tokens."""
    if getattr(settings, "ONEDOOR_DEMO", False):
        return []
    from .models import InstitutionSystem

    try:
        codes = sorted(
            InstitutionSystem.objects.filter(is_demo_account=True, is_active=True).values_list("code", flat=True)
        )
    except DatabaseError:
        return []  # not migrated yet: nothing can sign in
    if not codes:
        return []
    return [
        Error(
            f"Institution systems with published demo secrets are active: {', '.join(codes)}.",
            hint="Deactivate them or give them new credentials before running in production.",
            id="onedoor.E002",
        )
    ]
