"""Translation units: what a document exports to TMX and XLIFF."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from translate.document import QAIssue
from translate.formats.readers import read_text
from translate.formats.units import units
from translate.formats.xliff import to_xliff
from translate.review.store import Store

from .catfiles import ARTICLE, HOSTILE_TEXT

# --- units ----------------------------------------------------------------------------------


def test_units_sentences_paragraph_unit_and_what_is_left_out(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    assert doc.paragraph("p2").segmentation == "paragraph"
    got = {u.id: u for u in units(doc)}
    # p4 (byline: rule + copy) and p5 (credit: copy) are house style, not translation.
    assert list(got) == ["p0.s0", "p1.s0", "p1.s1", "p1.s2", "p2", "p3.s0"]
    assert got["p2"].segtype == "paragraph" and got["p2"].target == HOSTILE_TEXT
    assert got["p2"].paragraph == "p2" and got["p2"].status == "edited"
    dateline = got["p1.s0"]
    assert (dateline.translate, dateline.origin, dateline.target) == (
        False,
        "copy",
        "Jakarta (ANTARA) -",
    )
    assert got["p1.s1"].translate and got["p1.s1"].segtype == "sentence"
    assert got["p3.s0"].status == "approved"

    # Terms first, then the QA findings the pipeline attached (a fake engine makes many).
    def terms(unit_id: str) -> tuple[str, ...]:
        notes = got[unit_id].notes
        assert all(n.startswith(("term: ", "qa ")) for n in notes)
        return tuple(n for n in notes if n.startswith("term: "))

    assert terms("p0.s0") == (
        "term: Presiden → President (missed)",
        "term: Beograd → Belgrade (missed)",
    )
    assert terms("p3.s0") == ("term: PBB → UN (missed)",)
    assert terms("p1.s2") == ()


def test_untranslated_paragraphs_are_not_units(tmp_path: Path, fake_translator: Any) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        document = read_text(ARTICLE, "txt", name="a.txt")
        doc_id = store.create(document, fake_translator.meta(document))
        assert units(store.load(doc_id)) == []


def test_qa_notes_go_to_their_sentence_or_the_first_unit(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    p1 = replace(
        doc.paragraph("p1"),
        qa=(
            QAIssue("number", "warning", "p1.s2", "2 in the source, none in the English"),
            QAIssue("length", "error", None, "the English is twice as long"),
        ),
    )
    got = {u.id: u for u in units(doc.replace_paragraph(p1))}
    assert got["p1.s2"].notes == ("qa warning: 2 in the source, none in the English [number]",)
    assert got["p1.s0"].notes == ("qa error: the English is twice as long [length]",)
    assert "qa error" in to_xliff(doc.replace_paragraph(p1)).decode()
