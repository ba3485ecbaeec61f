"""Input fields that take JSON as it is: a number where text is expected is an error, not text."""

from typing import Any

from rest_framework import serializers


class _TextOnly:
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")  # type: ignore[attr-defined]
        value: str = super().to_internal_value(data)  # type: ignore[misc]
        return value


class StrictCharField(_TextOnly, serializers.CharField):
    pass


class StrictSlugField(_TextOnly, serializers.SlugField):
    pass


class StrictRegexField(_TextOnly, serializers.RegexField):
    pass
