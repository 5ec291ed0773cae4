"""Importing edited targets from CAT files (XLIFF 1.2/2.0, TMX, contract JSON) into a stored
document, and reading TMX pairs for the translation memory.

Import (``import_file``, ``import_json``) matches units by id only, never by text: a target that
differs (beyond whitespace: tools reflow it) from the document's becomes ``Store.edit`` on that
sentence or paragraph, with a history row. Ids the document lacks are reported, not guessed; a
unit whose source differs from the document's (a file of another document) is an error and is
skipped. Statuses in the file are not imported: approval stays a human action in the
workspace. An empty target, or a copy of the source, means "not translated", never "delete".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.document import TranslatedDocument, join_targets
from translate.errors import InputError, TranslateError
from translate.formats.tmx import tmx_units
from translate.formats.translated import read_translated
from translate.formats.units import (
    FileUnit,
    InteropError,
    local,
    namespace,
    parse_file,
)
from translate.formats.xliff import xliff1_units, xliff2_units

if TYPE_CHECKING:
    from translate.review.store import Store

# An imported target this many times as long as its source (and at least 100 characters) is
# applied with a warning: a target pasted twice, or another unit's.
LONG_TARGET_RATIO = 10


@dataclass(frozen=True)
class ImportReport:
    """What an import did: ids edited, how many matched already, ids unknown, and errors.

    ``skipped``: units whose target is empty or a copy of the source (not a translation: an
    export made with ``targets="source"``, or a tool's untranslated placeholder).
    """

    changed: tuple[str, ...]
    unchanged: int
    unknown: tuple[str, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    # Applied, but worth a look: a target over LONG_TARGET_RATIO× its source's length.
    warnings: tuple[str, ...] = ()


def read_targets(
    path: str | os.PathLike[str], *, source_lang: str = "id", target_lang: str = "en"
) -> dict[str, str]:
    """Unit id → target text from an XLIFF 1.2/2.0 or TMX file (TMX: ``tuid`` → English seg).

    Units with no or an empty target are left out. Raises ``InteropError`` on a file that is
    missing, too large, malformed, hostile, of other languages, or with conflicting duplicates.
    """
    read = read_units(Path(path), source_lang, target_lang)
    return {u.id: u.target for u in read if u.id and u.target is not None and u.target.strip()}


def read_units(path: Path, source_lang: str, target_lang: str) -> list[FileUnit]:
    """Every unit of an XLIFF (1.2 or 2.0) or TMX file, by its root element; ids unique."""
    root = parse_file(path)
    kind = local(root.tag)
    if kind == "xliff":
        version = (root.get("version") or "").strip()
        if version.startswith("2") or namespace(root.tag).endswith(":2.0"):
            found = list(xliff2_units(root, path, source_lang, target_lang))
        else:
            found = list(xliff1_units(root, path, source_lang, target_lang))
    elif kind == "tmx":
        found = list(tmx_units(root, path, source_lang, target_lang))
    else:
        raise InteropError(f"{path}: not XLIFF or TMX (the root element is <{kind}>)")
    seen: dict[str, FileUnit] = {}
    anonymous: list[FileUnit] = []
    for unit in found:
        if not unit.id:
            anonymous.append(unit)
            continue
        other = seen.get(unit.id)
        if other is not None and other.target != unit.target:
            raise InteropError(f"{path}: unit {unit.id} appears twice with different targets")
        seen[unit.id] = unit
    return [*seen.values(), *anonymous]


def read_tmx_pairs(
    path: str | os.PathLike[str], *, source_lang: str = "id", target_lang: str = "en"
) -> list[tuple[str, str]]:
    """(source, target) pairs of any TMX file, for seeding the translation memory; parsed
    with the same hardening as every other interchange file."""
    read = read_units(Path(path), source_lang, target_lang)
    return [
        (u.source, u.target)
        for u in read
        if u.source and u.target and u.source.strip() and u.target.strip()
    ]


# --- import ---------------------------------------------------------------------------------


def import_file(
    store: Store, doc_id: str, path: str | os.PathLike[str], who: str = ""
) -> ImportReport:
    """Apply an XLIFF (1.2 or 2.0) or TMX file's targets to a stored document, by unit id."""
    document = store.load(doc_id)
    found = read_units(Path(path), document.meta.source_lang, document.meta.target_lang)
    return _apply(store, doc_id, document, found, who)


def import_json(
    store: Store, doc_id: str, path: str | os.PathLike[str], who: str = ""
) -> ImportReport:
    """Apply a contract JSON file's English (``TranslatedDocument.to_dict``) by paragraph id.

    A paragraph whose file sentences align with the stored ones (same ids, sentence
    segmentation, English equal to the joined sentences) is applied sentence by sentence, so
    the stored alignment survives; any other paragraph is one paragraph edit.
    """
    try:
        incoming = read_translated(path)
    except InputError as exc:
        raise InteropError(str(exc)) from None
    document = store.load(doc_id)
    stored = {x.id: x for x in document.paragraphs}
    found: list[FileUnit] = []
    for para in incoming.paragraphs:
        old = stored.get(para.id)
        aligned = (
            old is not None
            and old.segmentation == para.segmentation == "sentence"
            and [s.id for s in old.sentences] == [s.id for s in para.sentences]
            and join_targets(s.target for s in para.sentences) == para.target
        )
        if aligned:
            found.extend(FileUnit(s.id, s.source, s.target) for s in para.sentences)
        else:
            found.append(FileUnit(para.id, para.source, para.target))
    return _apply(store, doc_id, document, found, who)


def _apply(
    store: Store,
    doc_id: str,
    document: TranslatedDocument,
    found: Iterable[FileUnit],
    who: str,
) -> ImportReport:
    # Current (source, target) of every id the document has: paragraphs and sentences.
    known: dict[str, tuple[str, str]] = {}
    for p in document.paragraphs:
        known[p.id] = (p.source, p.target)
        for s in p.sentences:
            known[s.id] = (s.source, s.target)
    found = list(found)
    whole = {u.id for u in found if "." not in u.id}
    changed: list[str] = []
    unknown: list[str] = []
    errors: list[str] = []
    anonymous = sum(1 for u in found if not u.id)
    if anonymous:
        errors.append(f"{anonymous} units without an id (TMX tuid) cannot be matched; ignored")
    found = [u for u in found if u.id]
    skipped: list[str] = []
    warnings: list[str] = []
    unchanged = 0
    for unit in found:
        if unit.id not in known:
            unknown.append(unit.id)
            continue
        source, current = known[unit.id]
        if unit.source is not None and _squash(unit.source) != _squash(source):
            errors.append(
                f"{unit.id}: the file's source differs from the document's "
                "(a file of another document?); skipped"
            )
            continue
        if unit.target is not None and _squash(unit.target) == _squash(current):
            unchanged += 1
            continue
        if (
            unit.target is None
            or not unit.target.strip()
            or _squash(unit.target) == _squash(source)
        ):
            # No translation: empty, or the source copied into the target (targets="source").
            skipped.append(unit.id)
            continue
        paragraph_id = unit.id.partition(".")[0]
        if unit.id != paragraph_id and paragraph_id in whole:
            errors.append(f"{unit.id}: the file also has paragraph {paragraph_id}; skipped")
            continue
        try:
            store.edit(doc_id, unit.id, unit.target, who=who)
        except TranslateError as exc:
            errors.append(f"{unit.id}: {exc}")
            continue
        changed.append(unit.id)
        warning = _length_warning(unit.id, source, unit.target)
        if warning:
            warnings.append(warning)
    return ImportReport(
        tuple(changed), unchanged, tuple(unknown), tuple(errors), tuple(skipped), tuple(warnings)
    )


def _length_warning(unit_id: str, source: str, target: str) -> str:
    """A warning for a target implausibly longer than its source, else ``""``."""
    s, t = len(_squash(source)), len(_squash(target))
    if t < 100 or t <= LONG_TARGET_RATIO * max(s, 1):
        return ""
    return (
        f"{unit_id}: the target is {round(t / max(s, 1))}× as long as its source "
        f"({t} against {s} characters); applied, but check it is not pasted twice "
        "or another unit's"
    )


def _squash(text: str) -> str:
    # CAT tools reflow whitespace; a difference in whitespace alone is not an edit.
    return " ".join(text.split())
