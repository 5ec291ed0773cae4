"""The ``Glossary``: an immutable, validated term list, loaded, checked, merged, saved and matched.

A glossary maps Indonesian source forms (a ``source`` plus ``variants``) to one English
``target``. The class is thin: its values are in ``translate.terms.values``, reading and
writing files in ``translate.terms.files`` (and ``tbx``), the validation rules in
``translate.terms.validate``, matching in ``translate.terms.matcher`` and missing-name
suggestions in ``translate.terms.suggest``.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from translate.errors import UsageError
from translate.files import write_atomic
from translate.terms import files
from translate.terms.matcher import Index, folds
from translate.terms.validate import row_of_entry, rows_of_items, usable, validate
from translate.terms.values import Entry, GlossaryError, Match, Problem, by_line

__all__ = ["Glossary"]

_DEFAULT_NAME = "id-en-news.tsv"


class Glossary:
    """An immutable, validated list of entries with a matcher built on first use."""

    __slots__ = ("_entries", "_index", "_name", "_overrides", "_sha256", "_warnings")

    def __getstate__(self) -> tuple[None, dict[str, object]]:
        # Pickled without its match index (rebuilt on first use): a glossary shipped to
        # workers (``TranslatorSpec.shipped``) carries its entries, not a structure ten
        # times their size.
        slots = {name: getattr(self, name) for name in self.__slots__}
        return None, {**slots, "_index": None}

    def __init__(self, entries: Iterable[Entry] = (), name: str = "") -> None:
        """Validate `entries`; raises GlossaryError on any error."""
        rows = [row_of_entry(e, n) for n, e in enumerate(entries, start=1)]
        checked, warnings = usable(rows, name or "glossary")
        self._setup(checked, name, warnings, ())

    def _setup(
        self,
        entries: Iterable[Entry],
        name: str,
        warnings: Iterable[Problem],
        overrides: Iterable[tuple[Entry, Entry]],
    ) -> None:
        self._entries = tuple(entries)
        self._name = name
        self._warnings = tuple(w for w in warnings if w.severity == "warning")
        self._overrides = tuple(overrides)
        self._index: Index | None = None
        self._sha256: str | None = None

    @classmethod
    def _trusted(
        cls,
        entries: Iterable[Entry],
        name: str,
        warnings: Iterable[Problem] = (),
        overrides: Iterable[tuple[Entry, Entry]] = (),
    ) -> Glossary:
        self = cls.__new__(cls)
        self._setup(entries, name, warnings, overrides)
        return self

    # -- construction

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Glossary:
        """Read a .tsv, .csv or .tbx glossary; raises GlossaryError listing every problem."""
        p = Path(path)
        rows, problems = files.read_rows(p)
        entries, warnings = usable(rows, str(p), problems)
        return cls._trusted(entries, p.stem, warnings)

    @classmethod
    def check(cls, path: str | os.PathLike[str]) -> list[Problem]:
        """Every problem in a glossary file, by line; raises only if it cannot be read."""
        rows, problems = files.read_rows(Path(path))
        return by_line([*problems, *validate(rows)[1]])

    @classmethod
    def default(cls) -> Glossary:
        """The bundled Indonesian→English news glossary (glossary/id-en-news.tsv)."""
        candidates = [
            Path(__file__).resolve().parents[2] / "glossary" / _DEFAULT_NAME,
            Path(sys.prefix) / "share" / "translate-id-en" / "glossary" / _DEFAULT_NAME,
        ]
        for path in candidates:
            try:
                stat = path.stat()
            except OSError:
                continue
            # Loading takes tens of milliseconds; the result is immutable, so share it.
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            cached = _DEFAULT_CACHE.get(key)
            if cached is None:
                cached = cls.load(path)
                _DEFAULT_CACHE.clear()
                _DEFAULT_CACHE[key] = cached
            return cached
        looked = ", ".join(str(c) for c in candidates)
        raise GlossaryError.about_file(
            _DEFAULT_NAME, f"default glossary not found (looked in {looked})"
        )

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[Entry | tuple[str, str] | Mapping[str, Any]],
        name: str = "",
    ) -> Glossary:
        """A glossary from Entry objects, (source, target) pairs or row mappings, validated
        like a file; mapping keys are the file columns, `variants` a '|' string or a list."""
        rows, problems = rows_of_items(entries)
        checked, warnings = usable(rows, name or "glossary", problems)
        return cls._trusted(checked, name, warnings)

    def merge(self, other: Glossary) -> Glossary:
        """Both glossaries; where a source form is in both, `other`'s entry wins.

        An entry of `self` loses only its overridden forms (a variant may survive and become the
        source). `overrides` lists (old, new) pairs whose target, case or note differ.
        """
        exact: dict[str, int] = {}
        folded: dict[str, int] = {}
        for n, entry in enumerate(other.entries):
            for form in entry.forms:
                exact.setdefault(form, n)
                if folds(entry, form):
                    folded.setdefault(form.casefold(), n)
        # Case-sensitive forms of `other` also beat case-insensitive forms of `self` that fold
        # to them (the pair the matcher could not tell apart).
        all_folded: dict[str, int] = {}
        for n, entry in enumerate(other.entries):
            for form in entry.forms:
                all_folded.setdefault(form.casefold(), n)
        kept: list[Entry] = []
        overrides: list[tuple[Entry, Entry]] = []
        for entry in self.entries:
            remaining: list[str] = []
            winners: list[int] = []
            for form in entry.forms:
                hit = exact.get(form)
                if hit is None:
                    hit = folded.get(form.casefold())
                if hit is None and folds(entry, form):
                    hit = all_folded.get(form.casefold())
                if hit is None:
                    remaining.append(form)
                elif hit not in winners:
                    winners.append(hit)
            for n in winners:
                new = other.entries[n]
                if (new.target, new.case_sensitive, new.note) != (
                    entry.target,
                    entry.case_sensitive,
                    entry.note,
                ):
                    overrides.append((entry, new))
            if len(remaining) == len(entry.forms):
                kept.append(entry)
            elif remaining:
                kept.append(replace(entry, source=remaining[0], variants=tuple(remaining[1:])))
        name = "+".join(n for n in (self.name, other.name) if n)
        warnings = (*self.warnings, *other.warnings)
        return Glossary._trusted([*kept, *other.entries], name, warnings, overrides)

    # -- properties

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The entries in file order."""
        return self._entries

    @property
    def name(self) -> str:
        """The file stem for loaded glossaries, or the name given."""
        return self._name

    @property
    def overrides(self) -> tuple[tuple[Entry, Entry], ...]:
        """(old, new) entry pairs replaced by the merge that made this glossary."""
        return self._overrides

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings found while loading (errors never load)."""
        return self._warnings

    @property
    def sha256(self) -> str:
        """Checksum of the content, independent of row order: for reproducibility signatures."""
        if self._sha256 is None:
            rows = sorted(files.tsv_line(e) for e in self._entries)
            self._sha256 = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        return self._sha256

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"Glossary(name={self._name!r}, entries={len(self._entries)})"

    # -- matching

    @property
    def index(self) -> Index:
        """The matcher over every form, built on first use (for any text, even empty)."""
        if self._index is None:
            self._index = Index(self._entries)
        return self._index

    def find(self, text: str) -> list[Match]:
        """Glossary forms in `text` (NFC), leftmost-longest and non-overlapping, in order."""
        return self.index.find(text)

    # -- writing

    def to_tsv(self) -> str:
        """The glossary as a TSV file (header and one line per entry)."""
        return files.to_tsv(self._entries)

    def to_csv(self) -> str:
        """The glossary as a CSV file with the same columns as TSV."""
        return files.to_csv(self._entries)

    def to_tbx(self) -> bytes:
        """The glossary as TBX-Basic (TBX 2019, DCA style): one conceptEntry per entry.

        Variants are extra Indonesian terms after the source; case sensitivity is an
        ``<admin type="x-caseSensitive">`` and the note a ``<note>`` on the entry.
        """
        return self.to_bytes("tbx")

    def to_bytes(self, fmt: str) -> bytes:
        """The glossary as a file of format `fmt`, one of ``files.FORMATS`` (UTF-8)."""
        found = files.FORMATS.get(fmt)
        if found is None:
            raise UsageError(
                f"unknown glossary format {fmt!r}: use one of {', '.join(files.FORMATS)}"
            )
        return found.write(self._entries, self._name)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the glossary as .tsv, .csv or .tbx (by extension), atomically."""
        p = Path(path)
        fmt = files.format_of(p)
        if fmt is None:
            raise UsageError(f"{p}: {files.unknown_format(p)}")
        write_atomic(p, fmt.write(self._entries, self._name))


_DEFAULT_CACHE: dict[tuple[str, int, int], Glossary] = {}
