"""Exchange with CAT tools: export TMX 1.4, XLIFF 1.2 and XLIFF 2.0; import edited targets.

What becomes a unit (``units``):

- a paragraph with ``segmentation == "paragraph"`` (an edit changed its sentence count) is ONE
  unit, id ``p3``, segtype ``paragraph``;
- otherwise each sentence is a unit, id ``p3.s1``. Sentences carried over unchanged (origin
  ``copy`` or ``rule``: a dateline, a credit) inside a translated paragraph stay units so the
  paragraph reads whole in the tool, but with ``translate=False``: XLIFF marks them
  ``translate="no"`` with state ``final``, and TMX leaves them out (identity pairs are no
  translation memory);
- paragraphs that are wholly carried over (bylines, credits) and paragraphs with no English yet
  are not exported: house style is not translation, and an empty target is not a translation.

Statuses: the paragraph's review status applies to each of its units. XLIFF 1.2 ``state``:
draft → ``needs-review-translation`` (``state-qualifier`` ``mt-suggestion`` or, for memory
hits, ``exact-match``), edited → ``translated``, approved → ``final`` (with ``approved="yes"``).
XLIFF 2.0 ``state``: draft → ``translated``, edited → ``reviewed``, approved → ``final``, with
``subState="translate:<status>"`` keeping the exact status. Notes: glossary terms of the unit
(``term: Beograd → Belgrade (applied|missed)``) and QA findings (``qa warning: … [check]``);
a paragraph-level QA finding goes on the paragraph's first unit.

Import (``import_file``, ``import_json``) matches units by id only, never by text: a target that
differs (beyond whitespace: tools reflow it) from the document's becomes ``Store.edit`` on that
sentence or paragraph, with a history row. Ids the document lacks are reported, not guessed; a
unit whose source differs from the document's (a file of another document) is an error and is
skipped. Statuses in the file are not imported: approval stays a human action in the
workspace. An empty target, or a copy of the source, means "not translated", never "delete".
Texts are plain (``datatype="plaintext"``): inline markup is not exported, and inline codes a
tool adds to a target are dropped on import (their text, in ``g``/``mrk``/``pc``/``hi``, kept).

OmegaT 3.6 (tests/test_omegat.py): its native XLIFF filter translates the text of ``<target>``
and ignores ``<source>``, so it never uses our English targets as translations and skips units
without a target. Give it ``to_xliff(doc, targets="source")`` with ``to_tmx(doc)`` in the
project's ``tm/auto/``: every segment is filled from the TMX, and its translated XLIFF imports
back. It reads no XLIFF 2.0.

Parsing is hardened: size bound, DOCTYPE internal subsets and entity declarations refused before
parsing, and an lxml parser that neither resolves entities nor loads DTDs nor uses the network.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate import __version__
from translate.document import Paragraph, TranslatedDocument, join_targets
from translate.errors import InputError, TranslateError
from translate.files import Unreadable, read_bounded
from translate.formats.translated import read_translated
from translate.safexml import not_xml

if TYPE_CHECKING:
    from translate.review.store import Store

__all__ = [
    "XLIFF2_NS",
    "XLIFF_NS",
    "ImportReport",
    "InteropError",
    "Unit",
    "import_file",
    "import_json",
    "read_targets",
    "to_tmx",
    "to_xliff",
    "to_xliff2",
    "units",
]

# lxml has no type stubs here; imported by name so that mypy --strict does not need them.
etree: Any = importlib.import_module("lxml.etree")

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_LANG = f"{{{XML_NS}}}lang"
_SPACE = f"{{{XML_NS}}}space"
TOOL = "translate"
MAX_FILE_BYTES = 50 * 1024 * 1024

# XLIFF 1.2 target states by paragraph status.
XLIFF_STATES = {"draft": "needs-review-translation", "edited": "translated", "approved": "final"}
XLIFF2_STATES = {"draft": "translated", "edited": "reviewed", "approved": "final"}
_QUALIFIERS = {"mt": "mt-suggestion", "memory": "exact-match"}

# Characters XML 1.0 cannot carry, even as character references.
# Inline codes: their content is the native markup they stand for (``<ph>&lt;b&gt;</ph>``), not
# text, and is dropped (XLIFF 1.2 bpt/ept/it/ph and the empty x/bx/ex; XLIFF 2.0 ph/sc/ec/sm/em;
# TMX bpt/ept/it/ph/ut). Every other inline element (g, mrk, pc, hi, or one this reader does
# not know) keeps its text: words are never dropped for a tag.
_CODES = frozenset({"bpt", "ept", "it", "ph", "x", "bx", "ex", "sc", "ec", "sm", "em", "ut"})
# An imported target this many times as long as its source (and at least 100 characters) is
# applied with a warning: a target pasted twice, or another unit's.
LONG_TARGET_RATIO = 10


class InteropError(TranslateError):
    """An interchange file cannot be read or written: missing, too large, malformed, hostile."""

    exit_code = 2


@dataclass(frozen=True)
class Unit:
    """One translation unit: a sentence (``p3.s1``) or a whole paragraph (``p3``)."""

    id: str
    paragraph: str
    source: str
    target: str
    status: str  # the paragraph's review status: draft | edited | approved
    segtype: str  # "sentence" | "paragraph"
    notes: tuple[str, ...] = ()
    # False for a sentence carried over unchanged (copy/rule): nothing to translate.
    translate: bool = True
    origin: str = ""  # the sentence's origin (mt, memory, copy, rule); "" for a paragraph unit


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


# --- units ----------------------------------------------------------------------------------


def units(document: TranslatedDocument) -> list[Unit]:
    """The document's translation units, in order (see the module docstring for the rules)."""
    result: list[Unit] = []
    for p in document.paragraphs:
        if not p.translated or not (p.target or p.mt):
            continue
        result.extend(_paragraph_units(p))
    return result


