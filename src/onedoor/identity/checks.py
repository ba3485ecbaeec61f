from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError


@register("onedoor", deploy=True)
def no_demo_accounts_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Production refuses to start while accounts with published demo passwords can sign in."""
    if getattr(settings, "ONEDOOR_DEMO", False):
        return []
    from .models import User

    try:
        demo_accounts = list(
            User.objects.filter(is_demo_account=True, is_active=True).values_list("username", flat=True)
        )
    except DatabaseError:
        return []
    if not demo_accounts:
        return []
    return [
        Error(
            f"Demo accounts with published passwords are active: {', '.join(sorted(demo_accounts))}.",
            hint="Deactivate or delete them before running in production.",
            id="onedoor.E001",
        )
    ]
