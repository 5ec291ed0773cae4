from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translate import Translator, read_text
from translate.review.memory import Memory, MemoryEntry, approved_units, normalise
from translate.review.store import Store


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    with Memory(tmp_path / "store.sqlite") as m:
        yield m  # type: ignore[misc]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Harga  beras naik.", "Harga beras naik."),
        (" Harga beras\nnaik. ", "Harga beras naik."),
        ("Ke\u0301ju", "Kéju"),
    ],
)
def test_normalisation(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_exact_reuse_and_newest_wins(memory: Memory) -> None:
    assert memory.add("Harga beras naik.", "Rice prices rose.", updated="2026-01-01T00:00:00")
    assert memory.exact("Harga  beras naik. ").target == "Rice prices rose."  # type: ignore[union-attr]
    # An older approval does not replace a newer one; a newer one does.
    assert not memory.add("Harga beras naik.", "Old.", updated="2025-01-01T00:00:00")
    assert memory.add("Harga beras naik.", "Rice prices went up.", updated="2026-02-01T00:00:00")
    assert memory.exact("Harga beras naik.").target == "Rice prices went up."  # type: ignore[union-attr]
    assert len(memory) == 1  # no duplicates
    assert memory.exact("Harga gula naik.") is None


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Harga beras di pasar induk naik tajam pada Senin.", True),  # identical
        ("Harga beras di pasar induk naik tajam pada Selasa.", True),  # one word changed
        ("Harga gula di pasar induk turun tajam pada Selasa.", True),  # 78.8: just above
        ("Harga beras di pasar naik tajam.", True),  # 79.0: words dropped
        ("Harga gula di pasar turun drastis kemarin.", False),  # 59.3: below 75
        ("Presiden meresmikan jembatan baru.", False),  # unrelated
    ],
)
def test_fuzzy_threshold_edges(memory: Memory, query: str, found: bool) -> None:
    from rapidfuzz import fuzz

    stored = "Harga beras di pasar induk naik tajam pada Senin."
    memory.add(stored, "Rice prices at the main market rose sharply on Monday.")
    hits = memory.fuzzy(query)
    assert bool(hits) == found
    assert bool(hits) == (fuzz.ratio(normalise(query), stored) >= 75)
    for hit in hits:
        assert 75 <= hit.score <= 100


def test_reuse_across_two_documents(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    engine = FakeEngine()
    translator = Translator(engine=engine, glossary=None, memory=path)
    first = translator.translate_document(read_text("Harga beras naik. Warga protes."))
    with Store(path) as store:
        doc_id = store.create(read_text("Harga beras naik. Warga protes."), first.meta)
        store.save_translation(doc_id, first)
        store.edit(doc_id, "p0", "Rice prices rose. Residents protested.")
        store.set_status(doc_id, "p0", "approved", who="Dewi")
    engine.calls.clear()
    second = Translator(engine=engine, glossary=None, memory=path).translate_document(
        "Warga protes. Harga beras naik lagi."
    )
    (p,) = second.paragraphs
    assert p.sentences[0].target == "Residents protested." and p.sentences[0].origin == "memory"
    assert p.sentences[1].origin == "mt"
    sent = [t for call in engine.calls for t in call]
    assert sent == ["Harga beras naik lagi."]  # the remembered sentence never reached the model


def test_paragraph_unit_when_the_edit_changed_the_sentence_count(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    translator = Translator(engine=FakeEngine(), glossary=None)
    doc = translator.translate_document("Harga naik. Warga protes.")
    with Store(path) as store:
        doc_id = store.create(read_text("Harga naik. Warga protes."), doc.meta)
        store.save_translation(doc_id, doc)
        store.edit(doc_id, "p0", "Prices rose and residents protested.")
        store.set_status(doc_id, "p0", "approved")
    with Memory(path) as memory:
        hit = memory.exact("Harga naik. Warga protes.")
        assert hit is not None and hit.target == "Prices rose and residents protested."
        assert memory.exact("Harga naik.") is None


def test_unapproved_work_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    doc = Translator(engine=FakeEngine(), glossary=None).translate_document("Harga naik.")
    with Store(path) as store:
        doc_id = store.create(read_text("Harga naik."), doc.meta)
        store.save_translation(doc_id, doc)
        store.edit(doc_id, "p0", "Prices rose.")
    with Memory(path) as memory:
        assert len(memory) == 0
    approved = replace(doc.paragraphs[0], status="approved", target="Prices rose.")
    with Memory(path) as memory:
        memory.add_document(replace(doc, paragraphs=(approved,)), "d-1")
        assert len(memory) == 1


def test_approved_units_are_memory_entries(tmp_path: Path) -> None:
    doc = Translator(engine=FakeEngine(), glossary=None).translate_document("Harga naik. Warga.")
    p0 = replace(doc.paragraphs[0], status="approved", approved_at="2026-03-01T00:00:00")
    entries = approved_units(replace(doc, paragraphs=(p0,)), "d-1")
    assert entries == [
        MemoryEntry(s.source, s.target, "d-1", None, "2026-03-01T00:00:00") for s in p0.sentences
    ]
    with Memory(tmp_path / "store.sqlite") as memory:
        assert memory.add_many(entries) == 2
        assert [h.updated for h in memory.pairs()] == ["2026-03-01T00:00:00"] * 2
        assert memory.add_many([MemoryEntry("Baru.", "New.")]) == 1
        assert memory.exact("Baru.") is not None
