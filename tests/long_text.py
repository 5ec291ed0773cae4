"""Very long synthetic Indonesian paragraphs, for the linear-time tests and the benchmark.

A transcript pasted as one line has no sentence punctuation: the whole paragraph is one
"sentence" for every per-sentence step. The text is made of the test articles' own words,
taken in runs from a random place (seeded), so it has their names, numbers and glossary terms.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ARTICLES = Path(__file__).parent / "data" / "articles"

# What each style removes from the articles' tokens: all punctuation ("none", a transcript),
# sentence-final punctuation only ("clauses": commas and quotes stay), or nothing.
_STRIP = {
    "none": re.compile(r"[^\w-]"),
    "clauses": re.compile(r"[.!?…]+(?=[\"'”’)\]]*$)"),
    "sentences": None,
}


def _tokens() -> list[str]:
    tokens: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        tokens += path.read_text(encoding="utf-8-sig").split()
    return tokens


def long_paragraph(size: int, *, punctuation: str = "none", seed: int = 0) -> str:
    """One paragraph of about ``size`` characters (never more), on one line."""
    strip = _STRIP[punctuation]
    rng = random.Random(seed)
    tokens = _tokens()
    words: list[str] = []
    length = -1
    i = rng.randrange(len(tokens))
    while True:
        if rng.random() < 0.05:
            i = rng.randrange(len(tokens))  # a new run of words from elsewhere
        word = tokens[i % len(tokens)]
        i += 1
        if strip is not None:
            word = strip.sub("", word)
        if not word:
            continue
        if length + 1 + len(word) > size:
            return " ".join(words)
        words.append(word)
        length += 1 + len(word)
