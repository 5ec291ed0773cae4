"""When a glossary term counts as applied: the one rule, in text and in tokens.

A sentence that has a term *n* times wants its English target *n* times, as whole words and
case-sensitively (``count_target``); where one wanted target contains another ("UN Security
Council" and "UN"), the inner one is wanted once more per outer occurrence (``nested``). In
tokens, a target may take any of the forms ``token_forms`` lists.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
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


def token_forms(tokenizer: Any, target: str) -> tuple[tuple[int, ...], ...]:
    """Every token sequence a target term can take: after a space, or glued after an opening
    quote or bracket (SentencePiece splits ``Lavrov`` and ``(Lavrov`` differently).

    The same rule as ``MarianEngine.term_forms`` (a test holds the two equal).
    """
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
