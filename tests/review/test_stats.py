"""Post-editing effort: edit ratio, TER (MT → final) and chrF, per text and per document."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rapidfuzz.distance import Levenshtein
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from translate.document import TranslatedDocument
from translate.formats.readers import read_text
from translate.review.edits import edit_paragraph
from translate.review.stats import (
    Change,
    Effort,
    change,
    document_change,
    document_effort,
    effort,
)

ARTICLE = """Presiden Resmikan Jembatan Baru

Jakarta (ANTARA) - Presiden meresmikan jembatan baru. Acara berlangsung meriah.

Warga menyambut gembira. Mereka datang sejak pagi.

Pewarta: Budi Santoso

(Ant)
"""


@pytest.mark.parametrize(
    ("mt", "final", "ratio", "ter", "edited"),
    [
        pytest.param("", "", 0.0, 0.0, False, id="both-empty"),
        pytest.param("The cat sat.", "The cat sat.", 0.0, 0.0, False, id="identical"),
        pytest.param("Ya", "Ya", 0.0, 0.0, False, id="identical-short"),
        # cat -> dog: 3 characters of 23; 1 word substitution of the final's 6 words.
        pytest.param(
            "The cat sat on the mat.", "The dog sat on the mat.", 3 / 23, 100 / 6, True, id="word"
        ),
        # Capitalisation is an editor's work too: TER is case-sensitive.
        pytest.param("the cat", "The cat", 1 / 7, 50.0, True, id="case-only"),
        pytest.param("", "Hello world.", 1.0, 100.0, True, id="mt-empty"),
        pytest.param("Hello world.", "", 1.0, 100.0, True, id="final-empty"),
    ],
)
def test_effort_cases(mt: str, final: str, ratio: float, ter: float, edited: bool) -> None:
    result = effort(mt, final)
    assert result.edit_ratio == pytest.approx(ratio)
    assert result.ter == pytest.approx(ter)
    assert result.edited is edited
    if not edited:
        assert result.chrf == 100.0
    else:
        assert 0.0 <= result.chrf < 100.0


def test_empty_pair_is_untouched() -> None:
    assert effort("", "") == Effort(edit_ratio=0.0, ter=0.0, chrf=100.0, edited=False)


def test_rewritten_scores_near_the_maximum() -> None:
    result = effort("The cat sat on the mat.", "Dogs were running across a field!")
    assert result.edit_ratio > 0.7
    assert result.ter == pytest.approx(100.0)
    assert result.chrf < 20.0
    assert result.edited


def test_one_word_changed_chrf_matches_sacrebleu() -> None:
    mt, final = "The cat sat on the mat.", "The dog sat on the mat."
    expected = CHRF().sentence_score(mt, [final]).score
    assert effort(mt, final).chrf == pytest.approx(expected)
    assert 50.0 < expected < 100.0


def test_ter_counts_edits_from_mt_to_final() -> None:
    # Hypothesis = MT, reference = final: edits are divided by the final's word count.
    assert effort("a b c d", "a b").ter == pytest.approx(100.0)  # 2 deletions / 2 words
    assert effort("a b", "a b c d").ter == pytest.approx(50.0)  # 2 insertions / 4 words


# What an editor counts: characters and words changed, each out of the longer text's. The TER
# column is sacrebleu's on the same pair: it divides by the final English's words, so it
# explodes when a long MT is cut down to a few words, while the words changed cannot pass all.
@pytest.mark.parametrize(
    ("mt", "final", "characters", "length", "words", "of_words", "ter"),
    [
        pytest.param("", "", 0, 0, 0, 0, 0.0, id="both-empty"),
        pytest.param("The cat sat.", "The cat sat.", 0, 12, 0, 3, 0.0, id="identical"),
        pytest.param("The cat sat.", "The dog sat.", 3, 12, 1, 3, 100 / 3, id="one-word"),
        pytest.param("the cat", "The cat", 1, 7, 1, 2, 50.0, id="case-only"),
        pytest.param("", "Hello world.", 12, 12, 2, 2, 100.0, id="mt-empty"),
        pytest.param(
            "Yes.",
            "Yes, the minister said on Monday that the talks would go on next week.",
            66,
            70,
            14,
            14,
            100.0,
            id="short-mt-long-edit",
        ),
        pytest.param(
            "The minister said on Monday that the talks with the United States would go on.",
            "Talks continue.",
            68,
            78,
            15,
            15,
            750.0,
            id="long-mt-short-edit-ter-explodes",
        ),
        pytest.param("Ya", "Iya, benar.", 10, 11, 2, 2, 100.0, id="short-both"),
    ],
)
def test_change_cases(
    mt: str, final: str, characters: int, length: int, words: int, of_words: int, ter: float
) -> None:
    result = change(mt, final)
    assert result == Change(characters, length, words, of_words)
    assert result.characters <= result.length and result.words <= result.of_words
    assert result.ratio == pytest.approx(effort(mt, final).edit_ratio)  # one edit ratio
    assert effort(mt, final).ter == pytest.approx(ter)


def test_change_of_long_texts_is_windowed_like_effort() -> None:
    words = [f"kata{i}" for i in range(3000)]
    mt = " ".join(words)
    final = " ".join(w.upper() if i % 500 == 0 else w for i, w in enumerate(words))
    result = change(mt, final)
    assert result.words == 6  # one word in 500 changed; no edit straddles a window cut
    assert result.characters == 6 * 4  # "kata" → "KATA"
    assert result.ratio == pytest.approx(effort(mt, final).edit_ratio)


def test_to_dict() -> None:
    data = effort("the cat", "The cat").to_dict()
    assert list(data) == ["edit_ratio", "ter", "chrf", "edited"]
    assert data["edited"] is True
    assert data["ter"] == pytest.approx(50.0)


# --- documents --------------------------------------------------------------------------------


def _document(fake_translator: Any) -> TranslatedDocument:
    translated: TranslatedDocument = fake_translator.translate_document(
        read_text(ARTICLE, "txt", name="jembatan.txt")
    )
    return translated


def test_untouched_document(fake_translator: Any) -> None:
    doc = _document(fake_translator)
    assert document_effort(doc) == Effort(0.0, 0.0, 100.0, False)


def test_document_effort_is_corpus_level_over_translated_paragraphs(fake_translator: Any) -> None:
    doc = _document(fake_translator)
    doc = doc.replace_paragraph(edit_paragraph(doc.paragraph("p2"), "The residents cheered."))
    doc = doc.replace_paragraph(
        edit_paragraph(doc.paragraph("p0"), doc.paragraph("p0").mt.replace("EN(", "New ("))
    )
    model = [p for p in doc.paragraphs if p.translated]
    assert [p.id for p in model] == ["p0", "p1", "p2"]  # byline and credit are carried over
    mts, finals = [p.mt for p in model], [p.target for p in model]

    result = document_effort(doc)
    distance = sum(Levenshtein.distance(a, b) for a, b in zip(mts, finals, strict=True))
    longest = sum(max(len(a), len(b)) for a, b in zip(mts, finals, strict=True))
    assert result.edit_ratio == pytest.approx(distance / longest)
    assert result.ter == pytest.approx(TER(case_sensitive=True).corpus_score(mts, [finals]).score)
    assert result.chrf == pytest.approx(CHRF().corpus_score(mts, [finals]).score)
    assert result.edited
    # Corpus statistics, not a mean of paragraph scores.
    mean_ter = sum(effort(a, b).ter for a, b in zip(mts, finals, strict=True)) / len(mts)
    assert result.ter != pytest.approx(mean_ter)


def test_document_change_sums_the_model_paragraphs(fake_translator: Any) -> None:
    doc = _document(fake_translator)
    assert document_change(doc).characters == 0
    doc = doc.replace_paragraph(edit_paragraph(doc.paragraph("p2"), "The residents cheered."))
    credit = doc.paragraph("p4")
    doc = doc.replace_paragraph(replace(credit, target="(Antara)", status="edited"))
    model = [p for p in doc.paragraphs if p.translated]
    total = sum((change(p.mt, p.target) for p in model), Change(0, 0, 0, 0))
    assert document_change(doc) == total  # the credit's edit is not counted
    assert total.characters == change(doc.paragraph("p2").mt, "The residents cheered.").characters
    assert document_change(doc).ratio == pytest.approx(document_effort(doc).edit_ratio)


def test_edits_outside_model_paragraphs_do_not_count(fake_translator: Any) -> None:
    doc = _document(fake_translator)
    credit = doc.paragraph("p4")
    assert not credit.translated
    doc = doc.replace_paragraph(replace(credit, target="(Antara)", status="edited"))
    assert document_effort(doc) == Effort(0.0, 0.0, 100.0, False)


def test_paragraphs_still_waiting_for_mt_are_left_out(fake_translator: Any) -> None:
    doc = _document(fake_translator)
    waiting = replace(doc.paragraph("p1"), target="", mt="")
    doc = doc.replace_paragraph(waiting)
    assert document_effort(doc).edited is False
