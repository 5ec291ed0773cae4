"""Scoring a model on pairs, before and after fine-tuning: BLEU and chrF (sacrebleu) of its
translations against the approved English, term accuracy with the active glossary (the rule
of ``terms.count.applied``), and the mean log-probability per reference token.

The translations are the engine's own (``MarianEngine``, loaded from the folder like any
model), decoded without glossary constraints: with them the torch search places every term,
and the accuracy would say nothing about what the model learnt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translate.terms.count import applied
from translate.text.normalize import to_model
from translate.training.data import Pair

if TYPE_CHECKING:
    from translate.engines.base import Engine, Hypothesis
    from translate.terms.glossary import Glossary


@dataclass(frozen=True)
class Scores:
    """A model on a set of pairs. ``logprob``: mean log-probability per reference token;
    ``terms``: glossary term occurrences in the sources, ``term_accuracy`` the share applied
    (None when the sources have none)."""

    pairs: int
    bleu: float
    chrf: float
    logprob: float
    terms: int
    term_accuracy: float | None


@dataclass(frozen=True)
class Evaluation:
    """A model on the held-out pairs and on the out-of-domain guard set."""

    heldout: Scores
    guard: Scores | None


def translations(
    engine: Engine,
    pairs: Sequence[Pair],
    beams: int,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """The engine's English for each source (unconstrained), in order."""
    done = 0

    def count(indices: Sequence[int], _: Sequence[list[Hypothesis]]) -> None:
        nonlocal done
        done += len(indices)
        if progress is not None:
            progress(done)

    results = engine.translate(
        [to_model(p.source) for p in pairs], beams=beams, on_batch=count if progress else None
    )
    return [hyps[0].text if hyps else "" for hyps in results]


def score(
    pairs: Sequence[Pair], english: Sequence[str], logprob: float, glossary: Glossary | None
) -> Scores:
    """BLEU, chrF and term accuracy of ``english`` against the pairs' targets."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    references = [to_model(p.target) for p in pairs]
    hypotheses = list(english)
    bleu = BLEU().corpus_score(hypotheses, [references]).score if pairs else math.nan
    chrf = CHRF().corpus_score(hypotheses, [references]).score if pairs else math.nan
    wanted = met = 0
    if glossary is not None:
        for pair, hypothesis in zip(pairs, hypotheses, strict=True):
            matches = glossary.find(pair.source)
            ok = applied(hypothesis, (m.entry.target for m in matches))
            wanted += len(matches)
            met += sum(ok[m.entry.target] for m in matches)
    return Scores(
        pairs=len(pairs),
        bleu=round(bleu, 2),
        chrf=round(chrf, 2),
        logprob=round(logprob, 4),
        terms=wanted,
        term_accuracy=round(met / wanted, 4) if wanted else None,
    )
