"""The ``length`` check: omissions and additions, by the English/Indonesian length ratio
learnt from the document (``length_range``), and English cut off before its end."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from translate.review.qa.base import WARNING, Finding, Pair, pair_check

# English characters per Indonesian character in news text (measured on tests/data/qa: median
# 1.0 with whitespace counted); used when a document has too few sentences to learn its own.
TYPICAL_RATIO = 0.97
# The accepted band around a document's median ratio. On the frozen correct set the extremes
# are 0.67× and 1.41× the median (terse time/number phrases, long English circumlocutions).
LOW_FACTOR, HIGH_FACTOR = 0.6, 1.7
# A learnt median outside this band means the document is unusual (all captions, lists of
# names); clamp rather than trust it.
MEDIAN_BOUNDS = (0.7, 1.4)
MIN_SENTENCES_TO_LEARN = 5
# Short sentences vary more in ratio; never flag a difference under this many characters.
LENGTH_SLACK = 12
# English that stops without final punctuation, where the source has it, and is short of the
# expected length is cut off (the decoder's length bound, or a dropped clause).
CUT_OFF_FACTOR = 0.85
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"'”’)\]]\s*$")


def length_range(pairs: Iterable[tuple[str, str]]) -> tuple[float, float]:
    """The accepted English/Indonesian character ratio for these pairs: their median ratio
    (clamped to sane bounds) × ``[LOW_FACTOR, HIGH_FACTOR]``; the typical news ratio when
    there are fewer than ``MIN_SENTENCES_TO_LEARN`` usable pairs."""
    ratios = [len(t) / len(s) for s, t in pairs if len(s.strip()) >= 20 and t.strip()]
    if len(ratios) < MIN_SENTENCES_TO_LEARN:
        median = TYPICAL_RATIO
    else:
        median = min(max(statistics.median(ratios), MEDIAN_BOUNDS[0]), MEDIAN_BOUNDS[1])
    return median * LOW_FACTOR, median * HIGH_FACTOR


# "The National Disaster Mitigation Agency (BNPB)" for the source's "BNPB": an expansion.
_EXPANSION = re.compile(r"(?:\b(?:[A-Z][\w'’-]*|of|and|for|the|on)\s+){1,10}\(([^()\s]{2,12})\)")


def _without_expansions(source: str, target: str) -> str:
    """The English with each spelt-out name that is followed by the source's own abbreviation
    in brackets reduced to that abbreviation: the length the source's abbreviation stands for."""
    bare = re.sub(r"\([^()]*\)", " ", source)  # "Badan Pusat Statistik (BPS)" spells it out too
    words = set(re.findall(r"[^\s(),.;:]+", bare))
    return _EXPANSION.sub(lambda m: m.group(1) if m.group(1) in words else m.group(0), target)


@pair_check("length", WARNING, order=30, stage="translated")
def length(pair: Pair) -> list[Finding]:
    """English much shorter or longer than this document's usual ratio, or cut off."""
    return _check_length(pair.source, pair.target, pair.band or length_range([]))


def _check_length(source: str, target: str, band: tuple[float, float]) -> list[Finding]:
    src, tgt = len(source.strip()), len(_without_expansions(source, target).strip())
    if src == 0 or tgt == 0:
        return []
    low, high = band
    expected = low / LOW_FACTOR * src  # the document's median ratio × the source length
    ratio = tgt / src
    size = f"{len(target.strip())} characters"
    if tgt != len(target.strip()):
        size += f" ({tgt} with abbreviations not spelt out)"
    size += f" for a {src}-character source (ratio {ratio:.2f}"
    if tgt < low * src and expected - tgt > LENGTH_SLACK:
        return [
            (
                WARNING,
                f"the English is short: {size}, expected at least {low:.2f}); "
                "something may be left out",
            )
        ]
    if tgt > high * src and tgt - expected > LENGTH_SLACK:
        return [
            (WARNING, f"the English is long: {size}, expected at most {high:.2f}); it may add text")
        ]
    if (
        _TERMINAL.search(source)
        and not _TERMINAL.search(target)
        and tgt < CUT_OFF_FACTOR * expected
        and expected - tgt > LENGTH_SLACK
    ):
        end = target.strip()[-20:]
        return [
            (
                WARNING,
                f"the English seems cut off: it ends “…{end}” without final punctuation; {size})",
            )
        ]
    return []
