"""The SQLite store: documents, MT arriving in batches, edits with history, several sessions."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from translate.document import Document, Meta, TranslatedDocument
from translate.errors import UsageError
from translate.formats.readers import read_text
from translate.review.database import MIGRATIONS, SCHEMA_VERSION
from translate.review.store import (
    DocumentInfo,
    HistoryEntry,
    Store,
    StoreError,
    revertible,
)
from translate.terms.glossary import Glossary

ARTICLE = """Presiden Resmikan Jembatan Baru

Jakarta (ANTARA) - Presiden meresmikan jembatan baru. Acara berlangsung meriah.

Warga menyambut gembira. Mereka datang sejak pagi.

Jembatan itu menghubungkan dua desa.

Pewarta: Budi Santoso

(Ant)
"""


def _meta() -> Meta:
    return Meta("fake", "0.1.0", "torch", 2, None, "2026-01-01T00:00:00+00:00")


def _document(name: str = "jembatan.txt") -> Document:
    return read_text(ARTICLE, "txt", name=name)


def _long_document() -> Document:
    """Twelve paragraphs, so that ids p1 and p10 both exist."""
    text = "\n\n".join(f"Kalimat nomor {i} ditulis di sini. Ini kalimat kedua." for i in range(12))
    return read_text(text, "txt", name="panjang.txt")


def _translated(store: Store, doc_id: str, translator: Any) -> TranslatedDocument:
    """Translate and save everything still pending; return the stored document."""
    store.save_translation(doc_id, translator.translate_document(store.pending(doc_id)))
    return store.load(doc_id)


def _paragraphs(doc: TranslatedDocument) -> list[dict[str, Any]]:
    paragraphs: list[dict[str, Any]] = doc.to_dict()["paragraphs"]
    return paragraphs


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "store.sqlite") as s:
        yield s


# --- creating, pending, MT in batches, restart ------------------------------------------------


def test_create_stores_untranslated_paragraphs_with_span_modes(store: Store) -> None:
    document = _document()
    doc_id = store.create(document, _meta(), source_text=ARTICLE)
    assert doc_id.startswith("d-") and len(doc_id) == 14
    loaded = store.load(doc_id)
    assert [p.id for p in loaded.paragraphs] == [b.id for b in document.blocks]
    for p, block in zip(loaded.paragraphs, document.blocks, strict=True):
        assert (p.kind, p.source, p.target, p.mt, p.status) == (
            block.kind,
            block.source,
            "",
            "",
            "draft",
        )
        assert [(s.start, s.end) for s in p.sentences] == [(s.start, s.end) for s in block.spans]
        assert all(s.target == s.mt == "" for s in p.sentences)
    dateline = loaded.paragraph("p1").sentences[0]
    assert dateline.origin == "copy"
    assert [s.origin for s in loaded.paragraph("p4").sentences] == ["rule", "copy"]
    assert loaded.meta.name == "jembatan.txt"
    # Nothing is translated yet: pending is the whole source document, spans and modes included.
    assert store.pending(doc_id) == document


def test_ids_are_unique_and_not_from_text(store: Store) -> None:
    ids = {store.create(_document(), _meta()) for _ in range(20)}
    assert len(ids) == 20


def test_mt_in_two_batches_then_restart(tmp_path: Path, fake_translator: Any) -> None:
    path = tmp_path / "store.sqlite"
    document = _document()
    first = Store(path)
    doc_id = first.create(document, _meta(), source_text=ARTICLE)
    half = Document(document.blocks[:3], name=document.name, format=document.format)
    first.save_translation(doc_id, fake_translator.translate_document(half))
    rest = first.pending(doc_id)
    assert [b.id for b in rest.blocks] == [b.id for b in document.blocks[3:]]
    assert rest.blocks == document.blocks[3:]
    (info,) = first.list()
    assert (info.paragraphs, info.translated) == (6, 3)
    first.close()  # the server restarts; the browser tab was closed

    with Store(path) as second:
        resumed = second.pending(doc_id)
        assert resumed.blocks == document.blocks[3:]
        second.save_translation(doc_id, fake_translator.translate_document(resumed))
        assert second.pending(doc_id).blocks == ()
        loaded = second.load(doc_id)
    whole = fake_translator.translate_document(document)
    assert _paragraphs(loaded) == _paragraphs(whole)
    assert loaded.paragraph("p1").target.startswith("Jakarta (ANTARA) - EN(")
    assert loaded.paragraph("p4").target == "Reporter: Budi Santoso"


def test_round_trip_equals_saved_paragraphs(store: Store, fake_translator: Any) -> None:
    document = _document()
    doc_id = store.create(document, _meta())
    translated = fake_translator.translate_document(document)
    store.save_translation(doc_id, translated)
    loaded = store.load(doc_id)
    assert _paragraphs(loaded) == _paragraphs(translated)
    assert any(p.terms for p in loaded.paragraphs)  # terms from the default glossary survive
    assert loaded.meta.model == "fake"
    assert loaded.meta.glossary_sha256 == translated.meta.glossary_sha256
    assert loaded.meta.created == translated.meta.created
    assert loaded.meta.name == "jembatan.txt"
    history = store.history(doc_id)
    assert [(h.segment, h.action) for h in history] == [(p.id, "mt") for p in document.blocks]


def test_one_paragraph_as_load_gives_it(store: Store, fake_translator: Any) -> None:
    document = _document()
    doc_id = store.create(document, _meta())
    store.save_translation(doc_id, fake_translator.translate_document(document))
    store.edit(doc_id, "p1", "Edited English.", who="Rina")
    loaded = store.load(doc_id)
    for p in loaded.paragraphs:
        assert store.paragraph(doc_id, p.id) == p
    with pytest.raises(StoreError, match="no paragraph p99"):
        store.paragraph(doc_id, "p99")


def test_glossary_stored_with_document(store: Store, tmp_path: Path) -> None:
    glossary = Glossary.default()
    doc_id = store.create(_document(), _meta(), glossary=glossary)
    tsv = store.glossary_tsv(doc_id)
    assert tsv == glossary.to_tsv()
    copy = tmp_path / "again.tsv"
    copy.write_text(tsv, encoding="utf-8")
    assert Glossary.load(copy).sha256 == glossary.sha256
    row = sqlite3.connect(store.path).execute(
        "SELECT glossary_sha256 FROM documents WHERE id = ?", (doc_id,)
    )
    assert row.fetchone()[0] == glossary.sha256
    assert store.glossary_tsv(store.create(_document(), _meta())) is None


def test_translation_of_another_source_is_refused(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    other = fake_translator.translate_document(read_text("Teks lain sama sekali."))
    with pytest.raises(StoreError, match="different source"):
        store.save_translation(doc_id, other)
    assert store.load(doc_id).paragraph("p0").target == ""  # nothing half-saved


# --- editing and history ----------------------------------------------------------------------


def test_edits_with_history_and_timestamps_in_order(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    p2 = store.edit(doc_id, "p2", "The residents cheered. They came early.")
    assert p2.status == "edited"
    assert [s.target for s in p2.sentences] == ["The residents cheered.", "They came early."]
    p2 = store.edit(doc_id, "p2.s1", "They had come since morning.")
    assert p2.target == "The residents cheered. They had come since morning."
    approved = store.set_status(doc_id, "p2", "approved")
    assert approved.status == "approved"
    back = store.set_status(doc_id, "p2", "edited")
    assert back.status == "edited"
    reverted = store.revert(doc_id, "p2")
    assert reverted.target == reverted.mt and reverted.status == "draft"
    assert store.load(doc_id).paragraph("p2") == reverted

    history = store.history(doc_id, "p2")
    assert [(h.segment, h.action, h.status) for h in history] == [
        ("p2", "mt", "draft"),
        ("p2", "edit", "edited"),
        ("p2.s1", "edit", "edited"),
        ("p2", "approve", "approved"),
        ("p2", "status", "edited"),
        ("p2", "revert", "draft"),
    ]
    assert history[1].target == "The residents cheered. They came early."
    assert history[2].target == "They had come since morning."
    assert history[-1].target == reverted.mt
    times = [datetime.fromisoformat(h.at) for h in history]
    assert times == sorted(times)
    assert all(t.tzinfo == timezone.utc for t in times)
    assert all(len(h.at.split(".")[1]) == len("000000+00:00") for h in history)  # microseconds
    assert store.history(doc_id, "p2.s1") == [history[2]]
    assert all(isinstance(h, HistoryEntry) for h in store.history(doc_id))


def test_history_of_p1_does_not_include_p10(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_long_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p1.s0", "Sentence one.")
    store.edit(doc_id, "p10.s0", "Sentence ten.")
    store.edit(doc_id, "p10", "All of ten.")
    assert [h.segment for h in store.history(doc_id, "p1")] == ["p1", "p1.s0"]
    assert [h.segment for h in store.history(doc_id, "p10")] == ["p10", "p10.s0", "p10"]


def test_unchanged_edit_records_nothing(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    loaded = _translated(store, doc_id, fake_translator)
    p3 = loaded.paragraph("p3")
    assert store.edit(doc_id, "p3", p3.target + "  ") == p3
    assert store.edit(doc_id, "p3.s0", p3.sentences[0].target) == p3
    assert store.set_status(doc_id, "p3", "draft") == p3
    assert store.revert(doc_id, "p3") == p3
    assert [h.action for h in store.history(doc_id, "p3")] == ["mt"]


def test_paragraph_edit_resplit_and_paragraph_unit(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    # Same sentence count after the kept dateline: pairs map one to one.
    p1 = store.edit(doc_id, "p1", "Jakarta (ANTARA) - A new bridge was opened. Crowds cheered.")
    assert p1.segmentation == "sentence"
    assert [(s.origin, s.target) for s in p1.sentences] == [
        ("copy", "Jakarta (ANTARA) -"),
        ("mt", "A new bridge was opened."),
        ("mt", "Crowds cheered."),
    ]
    # One sentence for two: the paragraph becomes one unit; sentence edits are refused.
    p2 = store.edit(doc_id, "p2", "Residents who came early cheered.")
    assert p2.segmentation == "paragraph"
    assert p2.target == "Residents who came early cheered."
    stored = store.load(doc_id).paragraph("p2")
    assert stored.segmentation == "paragraph"
    from translate.errors import UsageError

    with pytest.raises(UsageError, match="paragraph view"):
        store.edit(doc_id, "p2.s0", "x")
    # Reverting restores sentence pairs.
    assert store.revert(doc_id, "p2").segmentation == "sentence"


def test_edit_survives_retranslation(store: Store, fake_translator: Any) -> None:
    document = _document()
    doc_id = store.create(document, _meta())
    first = _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p1.s1", "The President opened a new bridge.")
    store.set_status(doc_id, "p3", "approved")
    edited = store.load(doc_id)

    # A re-translation (another model) arrives for every paragraph.
    def newer(p: Any) -> Any:
        sentences = tuple(
            replace(s, target="NEW " + s.mt, mt="NEW " + s.mt, score=-0.01) for s in p.sentences
        )
        return replace(p, target="NEW " + p.mt, mt="NEW " + p.mt, sentences=sentences)

    again = TranslatedDocument(
        replace(first.meta, model="other-model", beams=5, created="2026-02-02T00:00:00+00:00"),
        tuple(newer(p) for p in first.paragraphs),
    )
    store.save_translation(doc_id, again)
    loaded = store.load(doc_id)

    p1, old1 = loaded.paragraph("p1"), edited.paragraph("p1")
    assert (p1.target, p1.status) == (old1.target, "edited")
    assert p1.mt == "NEW " + first.paragraph("p1").mt
    assert [s.target for s in p1.sentences] == [s.target for s in old1.sentences]
    assert [s.mt for s in p1.sentences] == [s.mt for s in again.paragraph("p1").sentences]
    assert all(s.score == -0.01 for s in p1.sentences)

    p3 = loaded.paragraph("p3")
    assert (p3.target, p3.status) == (first.paragraph("p3").target, "approved")
    assert p3.mt.startswith("NEW ")

    # Untouched drafts take the new machine English.
    assert loaded.paragraph("p2") == again.paragraph("p2")
    assert (loaded.meta.model, loaded.meta.beams) == ("other-model", 5)
    assert loaded.meta.created == "2026-02-02T00:00:00+00:00"
    assert [(h.action, h.status) for h in store.history(doc_id, "p1")][-1] == ("mt", "edited")
    # Revert now brings back the newest machine English.
    assert store.revert(doc_id, "p1").target == p1.mt


def test_set_status_history_actions(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.set_status(doc_id, "p0", "approved")
    store.set_status(doc_id, "p0", "draft")
    assert [h.action for h in store.history(doc_id, "p0")] == ["mt", "approve", "status"]
    from translate.errors import UsageError

    with pytest.raises(UsageError):
        store.set_status(doc_id, "p0", "finished")


# --- listing and deleting ---------------------------------------------------------------------


def test_list_counts_and_order(store: Store, fake_translator: Any) -> None:
    older = store.create(_document("older.txt"), _meta())
    newer = store.create(_document("newer.txt"), _meta())
    assert [d.id for d in store.list()] == [newer, older]
    _translated(store, older, fake_translator)
    store.edit(older, "p2", "Edited.")
    store.edit(older, "p3", "Edited too.")
    store.set_status(older, "p0", "approved")
    infos = store.list()
    assert [d.id for d in infos] == [older, newer]  # the newest change comes first
    assert infos[0] == DocumentInfo(
        older, "older.txt", infos[0].created, infos[0].updated, 6, 6, 2, 1
    )
    assert (infos[1].name, infos[1].paragraphs, infos[1].translated) == ("newer.txt", 6, 0)
    assert infos[0].updated > infos[0].created


def test_delete_cascades(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    keep = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2", "Edited.")
    store.delete(doc_id)
    assert [d.id for d in store.list()] == [keep]
    raw = sqlite3.connect(store.path)
    for table in ("paragraphs", "history"):
        count = raw.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", (doc_id,))
        assert count.fetchone()[0] == 0
    assert raw.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0] == 6
    with pytest.raises(StoreError, match=f"no document {doc_id}"):
        store.load(doc_id)
    with pytest.raises(StoreError):
        store.delete(doc_id)


# --- several sessions -------------------------------------------------------------------------


def test_two_tabs_edit_different_paragraphs_concurrently(
    tmp_path: Path, fake_translator: Any
) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path) as setup:
        doc_id = setup.create(_long_document(), _meta())
        _translated(setup, doc_id, fake_translator)
    rounds = 100
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def tab(paragraphs: list[str]) -> None:
        try:
            with Store(path) as mine:
                start.wait()
                for i in range(rounds):
                    for pid in paragraphs:
                        mine.edit(doc_id, pid, f"{pid} edit {i}. Second {i}.")
                        mine.edit(doc_id, f"{pid}.s0", f"{pid} sentence {i}.")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=tab, args=(["p1", "p3"],)),
        threading.Thread(target=tab, args=(["p2", "p4"],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(path) as check:
        loaded = check.load(doc_id)
        for pid in ("p1", "p2", "p3", "p4"):
            last = f"{pid} sentence {rounds - 1}."
            assert loaded.paragraph(pid).sentences[0].target == last
            assert len(check.history(doc_id, pid)) == 1 + 2 * rounds
        assert loaded.paragraph("p5").status == "draft"


def test_one_store_shared_by_threads(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_long_document(), _meta())
    _translated(store, doc_id, fake_translator)
    errors: list[BaseException] = []

    def work(pid: str) -> None:
        try:
            for i in range(40):
                store.edit(doc_id, pid, f"{pid} take {i}.")
                store.load(doc_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"p{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    loaded = store.load(doc_id)
    assert [loaded.paragraph(f"p{i}").target for i in range(4)] == [
        f"p{i} take 39." for i in range(4)
    ]


def test_mt_arriving_while_editing_never_loses_the_edit(
    tmp_path: Path, fake_translator: Any
) -> None:
    path = tmp_path / "store.sqlite"
    document = _long_document()
    with Store(path) as setup:
        doc_id = setup.create(document, _meta())
        setup.save_translation(doc_id, fake_translator.translate_document(document))
    translated = fake_translator.translate_document(document)
    errors: list[BaseException] = []

    def machine() -> None:
        try:
            with Store(path) as mine:
                for _ in range(30):
                    mine.save_translation(doc_id, translated)
        except BaseException as exc:
            errors.append(exc)

    def editor() -> None:
        try:
            with Store(path) as mine:
                for i in range(30):
                    mine.edit(doc_id, "p5", f"Editor's take {i}.")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=machine), threading.Thread(target=editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(path) as check:
        p5 = check.load(doc_id).paragraph("p5")
    assert (p5.target, p5.status) == ("Editor's take 29.", "edited")


def test_two_processes_edit_the_same_document(tmp_path: Path, fake_translator: Any) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path) as setup:
        doc_id = setup.create(_long_document(), _meta())
        _translated(setup, doc_id, fake_translator)
    code = (
        "import sys\n"
        "from translate.review.store import Store\n"
        "with Store(sys.argv[1]) as s:\n"
        "    for i in range(50):\n"
        "        s.edit(sys.argv[2], 'p7', f'Other process {i}. Two {i}.')\n"
    )
    other = subprocess.Popen([sys.executable, "-c", code, str(path), doc_id])
    with Store(path) as mine:
        for i in range(50):
            mine.edit(doc_id, "p8", f"This process {i}. Two {i}.")
    assert other.wait(timeout=60) == 0
    with Store(path) as check:
        loaded = check.load(doc_id)
        assert loaded.paragraph("p7").target == "Other process 49. Two 49."
        assert loaded.paragraph("p8").target == "This process 49. Two 49."
        assert len(check.history(doc_id)) == 12 + 100


# --- file, schema, configuration --------------------------------------------------------------


def test_fresh_file_gets_current_version_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "store.sqlite"
    Store(path).close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "paragraphs", "history"} <= tables
    raw.close()
    Store(path).close()  # reopening an up-to-date file migrates nothing


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    Store(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="newer") as info:
        Store(path)
    assert info.value.exit_code == 2


def test_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRANSLATE_STORE", raising=False)
    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path / "home"))
    with Store() as s:
        assert s.path == tmp_path / "home" / "store.sqlite"
        assert s.path.is_file()
    monkeypatch.setenv("TRANSLATE_STORE", str(tmp_path / "elsewhere" / "x.sqlite"))
    with Store() as s:
        assert s.path == tmp_path / "elsewhere" / "x.sqlite"
    with Store(tmp_path / "given.sqlite") as s:
        assert s.path == tmp_path / "given.sqlite"


def test_unknown_ids(store: Store, fake_translator: Any) -> None:
    document = _document()
    doc_id = store.create(document, _meta())
    with pytest.raises(StoreError, match=r"no document d-nope in .*store\.sqlite"):
        store.load("d-nope")
    for call in (
        lambda: store.pending("d-nope"),
        lambda: store.glossary_tsv("d-nope"),
        lambda: store.history("d-nope"),
        lambda: store.delete("d-nope"),
        lambda: store.edit("d-nope", "p1", "x"),
        lambda: store.set_status("d-nope", "p1", "approved"),
        lambda: store.revert("d-nope", "p1"),
        lambda: store.save_translation("d-nope", fake_translator.translate_document(document)),
    ):
        with pytest.raises(StoreError, match="no document d-nope"):
            call()
    for call in (
        lambda: store.edit(doc_id, "p99", "x"),
        lambda: store.edit(doc_id, "p99.s0", "x"),
        lambda: store.set_status(doc_id, "p99", "approved"),
        lambda: store.revert(doc_id, "p99"),
    ):
        with pytest.raises(StoreError, match=f"no paragraph p99 in document {doc_id}"):
            call()
    # Editing needs the machine's sentence alignment first.
    with pytest.raises(StoreError, match="not translated yet"):
        store.edit(doc_id, "p1", "Too early.")


# --- who, glossary per document, revert to a history entry, migration 2 ------------------------


def test_who_is_recorded_on_edit_approve_and_revert(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2", "The residents cheered. They came early.", who="ana")
    store.edit(doc_id, "p2.s1", "They had come since morning.", who="ana")
    approved = store.set_status(doc_id, "p2", "approved", who="budi")
    last = store.history(doc_id, "p2")[-1]
    assert (approved.approved_by, approved.approved_at) == ("budi", last.at)
    assert (last.action, last.who) == ("approve", "budi")
    assert store.load(doc_id).paragraph("p2") == approved
    assert store.load(doc_id).to_dict()["paragraphs"][2]["approved_by"] == "budi"
    # The same approver again changes nothing; another approver takes over the approval.
    assert store.set_status(doc_id, "p2", "approved", who="budi") == approved
    again = store.set_status(doc_id, "p2", "approved", who="citra")
    assert again.approved_by == "citra" and again.approved_at > approved.approved_at
    unapproved = store.set_status(doc_id, "p2", "edited", who="dewi")
    assert (unapproved.approved_by, unapproved.approved_at) == ("", "")
    store.revert(doc_id, "p2", who="eko")
    assert [(h.action, h.who) for h in store.history(doc_id, "p2")] == [
        ("mt", ""),
        ("edit", "ana"),
        ("edit", "ana"),
        ("approve", "budi"),
        ("approve", "citra"),
        ("status", "dewi"),
        ("revert", "eko"),
    ]
    ids = [h.id for h in store.history(doc_id)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and ids[0] > 0


def test_edit_clears_approval_and_retranslation_keeps_it(
    store: Store, fake_translator: Any
) -> None:
    doc_id = store.create(_document(), _meta())
    first = _translated(store, doc_id, fake_translator)
    approved = store.set_status(doc_id, "p3", "approved", who="budi")
    store.save_translation(doc_id, first)  # MT arrives again (another model, say)
    kept = store.load(doc_id).paragraph("p3")
    assert (kept.status, kept.approved_by, kept.approved_at) == (
        "approved",
        "budi",
        approved.approved_at,
    )
    edited = store.edit(doc_id, "p3", "The bridge links two villages.", who="ana")
    assert (edited.status, edited.approved_by, edited.approved_at) == ("edited", "", "")


def test_set_glossary_round_trip(store: Store) -> None:
    doc_id = store.create(_document(), _meta())
    assert store.glossary(doc_id) is None
    small = Glossary.from_entries(
        [("Presiden", "President"), {"source": "jembatan", "target": "bridge", "note": "n"}],
        name="small",
    )
    store.set_glossary(doc_id, small)
    loaded = store.glossary(doc_id)
    assert loaded is not None
    assert loaded.entries == small.entries and loaded.sha256 == small.sha256
    assert store.glossary_tsv(doc_id) == small.to_tsv()
    raw = sqlite3.connect(store.path)
    sha = raw.execute("SELECT glossary_sha256 FROM documents WHERE id = ?", (doc_id,))
    assert sha.fetchone()[0] == small.sha256
    # The current MT's signature is not rewritten: it names the glossary that MT used.
    assert store.load(doc_id).meta.glossary_sha256 is None

    default = Glossary.default()
    store.set_glossary(doc_id, default)
    again = store.glossary(doc_id)
    assert again is not None and again.sha256 == default.sha256 and len(again) == len(default)
    store.set_glossary(doc_id, Glossary())
    empty = store.glossary(doc_id)
    assert empty is not None and len(empty) == 0
    store.set_glossary(doc_id, None)
    assert store.glossary(doc_id) is None and store.glossary_tsv(doc_id) is None
    sha = raw.execute("SELECT glossary_sha256 FROM documents WHERE id = ?", (doc_id,))
    assert sha.fetchone()[0] is None
    raw.close()

    created = store.create(_document(), _meta(), glossary=small)
    from_create = store.glossary(created)
    assert from_create is not None and from_create.sha256 == small.sha256
    with pytest.raises(StoreError, match="no document d-nope"):
        store.glossary("d-nope")
    with pytest.raises(StoreError, match="no document d-nope"):
        store.set_glossary("d-nope", small)


def test_unusable_stored_glossary_is_a_store_error(store: Store) -> None:
    doc_id = store.create(_document(), _meta())
    raw = sqlite3.connect(store.path)
    raw.execute(
        "UPDATE documents SET glossary_tsv = ? WHERE id = ?", ("source\ttarget\nA\t\n", doc_id)
    )
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match=f"{doc_id}: the stored glossary is unusable"):
        store.glossary(doc_id)


def test_revert_to_an_earlier_edit(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2", "The residents cheered. They came early.", who="ana")
    store.edit(doc_id, "p2", "Residents cheered loudly.", who="ana")
    store.set_status(doc_id, "p2", "approved", who="budi")
    mt_row, first, second, _ = store.history(doc_id, "p2")

    back = store.revert_to(doc_id, "p2", first.id, who="citra")
    assert back.target == first.target
    assert (back.status, back.segmentation, back.approved_by) == ("edited", "sentence", "")
    assert [s.target for s in back.sentences] == ["The residents cheered.", "They came early."]
    last = store.history(doc_id, "p2")[-1]
    assert (last.action, last.target, last.status, last.who) == (
        "revert",
        first.target,
        "edited",
        "citra",
    )
    assert store.load(doc_id).paragraph("p2") == back
    # Reverting to the text it already has changes nothing.
    assert store.revert_to(doc_id, "p2", first.id) == back
    assert len(store.history(doc_id, "p2")) == 5
    # Back to a paragraph-unit edit, then to the machine English: a draft, as revert gives.
    assert store.revert_to(doc_id, "p2", second.id).segmentation == "paragraph"
    draft = store.revert_to(doc_id, "p2", mt_row.id, who="dewi")
    assert draft.target == draft.mt and draft.status == "draft"
    assert all(s.target == s.mt for s in draft.sentences)
    assert [h.action for h in store.history(doc_id, "p2")][-3:] == ["revert"] * 3


def test_revert_to_a_sentence_entry(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2.s1", "They came early.")
    store.edit(doc_id, "p2.s1", "They had come since morning.")
    first = store.history(doc_id, "p2.s1")[0]
    back = store.revert_to(doc_id, "p2.s1", first.id, who="ana")
    assert back.sentences[1].target == "They came early."
    assert back.target.endswith(" They came early.")
    last = store.history(doc_id, "p2")[-1]
    assert (last.segment, last.action, last.target, last.who) == (
        "p2.s1",
        "revert",
        "They came early.",
        "ana",
    )


def test_revert_to_refuses_another_segments_entry(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    other = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    _translated(store, other, fake_translator)
    store.edit(doc_id, "p2.s1", "They came early.")
    store.edit(other, "p2", "Elsewhere.")
    p3_row = store.history(doc_id, "p3")[0]
    sentence_row = store.history(doc_id, "p2.s1")[0]
    other_row = store.history(other, "p2")[-1]
    before = store.load(doc_id)
    for segment, row_id in (
        ("p2", p3_row.id),  # another paragraph's row
        ("p2", sentence_row.id),  # a sentence's row is not the paragraph's
        ("p2.s0", sentence_row.id),  # nor another sentence's
        ("p2", other_row.id),  # the same paragraph of another document
        ("p2", 10_000),  # no such row
    ):
        with pytest.raises(StoreError, match=f"no history entry {row_id} of {segment}"):
            store.revert_to(doc_id, segment, row_id)
    with pytest.raises(StoreError, match="no document d-nope"):
        store.revert_to("d-nope", "p2", p3_row.id)
    assert store.load(doc_id) == before


def test_migration_1_to_2_adds_who(tmp_path: Path, fake_translator: Any) -> None:
    """A file written by schema 1 opens, gains history.who, and keeps its rows."""
    new_path, old_path = tmp_path / "new.sqlite", tmp_path / "old.sqlite"
    with Store(new_path) as s:
        doc_id = s.create(_document(), _meta(), source_text=ARTICLE)
        _translated(s, doc_id, fake_translator)
        s.edit(doc_id, "p2", "Edited in the old days.")
        expected = s.load(doc_id)
        old_history = s.history(doc_id)
    # The schema-1 file: migration 1 as it stands, the same rows, no `who`.
    raw = sqlite3.connect(old_path)
    for sql in MIGRATIONS[0]:
        raw.execute(sql)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("ATTACH DATABASE ? AS new", (str(new_path),))
    raw.execute("INSERT INTO documents SELECT * FROM new.documents")
    raw.execute("INSERT INTO paragraphs SELECT * FROM new.paragraphs")
    raw.execute(
        "INSERT INTO history (id, doc_id, segment, action, target, status, at)"
        " SELECT id, doc_id, segment, action, target, status, at FROM new.history"
    )
    raw.commit()
    raw.execute("DETACH DATABASE new")
    assert "who" not in [r[1] for r in raw.execute("PRAGMA table_info(history)")]
    raw.close()

    with Store(old_path) as s:
        assert s.load(doc_id) == expected
        assert s.history(doc_id) == old_history
        assert all(h.who == "" for h in s.history(doc_id))
        s.set_status(doc_id, "p2", "approved", who="budi")
        assert s.history(doc_id)[-1].who == "budi"
        s.revert_to(doc_id, "p2", old_history[-1].id, who="ana")  # nothing to change
        assert s.history(doc_id)[-1].action == "approve"
    raw = sqlite3.connect(old_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert "who" in [r[1] for r in raw.execute("PRAGMA table_info(history)")]
    raw.close()
    Store(old_path).close()  # reopening migrates nothing


# --- the file under stress: damaged, newer, busy, private (issue 17, items 3, 7, 8, 9) ---------


def _seeded(path: Path) -> Path:
    """A store with one document and one memory pair."""
    from translate.review.memory import Memory

    with Store(path) as s:
        s.create(_long_document(), _meta(), source_text="x")
    with Memory(path) as m:
        m.add("Harga beras naik.", "Rice prices rose.")
    return path


def _damage(path: Path) -> None:
    """Overwrite every page after the first with garbage: the header still says SQLite."""
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    path.write_bytes(bytes(data))


def test_damaged_store_is_one_clear_error(tmp_path: Path) -> None:
    from translate.review.database import UnusableStoreError
    from translate.review.memory import Memory

    path = _seeded(tmp_path / "store.sqlite")
    _damage(path)
    for use in (lambda: Store(path).list(), lambda: len(Memory(path))):
        with pytest.raises(UnusableStoreError) as info:
            use()
        message = str(info.value)
        assert str(path) in message and "translate store check" in message and "backup" in message
        assert info.value.exit_code == 2


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    from translate.review.database import UnusableStoreError

    path = tmp_path / "store.sqlite"
    path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(UnusableStoreError, match="not a store"):
        Store(path)


@pytest.mark.parametrize("opener", ["store", "memory"])
def test_newer_store_is_never_written(tmp_path: Path, opener: str) -> None:
    from translate.review.memory import Memory

    path = _seeded(tmp_path / "store.sqlite")
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="made by a newer version") as info:
        Store(path) if opener == "store" else Memory(path)
    assert info.value.exit_code == 2
    assert path.read_bytes() == before


def test_store_and_memory_files_are_private(tmp_path: Path) -> None:
    import os
    import stat

    from translate.review.memory import Memory

    old = os.umask(0o022)
    try:
        for name, opener in (("a.sqlite", Store), ("b.sqlite", Memory)):
            path = tmp_path / name
            with opener(path) as opened:
                if isinstance(opened, Memory):
                    opened.add("Satu.", "One.")
                else:
                    opened.create(_long_document(), _meta())
                for file in tmp_path.glob(name + "*"):  # with -wal and -shm
                    assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        os.umask(old)


def _hold_write_lock(path: Path, seconds: float, started: threading.Event) -> threading.Thread:
    def hold() -> None:
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE documents SET updated = updated")
        started.set()
        import time

        time.sleep(seconds)
        raw.execute("COMMIT")
        raw.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(10)
    return thread


@pytest.mark.parametrize("remembered", [True, False])
def test_readers_do_not_wait_for_a_writer(tmp_path: Path, remembered: bool) -> None:
    """Opening the memory of a store that has never approved anything (no memory table yet)
    used to create the table: a write, which waited for the lock and failed after 5 s."""
    import time

    from translate.review.memory import Memory

    path = tmp_path / "store.sqlite"
    if remembered:
        _seeded(path)
    else:
        with Store(path) as s:
            s.create(_long_document(), _meta())
    holder = _hold_write_lock(path, 7.0, threading.Event())
    started = time.monotonic()
    with Store(path) as s:
        assert len(s.list()) == 1
    with Memory(path) as m:
        assert (m.exact("Harga beras naik.") is not None) is remembered
        assert len(m.pairs()) == remembered
    assert time.monotonic() - started < 2.0
    holder.join()


def test_writers_wait_for_a_writer_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import time

    path = _seeded(tmp_path / "store.sqlite")
    holder = _hold_write_lock(path, 2.5, threading.Event())
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="translate"), Store(path) as s:
        s.create(_document("two.txt"), _meta())
    assert time.monotonic() - started >= 2.0
    assert any("waiting" in r.message and str(path) in r.message for r in caplog.records)
    holder.join()


def test_writers_give_up_after_the_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import translate.review.database as database

    path = _seeded(tmp_path / "store.sqlite")
    monkeypatch.setattr(database, "WRITE_WAIT_S", 1.5)
    holder = _hold_write_lock(path, 4.0, threading.Event())
    with Store(path) as s, pytest.raises(StoreError, match="locked by another process"):
        s.create(_document("two.txt"), _meta())
    holder.join()


def test_revertible_history_rows(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2", "The residents cheered. They came early.")
    store.edit(doc_id, "p2.s1", "They had come since morning.")
    p2 = store.set_status(doc_id, "p2", "approved")
    mt_row, edit_row, sentence_row, approve_row = store.history(doc_id, "p2")
    assert [revertible(h, p2) for h in (mt_row, edit_row, sentence_row, approve_row)] == [
        True,  # the machine English differs from the English now
        True,  # so does the first edit's
        False,  # the sentence's English now is this row's
        False,  # approvals record English, but going back to them is not a revert
    ]
    p2 = store.revert_to(doc_id, "p2", edit_row.id)
    assert not revertible(edit_row, p2) and revertible(sentence_row, p2)
    assert all(revertible(h, p2) for h in store.history(doc_id, "p2") if h.action == "mt")


# --- two windows on one document --------------------------------------------------------------


@pytest.mark.parametrize(
    "stale",
    [
        lambda s, d, seen: s.edit(d, "p2", "Window A's English.", seen=seen),
        lambda s, d, seen: s.edit(d, "p2.s0", "Window A's sentence.", seen=seen),
        lambda s, d, seen: s.set_status(d, "p2", "approved", who="A", seen=seen),
        lambda s, d, seen: s.revert(d, "p2", seen=seen),
    ],
    ids=["edit", "sentence-edit", "approve", "revert"],
)
def test_a_stale_window_never_overwrites_or_approves(
    store: Store, fake_translator: Any, stale: Any
) -> None:
    """Window A saw p2 before window B edited it: A's edit, approval or revert is refused in
    the store (nothing written), and the error says what p2 is now and who changed it."""
    from translate.review.store import EditConflict

    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    seen_by_a = store.revisions(doc_id)["p2"]
    store.edit(doc_id, "p2.s1", "Window B's English.", who="Rina", seen=seen_by_a)
    before = (store.load(doc_id), store.history(doc_id))
    with pytest.raises(
        EditConflict, match=r"p2 was changed in another window at \d\d:\d\d UTC by Rina"
    ) as caught:
        stale(store, doc_id, seen_by_a)
    assert caught.value.paragraph.target.endswith("Window B's English.")
    assert (store.load(doc_id), store.history(doc_id)) == before
    # With the revision it has now, the same change goes through.
    stale(store, doc_id, store.revisions(doc_id)["p2"])
    assert store.revisions(doc_id)["p2"] != caught.value.revision


# --- where a change came from (history.origin, migration 4), several segments at once ----------


def test_origin_is_recorded_and_edits_default_to_none(store: Store, fake_translator: Any) -> None:
    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    store.edit(doc_id, "p2.s0", "Residents cheered.", who="ana")
    store.edit(doc_id, "p2.s1", "They came early.", who="ana", origin="import:berita.xlf")
    store.set_status(doc_id, "p2", "approved", who="budi")
    rows = [(h.segment, h.action, h.who, h.origin) for h in store.history(doc_id, "p2")]
    assert rows == [
        ("p2", "mt", "", ""),
        ("p2.s0", "edit", "ana", ""),
        ("p2.s1", "edit", "ana", "import:berita.xlf"),
        ("p2", "approve", "budi", ""),
    ]
    # An imported edit is an edit like any other: revertible, shown with its action.
    imported = store.history(doc_id, "p2.s1")[0]
    assert revertible(imported, store.load(doc_id).paragraph("p2")) is False  # it is the text
    store.edit(doc_id, "p2.s1", "They came at dawn.")
    assert revertible(imported, store.load(doc_id).paragraph("p2"))


def test_edit_segments_is_one_transaction_against_one_revision(
    store: Store, fake_translator: Any
) -> None:
    from translate.review.store import EditConflict

    doc_id = store.create(_document(), _meta())
    _translated(store, doc_id, fake_translator)
    seen = store.revisions(doc_id)["p2"]
    changes = [("p2.s0", "Residents cheered."), ("p2.s1", "They came early.")]
    paragraph = store.edit_segments(doc_id, "p2", changes, who="ed", seen=seen, origin="import:a")
    assert paragraph.target == "Residents cheered. They came early."
    rows = store.history(doc_id, "p2")[1:]
    assert [(h.segment, h.target, h.origin) for h in rows] == [
        ("p2.s0", "Residents cheered.", "import:a"),
        ("p2.s1", "They came early.", "import:a"),
    ]
    assert len({h.at for h in rows}) == 1  # one change, one time
    # Against the revision before: refused, nothing written.
    before = (store.load(doc_id), store.history(doc_id))
    with pytest.raises(EditConflict):
        store.edit_segments(doc_id, "p2", [("p2.s0", "Other.")], seen=seen)
    # A segment that fails (a sentence that does not exist) writes none of the others.
    with pytest.raises(UsageError, match=r"no sentence p2\.s9"):
        store.edit_segments(doc_id, "p2", [("p2.s0", "Other."), ("p2.s9", "None.")])
    with pytest.raises(StoreError, match=r"p3\.s0 is not a segment of p2"):
        store.edit_segments(doc_id, "p2", [("p3.s0", "Other.")])
    assert (store.load(doc_id), store.history(doc_id)) == before
    # Nothing to change: nothing recorded.
    assert store.edit_segments(doc_id, "p2", changes) == paragraph
    assert store.history(doc_id) == before[1]


def test_migration_3_to_4_adds_origin(tmp_path: Path, fake_translator: Any) -> None:
    """A file written by schema 3 opens, gains history.origin (empty: not an import), and
    keeps its rows."""
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    for statements in MIGRATIONS[:3]:
        for sql in statements:
            raw.execute(sql)
    raw.execute("PRAGMA user_version = 3")
    raw.execute(
        "INSERT INTO documents VALUES ('d-old', 'old.txt', '2026-01-01', '2026-01-01', '', 'txt',"
        " '{}', NULL, NULL)"
    )
    raw.execute(
        "INSERT INTO history (doc_id, segment, action, target, status, at, who) VALUES"
        " ('d-old', 'p0', 'edit', 'Old English.', 'edited', '2026-01-01T10:42:00+00:00', 'ana')"
    )
    raw.commit()
    raw.close()
    with Store(path) as s:
        (row,) = s.history("d-old")
        assert (row.action, row.target, row.who, row.origin) == ("edit", "Old English.", "ana", "")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert "origin" in [r[1] for r in raw.execute("PRAGMA table_info(history)")]
    raw.close()
