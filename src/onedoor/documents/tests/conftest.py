"""Fixtures of the document store's tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from .factories import use_document_root


@pytest.fixture
def document_root(settings: Settings, tmp_path: Path) -> Path:
    return use_document_root(settings, tmp_path / "documents")


@pytest.fixture
def no_scanner(settings: Settings) -> None:
    settings.ONEDOOR_CLAMD_SOCKET = ""
    settings.ONEDOOR_CLAMD_HOST = ""


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages are asserted in English (the platform's default language is Latvian)."""
    with translation.override("en"):
        yield
