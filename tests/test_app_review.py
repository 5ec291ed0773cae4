"""Workspace II: re-translate, alternatives, glossary editing, confidence, effort, history,
export gate and access, driven headlessly with AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from translate.review.store import Store
from translate.ui import workspace

from .conftest import FakeEngine
from .test_app import APP, new_session, only_document, open_in_new_session, translate_text


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("TRANSLATE_STORE", str(store))
    monkeypatch.delenv("TRANSLATE_UI_PASSWORD", raising=False)
    import streamlit as st

    st.cache_resource.clear()
    return store


class ScoredEngine(FakeEngine):
    """Fake English with a score that falls with the sentence's length (for confidence)."""

    def translate(self, texts, *, beams=4, n_best=1, on_batch=None, terms=None):  # type: ignore[no-untyped-def]
        results = super().translate(texts, beams=beams, n_best=n_best, terms=terms)
        from translate.engines.base import Hypothesis

        scored = [
            [Hypothesis(h.text, -0.01 * len(t) - 0.1 * k) for k, h in enumerate(hs)]
            for t, hs in zip(texts, results, strict=True)
        ]
        if on_batch is not None:
            on_batch(list(range(len(texts))), scored)
        return scored


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> ScoredEngine:
    fake = ScoredEngine(batch_tokens=4096)
    monkeypatch.setattr(workspace, "make_engine", lambda model, device="auto", backend=None: fake)
    return fake


def click(at: AppTest, key: str) -> AppTest:
    """Click, then draw the whole page as a browser shows it (a click in a row reruns that
    row alone, so AppTest's tree would hold only what it redrew)."""
    at.button(key=key).click()
    at.run()
    assert not at.exception, at.exception
    at.run()
    return at


def load(path: Path, doc_id: str):  # type: ignore[no-untyped-def]
    with Store(path) as store:
        return store.load(doc_id)


def test_retranslate_one_paragraph_after_a_glossary_change(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), "Lavrov tiba di Kota Lama.\n\nHarga naik.")
    doc_id = only_document(env)
    assert load(env, doc_id).paragraph("p0").terms == ()
    before_p1 = load(env, doc_id).paragraph("p1")
    # Add "Kota Lama" → "Old Town" in the glossary table, then re-translate p0 only.
    at.session_state["custom_rows"] = [
        {"source": "Kota Lama", "target": "Old Town", "case_sensitive": True, "variants": "",
         "note": "place"}
    ]  # fmt: skip
    at.run()
    calls = len(engine.calls)
    click(at, "retranslate-p0")
    assert len(engine.calls) == calls + 1
    assert engine.terms == [(("Old Town", 1),)]  # the decoder was asked for the new term
    doc = load(env, doc_id)
    assert [t.target for t in doc.paragraph("p0").terms] == ["Old Town"]
    assert doc.paragraph("p1") == before_p1  # untouched
    with Store(env) as store:
        glossary = store.glossary(doc_id)
    assert glossary is not None and "Kota Lama" in {e.source for e in glossary.entries}


def test_alternatives_take_one(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), "Harga beras naik.")
    doc_id = only_document(env)
    click(at, "alts-p0")
    shown = at.session_state["alternatives"]["p0"]
    assert len(shown) == 4 and [s for _, s in shown] == sorted((s for _, s in shown), reverse=True)
    click(at, "take-p0-2")
    p0 = load(env, doc_id).paragraph("p0")
    assert p0.target == "EN(Harga beras naik.)#2" and p0.status == "edited"
    assert at.text_area(key=f"edit:{doc_id}:p0").value == p0.target


def test_history_and_revert(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), "Harga beras naik.")
    doc_id = only_document(env)
    key = f"edit:{doc_id}:p0"
    at.text_input(key="who").input("Dewi")
    at.text_area(key=key).input("First edit.")
    at.run()
    at.text_area(key=key).input("Second edit.")
    at.run()
    click(at, "hist-p0")
    with Store(env) as store:
        history = store.history(doc_id, "p0")
    assert [h.action for h in history] == ["mt", "edit", "edit"]
    assert history[1].who == "Dewi"
    first = history[1]
    click(at, f"to-{first.id}")
    assert load(env, doc_id).paragraph("p0").target == "First edit."
    click(at, "revert-p0")
    p0 = load(env, doc_id).paragraph("p0")
    assert p0.target == p0.mt and p0.status == "draft"
    assert at.text_area(key=key).value == p0.mt


def test_confidence_highlights_the_least_confident(env: Path, engine: ScoredEngine) -> None:
    text = "\n\n".join(
        ["Pendek."] * 9 + ["Kalimat yang jauh lebih panjang dan karena itu kurang yakin sekali."]
    )
    at = translate_text(new_session(), text)
    doc_id = only_document(env)
    low = workspace.least_confident(load(env, doc_id))
    assert list(low) == ["p9.s0"]
    html = "".join(m.value for m in at.markdown)
    assert html.count("least confident") == 1