def _paragraph_units(p: Paragraph) -> list[Unit]:
    terms = [(t.sentence, _term_note(t.source, t.target, t.applied)) for t in p.terms]
    qa = [(q.sentence, f"qa {q.severity}: {q.message} [{q.check}]") for q in p.qa]
    if p.segmentation == "paragraph" or not p.sentences:
        notes = tuple(n for _, n in terms) + tuple(n for _, n in qa)
        return [Unit(p.id, p.id, p.source, p.target, p.status, "paragraph", notes)]
    ids = {s.id for s in p.sentences}
    first = p.sentences[0].id
    out = []
    for s in p.sentences:

        def mine(sentence: str | None, sid: str = s.id) -> bool:
            # Findings without a (known) sentence belong to the paragraph: shown once, first.
            return sentence == sid or (sid == first and sentence not in ids)

        notes = tuple(n for k, n in terms if mine(k)) + tuple(n for k, n in qa if mine(k))
        fixed = s.origin in ("copy", "rule")
        out.append(
            Unit(s.id, p.id, s.source, s.target, p.status, "sentence", notes, not fixed, s.origin)
        )
    return out


def _term_note(source: str, target: str, applied: bool) -> str:
    return f"term: {source} → {target} ({'applied' if applied else 'missed'})"


# --- writers --------------------------------------------------------------------------------


