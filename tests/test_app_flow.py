"""Workspace III, driven headlessly with AppTest: a click reruns one row, pages, the keyboard
flow, the work list, operator settings, the document's own glossary, import preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from translate.formats.xliff import to_xliff
from translate.review.qa import check_document
from translate.review.store import Store
from translate.terms.compose import compose_glossary
from translate.ui import workspace

from .test_app import new_session, only_document, open_in_new_session, translate_text
from .test_app_review import ScoredEngine, click, load
from .test_app_review import env as env

ROW_KEY = re.compile(r"-(p\d+)(?:-\d+)?$")


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> ScoredEngine:
    fake = ScoredEngine(batch_tokens=4096)
    monkeypatch.setattr(workspace, "make_engine", lambda model, device="auto", backend=None: fake)
    return fake


def rows_drawn(at: AppTest) -> set[str]:
    """The paragraph ids whose row buttons are in AppTest's tree after the last run."""
    return {m.group(1) for b in at.button if b.key and (m := ROW_KEY.search(b.key))}


def article(n: int) -> str:
    return "\n\n".join(f"Paragraf nomor {i} tentang harga beras." for i in range(n))


def test_moving_between_rows_redraws_those_rows_and_the_status(
    env: Path, engine: ScoredEngine
) -> None:
    # A click inside a row reruns that row's fragment alone; AppTest draws the whole page
    # for a widget of a fragment, so that case is measured in the browser
    # (bench/ui_latency.py). The keys and the work list rerun named fragments: checked here.
    at = translate_text(new_session(), article(12))
    assert rows_drawn(at) == {f"p{i}" for i in range(12)}
    at.button(key="next-unapproved").click()
    at.run()
    assert rows_drawn(at) == {"p0"}
    at.button(key="approve-next").click()
    at.run()
    assert rows_drawn(at) == {"p0", "p1"} and at.button(key="reopen-p0")
    # The header and the work list came along, counted the same way.
    header = next(c.value for c in at.caption if "translatable paragraphs" in c.value)
    assert header.startswith("12 translatable paragraphs") and "1 approved" in header
    listed = workspace.work_list(check_document(load(env, only_document(env))))
    assert sum(i.kind == "unapproved" for i in listed) == 11
    assert any(m.value == f"**Open items ({len(listed)})**" for m in at.markdown)


def test_long_documents_are_paged(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), article(60))
    assert rows_drawn(at) == {f"p{i}" for i in range(25)}
    assert any("Rows 1–25 of 60" in c.value for c in at.caption)


def test_keyboard_flow_approves_the_article_row_after_row(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), article(4))
    doc_id = only_document(env)
    assert at.button(key="approve-next").proto.shortcut.lower() == "ctrl+shift+enter"
    click(at, "approve-next")  # no current row yet: goes to the first open one
    assert at.session_state.current == "p0"
    for _ in range(4):
        click(at, "approve-next")
    assert [p.status for p in load(env, doc_id).paragraphs] == ["approved"] * 4
    # Nothing is left to go to: the row stays, and the editor is told.
    assert at.session_state.current == "p3"


def test_keys_go_to_the_next_open_item_of_each_kind(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), article(30))
    click(at, "next-unapproved")
    assert at.session_state.current == "p0"
    at.session_state.current = "p24"
    click(at, "next-unapproved")
    # p25 is on the second page: the page follows the row.
    assert at.session_state.current == "p25" and "p25" in rows_drawn(at)


def test_approve_all_without_errors_lists_and_approves_them(
    env: Path, engine: ScoredEngine
) -> None:
    at = translate_text(new_session(), "Harga naik 5 persen.\n\nWarga protes.")
    doc_id = only_document(env)
    at.text_area(key=f"edit:{doc_id}:p0").input("Prices rose 7 percent.")  # a number error
    at.run()
    at.run()
    assert any("will be approved as they are now: p1" in c.value for c in at.caption)
    click(at, "approve-clean")
    assert [p.status for p in load(env, doc_id).paragraphs] == ["edited", "approved"]


def test_settings_are_read_only_unless_the_operator_allows(
    env: Path, engine: ScoredEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_MODEL", "/srv/models/opus-mt-id-en")
    monkeypatch.setenv("TRANSLATE_BEAMS", "6")
    at = new_session()
    assert not at.selectbox and not at.slider
    shown = next(c.value for c in at.sidebar.caption if "Model" in c.value)
    assert "opus-mt-id-en" in shown and "/srv" not in shown and "beams **6**" in shown
    monkeypatch.setenv("TRANSLATE_UI_SETTINGS", "editable")
    at = new_session()
    assert at.selectbox(key="backend") and at.slider(key="beams").value == 6


def test_own_glossary_entries_come_back_with_the_document(env: Path, engine: ScoredEngine) -> None:
    translate_text(new_session(), "Harga beras naik.")
    doc_id = only_document(env)
    own = workspace.glossary_from_rows([{"source": "beras", "target": "rice"}])
    with Store(env) as store:
        store.set_glossary(doc_id, compose_glossary(own=own).glossary)
    at = open_in_new_session(doc_id)  # a reload: a new session on the same URL
    assert at.session_state.custom_rows == [
        {"source": "beras", "target": "rice", "case_sensitive": True, "variants": "",
         "note": ""},
    ]  # fmt: skip
    assert at.sidebar.button(key="open_glossary").label == "My entries (1)"


def test_import_preview_shows_the_conflict_and_applies_only_what_is_confirmed(
    env: Path, engine: ScoredEngine
) -> None:
    at = translate_text(new_session(), "Harga beras naik.\n\nWarga protes.")
    doc_id = only_document(env)
    old = to_xliff(load(env, doc_id))  # exported before the approval
    at.text_input(key="who").input("Rina")
    at.run()
    click(at, "approve-p0")
    with Store(env) as store:
        preview = workspace.preview_upload(store, doc_id, "old.xlf", old)
    assert preview.counts()["conflict"] == 0  # the same English: nothing to undo
    edited = old.replace(b"EN(Warga protes.)", b"Residents protest.").replace(
        b"EN(Harga beras naik.)", b"Rice went up."
    )
    at.session_state.import_preview = None
    with Store(env) as store:
        at.session_state.import_preview = workspace.preview_upload(
            store, doc_id, "edited.xlf", edited
        )
    at.run()
    assert any("1 would change · 1 conflict with newer work" in m.value for m in at.markdown)
    at.button(key="apply_import").click()  # the conflict is not accepted
    at.run()
    doc = load(env, doc_id)
    assert doc.paragraph("p0").status == "approved" and doc.paragraph("p0").target.startswith("EN(")
    assert doc.paragraph("p1").target == "Residents protest."
    assert any(
        "1 changed" in s.value and "1 conflicting not applied" in s.value for s in at.success
    )
    with Store(env) as store:
        assert store.history(doc_id, "p1")[-1].origin == "import:edited.xlf"
    # The row shows the imported English at once.
    assert at.text_area(key=f"edit:{doc_id}:p1").value == "Residents protest."


def test_a_carried_over_row_has_nothing_to_approve(env: Path, engine: ScoredEngine) -> None:
    """A credit line never went through the model: the row says so, and offers no Approve
    (the header and the gate count translatable rows only)."""
    at = translate_text(new_session(), "Harga beras naik.\n\n(Ant)")
    doc = load(env, only_document(env))
    assert [p.translated for p in doc.paragraphs] == [True, False]
    keys = {b.key for b in at.button}
    assert "approve-p0" in keys and "approve-p1" not in keys and "reopen-p1" not in keys
    assert any("carried over" in m.value for m in at.markdown)
