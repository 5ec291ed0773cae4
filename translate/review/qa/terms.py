"""The ``terms`` check: every glossary term's English in the English, as often as wanted.

On a pair the terms are counted in the English (``count_target``, ``nested``: the rule of
the pipeline's ``applied``); on a document's machine English the pipeline's own record is
trusted (``applied`` also covers extra copies), and re-counted once an editor changed it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from translate.document import Term
from translate.review.qa.base import ERROR, WARNING, Check, Finding, Pair, TermLike, Unit, register
from translate.terms.count import count_target, nested


@register
class Terms(Check):
    """Glossary terms missed (errors) or said more often than the source has them (warnings)."""

    name = "terms"
    severity = ERROR
    description = (
        "A glossary term's English missing from the English (more copies than the source's "
        "terms: warning)"
    )
    order = 20

    def pair(self, pair: Pair) -> list[Finding]:
        return _check_terms(pair.target, pair.terms)

    def recorded(self, unit: Unit) -> list[Finding]:
        """The terms the pipeline recorded as not applied, while the English is the machine's."""
        out: list[Finding] = []
        for source, english in dict.fromkeys((t.source, t.target) for t in unit.missed):
            found = count_target(unit.target, english)
            out.append(
                (
                    ERROR,
                    f"glossary term {source} → {english} not applied "
                    f"(the English has it {found} time(s))",
                )
            )
        return out


def _term_pairs(terms: Iterable[TermLike]) -> list[tuple[str, str]]:
    return [(t.source, t.target) if isinstance(t, Term) else (t[0], t[1]) for t in terms]


def _check_terms(target: str, terms: Iterable[TermLike]) -> list[Finding]:
    """Each term's English must occur as often as the terms that want it (whole words, case
    as in the glossary; a target inside another wanted once more per outer one), by the rule
    of the pipeline's ``applied`` (``translate.terms.count``)."""
    pairs = _term_pairs(terms)
    wanted = nested(Counter(t for _, t in pairs), count_target)
    sources: dict[str, list[str]] = {}
    for s, t in pairs:
        sources.setdefault(t, []).append(s)
    out: list[Finding] = []
    for english, n in wanted.items():
        found = count_target(target, english)
        names = ", ".join(dict.fromkeys(sources[english]))
        if found < n:
            out.append(
                (
                    ERROR,
                    f"glossary term {names} → {english} missed: the English has it "
                    f"{found} time(s), the source {n}",
                )
            )
        elif found > n:
            out.append(
                (
                    WARNING,
                    f"glossary term {names} → {english}: the English has it {found} times, "
                    f"the source {n}",
                )
            )
    return out
