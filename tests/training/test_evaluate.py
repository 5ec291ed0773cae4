"""Scores: BLEU and chrF against the approved English, term accuracy by the one rule."""

from __future__ import annotations

import pytest

from translate.terms.glossary import Glossary
from translate.training.data import Pair
from translate.training.evaluate import score

GLOSSARY = Glossary.from_entries([("Jakarta", "Jakarta"), ("Jakarta Timur", "East Jakarta")])
PAIRS = [
    Pair("Dari Jakarta ke Jakarta Timur.", "From Jakarta to East Jakarta.", "a"),
    Pair("Hujan di Jakarta.", "Rain in Jakarta.", "a"),
]


@pytest.mark.parametrize(
    ("english", "accuracy"),
    [
        (["From Jakarta to East Jakarta.", "Rain in Jakarta."], 1.0),
        # The first sentence wants "Jakarta" twice (once more inside "East Jakarta",
        # terms.count.nested): one copy is a miss, and so is the missing "East Jakarta".
        (["From Jakarta to East Java.", "Rain in Jakarta."], 1 / 3),
        (["From the capital to the east.", "Rain in jakarta."], 0.0),  # case-sensitive
    ],
)
def test_term_accuracy_follows_the_applied_rule(english: list[str], accuracy: float) -> None:
    scores = score(PAIRS, english, -1.0, GLOSSARY)
    assert scores.terms == 3 and scores.term_accuracy == pytest.approx(accuracy, abs=1e-4)


def test_bleu_and_chrf_compare_with_the_references() -> None:
    perfect = score(PAIRS, [p.target for p in PAIRS], -0.5, None)
    assert perfect.bleu == 100.0 and perfect.chrf == 100.0 and perfect.logprob == -0.5
    assert perfect.term_accuracy is None and perfect.terms == 0
    poor = score(PAIRS, ["Something else.", "Nothing."], -3.0, None)
    assert poor.chrf < 30 and poor.bleu < 10
