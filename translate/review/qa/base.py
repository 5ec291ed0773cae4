"""What a QA check is, and the registry of checks (name → check).

A check says what it is (``name``, ``severity``, ``description``, ``order``, ``stage``) and
finds problems in one source/English ``Pair`` (``pair``), in what the pipeline recorded about
a ``Unit`` (``recorded``), or across a document's units (``document``): a ``Check`` subclass
decorated with ``@register``, or, for a check of pairs alone, a function of a ``Pair``
decorated with ``@pair_check(...)``. Both put it in ``REGISTRY``; the runner
(``translate.review.qa``), the summaries, the README's table and the evaluation all read the
registry, so adding a check is one module that registers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

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
    """Base of a QA check. Subclasses set the attributes and override the methods that apply;
    each method's default finds nothing. A check of pairs alone is simpler as a function
    (``pair_check``)."""

    name: str
    severity: Severity  # of a typical finding (the README's table)
    description: str  # what it finds, one line
    order: int  # where it is listed and run among the checks
    stage: Stage = "any"
    copies: bool = False  # also runs on text carried over unchanged (copy, rule)

    @property
    def origin(self) -> str:
        """Where the check is defined, to tell a second definition from a re-registration."""
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def pair(self, pair: Pair) -> Iterable[Finding]:
        """Findings on one source/English pair."""
        return ()

    def recorded(self, unit: Unit) -> Iterable[Finding]:
        """Findings from what the pipeline recorded about a document's unit (after ``pair``)."""
        return ()

    def document(self, units: Sequence[Unit]) -> Iterable[tuple[str, QAIssue]]:
        """Findings across a document's translated units, as (paragraph id, issue)."""
        return ()


PairFunction = Callable[[Pair], Iterable[Finding]]


class _PairFunction(Check):
    """A check that is one function of a pair (``pair_check``)."""

    def __init__(self, function: PairFunction, name: str, severity: Severity, description: str,
                 order: int, stage: Stage, copies: bool) -> None:  # fmt: skip
        self.function = function
        self.name, self.severity, self.description = name, severity, description
        self.order, self.stage, self.copies = order, stage, copies

    @property
    def origin(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"

    def pair(self, pair: Pair) -> Iterable[Finding]:
        return self.function(pair)


REGISTRY: dict[str, Check] = {}
C = TypeVar("C", bound=Check)


def _add(check: Check) -> None:
    """Put a check in ``REGISTRY`` under its name: one check per name."""
    known = REGISTRY.get(check.name)
    if known is not None and known.origin != check.origin:
        raise ValueError(f"a QA check named {check.name!r} is already registered")
    REGISTRY[check.name] = check


def register(cls: type[C]) -> type[C]:
    """Class decorator: register an instance of the ``Check`` subclass."""
    _add(cls())
    return cls


def pair_check(
    name: str,
    severity: Severity,
    description: str | None = None,
    *,
    order: int,
    stage: Stage = "any",
    copies: bool = False,
) -> Callable[[PairFunction], PairFunction]:
    """Function decorator: register a function of a ``Pair`` (returning its findings) as the
    check ``name``; the arguments are ``Check``'s attributes. The description, if not given, is
    the first paragraph of the function's docstring (as click takes a command's help)."""

    def decorate(function: PairFunction) -> PairFunction:
        told = description or first_paragraph(function.__doc__ or "")
        _add(_PairFunction(function, name, severity, told, order, stage, copies))
        return function

    return decorate


def checks() -> tuple[Check, ...]:
    """The registered checks, in their ``order``."""
    return tuple(sorted(REGISTRY.values(), key=lambda c: (c.order, c.name)))


def names() -> tuple[str, ...]:
    """The registered checks' names, in their ``order``."""
    return tuple(c.name for c in checks())


def first_paragraph(doc: str) -> str:
    """A docstring's first paragraph on one line, without its final full stop."""
    return " ".join(doc.strip().split("\n\n")[0].split()).removesuffix(".")
