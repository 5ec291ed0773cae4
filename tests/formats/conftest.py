"""Fixtures for the format tests: a stored, translated and reviewed article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translate.formats.readers import read_text
from translate.review.store import Store

from .catfiles import ARTICLE, HOSTILE_TEXT


@pytest.fixture
def stored(tmp_path: Path, fake_translator: Any) -> Iterator[tuple[Store, str]]:
    """A translated article: p2 edited into a paragraph unit, p3 approved by "ana"."""
    with Store(tmp_path / "s.sqlite") as store:
        document = read_text(ARTICLE, "txt", name="jembatan.txt")
        doc_id = store.create(document, fake_translator.meta(document))
        store.save_translation(doc_id, fake_translator.translate_document(store.pending(doc_id)))
        store.edit(doc_id, "p2", HOSTILE_TEXT, who="ed")
        store.set_status(doc_id, "p3", "approved", who="ana")
        yield store, doc_id
