"""Words as the QA checks see them: letter runs, names, word lists."""

from __future__ import annotations

import re

# A word: letter runs joined by single hyphens or apostrophes ("Jum'at", "anti-korupsi").
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def word_spans(text: str) -> list[tuple[str, int]]:
    """The words of a text with their offsets."""
    return [(m.group(), m.start()) for m in WORD.finditer(text)]


def is_name(word: str) -> bool:
    """Whether a word is capitalised (a name, or a sentence's first word)."""
    return word[:1].isupper()


def wordset(text: str) -> frozenset[str]:
    """A word list written as white-space-separated words."""
    return frozenset(text.split())