def test_effort_in_ui_and_json(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), "Harga beras naik.\n\nWarga protes.")
    doc_id = only_document(env)
    at.text_area(key=f"edit:{doc_id}:p0").input("Rice prices rose.")
    at.run()
    # An editor reads characters and words changed (TER and chrF stay in the JSON).
    shown = [c.value for c in at.caption if c.value.startswith("Edited:")]
    assert shown == [
        "Edited: " + workspace.effort_line("EN(Harga beras naik.)", "Rice prices rose.")
    ]
    assert "characters changed" in shown[0]
    data = json.loads(workspace.export(load(env, doc_id), "json")[0])
    assert data["paragraphs"][0]["effort"]["edited"] is True
    assert data["paragraphs"][1]["effort"]["edit_ratio"] == 0
    assert 0 < data["effort"]["edit_ratio"] <= 1
    assert data["provenance"]["workflow"] == "machine-translated, post-edited"


def test_export_gate_and_provenance(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(new_session(), "Harga beras naik.\n\nWarga protes.")
    doc_id = only_document(env)
    downloads = {d.proto.label: d.proto.disabled for d in at.get("download_button")}
    # Publishing waits for approval; files for translators (XLIFF, TMX) do not.
    assert len(downloads) == 9
    assert [downloads.pop(k) for k in ("XLIFF 1.2", "XLIFF 2.0", "TMX")] == [False] * 3
    assert all(downloads.values())
    assert any("not approved" in i.value for i in at.info)
    at.checkbox(key="export_anyway").check()
    at.run()
    assert not any(d.proto.disabled for d in at.get("download_button"))
    at.text_input(key="who").input("Dewi")
    at.run()
    click(at, "approve-p0")
    click(at, "approve-p1")
    assert not any("not approved" in i.value for i in at.info)
    assert not any(d.proto.disabled for d in at.get("download_button"))  # nothing open now
    data = json.loads(workspace.export(load(env, doc_id), "json")[0])
    prov = data["provenance"]
    assert prov["approved"] == 2 and prov["approved_by"] == ["Dewi"]
    assert prov["model"] == "fake" and prov["last_approved"]


def test_cat_exports_are_the_cli_bytes(env: Path, engine: ScoredEngine) -> None:
    """XLIFF and TMX from the export menu: what `translate article --format xliff|tmx`
    renders for the document as it stands (edits and statuses included), and valid XML."""
    from lxml import etree

    from translate.formats.registry import extension, render

    at = translate_text(new_session(), "Harga beras naik.\n\nWarga protes.")
    click(at, "approve-p0")
    doc = load(env, only_document(env))
    for fmt, root in (("xliff", "xliff"), ("xliff2", "xliff"), ("tmx", "tmx")):
        data, media_type, name = workspace.export(doc, fmt)
        assert (
            data == render(doc, fmt)
            and name.endswith(".en" + extension(fmt))
            and "xml" in media_type
        )
        assert etree.QName(etree.fromstring(data)).localname == root
    assert b'state="final"' in workspace.export(doc, "xliff")[0]  # the approval travels


def test_accept_a_suggested_name(env: Path, engine: ScoredEngine) -> None:
    at = translate_text(
        new_session(), "Kemarin Budi Hartono bertemu wartawan. Budi Hartono lalu pulang."
    )
    click(at, "suggest-Budi Hartono")
    rows = at.session_state["custom_rows"]
    assert {"source": "Budi Hartono", "target": "Budi Hartono"}.items() <= rows[0].items()


def test_invalid_glossary_rows_are_refused(env: Path, engine: ScoredEngine) -> None:
    from translate import GlossaryError

    with pytest.raises(GlossaryError, match="empty target"):
        workspace.glossary_from_rows([{"source": "Beograd", "target": ""}])
    with pytest.raises(GlossaryError, match="conflicting duplicate"):
        workspace.glossary_from_rows(
            [{"source": "AS", "target": "US"}, {"source": "AS", "target": "U.S."}]
        )


def test_glossary_upload_names_the_file(tmp_path: Path) -> None:
    from translate import GlossaryError

    good = workspace.glossary_from_upload("redaksi.tsv", b"source\ttarget\nBeograd\tBelgrade\n")
    assert len(good) == 1
    with pytest.raises(GlossaryError, match=r"^redaksi\.tsv"):
        workspace.glossary_from_upload("redaksi.tsv", b"source\ttarget\nBeograd\t\n")


def test_password_gate(env: Path, engine: ScoredEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_UI_PASSWORD", "rahasia redaksi")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    # Nothing but the password field before it is entered.
    assert [t.label for t in at.text_input] == ["Password"]
    assert not at.text_area and not at.sidebar.button
    at.text_input(key="password").input("salah")
    at.button[0].click()
    at.run()
    assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="password").input("rahasia redaksi")
    at.button[0].click()
    at.run()
    assert at.text_area(key="new_text") is not None


def test_open_in_new_session_shows_saved_work(env: Path, engine: ScoredEngine) -> None:
    translate_text(new_session(), "Harga naik.")
    at = open_in_new_session(only_document(env))
    assert not at.exception


@pytest.mark.parametrize("address", ["", "0.0.0.0", "::", "newsroom-server"])
def test_open_address_without_password_shows_nothing(
    env: Path, engine: ScoredEngine, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    """`streamlit run app.py --server.address ""` binds every interface: refused in the app too."""
    import streamlit

    # st.get_option is bound at import, so the module attribute is what app.py calls.
    monkeypatch.setattr(streamlit, "get_option", _option_override("server.address", address))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("password" in e.value for e in at.error)
    assert not at.text_area and not at.text_input and not at.sidebar.button


def _option_override(name: str, value: object):  # type: ignore[no-untyped-def]
    import streamlit

    real = streamlit.get_option

    def get_option(key: str) -> object:
        return value if key == name else real(key)

    return get_option


@pytest.mark.parametrize("problem", ["damaged", "newer"])
def test_unusable_store_is_one_message(env: Path, engine: ScoredEngine, problem: str) -> None:
    import sqlite3

    with Store(env) as s:
        s.list()
    raw = sqlite3.connect(env)
    if problem == "newer":
        raw.execute("PRAGMA user_version = 99")
        raw.commit()
        raw.close()
    else:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        data = bytearray(env.read_bytes())
        data[4096:] = b"\xa5" * (len(data) - 4096)
        env.write_bytes(bytes(data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    expected = "newer version" if problem == "newer" else "translate store check"
    assert any(expected in e.value and str(env) in e.value for e in at.error)


def test_two_windows_a_stale_one_never_overwrites_or_approves(
    env: Path, engine: ScoredEngine
) -> None:
    """Window B edits p0; window A, still showing the MT, approves p0 and then types over it:
    both are refused in the store, A shows B's English with a message, A's text is kept and
    *Use mine* applies it on purpose."""
    a = translate_text(new_session(), "Harga beras naik.\n\nWarga protes.")
    doc_id = only_document(env)
    b = open_in_new_session(doc_id)
    b.text_input(key="who").input("Rina")
    b.text_area(key=f"edit:{doc_id}:p0").input("Rice prices rose, says Rina.")
    b.run()
    assert load(env, doc_id).paragraph("p0").target == "Rice prices rose, says Rina."

    click(a, "approve-p0")  # A never showed B's text: the approval is refused
    stored = load(env, doc_id).paragraph("p0")
    assert stored.status == "edited" and stored.target == "Rice prices rose, says Rina."
    assert any("changed in another window" in w.value and "by Rina" in w.value for w in a.warning)
    assert a.text_area(key=f"edit:{doc_id}:p0").value == "Rice prices rose, says Rina."
    click(a, "theirs-p0")
    assert not a.warning

    # A edits its now-current view: accepted. B, now stale, types over it: refused, kept.
    a.text_area(key=f"edit:{doc_id}:p0").input("Rice prices went up.")
    a.run()
    b.text_area(key=f"edit:{doc_id}:p0").input("B's second thoughts.")
    b.run()
    assert load(env, doc_id).paragraph("p0").target == "Rice prices went up."
    assert b.text_area(key=f"edit:{doc_id}:p0").value == "Rice prices went up."
    assert b.text_area(key="mine-text-p0").value == "B's second thoughts."
    click(b, "mine-p0")  # B decides: its text wins, on the current revision
    assert load(env, doc_id).paragraph("p0").target == "B's second thoughts."
    assert not b.warning


def test_the_editors_name_survives_a_reload(env: Path, engine: ScoredEngine) -> None:
    """The name is kept in the URL: a reload (a new session with the same URL) still records
    approvals under it."""
    at = translate_text(new_session(), "Harga beras naik.")
    at.text_input(key="who").input("Dewi")
    at.run()
    assert at.query_params["who"] == "Dewi"
    doc_id = only_document(env)
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params["doc"] = doc_id
    again.query_params["who"] = "Dewi"  # what the reloaded URL carries
    again.run()
    assert again.text_input(key="who").value == "Dewi"
    click(again, "approve-p0")
    assert load(env, doc_id).paragraph("p0").approved_by == "Dewi"
