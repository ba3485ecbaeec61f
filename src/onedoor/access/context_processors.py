from typing import Any

from django.http import HttpRequest


def acting_context(request: HttpRequest) -> dict[str, Any]:
    """The acting context for the header every page shows (ACC-1)."""
    return {"acting_context": getattr(request, "acting_context", None)}