def to_tmx(document: TranslatedDocument) -> bytes:
    """TMX 1.4: one ``<tu tuid>`` per translatable unit with English (see ``units``)."""
    meta = document.meta
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=__version__,
        segtype="sentence",
        attrib={"o-tmf": TOOL},
        adminlang="en",
        srclang=meta.source_lang,
        datatype="plaintext",
        creationdate=_tmx_date(datetime.now(timezone.utc)),
    )
    if meta.model:
        _sub(header, "prop", f"{meta.model} ({meta.backend}, beams {meta.beams})", type="x-model")
    body = etree.SubElement(root, "body")
    created = _parse_time(meta.created)
    paragraphs = {p.id: p for p in document.paragraphs}
    for unit in units(document):
        if not unit.translate or not unit.target:
            continue
        tu = etree.SubElement(body, "tu", tuid=unit.id)
        if unit.segtype == "paragraph":
            tu.set("segtype", "paragraph")
        if created is not None:
            tu.set("creationdate", _tmx_date(created))
        approved = _approval(paragraphs[unit.paragraph])
        if approved is not None:
            tu.set("changedate", _tmx_date(approved[1]))
            if approved[0]:
                tu.set("changeid", _xml_text(approved[0], unit.id))
        for note in unit.notes:
            _sub(tu, "note", note, unit.id)
        _sub(tu, "prop", unit.status, type="x-status")
        if meta.name:
            _sub(tu, "prop", meta.name, unit.id, type="x-document")
        for lang, text in ((meta.source_lang, unit.source), (meta.target_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {_LANG: lang})
            _sub(tuv, "seg", text, unit.id)
    return _serialise(root)


def to_xliff(document: TranslatedDocument, *, targets: str = "english") -> bytes:
    """XLIFF 1.2: a ``<group>`` per paragraph, a ``<trans-unit>`` per unit (see ``units``).

    ``targets="english"``: each target is the unit's English (MT or edited), with its state.
    ``targets="source"``: each target is a copy of the source, state ``needs-translation``
    (units with ``translate="no"`` keep their fixed English). That is what OmegaT's native
    XLIFF filter needs: it translates the text of ``<target>``, not ``<source>``, and skips units
    without a target; the English then comes from ``to_tmx`` placed in the project's
    ``tm/auto/`` (see tests/test_omegat.py). Importing such a file unchanged changes nothing.
    """
    if targets not in ("english", "source"):
        raise InteropError(f"unknown XLIFF targets {targets!r}: use english or source")
    meta = document.meta
    q = _q(XLIFF_NS)
    root = etree.Element(q("xliff"), nsmap={None: XLIFF_NS}, version="1.2")
    file = etree.SubElement(
        root,
        q("file"),
        {
            "original": _xml_text(meta.name or "document", "file"),
            "source-language": meta.source_lang,
            "target-language": meta.target_lang,
            "datatype": "plaintext",
            "tool-id": TOOL,
        },
    )
    header = etree.SubElement(file, q("header"))
    etree.SubElement(
        header,
        q("tool"),
        {"tool-id": TOOL, "tool-name": TOOL, "tool-version": __version__},
    )
    if meta.model:
        _sub(header, q("note"), _model_note(document), "header")
    body = etree.SubElement(file, q("body"))
    for paragraph_id, group_units in _grouped(units(document)):
        group = etree.SubElement(body, q("group"), id=paragraph_id, restype="x-paragraph")
        for unit in group_units:
            tu = etree.SubElement(group, q("trans-unit"), id=unit.id)
            tu.set(_SPACE, "preserve")  # the texts are exact; tools must not reflow them
            if unit.segtype == "paragraph":
                tu.set("restype", "x-paragraph")
            if not unit.translate:
                tu.set("translate", "no")
            if unit.status == "approved":
                tu.set("approved", "yes")
            _sub(tu, q("source"), unit.source, unit.id, {_LANG: meta.source_lang})
            copy = targets == "source" and unit.translate
            text = unit.source if copy else unit.target
            target = _sub(tu, q("target"), text, unit.id, {_LANG: meta.target_lang})
            if copy:
                target.set("state", "needs-translation")
            elif not unit.translate:
                target.set("state", "final")
            else:
                target.set("state", XLIFF_STATES[unit.status])
                if unit.status == "draft" and unit.origin in _QUALIFIERS:
                    target.set("state-qualifier", _QUALIFIERS[unit.origin])
            for note in unit.notes:
                _sub(tu, q("note"), note, unit.id, {"from": TOOL})
    return _serialise(root)


def to_xliff2(document: TranslatedDocument) -> bytes:
    """XLIFF 2.0: a ``<group>`` per paragraph, a ``<unit>`` with one ``<segment>`` per unit.

    XLIFF 2.0 wants group and unit ids unique together, so a paragraph's group is ``g.p3``
    (``name="p3"``) and a paragraph unit keeps the id ``p3``.
    """
    meta = document.meta
    q = _q(XLIFF2_NS)
    root = etree.Element(
        q("xliff"),
        nsmap={None: XLIFF2_NS},
        version="2.0",
        srcLang=meta.source_lang,
        trgLang=meta.target_lang,
    )
    file = etree.SubElement(
        root, q("file"), id="f1", original=_xml_text(meta.name or "document", "file")
    )
    notes = etree.SubElement(file, q("notes"))
    _sub(notes, q("note"), f"{TOOL} {__version__}", "file", category="tool")
    if meta.model:
        _sub(notes, q("note"), _model_note(document), "file", category="mt")
    for paragraph_id, group_units in _grouped(units(document)):
        group = etree.SubElement(
            file, q("group"), id=f"g.{paragraph_id}", name=paragraph_id, type="translate:paragraph"
        )
        for unit in group_units:
            el = etree.SubElement(group, q("unit"), id=unit.id, type=f"translate:{unit.segtype}")
            if not unit.translate:
                el.set("translate", "no")
            if unit.notes:
                unit_notes = etree.SubElement(el, q("notes"))
                for note in unit.notes:
                    _sub(unit_notes, q("note"), note, unit.id, category=note.split(":")[0])
            segment = etree.SubElement(el, q("segment"))
            segment.set("state", "final" if not unit.translate else XLIFF2_STATES[unit.status])
            segment.set("subState", f"translate:{unit.status}")
            _sub(segment, q("source"), unit.source, unit.id, {_SPACE: "preserve"})
            _sub(segment, q("target"), unit.target, unit.id, {_SPACE: "preserve"})
    return _serialise(root)


def _grouped(all_units: Sequence[Unit]) -> Iterator[tuple[str, list[Unit]]]:
    current: list[Unit] = []
    for unit in all_units:
        if current and current[0].paragraph != unit.paragraph:
            yield current[0].paragraph, current
            current = []
        current.append(unit)
    if current:
        yield current[0].paragraph, current


def _q(namespace: str) -> Any:
    def qualified(tag: str) -> str:
        return f"{{{namespace}}}{tag}"

    return qualified


def _sub(
    parent: Any,
    tag: str,
    text: str,
    where: str = "",
    attrib: dict[str, str] | None = None,
    **extra: str,
) -> Any:
    el = etree.SubElement(parent, tag, attrib or {}, **extra)
    el.text = _xml_text(text, where)
    return el


def _xml_text(text: str, where: str) -> str:
    # lxml refuses these with a generic ValueError; name the unit and the character instead.
    bad = not_xml(text)
    if bad:
        raise InteropError(
            f"{where}: the text holds {bad}, which XML cannot carry; remove it and export again"
        )
    return text


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _model_note(document: TranslatedDocument) -> str:
    m = document.meta
    return f"machine translation: {m.model} {m.version} ({m.backend}, beams {m.beams})".strip()


def _approval(p: Paragraph) -> tuple[str, datetime] | None:
    at = _parse_time(p.approved_at) if p.status == "approved" else None
    return None if at is None else (p.approved_by, at)


def _parse_time(value: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _tmx_date(stamp: datetime) -> str:
    """TMX's date form: ``YYYYMMDDThhmmssZ`` in UTC."""
    return stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --- readers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FileUnit:
    id: str
    source: str | None
    target: str | None  # None: the file has no translation for it


def read_targets(
    path: str | os.PathLike[str], *, source_lang: str = "id", target_lang: str = "en"
) -> dict[str, str]:
    """Unit id → target text from an XLIFF 1.2/2.0 or TMX file (TMX: ``tuid`` → English seg).

    Units with no or an empty target are left out. Raises ``InteropError`` on a file that is
    missing, too large, malformed, hostile, of other languages, or with conflicting duplicates.
    """
    read = _read_units(Path(path), source_lang, target_lang)
    return {u.id: u.target for u in read if u.id and u.target is not None and u.target.strip()}


def _read_units(path: Path, source_lang: str, target_lang: str) -> list[_FileUnit]:
    root = _parse(path)
    kind = _local(root.tag)
    if kind == "xliff":
        version = (root.get("version") or "").strip()
        if version.startswith("2") or _namespace(root.tag).endswith(":2.0"):
            found = list(_xliff2_units(root, path, source_lang, target_lang))
        else:
            found = list(_xliff1_units(root, path, source_lang, target_lang))
    elif kind == "tmx":
        found = list(_tmx_units(root, path, source_lang, target_lang))
    else:
        raise InteropError(f"{path}: not XLIFF or TMX (the root element is <{kind}>)")
    seen: dict[str, _FileUnit] = {}
    anonymous: list[_FileUnit] = []
    for unit in found:
        if not unit.id:
            anonymous.append(unit)
            continue
        other = seen.get(unit.id)
        if other is not None and other.target != unit.target:
            raise InteropError(f"{path}: unit {unit.id} appears twice with different targets")
        seen[unit.id] = unit
    return [*seen.values(), *anonymous]


def _parse(path: Path) -> Any:
    from translate import safexml as xmlsafe

    try:
        return xmlsafe.parse(_read_bytes(path))
    except xmlsafe.UnsafeXML as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise InteropError(f"{path}: {where}{exc}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_FILE_BYTES, allow_empty=False)
    except Unreadable as exc:
        reasons = {
            "missing": "no such file",
            "directory": "is a directory, not a file",
            "permission": "permission denied",
            "too-large": f"is {exc.size} bytes; files over {MAX_FILE_BYTES} are refused",
            "empty": "is empty",
        }
        raise InteropError(
            f"{path}: {reasons.get(exc.why, f'cannot read ({exc.detail})')}"
        ) from None


def _xliff1_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[_FileUnit]:
    for file in _children(root, "file"):
        _check_langs(
            path, file.get("source-language"), file.get("target-language"), source_lang, target_lang
        )
        for tu in file.iter():
            if _local(tu.tag) != "trans-unit":
                continue
            source = _first(tu, "source")
            target = _first(tu, "target")
            yield _FileUnit(
                _unit_id(tu, path),
                None if source is None else _text(source),
                None if target is None else _text(target),
            )


def _xliff2_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[_FileUnit]:
    _check_langs(path, root.get("srcLang"), root.get("trgLang"), source_lang, target_lang)
    for file in _children(root, "file"):
        for unit in file.iter():
            if _local(unit.tag) != "unit":
                continue
            sources: list[str] = []
            targets: list[str] = []
            complete = True
            for part in unit:
                kind = _local(part.tag)
                if kind not in ("segment", "ignorable"):
                    continue
                source = _first(part, "source")
                target = _first(part, "target")
                source_text = "" if source is None else _text(source)
                sources.append(source_text)
                if target is not None:
                    targets.append(_text(target))
                elif kind == "ignorable":
                    targets.append(source_text)  # XLIFF 2.0: an ignorable's target is its source
                else:
                    complete = False
            yield _FileUnit(
                _unit_id(unit, path), "".join(sources), "".join(targets) if complete else None
            )


def _tmx_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[_FileUnit]:
    for tu in root.iter():
        if _local(tu.tag) != "tu":
            continue
        tuid = (tu.get("tuid") or "").strip()  # "": a TM entry that no unit can match
        source: str | None = None
        target: str | None = None
        for tuv in _children(tu, "tuv"):
            lang = _base_lang(tuv.get(_LANG) or tuv.get("lang"))
            seg = _first(tuv, "seg")
            if seg is None:
                continue
            if lang == _base_lang(target_lang) and target is None:
                target = _text(seg)
            elif lang == _base_lang(source_lang) and source is None:
                source = _text(seg)
        yield _FileUnit(tuid, source, target)


def _check_langs(
    path: Path, source: str | None, target: str | None, source_lang: str, target_lang: str
) -> None:
    for found, wanted, what in ((source, source_lang, "source"), (target, target_lang, "target")):
        if found and _base_lang(found) != _base_lang(wanted):
            raise InteropError(
                f"{path}: the {what} language is {found}; this document's is {wanted}"
            )


def _base_lang(value: str | None) -> str:
    base = (value or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return "id" if base == "in" else base  # "in": the withdrawn ISO 639 code for Indonesian


def _unit_id(el: Any, path: Path) -> str:
    value = (el.get("id") or "").strip()
    if not value:
        raise InteropError(f"{path}: line {el.sourceline}: a unit without an id")
    return value


def _local(tag: object) -> str:
    """An element's tag without namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _children(el: Any, name: str) -> Iterator[Any]:
    return (child for child in el if _local(child.tag) == name)


def _first(el: Any, name: str) -> Any:
    return next(_children(el, name), None)


def _text(el: Any) -> str:
    """The text of a source/target/seg: the text of inline elements kept, native codes
    (``_CODES``), comments and processing instructions dropped. Walked without recursion."""
    from lxml import etree

    parts: list[str] = []
    skipping: Any = None  # the code element whose content is being skipped
    for event, node in etree.iterwalk(el, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            if skipping is None:
                parts.append(node.tail or "")
            continue
        name = _local(node.tag)
        if event == "start":
            if skipping is not None:
                continue
            if node is not el and name in _CODES:
                skipping = node
            elif name == "cp" and node is not el:
                # XLIFF 2.0 writes characters XML cannot carry as <cp hex="000B"/>.
                with contextlib.suppress(ValueError):
                    parts.append(chr(int(node.get("hex") or "", 16)))
            else:
                parts.append(node.text or "")
        else:
            if node is skipping:
                skipping = None
            if skipping is None and node is not el:
                parts.append(node.tail or "")
    return "".join(parts)


# --- import ---------------------------------------------------------------------------------


def import_file(
    store: Store, doc_id: str, path: str | os.PathLike[str], who: str = ""
) -> ImportReport:
    """Apply an XLIFF (1.2 or 2.0) or TMX file's targets to a stored document, by unit id."""
    document = store.load(doc_id)
    found = _read_units(Path(path), document.meta.source_lang, document.meta.target_lang)
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
    found: list[_FileUnit] = []
    for para in incoming.paragraphs:
        old = stored.get(para.id)
        aligned = (
            old is not None
            and old.segmentation == para.segmentation == "sentence"
            and [s.id for s in old.sentences] == [s.id for s in para.sentences]
            and join_targets(s.target for s in para.sentences) == para.target
        )
        if aligned:
            found.extend(_FileUnit(s.id, s.source, s.target) for s in para.sentences)
        else:
            found.append(_FileUnit(para.id, para.source, para.target))
    return _apply(store, doc_id, document, found, who)


def _apply(
    store: Store,
    doc_id: str,
    document: TranslatedDocument,
    found: Iterable[_FileUnit],
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


def read_tmx_pairs(
    path: str | os.PathLike[str], *, source_lang: str = "id", target_lang: str = "en"
) -> list[tuple[str, str]]:
    """(source, target) pairs of any TMX file, for seeding the translation memory; parsed
    with the same hardening as every other interchange file."""
    read = _read_units(Path(path), source_lang, target_lang)
    return [
        (u.source, u.target)
        for u in read
        if u.source and u.target and u.source.strip() and u.target.strip()
    ]


def pairs_to_tmx(pairs: Iterable[tuple[str, str, str]], *, source_lang: str = "id",
                 target_lang: str = "en") -> bytes:  # fmt: skip
    """TMX 1.4 of (source, target, ISO-8601 time) pairs: the translation memory's export."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=__version__,
        segtype="sentence",
        attrib={"o-tmf": TOOL},
        adminlang="en",
        srclang=source_lang,
        datatype="plaintext",
        creationdate=_tmx_date(datetime.now(timezone.utc)),
    )
    body = etree.SubElement(root, "body")
    for n, (source, target, when) in enumerate(pairs):
        where = f"pair {n + 1}"
        tu = etree.SubElement(body, "tu")
        stamp = _parse_time(when) if when else None
        if stamp is not None:
            tu.set("changedate", _tmx_date(stamp))
        for lang, text in ((source_lang, source), (target_lang, target)):
            tuv = etree.SubElement(tu, "tuv", {_LANG: lang})
            _sub(tuv, "seg", text, where)
    return _serialise(root)
