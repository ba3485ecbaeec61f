"""Bilingual content fields: every translated field is stored as `<name>_lv` and `<name>_en`."""

from typing import Any

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("lv", "en")


def current_language() -> str:
    language = (get_language() or "lv")[:2]
    return language if language in CONTENT_LANGUAGES else "lv"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The field in the requested (or active) language, falling back to Latvian."""
    language = language or current_language()
    value = getattr(obj, f"{field}_{language}", "") or ""
    return value or getattr(obj, f"{field}_lv", "") or ""
