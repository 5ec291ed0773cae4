"""Post-editing effort: how much an editor changed the machine English.

Three measures of the distance from the MT (``mt``) to the editor's final English (``target``):

- ``edit_ratio``: character Levenshtein distance / the longer text's length (0 untouched,
  1 rewritten), what MateCat reports as post-editing effort.
- ``ter``: sacrebleu TER with the MT as the hypothesis and the final English as the reference,
  i.e. HTER: word edits (shifts included) needed to turn the MT into the final text, per word of
  the final text, as a percentage (0 untouched; can exceed 100). Case-sensitive, because fixing
  capitalisation is an editor's work too.
- ``chrf``: sacrebleu chrF of the MT against the final English (0-100, 100 identical).

sacrebleu and rapidfuzz are imported inside the functions: the workspace imports this module
on every run and needs the numbers only when it shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .document import TranslatedDocument

__all__ = ["Effort", "document_effort", "effort"]


@dataclass(frozen=True)
class Effort:
    """Post-editing effort between machine English and final English."""

    edit_ratio: float  # character edit distance / max(len): 0 untouched, 1 rewritten
    ter: float  # HTER in percent: hypothesis = MT, reference = final English
    chrf: float  # chrF of MT against final, 0-100 (100 = identical)
    edited: bool  # the final English differs from the MT

    def to_dict(self) -> dict[str, float | bool]:
        """The measures as plain values (for JSON)."""
        return asdict(self)


def effort(mt: str, final: str) -> Effort:
    """The effort of turning one machine translation into the final English."""
    return _effort([mt], [final])


def document_effort(document: TranslatedDocument) -> Effort:
    """Corpus-level effort over the paragraphs that went through the model.

    Copied and rule-only paragraphs (credits, bylines) are left out, as are paragraphs whose MT
    has not arrived yet. TER and chrF are corpus scores (statistics summed over paragraphs, not
    an average of paragraph scores); ``edit_ratio`` is the total distance over the total of the
    longer lengths, so long paragraphs weigh more, as they take more work.
    """
    pairs = [(p.mt, p.target) for p in document.paragraphs if p.translated and p.mt]
    return _effort([mt for mt, _ in pairs], [final for _, final in pairs])


def _effort(mts: Sequence[str], finals: Sequence[str]) -> Effort:
    from rapidfuzz.distance import Levenshtein
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    edited = any(mt != final for mt, final in zip(mts, finals, strict=True))
    if not edited:
        # sacrebleu scores empty texts as chrF 0; untouched text is 100 whatever its length.
        return Effort(edit_ratio=0.0, ter=0.0, chrf=100.0, edited=False)
    distance = sum(Levenshtein.distance(a, b) for a, b in zip(mts, finals, strict=True))
    longest = sum(max(len(a), len(b)) for a, b in zip(mts, finals, strict=True))
    ter = TER(case_sensitive=True).corpus_score(list(mts), [list(finals)]).score
    chrf = CHRF().corpus_score(list(mts), [list(finals)]).score
    return Effort(
        edit_ratio=distance / longest if longest else 0.0,
        ter=float(ter),
        chrf=float(chrf),
        edited=True,
    )
