"""What a QA check is, and the registry of checks (name → check).

A check is a subclass of ``Check`` that says what it is (``name``, ``severity``,
``description``, ``order``, ``stage``) and finds problems in one source/English ``Pair``
(``pair``), in what the pipeline recorded about a ``Unit`` (``recorded``), or across a
document's units (``document``). ``@register`` puts it in ``REGISTRY``; the runner
(``translate.review.qa``), the summaries, the README's table and the evaluation all read the
registry, so adding a check is one module that registers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar

from translate.document import QAIssue, Severity, Term

ERROR: Severity = "error"
WARNING: Severity = "warning"

# A finding before it names its check and place: (severity, message).
Finding = tuple[Severity, str]
# A glossary term as a check sees it: a pipeline ``Term`` or a (source, English) pair.
TermLike = Term | tuple[str, str]

# When a check runs on a pair:
#   empty: only when the English is empty (nothing else runs then);
#   gate: first, on every English; a finding means the English is the source left as is;
#   translated: unless a gate check found the English untranslated;
#   any: on every non-empty English;
#   document: never on a pair; across the document's units (``Check.document``).
Stage = Literal["empty", "gate", "translated", "any", "document"]


@dataclass(frozen=True)
class Pair:
    """One source/English pair to check, with what the checks need to know about it."""

    source: str
    target: str
    terms: tuple[TermLike, ...] = ()  # glossary terms of the source, each wanted in the English
    # The accepted English/Indonesian character ratio (None: that of typical news).
    band: tuple[float, float] | None = None


@dataclass(frozen=True)
class Unit:
    """One checked pair of a document: a sentence, or a paragraph edited as a whole."""

    paragraph: str
    sentence: str | None  # None for a paragraph unit
    source: str
    target: str
    terms: tuple[TermLike, ...] = ()  # re-counted in the English
    missed: tuple[Term, ...] = ()  # recorded by the pipeline as not applied
    translated: bool = True  # mt/memory; copies and rules only get the ``copies`` checks

    @property
    def where(self) -> str:
        """The unit's id, as messages name it."""
        return self.sentence or self.paragraph


class Check:
    """Base of a QA check. Subclasses set the class attributes and override the methods that
    apply; each method's default finds nothing."""

    name: ClassVar[str]
    severity: ClassVar[Severity]  # of a typical finding (the README's table)
    description: ClassVar[str]  # what it finds, one line
    order: ClassVar[int]  # where it is listed and run among the checks
    stage: ClassVar[Stage] = "any"
    copies: ClassVar[bool] = False  # also runs on text carried over unchanged (copy, rule)

    def pair(self, pair: Pair) -> Iterable[Finding]:
        """Findings on one source/English pair."""
        return ()

    def recorded(self, unit: Unit) -> Iterable[Finding]:
        """Findings from what the pipeline recorded about a document's unit (after ``pair``)."""
        return ()

    def document(self, units: Sequence[Unit]) -> Iterable[tuple[str, QAIssue]]:
        """Findings across a document's translated units, as (paragraph id, issue)."""
        return ()


REGISTRY: dict[str, Check] = {}
C = TypeVar("C", bound=Check)


def register(cls: type[C]) -> type[C]:
    """Class decorator: add the check to ``REGISTRY`` under its name (one check per name)."""
    known = REGISTRY.get(cls.name)
    if known is not None and type(known) is not cls:
        raise ValueError(f"a QA check named {cls.name!r} is already registered")
    REGISTRY[cls.name] = cls()
    return cls


def checks() -> tuple[Check, ...]:
    """The registered checks, in their ``order``."""
    return tuple(sorted(REGISTRY.values(), key=lambda c: (c.order, c.name)))


def names() -> tuple[str, ...]:
    """The registered checks' names, in their ``order``."""
    return tuple(c.name for c in checks())
