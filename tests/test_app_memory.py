"""Workspace + translation memory + CAT interchange, driven with AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.formats.xliff import to_xliff
from translate.review.store import Store
from translate.ui import workspace

from .test_app import new_session, only_document, open_in_new_session, translate_text
from .test_app_review import ScoredEngine, click, load


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("TRANSLATE_STORE", str(store))
    import streamlit as st

    st.cache_resource.clear()
    return store


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> ScoredEngine:
    fake = ScoredEngine(batch_tokens=4096)
    monkeypatch.setattr(workspace, "make_engine", lambda model, device="auto", backend=None: fake)
    return fake


def approve_with_edit(at, doc_id: str, english: str) -> None:  # type: ignore[no-untyped-def]
    at.text_area(key=f"edit:{doc_id}:p0").input(english)
    at.run()
    click(at, "approve-p0")


def test_approved_sentence_is_reused_and_close_one_suggested(
    env: Path, engine: ScoredEngine
) -> None:
    at = translate_text(new_session(), "Harga beras di pasar induk naik tajam pada Senin.")
    first = only_document(env)
    approve_with_edit(at, first, "Rice prices at the main market rose sharply on Monday.")
    calls = len(engine.calls)
    # A second article: the same sentence is reused; a close one is suggested.
    at = translate_text(
        new_session(),
        "Harga beras di pasar induk naik tajam pada Senin.\n\n"
        "Harga beras di pasar induk naik tajam pada Selasa.",
        "Kedua",
    )
    with Store(env) as store:
        second = next(i.id for i in store.list() if i.id != first)
    doc = load(env, second)
    assert doc.paragraph("p0").sentences[0].origin == "memory"
    assert doc.paragraph("p0").target == "Rice prices at the main market rose sharply on Monday."
    assert [t for call in engine.calls[calls:] for t in call] == [
        "Harga beras di pasar induk naik tajam pada Selasa."
    ]
    at = open_in_new_session(second)
    html = "".join(m.value for m in at.markdown)
    assert "memory 9" in html and '<mark class="term-miss">Senin.</mark>' in html
    click(at, "tm-p1.s0")
    assert load(env, second).paragraph("p1").target == (
        "Rice prices at the main market rose sharply on Monday."
    )


def test_xliff_upload_import(env: Path, engine: ScoredEngine, tmp_path: Path) -> None:
    translate_text(new_session(), "Harga naik. Warga protes.")
    doc_id = only_document(env)
    exported = to_xliff(load(env, doc_id)).replace(
        b"EN(Warga protes.)</target>", b"Residents protested.</target>"
    )
    with Store(env) as store:
        preview = workspace.preview_upload(store, doc_id, "back.xlf", exported)
        report = workspace.apply_upload(store, doc_id, preview, (), who="Dewi")
    assert report.changed == ("p0.s1",)
    assert load(env, doc_id).paragraph("p0").sentences[1].target == "Residents protested."
    # Exported and imported unchanged: nothing moves.
    before = load(env, doc_id).to_dict()
    with Store(env) as store:
        preview = workspace.preview_upload(store, doc_id, "same.xlf", to_xliff(load(env, doc_id)))
        again = workspace.apply_upload(store, doc_id, preview, ())
    assert again.changed == () and load(env, doc_id).to_dict() == before
