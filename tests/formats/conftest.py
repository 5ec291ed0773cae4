"""Fixtures for the format tests: a stored, translated and reviewed article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translate.review.store import Store

from .catfiles import HOSTILE_TEXT, stored_article


@pytest.fixture
def stored(tmp_path: Path, fake_translator: Any) -> Iterator[tuple[Store, str]]:
    """A translated article: p2 edited into a paragraph unit by "ed", p3 approved by "ana"."""
    with stored_article(tmp_path / "s.sqlite", fake_translator, HOSTILE_TEXT, who="ed") as pair:
        yield pair
