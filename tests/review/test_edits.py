"""Post-editing values: paragraph and sentence edits, re-alignment, status and revert."""

from __future__ import annotations

import pytest

from translate.document import Paragraph, Sentence, join_targets
from translate.errors import UsageError
from translate.review.edits import (
    can_revert,
    edit_paragraph,
    edit_segment,
    edit_sentence,
    revert,
    sentence_editable,
    set_status,
)

SOURCE = "Jakarta (ANTARA) - Presiden meresmikan jembatan baru. Acara berlangsung meriah."


def _dateline_paragraph() -> Paragraph:
    """A machine-translated paragraph: a copied dateline and two translated sentences."""
    sentences = (
        Sentence(
            "p1.s0", "Jakarta (ANTARA) -", 0, 18, "Jakarta (ANTARA) -", "Jakarta (ANTARA) -", "copy"
        ),
        Sentence(
            "p1.s1",
            "Presiden meresmikan jembatan baru.",
            19,
            53,
            "The president opened a new bridge.",
            "The president opened a new bridge.",
            "mt",
            -0.2,
        ),
        Sentence(
            "p1.s2",
            "Acara berlangsung meriah.",
            54,
            79,
            "The event was lively.",
            "The event was lively.",
            "mt",
            -0.3,
        ),
    )
    english = join_targets(s.target for s in sentences)
    return Paragraph("p1", "paragraph", SOURCE, english, english, sentences=sentences)


def test_paragraph_edit_with_same_sentence_count_maps_one_to_one() -> None:
    p = _dateline_paragraph()
    english = "Jakarta (ANTARA) - The President opened a new bridge. The event was festive."
    new = edit_paragraph(p, english)
    assert new.target == english
    assert new.status == "edited"
    assert new.segmentation == "sentence"
    assert [s.target for s in new.sentences] == [
        "Jakarta (ANTARA) -",
        "The President opened a new bridge.",
        "The event was festive.",
    ]
    # The machine's English is kept beside the edit.
    assert [s.mt for s in new.sentences] == [s.mt for s in p.sentences]
    assert new.mt == p.mt


def test_paragraph_edit_changing_sentence_count_becomes_one_unit() -> None:
    p = _dateline_paragraph()
    english = "Jakarta (ANTARA) - The President opened a new bridge at a lively event."
    new = edit_paragraph(p, english)
    assert new.target == english
    assert new.status == "edited"
    assert new.segmentation == "paragraph"
    # Sentence pairs are left as the machine made them; the paragraph is the unit now.
    assert new.sentences == p.sentences


def test_paragraph_edit_keeps_dateline_copy_sentence_when_kept_verbatim() -> None:
    p = _dateline_paragraph()
    new = edit_paragraph(p, "Jakarta (ANTARA) - A new bridge was opened. Crowds cheered.")
    assert new.segmentation == "sentence"
    assert new.sentences[0].target == "Jakarta (ANTARA) -"
    assert new.sentences[0].origin == "copy"
    assert [s.target for s in new.sentences[1:]] == ["A new bridge was opened.", "Crowds cheered."]


def test_paragraph_edit_dropping_the_dateline_realigns_from_the_start() -> None:
    p = _dateline_paragraph()
    new = edit_paragraph(p, "JAKARTA - A new bridge was opened. Crowds cheered.")
    # The changed dateline no longer matches the copy pair, so the English splits into two
    # sentences for three pairs: the paragraph becomes one unit.
    assert new.target == "JAKARTA - A new bridge was opened. Crowds cheered."
    assert new.status == "edited"
    assert new.segmentation == "paragraph"


def test_unchanged_paragraph_edit_returns_the_same_value() -> None:
    p = _dateline_paragraph()
    assert edit_paragraph(p, "  " + p.target + "\n") is p


def test_sentence_edit_rejoins_the_paragraph() -> None:
    p = _dateline_paragraph()
    new = edit_sentence(p, "p1.s2", " The ceremony was festive. ")
    assert new.sentences[2].target == "The ceremony was festive."
    assert new.sentences[2].mt == "The event was lively."
    assert (
        new.target
        == "Jakarta (ANTARA) - The president opened a new bridge. The ceremony was festive."
    )
    assert new.status == "edited"
    assert edit_sentence(p, "p1.s1", p.sentences[1].target) is p


def test_sentence_edit_refused_on_paragraph_unit_and_unknown_sentence() -> None:
    p = _dateline_paragraph()
    with pytest.raises(UsageError, match=r"no sentence p1\.s9"):
        edit_sentence(p, "p1.s9", "x")
    unit = edit_paragraph(p, "One sentence only.")
    assert unit.segmentation == "paragraph"
    with pytest.raises(UsageError, match="paragraph view"):
        edit_sentence(unit, "p1.s1", "x")


def test_set_status_and_unknown_status() -> None:
    p = _dateline_paragraph()
    assert set_status(p, "approved").status == "approved"
    with pytest.raises(UsageError, match="unknown status"):
        set_status(p, "done")


def test_revert_restores_machine_english_and_sentence_mode() -> None:
    p = _dateline_paragraph()
    unit = edit_paragraph(p, "Totally new.")
    back = revert(set_status(unit, "approved"))
    assert back.target == p.mt
    assert back.status == "draft"
    assert back.segmentation == "sentence"
    assert [s.target for s in back.sentences] == [s.mt for s in p.sentences]
    assert back == p


def test_which_segment_an_edit_targets_and_what_may_be_edited() -> None:
    p = _dateline_paragraph()
    assert edit_segment(p, "p1.s1") == "p1.s1"
    assert [sentence_editable(p, s) for s in p.sentences] == [False, True, True]
    assert not can_revert(p)
    merged = edit_paragraph(p, "Jakarta (ANTARA) - The president opened a bridge at a party.")
    assert merged.segmentation == "paragraph" and can_revert(merged)
    # Once the paragraph is one unit, English for one of its sentences edits the paragraph.
    assert edit_segment(merged, "p1.s1") == "p1"
    assert not any(sentence_editable(merged, s) for s in merged.sentences)
    assert not can_revert(revert(merged))
