"""The formats the tool reads and writes: one registry, name → ``Format``.

Each format is registered by the module that implements it (``register`` at import time); the
registry imports those modules (``PROVIDERS``) on the first lookup. They import their heavy
libraries (lxml, python-docx) inside the readers and writers, so listing the formats, or
rendering text, Markdown or HTML, never loads them. Everything that lists formats takes them
from here: the CLI's ``--format`` and ``--input-format`` choices, the workspace's export menu,
the batch input filter and output names, ``read_file``'s dispatch by extension.

A format that is both read and written (txt, md, html, docx) is registered twice, once by its
reader's module and once by its writer's: the registrations are merged, and must agree.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from translate.document import Document, TranslatedDocument
from translate.errors import InputError, UsageError

Reader = Callable[[bytes, str, str], Document]
"""(file bytes, document name, label for messages) → ``Document``."""
Writer = Callable[[TranslatedDocument], str | bytes]
"""A translated document → the file's text (or bytes, for a binary format)."""
Role = Literal["input", "output"]

# The modules whose formats are listed first. Formats are listed in this order of the module that
# registered their writer (or reader), then in the order that module registered them; formats
# registered elsewhere come last. So the order does not depend on which module was imported first.
PROVIDERS = (
    "translate.formats.writers",
    "translate.formats.publish",
    "translate.formats.tmx",
    "translate.formats.xliff",
    "translate.formats.readers",
)


@dataclass(frozen=True)
class Format:
    """One file format: how it is named, stored and served, and what reads or writes it."""

    name: str  # what users type: ``--format bilingual-html``
    extension: str  # the one extension it is written with (and read by): ".bilingual.html"
    media_type: str  # for downloads: "text/html" ("" where another registration gives it)
    binary: bool = False  # bytes that cannot go to a terminal (DOCX)
    label: str = ""  # one line for menus: "Bilingual HTML, side by side, print-friendly"
    reader: Reader | None = None
    writer: Writer | None = None
    also_reads: tuple[str, ...] = ()  # further input extensions: ".htm", ".markdown"

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every extension read as this format, the main one first."""
        return (self.extension, *self.also_reads)

    def merged(self, other: Format) -> Format:
        """This format with ``other``'s reader or writer added: extension and binary must agree;
        each of the other fields is taken from whichever registration gives it."""
        for field in ("extension", "binary"):
            if getattr(self, field) != getattr(other, field):
                raise ValueError(f"format {self.name!r} registered twice with different {field}")
        for role in ("reader", "writer", "media_type", "label", "also_reads"):
            mine, theirs = getattr(self, role), getattr(other, role)
            if mine and theirs and mine != theirs:
                raise ValueError(f"format {self.name!r} has two {role}s")
        return dataclasses.replace(
            self,
            reader=self.reader or other.reader,
            writer=self.writer or other.writer,
            media_type=self.media_type or other.media_type,
            label=self.label or other.label,
            also_reads=self.also_reads or other.also_reads,
        )


_REGISTRY: dict[str, Format] = {}
# Where each format's reader and writer were registered: (position in PROVIDERS, sequence).
_RANK: dict[tuple[str, Role], tuple[int, int]] = {}
_SEQUENCE = itertools.count()
_loaded = False


def register(fmt: Format) -> Format:
    """Add a format (or the reader or writer of one already registered); returns it."""
    old = _REGISTRY.get(fmt.name)
    _REGISTRY[fmt.name] = fmt if old is None else old.merged(fmt)
    roles: tuple[tuple[Role, object], ...] = (("input", fmt.reader), ("output", fmt.writer))
    for role, function in roles:
        if function is not None:
            module = getattr(function, "__module__", "")
            where = PROVIDERS.index(module) if module in PROVIDERS else len(PROVIDERS)
            _RANK[fmt.name, role] = (where, next(_SEQUENCE))
    return _REGISTRY[fmt.name]


def unregister(name: str) -> None:
    """Remove a format (for tests that register a toy one)."""
    _REGISTRY.pop(name, None)
    for role in ("input", "output"):
        _RANK.pop((name, role), None)


def _load() -> None:
    """Import the modules that register formats: ``PROVIDERS`` first (their order is the
    listing order), then any other module of ``translate.formats`` — so a new format is one
    new module that calls ``register``."""
    global _loaded
    if not _loaded:
        _loaded = True
        import pkgutil

        import translate.formats

        found = (
            f"translate.formats.{m.name}" for m in pkgutil.iter_modules(translate.formats.__path__)
        )
        for module in (*PROVIDERS, *sorted(set(found) - set(PROVIDERS))):
            importlib.import_module(module)


def formats(role: Role | None = None) -> tuple[Format, ...]:
    """The registered formats in order (see ``PROVIDERS``): those that can be read
    (``input``) or written (``output``), or all (the output formats first)."""
    _load()
    if role is None:
        written = formats("output")
        return written + tuple(f for f in formats("input") if f not in written)
    ranked = sorted((rank, name) for (name, r), rank in _RANK.items() if r == role)
    return tuple(_REGISTRY[name] for _, name in ranked)


def names(role: Role) -> tuple[str, ...]:
    """The names of the formats that can be read or written, in order."""
    return tuple(f.name for f in formats(role))


def get(name: str, role: Role = "output") -> Format:
    """The format called ``name`` that can be read or written, else the one-line error."""
    for fmt in formats(role):
        if fmt.name == name:
            return fmt
    if role == "input":
        raise InputError(f"unknown input format {name!r}: use one of {', '.join(names(role))}")
    raise UsageError(f"unknown output format {name!r}: use one of {', '.join(names(role))}")


def extension(name: str) -> str:
    """The extension an output format is written with (``.bilingual.html``)."""
    return get(name, "output").extension


def input_extensions() -> tuple[str, ...]:
    """Every file extension that is read as an article (lower case, with the dot)."""
    return tuple(ext for f in formats("input") for ext in f.extensions)


def input_format(path: str | os.PathLike[str], override: str | None = None) -> Format:
    """The input format of a file: ``override`` if given, else by its extension (default txt)."""
    if override:
        return get(override, "input")
    suffix = Path(path).suffix.lower()
    for fmt in formats("input"):
        if suffix in fmt.extensions:
            return fmt
    return get("txt", "input")


def render(document: TranslatedDocument, name: str) -> str | bytes:
    """The document in an output format (bytes for a binary one, text otherwise)."""
    writer = get(name, "output").writer
    assert writer is not None  # get(…, "output") returns only formats with a writer
    return writer(document)
