"""When a glossary term counts as applied: the one rule, in text and in tokens.

A sentence that has a term *n* times wants its English target *n* times, as whole words and
case-sensitively (``count_target``); where one wanted target contains another ("UN Security
Council" and "UN"), the inner one is wanted once more per copy inside each outer occurrence
(``inside``, ``nested``). In tokens, a target may take any of the forms ``token_forms`` lists,
a glued one only after an opening quote or bracket (``TokenTerm``); the output bound leaves
each wanted occurrence the room of its longest form (``room``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@functools.lru_cache(maxsize=4096)
def _target_pattern(target: str) -> re.Pattern[str] | None:
    parts = target.split()
    if not parts:
        return None
    body = r"\s+".join(re.escape(p) for p in parts)
    # Straight and curly apostrophes alike: models and editors swap them.
    body = "".join("['’]" if c in "'’" else c for c in body)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def count_target(english: str, target: str) -> int:
    """How often `target` occurs in `english` as whole words, case-sensitively."""
    pattern = _target_pattern(target)
    return 0 if pattern is None else sum(1 for _ in pattern.finditer(english))


def inside(inner: str, outer: str) -> int:
    """Copies of ``inner`` within ``outer`` (whole words), 0 for the same text: how many more
    times a sentence wants ``inner`` per occurrence of ``outer``."""
    return 0 if inner == outer else count_target(outer, inner)


def nested(wanted: Counter[str], occurs: Callable[[str, str], int] = count_target) -> Counter[str]:
    """Required counts when one required text contains another: "UN Security Council" also
    contains "UN", so a sentence that needs both needs "UN" once more per council."""
    out = Counter(wanted)
    # A long sentence may want hundreds of texts: test the pairs cheaply first (every word
    # of the inner text in the outer, apostrophes alike) before counting.
    flat = {text: text.replace("’", "'") for text in wanted}
    parts = {text: flat[text].split() for text in wanted}
    for inner in wanted:
        for outer, n in wanted.items():
            if outer != inner and all(part in flat[outer] for part in parts[inner]):
                out[inner] += occurs(outer, inner) * n
    return out


def applied(english: str, targets: Iterable[str]) -> dict[str, bool]:
    """Whether each wanted target is applied in ``english``: the targets of a sentence's
    matched terms (one per match), each applied when the English has it exactly as often as
    the sentence wants it (``nested`` included): a missing or an extra copy is a miss."""
    wanted = nested(Counter(targets))
    return {target: count_target(english, target) == n for target, n in wanted.items()}


def token_forms(tokenizer: Any, target: str) -> tuple[tuple[int, ...], ...]:
    """Every token sequence a target term can take: after a space, or glued after an opening
    quote or bracket (SentencePiece splits ``Lavrov`` and ``(Lavrov`` differently)."""
    forms: list[tuple[int, ...]] = []

    def ids(text: str) -> list[int]:
        return list(tokenizer(text_target=text, add_special_tokens=False)["input_ids"])

    for prefix in ("", '"', "(", "'", "[", "-", "/"):
        whole = ids(prefix + target)
        head = ids(prefix) if prefix else []
        if whole[: len(head)] != head:
            continue
        form = tuple(whole[len(head) :])
        decoded = tokenizer.decode(list(form), skip_special_tokens=True).strip()
        if form and decoded == target and form not in forms:
            forms.append(form)
    if not forms:
        forms.append(tuple(ids(target)))
    return tuple(forms)


Forms = tuple[tuple[int, ...], ...]


def width(forms: Forms) -> int:
    """Tokens of the longest form: the room one occurrence of the term needs."""
    return max(len(f) for f in forms)


def room(terms: Iterable[tuple[Forms, int]]) -> int:
    """Tokens the output bound leaves for (forms, count) terms: each wanted occurrence its
    longest form."""
    return sum(width(forms) * count for forms, count in terms)


@dataclass(frozen=True)
class TokenTerm:
    """A target term in tokens: any of its ``forms``; ``glued[i]`` marks a form that starts
    mid-word (SentencePiece's segmentation right after an opening quote or bracket), which
    counts only after one of the ``openers`` tokens."""

    forms: Forms
    glued: tuple[bool, ...] = ()
    openers: frozenset[int] = frozenset()

    def at_end(self, tokens: list[int], i: int, length: int) -> bool:
        """Whether ``tokens`` ends with the first ``length`` tokens of form ``i``, in context."""
        form = self.forms[i]
        if length:
            # Called for every term, form and prefix length of every candidate at every step:
            # compare from the last token back (most calls fail there) without slicing.
            n = len(tokens)
            if n < length:
                return False
            for back in range(1, length + 1):
                if tokens[n - back] != form[length - back]:
                    return False
        if not (self.glued and self.glued[i]):
            return True
        before = len(tokens) - length - 1
        return before < 0 or tokens[before] in self.openers

    @property
    def longest(self) -> int:
        """Tokens of the longest form (room the output bound must leave for the term)."""
        return width(self.forms)

    def spans(self, ids: list[int]) -> list[tuple[int, int]]:
        """Token spans where a form of the term completes in ``ids``: one per end position,
        as the constrained search counts them."""
        out = []
        for end in range(1, len(ids) + 1):
            head = ids[:end]
            for i, form in enumerate(self.forms):
                if head[-1] == form[-1] and self.at_end(head, i, len(form)):
                    out.append((end - len(form), end))
                    break
        return out
