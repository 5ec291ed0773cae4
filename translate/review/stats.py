"""Post-editing effort: how much an editor changed the machine English.

Three measures of the distance from the MT (``mt``) to the editor's final English (``target``):

- ``edit_ratio``: character Levenshtein distance / the longer text's length (0 untouched,
  1 rewritten), what MateCat reports as post-editing effort.
- ``ter``: sacrebleu TER with the MT as the hypothesis and the final English as the reference,
  i.e. HTER: word edits (shifts included) needed to turn the MT into the final text, per word of
  the final text, as a percentage (0 untouched; can exceed 100). Case-sensitive, because fixing
  capitalisation is an editor's work too.
- ``chrf``: sacrebleu chrF of the MT against the final English (0-100, 100 identical).

``change`` and ``document_change`` say the same in what an editor counts (``Change``):
characters and words replaced, added or removed, each out of the longer text's, so neither can
pass 100 %. TER divides by the *final* text's words instead, so a one-word MT rewritten into a
sentence of ten words scores 1000: right as HTER, noise on a row. The workspace shows
``Change``; the JSON export keeps the three measures of ``Effort``.

**Long texts.** Exact edit distances take time quadratic in the length, and TER's search for
moved phrases more (a 20 KB paragraph took seconds, a 190 KB one minutes). A text of more than
``LONG_TEXT_WORDS`` words, far beyond any news paragraph, is therefore compared in windows:
the MT is cut at a space every ``WINDOW_CHARS`` characters, the final English where the same
32 characters follow (searched near the same place; by position if absent), and the windows'
distances are summed. That is an upper bound on the whole text's distance, exact when no edit
straddles a cut, and takes linear time. TER there is the windows' word-level Levenshtein
distance, i.e. without the shift search: never below the true TER. chrF (n-gram counts) is
linear already. Texts up to the limit get exactly what they got before.

sacrebleu and rapidfuzz are imported inside the functions: the workspace imports this module
on every run and needs the numbers only when it shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass

from translate.document import TranslatedDocument

__all__ = [
    "LONG_TEXT_WORDS",
    "WINDOW_CHARS",
    "Change",
    "Effort",
    "change",
    "document_change",
    "document_effort",
    "effort",
]

# Words (of the MT or the final English) past which a text is compared in windows.
LONG_TEXT_WORDS = 1000
# The size of those windows in the MT, in characters.
WINDOW_CHARS = 4096
# How many characters after a cut in the MT must recur in the final English to cut it there.
_ANCHOR = 32


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


@dataclass(frozen=True)
class Change:
    """What an editor changed, in characters and words (each at most the longer text's)."""

    characters: int  # character edit distance, MT → final English
    length: int  # characters of the longer of the two texts
    words: int  # words replaced, added or removed (word edit distance)
    of_words: int  # words of the longer of the two texts

    @property
    def ratio(self) -> float:
        """Characters changed per character of the longer text: 0 untouched, 1 rewritten
        (``Effort.edit_ratio``)."""
        return self.characters / self.length if self.length else 0.0

    def __add__(self, other: Change) -> Change:
        return Change(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def change(mt: str, final: str) -> Change:
    """What turning one machine translation into the final English changed."""
    from rapidfuzz.distance import Levenshtein

    characters = words = 0
    # Long texts in windows, as for ``effort``: linear time, an upper bound (see above).
    for a, b in _windows(mt, final) if _is_long(mt, final) else [(mt, final)]:
        characters += Levenshtein.distance(a, b)
        words += Levenshtein.distance(a.split(), b.split())
    return Change(
        characters,
        max(len(mt), len(final)),
        words,
        max(len(mt.split()), len(final.split())),
    )


def document_change(document: TranslatedDocument) -> Change:
    """``change`` summed over the paragraphs ``document_effort`` counts (those that went
    through the model and have their MT)."""
    return sum((change(mt, final) for mt, final in _model_pairs(document)), Change(0, 0, 0, 0))


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
    pairs = _model_pairs(document)
    return _effort([mt for mt, _ in pairs], [final for _, final in pairs])


def _model_pairs(document: TranslatedDocument) -> list[tuple[str, str]]:
    """(MT, final English) of the paragraphs that went through the model and have their MT."""
    return [(p.mt, p.target) for p in document.paragraphs if p.translated and p.mt]


def _effort(mts: Sequence[str], finals: Sequence[str]) -> Effort:
    from rapidfuzz.distance import Levenshtein
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    pairs = list(zip(mts, finals, strict=True))
    edited = any(mt != final for mt, final in pairs)
    if not edited:
        # sacrebleu scores empty texts as chrF 0; untouched text is 100 whatever its length.
        return Effort(edit_ratio=0.0, ter=0.0, chrf=100.0, edited=False)
    long = [_is_long(mt, final) for mt, final in pairs]
    distance = 0
    edits = ref_words = 0.0  # TER statistics of the long texts
    for (mt, final), is_long in zip(pairs, long, strict=True):
        if not is_long:
            distance += Levenshtein.distance(mt, final)
            continue
        for a, b in _windows(mt, final):
            distance += Levenshtein.distance(a, b)
            edits += Levenshtein.distance(a.split(), b.split())  # TER's tokens: split()
        ref_words += len(final.split())
    short = [pair for pair, is_long in zip(pairs, long, strict=True) if not is_long]
    if short:
        score = TER(case_sensitive=True).corpus_score(
            [mt for mt, _ in short], [[final for _, final in short]]
        )
        if len(short) == len(pairs):
            ter = float(score.score)
        edits += score.num_edits
        ref_words += score.ref_length
    if len(short) < len(pairs):
        # sacrebleu's rule: edits per reference word; an empty reference scores 100 if edited.
        ter = 100 * edits / ref_words if ref_words > 0 else 100.0 if edits > 0 else 0.0
    longest = sum(max(len(a), len(b)) for a, b in pairs)
    chrf = CHRF().corpus_score(list(mts), [list(finals)]).score
    return Effort(
        edit_ratio=distance / longest if longest else 0.0,
        ter=float(ter),
        chrf=float(chrf),
        edited=True,
    )


def _is_long(mt: str, final: str) -> bool:
    """Whether a pair is compared in windows: more than ``LONG_TEXT_WORDS`` words on a side."""
    return max(len(mt.split()), len(final.split())) > LONG_TEXT_WORDS


def _windows(mt: str, final: str) -> list[tuple[str, str]]:
    """The pair cut into aligned windows of about ``WINDOW_CHARS`` characters of the MT, each
    window's final English at most a few windows long, so that comparing them all is linear.

    The MT is cut at a space after each ``WINDOW_CHARS`` characters, the final English where
    the ``_ANCHOR`` characters after that space recur, nearest the same distance from its last
    cut (within a window either way). One of the next ``_TRIES`` spaces of the MT may do
    better (an edit may sit right at the first): the first whose text recurs at exactly that
    distance wins, else the nearest recurrence; with none, the cut is by position, at a space.
    """
    out: list[tuple[str, str]] = []
    i = j = 0
    while len(mt) - i > 2 * WINDOW_CHARS and len(final) - j > 2 * WINDOW_CHARS:
        a = mt.find(" ", i + WINDOW_CHARS)
        if a < 0:
            break
        best: tuple[int, int, int] | None = None  # (distance from expected, MT cut, final cut)
        for _ in range(_TRIES):
            expect = j + (a - i)
            b = _anchored(mt, final, a, expect, j)
            if b >= 0 and (best is None or abs(b - expect) < best[0]):
                best = (abs(b - expect), a, b)
                if b == expect:
                    break
            a = mt.find(" ", a + 1)
            if a < 0 or a - i > 2 * WINDOW_CHARS:
                break
        if best is not None:
            _, a, b = best
        else:
            a = mt.find(" ", i + WINDOW_CHARS)
            b = final.find(" ", j + (a - i))  # no common text here: the texts differ anyway
            if b < 0:
                break
        out.append((mt[i:a], final[j:b]))
        i, j = a, b
    out.append((mt[i:], final[j:]))
    return out


_TRIES = 8


def _anchored(mt: str, final: str, a: int, expect: int, floor: int) -> int:
    """Where in ``final`` the text after ``mt[a]`` recurs nearest ``expect``, or -1."""
    anchor = mt[a : a + _ANCHOR]
    lo, hi = max(floor + 1, expect - WINDOW_CHARS), min(len(final), expect + WINDOW_CHARS)
    before = final.rfind(anchor, lo, min(len(final), expect + len(anchor)))
    after = final.find(anchor, max(lo, expect), hi + len(anchor))
    found = [k for k in (before, after) if k >= 0]
    return min(found, key=lambda k: abs(k - expect)) if found else -1
