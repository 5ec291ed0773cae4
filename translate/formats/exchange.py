"""Importing edited targets from CAT files (XLIFF 1.2/2.0, TMX, contract JSON) into a stored
document, and reading TMX pairs for the translation memory.

Import is two steps. ``preview_import`` reads the file against the stored document and writes
nothing: one ``UnitPreview`` per unit, ``unchanged``, ``changed``, ``conflict`` (it would undo
newer work: ``import_conflict``, the one rule), ``unknown``, ``skipped`` or ``error``, with
each paragraph's store revision. ``apply_import`` then writes the changed units and the
conflicts the caller accepts, each paragraph against the revision the preview saw, with history
rows whose origin is ``import:FILE``. ``import_file`` does both and leaves
conflicts alone unless told to overwrite them (the CLI's rule).

Units are matched by id only, never by text: a target that differs (beyond whitespace: tools
reflow it) from the document's becomes an edit of that sentence or paragraph. Ids the document
lacks are reported, not guessed; a unit whose source differs from the document's (a file of
another document) is an error and is skipped. Statuses in the file are not imported: approval
stays a human action in the workspace. An empty target, or a copy of the source, means "not
translated", never "delete".
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from translate.document import Paragraph, TranslatedDocument, join_targets
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
    from translate.review.store import HistoryEntry, Store

# An imported target this many times as long as its source (and at least 100 characters) is
# applied with a warning: a target pasted twice, or another unit's.
LONG_TARGET_RATIO = 10


UnitState = Literal["unchanged", "changed", "conflict", "unknown", "skipped", "error"]
"""What importing one unit would do: nothing (its English is the stored one), write it, write it
only when accepted (it would undo newer work), nothing (an id the document lacks; no
translation in the file; a unit that cannot be applied)."""


@dataclass(frozen=True)
class UnitPreview:
    """One unit of a file against the stored document: its ``state``, the stored English
    (``current``; ``""`` for an unknown id), the file's (``incoming``; ``""`` when it has
    none), and ``reason``: why it conflicts, is skipped or is an error. ``warning``: applied,
    but worth a look (a target over ``LONG_TARGET_RATIO``× its source's length)."""

    id: str
    state: UnitState
    current: str = ""
    incoming: str = ""
    reason: str = ""
    warning: str = ""


@dataclass(frozen=True)
class ImportPreview:
    """A file read against a stored document; nothing was written.

    ``units``: one per unit of the file with an id, in the file's order. ``revisions``: each
    paragraph's store revision (``Store.revisions``) read before the document, so that
    ``apply_import`` refuses a paragraph that changed after this preview. ``origin``: what
    the history records the edits as coming from (``import:berita.xlf``). ``errors``: problems
    of the file as a whole (units without an id).
    """

    doc_id: str
    origin: str
    units: tuple[UnitPreview, ...]
    revisions: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()

    def having(self, *states: UnitState) -> tuple[UnitPreview, ...]:
        """The units in any of these states, in the file's order."""
        return tuple(u for u in self.units if u.state in states)

    def counts(self) -> dict[UnitState, int]:
        """How many units are in each state (every state present, zero or not)."""
        out: dict[UnitState, int] = dict.fromkeys(
            ("unchanged", "changed", "conflict", "unknown", "skipped", "error"), 0
        )
        for unit in self.units:
            out[unit.state] += 1
        return out


@dataclass(frozen=True)
class ImportReport:
    """What an import did: ids edited, how many matched already, ids unknown, and errors.

    ``skipped``: units whose target is empty or a copy of the source (not a translation: an
    export made with ``targets="source"``, or a tool's untranslated placeholder).
    ``conflicts``: units not applied because they would undo newer work (each with its
    reason), or because their paragraph changed after the preview. ``overwritten``: the ids
    of ``changed`` that were conflicts, applied because the caller accepted them.
    """

    changed: tuple[str, ...]
    unchanged: int
    unknown: tuple[str, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    # Applied, but worth a look: a target over LONG_TARGET_RATIO× its source's length.
    warnings: tuple[str, ...] = ()
    conflicts: tuple[UnitPreview, ...] = ()
    overwritten: tuple[str, ...] = ()


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
    store: Store,
    doc_id: str,
    path: str | os.PathLike[str],
    who: str = "",
    *,
    overwrite: bool = False,
) -> ImportReport:
    """Apply a file's targets to a stored document, by unit id: XLIFF (1.2 or 2.0), TMX, or
    contract JSON (by extension, as ``preview_import``). Conflicting units
    (``import_conflict``) are reported, not applied, unless ``overwrite``."""
    preview = preview_import(store, doc_id, path)
    return apply_import(store, preview, overwrite=overwrite, who=who)


def preview_import(
    store: Store, doc_id: str, path: str | os.PathLike[str], *, name: str | None = None
) -> ImportPreview:
    """What importing the file would do, by its extension: ``.json`` a contract JSON file
    (``preview_json``), anything else XLIFF or TMX (``preview_file``). ``name``: the file's
    name for the history (default: the path's), e.g. an upload's own name."""
    if Path(path).suffix.lower() == ".json":
        return preview_json(store, doc_id, path, name=name)
    return preview_file(store, doc_id, path, name=name)


def preview_file(
    store: Store, doc_id: str, path: str | os.PathLike[str], *, name: str | None = None
) -> ImportPreview:
    """What importing an XLIFF (1.2 or 2.0) or TMX file would do; nothing is written."""
    # Revisions first: were the document read first, a change in between would pass apply's
    # check though this preview never saw it.
    revisions = store.revisions(doc_id)
    document = store.load(doc_id)
    found = read_units(Path(path), document.meta.source_lang, document.meta.target_lang)
    return _preview(store, doc_id, document, revisions, found, _origin(path, name))


def preview_json(
    store: Store, doc_id: str, path: str | os.PathLike[str], *, name: str | None = None
) -> ImportPreview:
    """What importing a contract JSON file would do, by paragraph id; nothing is written.

    A paragraph whose file sentences align with the stored ones (same ids, sentence
    segmentation, English equal to the joined sentences) is a unit per sentence, so the
    stored alignment survives; any other paragraph is one paragraph unit.
    """
    try:
        incoming = read_translated(path)
    except InputError as exc:
        raise InteropError(str(exc)) from None
    revisions = store.revisions(doc_id)  # before the document: see preview_file
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
    return _preview(store, doc_id, document, revisions, found, _origin(path, name))


def apply_import(
    store: Store,
    preview: ImportPreview,
    *,
    accept: Collection[str] = (),
    overwrite: bool = False,
    who: str = "",
) -> ImportReport:
    """Write a preview's ``changed`` units, and its conflicts whose ids are in ``accept`` (all
    of them with ``overwrite``), to the store; return what was done.

    Each paragraph's units are one write against the revision the preview saw: a paragraph
    changed since (in another window, by another import) is refused as a whole, its units
    reported as conflicts, nothing of it written. History rows name ``who`` and the
    preview's origin.
    """
    from translate.review.store import EditConflict  # the store loads only when writing

    chosen = [
        u
        for u in preview.units
        if u.state == "changed" or (u.state == "conflict" and (overwrite or u.id in accept))
    ]
    by_paragraph: dict[str, list[UnitPreview]] = {}
    for unit in chosen:
        by_paragraph.setdefault(unit.id.partition(".")[0], []).append(unit)
    written: set[str] = set()
    refused: dict[str, UnitPreview] = {}  # changed after the preview
    failed: dict[str, str] = {}
    for paragraph_id, group in by_paragraph.items():
        try:
            store.edit_segments(
                preview.doc_id,
                paragraph_id,
                [(u.id, u.incoming) for u in group],
                who,
                # A paragraph the preview has no revision of cannot have been seen by it.
                seen=preview.revisions.get(paragraph_id, ""),
                origin=preview.origin,
            )
        except EditConflict as exc:
            reason = _changed_since(paragraph_id, exc.last)
            for u in group:
                refused[u.id] = UnitPreview(u.id, "conflict", u.current, u.incoming, reason)
        except TranslateError as exc:
            failed.update((u.id, str(exc)) for u in group)
        else:
            written.update(u.id for u in group)
    changed = tuple(u.id for u in chosen if u.id in written)
    by_id = {u.id: u for u in preview.units}
    return ImportReport(
        changed=changed,
        unchanged=len(preview.having("unchanged")),
        unknown=tuple(u.id for u in preview.having("unknown")),
        errors=(
            *preview.errors,
            *(
                f"{u.id}: {failed.get(u.id, u.reason)}"
                for u in preview.units
                if u.state == "error" or u.id in failed
            ),
        ),
        skipped=tuple(u.id for u in preview.having("skipped")),
        warnings=tuple(by_id[i].warning for i in changed if by_id[i].warning),
        # In the file's order: those not accepted, and those refused at writing.
        conflicts=tuple(
            refused.get(u.id, u)
            for u in preview.units
            if u.id in refused
            or (u.state == "conflict" and u.id not in written and u.id not in failed)
        ),
        overwritten=tuple(i for i in changed if by_id[i].state == "conflict"),
    )


def _origin(path: str | os.PathLike[str], name: str | None) -> str:
    return f"import:{Path(name).name if name else Path(path).name}"


def _preview(
    store: Store,
    doc_id: str,
    document: TranslatedDocument,
    revisions: dict[str, str],
    found: Iterable[FileUnit],
    origin: str,
) -> ImportPreview:
    """Each unit's state against the document (and, for conflicts, its history)."""
    paragraphs = {p.id: p for p in document.paragraphs}
    # Current (source, target) of every id the document has: paragraphs and sentences.
    known: dict[str, tuple[str, str]] = {}
    for p in document.paragraphs:
        known[p.id] = (p.source, p.target)
        for s in p.sentences:
            known[s.id] = (s.source, s.target)
    history: dict[str, list[HistoryEntry]] = {}
    for entry in store.history(doc_id):
        history.setdefault(entry.segment.partition(".")[0], []).append(entry)
    found = list(found)
    whole = {u.id for u in found if "." not in u.id}
    errors: list[str] = []
    anonymous = sum(1 for u in found if not u.id)
    if anonymous:
        errors.append(f"{anonymous} units without an id (TMX tuid) cannot be matched; ignored")
    units: list[UnitPreview] = []
    for unit in found:
        if unit.id:
            units.append(_unit_state(unit, known, paragraphs, whole, history))
    return ImportPreview(doc_id, origin, tuple(units), revisions, tuple(errors))


def _unit_state(
    unit: FileUnit,
    known: dict[str, tuple[str, str]],
    paragraphs: dict[str, Paragraph],
    whole: set[str],
    history: dict[str, list[HistoryEntry]],
) -> UnitPreview:
    """One unit's ``UnitPreview`` (the rules in their order: the first that holds decides)."""
    incoming = unit.target or ""
    if unit.id not in known:
        return UnitPreview(unit.id, "unknown", "", incoming)
    source, current = known[unit.id]
    if unit.source is not None and _squash(unit.source) != _squash(source):
        reason = (
            "the file's source differs from the document's (a file of another document?); skipped"
        )
        return UnitPreview(unit.id, "error", current, incoming, reason)
    if unit.target is not None and _squash(unit.target) == _squash(current):
        return UnitPreview(unit.id, "unchanged", current, incoming)
    if unit.target is None or not unit.target.strip() or _squash(unit.target) == _squash(source):
        # No translation: empty, or the source copied into the target (targets="source").
        reason = "no translation in the file (empty, or a copy of the source)"
        return UnitPreview(unit.id, "skipped", current, incoming, reason)
    paragraph_id = unit.id.partition(".")[0]
    paragraph = paragraphs[paragraph_id]
    if unit.id != paragraph_id and paragraph_id in whole:
        reason = f"the file also has paragraph {paragraph_id}; skipped"
        return UnitPreview(unit.id, "error", current, incoming, reason)
    if unit.id != paragraph_id and paragraph.segmentation != "sentence":
        # The file is older than that edit (it still has the sentences as units): nothing
        # of it can be placed, and the paragraph's English is kept.
        reason = (
            f"{paragraph_id} was edited as a whole paragraph after this file was made, so its "
            f"sentences are no longer units; its English is kept (send unit {paragraph_id} "
            "to change it)"
        )
        return UnitPreview(unit.id, "error", current, incoming, reason)
    warning = _length_warning(unit.id, source, incoming)
    reason = import_conflict(paragraph, unit.id, incoming, history.get(paragraph_id, ()))
    state: UnitState = "conflict" if reason else "changed"
    return UnitPreview(unit.id, state, current, incoming, reason, warning)


# History actions that write English: machine English arriving, an edit, a revert.
_TEXT_ACTIONS = frozenset({"mt", "edit", "revert"})
_VERBS = {"mt": "translated again", "edit": "edited", "revert": "reverted"}


def import_conflict(
    paragraph: Paragraph, segment: str, incoming: str, history: Sequence[HistoryEntry]
) -> str:
    """Why writing a file's English ``incoming`` over ``segment`` (``p3`` or ``p3.s1``) of the
    stored ``paragraph`` would undo newer work; ``""`` when it would not. The one rule of
    import conflicts, for English that differs from the stored one.

    ``history``: the paragraph's rows, oldest first (``Store.history(doc, "p3")``). A
    conflict when, in this order (each that holds adds its clause):

    1. *the file is stale*: ``incoming`` is English this segment had before (in a history
       row of the segment, or its machine English) — writing it would undo what came after;
    2. *the paragraph is approved*: new English would withdraw the approval unseen;
    3. (when not stale) *the English is a human's*: it is not the segment's machine English,
       and it was last written by an edit or a revert made in the store (the workspace, the
       API), not by an import — the file would overwrite that edit.

    Not a conflict: a draft's machine English replaced by new English, or English that an
    earlier import wrote replaced by a later file (a translator's next round). A sentence's
    machine English from before a re-translation is not kept per sentence, so a file that
    old looks new.
    """
    current = _English(paragraph)
    writer = _writer(segment, history, current)
    clauses: list[str] = []
    match = _older(paragraph, segment, incoming, history)
    if match is not None:
        if writer is not None and writer.id > match:
            clauses.append(
                f"the file has an older English of {segment}: it was {_did(writer)} after that"
            )
        else:
            clauses.append(f"the file has an older English of {segment}, not the one it has now")
    if paragraph.status == "approved":
        by = f" by {paragraph.approved_by}" if paragraph.approved_by else ""
        when = f" at {_when(paragraph.approved_at)}" if paragraph.approved_at else ""
        clauses.append(f"{paragraph.id} was approved{by}{when}")
    human = _squash(current.of(segment)) != _squash(current.mt_of(segment))
    if match is None and human and (writer is None or not writer.origin.startswith("import:")):
        done = f": it was {_did(writer)}" if writer is not None else ""
        clauses.append(f"{segment} has an editor's English{done}")
    return "; ".join(clauses)


@dataclass(frozen=True)
class _English:
    """A stored paragraph's English and machine English, by segment id."""

    paragraph: Paragraph

    def of(self, segment: str) -> str:
        if segment == self.paragraph.id:
            return self.paragraph.target
        return next((s.target for s in self.paragraph.sentences if s.id == segment), "")

    def mt_of(self, segment: str) -> str:
        if segment == self.paragraph.id:
            return self.paragraph.mt
        return next((s.mt for s in self.paragraph.sentences if s.id == segment), "")


def _touches(entry: HistoryEntry, segment: str) -> bool:
    """Whether a history row wrote this segment's English: the segment's own rows, the
    paragraph's (its sentences come with it), and for a paragraph its sentences'."""
    paragraph_id = segment.partition(".")[0]
    return entry.segment in (segment, paragraph_id) or (
        segment == paragraph_id and entry.segment.startswith(paragraph_id + ".")
    )


def _writer(
    segment: str, history: Sequence[HistoryEntry], current: _English
) -> HistoryEntry | None:
    """The history row that wrote the segment's English now: the last that wrote English
    to it and whose English is what its own segment has now."""
    for entry in reversed(history):
        if (
            entry.action in _TEXT_ACTIONS
            and _touches(entry, segment)
            and _squash(entry.target) == _squash(current.of(entry.segment))
        ):
            return entry
    return None


def _older(
    paragraph: Paragraph, segment: str, incoming: str, history: Sequence[HistoryEntry]
) -> int | None:
    """The id of the last history row where the segment had ``incoming`` as its English
    (for its machine English: the row the MT arrived with, 0 if none), else None."""
    text = _squash(incoming)
    for entry in reversed(history):
        if entry.segment == segment and _squash(entry.target) == text:
            return entry.id
    if text == _squash(_English(paragraph).mt_of(segment)):
        arrived = [e.id for e in history if e.action == "mt" and e.segment == paragraph.id]
        return arrived[-1] if arrived else 0
    return None


def _did(entry: HistoryEntry) -> str:
    """A history row as words: "edited by Rina at 2026-05-01 10:42 UTC"."""
    imported = entry.origin.removeprefix("import:") if entry.origin.startswith("import:") else ""
    verb = f"imported from {imported}" if imported else _VERBS.get(entry.action, entry.action)
    by = f" by {entry.who}" if entry.who else ""
    return f"{verb}{by} at {_when(entry.at)}"


def _when(at: str) -> str:
    """An ISO-8601 UTC time as the store writes it, to the minute: "2026-05-01 10:42 UTC"."""
    return f"{at[:10]} {at[11:16]} UTC" if len(at) >= 16 else at


def _changed_since(paragraph_id: str, last: HistoryEntry | None) -> str:
    """Why a paragraph was refused at writing: it changed after the preview."""
    done = f" ({_did(last)})" if last is not None else ""
    return f"{paragraph_id} changed after the file was previewed{done}; nothing of it applied"


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
