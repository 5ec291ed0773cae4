"""Approved pairs from the store and from TMX, and the held-out split by document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translate import Translator, read_text
from translate.errors import UsageError
from translate.review.store import Store
from translate.training import data
from translate.training.data import Pair, TooFewPairsError

from .synthetic import cipher_pairs, write_tmx


def pairs_of(n: int, per_document: int = 10) -> list[Pair]:
    return [Pair(s, t, d) for s, t, d in cipher_pairs(n, per_document=per_document)]


@pytest.mark.parametrize(("n", "fraction", "seed"), [(300, 0.1, 1), (300, 0.2, 7), (1000, 0.1, 3)])
def test_split_holds_out_whole_documents(n: int, fraction: float, seed: int) -> None:
    pairs = data.unique(pairs_of(n))
    held = data.split(pairs, fraction, seed)
    train_docs = {p.document for p in held.train}
    held_docs = {p.document for p in held.heldout}
    assert held_docs and not train_docs & held_docs
    assert len(held.train) + len(held.heldout) == len(pairs)
    want = round(len(pairs) * fraction)
    assert want <= len(held.heldout) <= 1.5 * want
    # Every document is whole on its side.
    sizes = Counter(p.document for p in pairs)
    assert all(Counter(p.document for p in held.heldout)[d] == sizes[d] for d in held_docs)
    assert data.split(pairs, fraction, seed) == held  # the seed decides
    assert data.split(pairs, fraction, seed + 1) != held


def test_a_document_larger_than_the_share_is_split_pair_by_pair() -> None:
    # One imported TM is one "document": it cannot be held out whole, nor left all in training.
    pairs = data.unique(pairs_of(300, per_document=300))
    held = data.split(pairs, 0.1, 1)
    assert 30 <= len(held.heldout) <= 45 and len(held.train) == len(pairs) - len(held.heldout)
    assert not {p.source for p in held.train} & {p.source for p in held.heldout}


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1])
def test_a_fraction_out_of_range_is_refused(fraction: float) -> None:
    with pytest.raises(UsageError, match="--valid-fraction"):
        data.split(pairs_of(300), fraction)


@pytest.mark.parametrize(("n", "refused"), [(0, True), (199, True), (200, False)])
def test_fewer_than_200_pairs_are_refused_with_the_count(n: int, refused: bool) -> None:
    if not refused:
        data.require_enough(pairs_of(n), "the TMX")
        return
    with pytest.raises(TooFewPairsError, match=f"has {n} approved pairs") as caught:
        data.require_enough(pairs_of(n), "the TMX")
    assert caught.value.count == n and caught.value.exit_code == 2


def test_the_store_gives_approved_units_only(tmp_path: Path) -> None:
    """Drafts, edits never approved, and edits made after an approval are not training data;
    the approved English is, with its document."""
    path = tmp_path / "store.sqlite"
    text = "Harga naik.\n\nWarga protes.\n\nHujan turun.\n\nPasar sepi."
    doc = Translator(engine=FakeEngine(), glossary=None).translate_document(text)
    with Store(path) as store:
        doc_id = store.create(read_text(text), doc.meta)
        store.save_translation(doc_id, doc)
        store.edit(doc_id, "p0", "Prices rose.")
        store.set_status(doc_id, "p0", "approved", who="Rina")  # approved
        store.edit(doc_id, "p1", "Residents protested.")  # edited, never approved
        store.set_status(doc_id, "p3", "approved", who="Rina")  # the MT, approved as it is
        store.set_status(doc_id, "p3", "edited")  # reopened …
        store.edit(doc_id, "p3", "The market was quiet, unapproved.")  # … and edited again
    # p2 stays a draft.
    pairs = data.from_store(path)
    assert {(p.source, p.target, p.document) for p in pairs} == {
        ("Harga naik.", "Prices rose.", doc_id),
        ("Pasar sepi.", "EN(Pasar sepi.)", doc_id),
    }


def test_the_newest_approval_of_a_source_wins(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    translator = Translator(engine=FakeEngine(), glossary=None)
    with Store(path) as store:
        for english in ("Prices rose.", "Prices went up."):
            doc = translator.translate_document("Harga naik.")
            doc_id = store.create(read_text("Harga naik."), doc.meta)
            store.save_translation(doc_id, doc)
            store.edit(doc_id, "p0", english)
            store.set_status(doc_id, "p0", "approved")
    (pair,) = data.from_store(path)
    assert pair.target == "Prices went up." and pair.document == doc_id


def test_tmx_units_not_approved_in_our_exports_are_left_out(tmp_path: Path) -> None:
    triples = cipher_pairs(9, per_document=3)
    files = [
        write_tmx(tmp_path / "plain.tmx", triples[:3]),  # another tool's TM: no status
        write_tmx(tmp_path / "approved.tmx", triples[3:6], status="approved"),
        write_tmx(tmp_path / "draft.tmx", triples[6:], status="draft"),
    ]
    pairs = data.from_tmx(files)
    assert {p.source for p in pairs} == {s for s, _, _ in triples[:6]}
    # Documents come from x-document, per file.
    assert {p.document for p in pairs} == {"plain.tmx:doc-000", "approved.tmx:doc-001"}


def test_a_tmx_without_documents_makes_each_unit_its_own_group(tmp_path: Path) -> None:
    path = tmp_path / "tm.tmx"
    write_tmx(path, cipher_pairs(4))
    path.write_text(path.read_text().replace('type="x-document"', 'type="x-other"'))
    assert len({p.document for p in data.from_tmx([path])}) == 4


def test_the_same_source_twice_is_one_pair_the_later_winning() -> None:
    pairs = data.unique([Pair("Harga  naik.", "Old.", "a"), Pair("Harga naik.", "New.", "b")])
    assert pairs == [Pair("Harga naik.", "New.", "b")]


def test_the_data_checksum_ignores_order_and_sees_every_change() -> None:
    pairs = pairs_of(20)
    assert data.data_sha256(pairs) == data.data_sha256(reversed(pairs))
    changed = [*pairs[:-1], Pair(pairs[-1].source, pairs[-1].target + "!", pairs[-1].document)]
    assert data.data_sha256(changed) != data.data_sha256(pairs)


def test_the_guard_set_is_200_distinct_general_pairs() -> None:
    guard = data.guard_pairs()
    assert len(guard) == 200 and len({p.source for p in guard}) == 200
    assert all(p.source and p.target and p.source != p.target for p in guard)


def test_our_document_tmx_export_gives_its_approved_units_only(tmp_path: Path) -> None:
    from dataclasses import replace

    from translate.formats.tmx import to_tmx

    doc = Translator(engine=FakeEngine(), glossary=None).translate_document(
        read_text("Harga naik.\n\nWarga protes.", name="berita.txt")
    )
    approved = replace(doc.paragraphs[0], status="approved")
    path = tmp_path / "berita.tmx"
    path.write_bytes(to_tmx(replace(doc, paragraphs=(approved, doc.paragraphs[1]))))
    assert data.from_tmx([path]) == [
        Pair("Harga naik.", "EN(Harga naik.)", "berita.tmx:berita.txt")
    ]
