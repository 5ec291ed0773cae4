"""Which glossary a translation uses: the one composition rule for the CLI and the workspace.

The bundled default (unless switched off), then each glossary file in order, then the
editor's own entries; where two define the same source form, the later one wins, and each
such override is reported so that nobody is surprised by a changed target.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from translate.terms.glossary import Glossary

OWN = "your entries"  # how the editor's own rows are named in override notices


@dataclass(frozen=True)
class Override:
    """A later glossary's entry that replaced an earlier one's target (or case, or note)."""

    origin: str  # the file (or ``OWN``) whose entry won
    source: str
    target: str
    replaced: str  # the earlier target

    def __str__(self) -> str:
        return f"{self.origin}: {self.source!r} → {self.target!r} overrides {self.replaced!r}"


@dataclass(frozen=True)
class Composition:
    """The glossary to translate with (``None``: none at all), and what was overridden."""

    glossary: Glossary | None
    overrides: tuple[Override, ...] = ()


def compose_glossary(
    files: Iterable[str | os.PathLike[str]] = (),
    *,
    default: bool = True,
    own: Glossary | None = None,
) -> Composition:
    """The default glossary (when ``default``), merged with each file in order and then with
    ``own`` (the editor's entries); later ones win. A file that does not load raises its
    ``GlossaryError`` (nothing is half-applied)."""
    merged = Glossary.default() if default else None
    overrides: list[Override] = []

    def add(origin: str, extra: Glossary) -> None:
        nonlocal merged
        if merged is None:
            merged = extra
            return
        merged = merged.merge(extra)
        overrides.extend(
            Override(origin, new.source, new.target, old.target) for old, new in merged.overrides
        )

    for path in files:
        add(os.fspath(path), Glossary.load(path))
    if own is not None:
        add(OWN, own)
    return Composition(merged, tuple(overrides))
