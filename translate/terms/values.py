"""The glossary's values: entries, problems found in files, matches, suggestions, the error.

Every other module in ``translate.terms`` builds on these; they import nothing of the package
but ``translate.errors``, so files, matcher and suggestions can share them without cycles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from translate.errors import TranslateError

__all__ = [
    "Entry",
    "GlossaryError",
    "Match",
    "Problem",
    "Severity",
    "Suggestion",
    "SuggestionKind",
    "by_line",
]

Severity = Literal["error", "warning"]
SuggestionKind = Literal["name", "acronym"]


@dataclass(frozen=True)
class Entry:
    """One glossary row: Indonesian source forms and their English target."""

    source: str
    target: str
    case_sensitive: bool = True
    variants: tuple[str, ...] = ()
    note: str = ""
    # Where the entry came from, for messages only: not part of equality.
    line: int | None = field(default=None, compare=False)

    @property
    def forms(self) -> tuple[str, ...]:
        """The source followed by the variants."""
        return (self.source, *self.variants)


@dataclass(frozen=True)
class Problem:
    """A finding about a glossary file: an error makes it unusable, a warning does not."""

    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.severity}: {self.message}"


def by_line(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order they are reported: by line (file-wide ones first), errors before
    warnings on the same line, otherwise as found."""
    return sorted(
        problems, key=lambda p: (p.line if p.line is not None else 0, p.severity != "error")
    )


@dataclass(frozen=True)
class Match:
    """A glossary form found in text: ``text[start:end] == form``."""

    entry: Entry
    form: str  # the text as found (may differ in case or spacing from the glossary form)
    start: int
    end: int


@dataclass(frozen=True)
class Suggestion:
    """A proper-noun candidate missing from the glossary, with one example context.

    ``count`` is how often exactly ``form`` occurs as a whole name (not inside a longer
    suggested name). ``target`` is a proposed English for an editor to confirm, and ``rule``
    says in a few words how it was made ("as is", "compass word: Utara = North", …).
    """

    form: str
    count: int
    context: str
    kind: SuggestionKind
    # Defaults keep older four-field constructions valid; suggest() always fills both.
    target: str = ""
    rule: str = ""


class GlossaryError(TranslateError):
    """A glossary file cannot be read or has errors; ``problems`` lists them all."""

    exit_code = 2

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems: list[Problem] = by_line(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        first = errors[0] if errors else self.problems[0] if self.problems else None
        if first is None:
            message = f"{source}: invalid glossary"
        else:
            where = f"line {first.line}: " if first.line is not None else ""
            message = f"{source}: {where}{first.message}"
            more = len(self.problems) - 1
            if more:
                message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)

    @classmethod
    def about_file(cls, source: str, message: str) -> GlossaryError:
        """The error for a file that cannot be used at all (one problem, no line)."""
        return cls(source, [Problem(None, "error", message)])
