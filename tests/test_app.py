"""The Streamlit workspace, driven headlessly with AppTest (tiny model or a counting fake)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from translate.review.store import Store
from translate.ui import workspace

from .conftest import FakeEngine

APP = str(Path(__file__).parent.parent / "app.py")
ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_model_dir: Path) -> Path:
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("TRANSLATE_STORE", str(store))
    monkeypatch.setenv("TRANSLATE_MODEL", str(tiny_model_dir))
    import streamlit as st

    st.cache_resource.clear()
    return store


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    """Replace the model with a deterministic engine that counts its calls."""
    engine = FakeEngine(batch_tokens=4096)
    monkeypatch.setattr(workspace, "make_engine", lambda model, device="auto", backend=None: engine)
    return engine


def new_session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def translate_text(at: AppTest, text: str, title: str = "Uji") -> AppTest:
    at.text_input(key="new_name").input(title)
    at.text_area(key="new_text").input(text)
    at.button(key="go_paste").click()
    at.run()
    assert not at.exception, at.exception
    return at


def open_in_new_session(doc_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["doc"] = doc_id
    at.run()
    assert not at.exception, at.exception
    return at


def only_document(store_path: Path) -> str:
    with Store(store_path) as store:
        (info,) = store.list()
        return info.id


def test_translate_edit_approve_reload_export(env: Path) -> None:
    text = (ARTICLES / "aktual-style.txt").read_text(encoding="utf-8")
    at = translate_text(new_session(), text, "Beras aman")
    doc_id = only_document(env)
    with Store(env) as store:
        doc = store.load(doc_id)
    assert all(p.mt for p in doc.paragraphs)  # every paragraph translated and saved
    assert at.session_state["doc_id"] == doc_id

    key = f"edit:{doc_id}:p3"
    at.text_area(key=key).input("The president says rice stocks are safe.")
    at.run()
    at.button(key="approve-p3").click()
    at.run()
    assert not at.exception

    # A reload (a new browser session) finds the edit and the approval in the store.
    again = open_in_new_session(doc_id)
    assert again.text_area(key=key).value == "The president says rice stocks are safe."
    with Store(env) as store:
        saved = store.load(doc_id).paragraph("p3")
        history = store.history(doc_id, "p3")
    assert saved.status == "approved"
    assert [h.action for h in history][-2:] == ["edit", "approve"]
    data, _, name = workspace.export(store_doc(env, doc_id), "md")
    assert b"The president says rice stocks are safe." in data and name.endswith(".en.md")


def store_doc(path: Path, doc_id: str):  # type: ignore[no-untyped-def]
    with Store(path) as store:
        return store.load(doc_id)


def test_rerender_makes_no_model_call(env: Path, counting: FakeEngine) -> None:
    text = "\n\n".join(f"Paragraf nomor {i} tentang harga beras." for i in range(30))
    at = translate_text(new_session(), text)
    calls = len(counting.calls)
    assert calls >= 1
    doc_id = only_document(env)
    for _ in range(3):
        at.run()
    at.text_area(key=f"edit:{doc_id}:p5").input("Edited.")
    at.run()
    at.run()  # the edit redrew its row only; the next run draws the page as the browser has it
    at.button(key="approve-p7").click()
    at.run()
    open_in_new_session(doc_id)
    assert len(counting.calls) == calls


def test_closed_tab_mid_translation_resumes(env: Path, counting: FakeEngine) -> None:
    from translate import Translator
    from translate.formats.readers import read_text

    text = "\n\n".join(f"Paragraf {i} tentang banjir di Jakarta." for i in range(12))
    translator = Translator(engine=counting, glossary=None)
    with Store(env) as store:
        doc_id = workspace.create(store, read_text(text, name="banjir"), text, translator)

        class TabClosed(Exception):
            pass

        def close_after_five(p: workspace.Progress) -> None:
            if p.done == 5:
                raise TabClosed  # what Streamlit does to a script whose session went away

        counting.batch_tokens = 8  # one paragraph per batch: saved one by one
        with pytest.raises(TabClosed):
            workspace.translate_pending(store, doc_id, translator, close_after_five)
        assert len(store.pending(doc_id).blocks) == 7

    at = open_in_new_session(doc_id)
    assert any("not translated yet" in w.value for w in at.warning)
    at.button[[b.label for b in at.button].index("Resume translation")].click()
    at.run()
    assert not at.exception
    with Store(env) as store:
        assert store.pending(doc_id).blocks == ()
        assert all(p.mt for p in store.load(doc_id).paragraphs)


def test_two_tabs_edit_different_rows(env: Path, counting: FakeEngine) -> None:
    at = translate_text(new_session(), "Satu.\n\nDua.\n\nTiga.")
    doc_id = only_document(env)
    tab_a, tab_b = open_in_new_session(doc_id), open_in_new_session(doc_id)
    tab_a.text_area(key=f"edit:{doc_id}:p0").input("One, from tab A.")
    tab_b.text_area(key=f"edit:{doc_id}:p2").input("Three, from tab B.")
    tab_a.run()
    tab_b.run()
    doc = store_doc(env, doc_id)
    assert doc.paragraph("p0").target == "One, from tab A."
    assert doc.paragraph("p2").target == "Three, from tab B."
    assert at.session_state["doc_id"] == doc_id


def test_sentence_view_edits_one_sentence(env: Path, counting: FakeEngine) -> None:
    translate_text(new_session(), "Harga naik. Warga protes.\n\nSelesai.")
    doc_id = only_document(env)
    at = open_in_new_session(doc_id)
    at.button(key="sv-p0").click()
    at.run()
    at.text_area(key=f"sent:{doc_id}:p0.s1").input("Residents protest.")
    at.run()
    p0 = store_doc(env, doc_id).paragraph("p0")
    assert p0.sentences[1].target == "Residents protest."
    assert p0.target == "EN(Harga naik.) Residents protest."
    assert p0.status == "edited"


def test_article_text_is_escaped(env: Path, counting: FakeEngine) -> None:
    hostile = 'Harga <script>alert("x")</script> naik & <img src=x onerror=alert(1)> turun.'
    at = translate_text(new_session(), hostile)
    html = "".join(m.value for m in at.markdown)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_delete_document(env: Path, counting: FakeEngine) -> None:
    translate_text(new_session(), "Satu.")
    doc_id = only_document(env)
    at = new_session()
    at.button(key=f"del-{doc_id}").click()
    at.run()
    with Store(env) as store:
        assert store.list() == []


def test_engine_choice_in_the_sidebar(
    env: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path
) -> None:
    pytest.importorskip("ctranslate2")
    asked: list[str | None] = []

    def make(model: str, device: str = "auto", backend: str | None = None) -> FakeEngine:
        asked.append(backend)
        return FakeEngine(batch_tokens=4096)

    monkeypatch.setattr(workspace, "make_engine", make)
    monkeypatch.setenv("TRANSLATE_BACKEND", "ct2")  # what `translate ui --backend ct2` sets
    monkeypatch.setenv("TRANSLATE_UI_SETTINGS", "editable")  # `translate ui --allow-settings`
    at = new_session()
    assert at.selectbox(key="backend").options == ["torch", "ct2"]
    assert at.selectbox(key="backend").value == "ct2"
    at.selectbox(key="backend").set_value("torch")
    translate_text(at, "Halo dunia.")
    assert asked == ["torch"]


def test_pasted_mojibake_is_repaired_in_the_title_and_said(env: Path, counting: FakeEngine) -> None:
    at = new_session()
    text = "Harga \x93Beras\x94 Naik di Pinangranti\x96Pluit\n\nHarga beras naik tajam."
    translate_text(at, text, title="")
    assert at.subheader[0].value == "Harga “Beras” Naik di Pinangranti–Pluit"
    assert any("repaired 3 mis-encoded characters" in c.value for c in at.caption)
