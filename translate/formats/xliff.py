"""XLIFF 1.2 and 2.0: export of a translated document, and reading the units of a file.

Units are ``units.units`` (a sentence ``p3.s1``, or a paragraph ``p3`` whose edit changed its
sentence count), in a ``<group>`` per paragraph.

Statuses: XLIFF 1.2 ``state``: draft → ``needs-review-translation`` (``state-qualifier``
``mt-suggestion`` or, for memory hits, ``exact-match``), edited → ``translated``, approved →
``final`` (with ``approved="yes"``). XLIFF 2.0 ``state``: draft → ``translated``, edited →
``reviewed``, approved → ``final``, with ``subState="translate:<status>"`` keeping the exact
status.

OmegaT 3.6 (tests/formats/test_omegat.py): its native XLIFF filter translates the text of
``<target>`` and ignores ``<source>``, so it never uses our English targets as translations and
skips units without a target. Give it ``to_xliff(doc, targets="source")`` with ``tmx.to_tmx(doc)``
in the project's ``tm/auto/``: every segment is filled from the TMX, and its translated XLIFF
imports back. It reads no XLIFF 2.0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from translate.document import TranslatedDocument
from translate.formats.registry import Format, register
from translate.formats.units import (
    LANG,
    SPACE,
    TOOL,
    FileUnit,
    InteropError,
    Unit,
    check_langs,
    children,
    first,
    local,
    model_note,
    qualified,
    serialise,
    sub,
    text_of,
    unit_id,
    units,
    xml_text,
)
from translate.safexml import etree
from translate.version import __version__

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"

# XLIFF 1.2 target states by paragraph status.
XLIFF_STATES = {"draft": "needs-review-translation", "edited": "translated", "approved": "final"}
XLIFF2_STATES = {"draft": "translated", "edited": "reviewed", "approved": "final"}
_QUALIFIERS = {"mt": "mt-suggestion", "memory": "exact-match"}


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
    q = qualified(XLIFF_NS)
    root = etree().Element(q("xliff"), nsmap={None: XLIFF_NS}, version="1.2")
    file = etree().SubElement(
        root,
        q("file"),
        {
            "original": xml_text(meta.name or "document", "file"),
            "source-language": meta.source_lang,
            "target-language": meta.target_lang,
            "datatype": "plaintext",
            "tool-id": TOOL,
        },
    )
    header = etree().SubElement(file, q("header"))
    etree().SubElement(
        header,
        q("tool"),
        {"tool-id": TOOL, "tool-name": TOOL, "tool-version": __version__},
    )
    if meta.model:
        sub(header, q("note"), model_note(document), "header")
    body = etree().SubElement(file, q("body"))
    for paragraph_id, group_units in _grouped(units(document)):
        group = etree().SubElement(body, q("group"), id=paragraph_id, restype="x-paragraph")
        for unit in group_units:
            tu = etree().SubElement(group, q("trans-unit"), id=unit.id)
            tu.set(SPACE, "preserve")  # the texts are exact; tools must not reflow them
            if unit.segtype == "paragraph":
                tu.set("restype", "x-paragraph")
            if not unit.translate:
                tu.set("translate", "no")
            if unit.status == "approved":
                tu.set("approved", "yes")
            sub(tu, q("source"), unit.source, unit.id, {LANG: meta.source_lang})
            copy = targets == "source" and unit.translate
            text = unit.source if copy else unit.target
            target = sub(tu, q("target"), text, unit.id, {LANG: meta.target_lang})
            if copy:
                target.set("state", "needs-translation")
            elif not unit.translate:
                target.set("state", "final")
            else:
                target.set("state", XLIFF_STATES[unit.status])
                if unit.status == "draft" and unit.origin in _QUALIFIERS:
                    target.set("state-qualifier", _QUALIFIERS[unit.origin])
            for note in unit.notes:
                sub(tu, q("note"), note, unit.id, {"from": TOOL})
    return serialise(root)


def to_xliff2(document: TranslatedDocument) -> bytes:
    """XLIFF 2.0: a ``<group>`` per paragraph, a ``<unit>`` with one ``<segment>`` per unit.

    XLIFF 2.0 wants group and unit ids unique together, so a paragraph's group is ``g.p3``
    (``name="p3"``) and a paragraph unit keeps the id ``p3``.
    """
    meta = document.meta
    q = qualified(XLIFF2_NS)
    root = etree().Element(
        q("xliff"),
        nsmap={None: XLIFF2_NS},
        version="2.0",
        srcLang=meta.source_lang,
        trgLang=meta.target_lang,
    )
    file = etree().SubElement(
        root, q("file"), id="f1", original=xml_text(meta.name or "document", "file")
    )
    notes = etree().SubElement(file, q("notes"))
    sub(notes, q("note"), f"{TOOL} {__version__}", "file", category="tool")
    if meta.model:
        sub(notes, q("note"), model_note(document), "file", category="mt")
    for paragraph_id, group_units in _grouped(units(document)):
        group = etree().SubElement(
            file, q("group"), id=f"g.{paragraph_id}", name=paragraph_id, type="translate:paragraph"
        )
        for unit in group_units:
            el = etree().SubElement(group, q("unit"), id=unit.id, type=f"translate:{unit.segtype}")
            if not unit.translate:
                el.set("translate", "no")
            if unit.notes:
                unit_notes = etree().SubElement(el, q("notes"))
                for note in unit.notes:
                    sub(unit_notes, q("note"), note, unit.id, category=note.split(":")[0])
            segment = etree().SubElement(el, q("segment"))
            segment.set("state", "final" if not unit.translate else XLIFF2_STATES[unit.status])
            segment.set("subState", f"translate:{unit.status}")
            sub(segment, q("source"), unit.source, unit.id, {SPACE: "preserve"})
            sub(segment, q("target"), unit.target, unit.id, {SPACE: "preserve"})
    return serialise(root)


def _grouped(all_units: Sequence[Unit]) -> Iterator[tuple[str, list[Unit]]]:
    current: list[Unit] = []
    for unit in all_units:
        if current and current[0].paragraph != unit.paragraph:
            yield current[0].paragraph, current
            current = []
        current.append(unit)
    if current:
        yield current[0].paragraph, current


# --- reading --------------------------------------------------------------------------------


def xliff1_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[FileUnit]:
    """The ``<trans-unit>`` of a parsed XLIFF 1.2 file, after its languages are checked."""
    for file in children(root, "file"):
        check_langs(
            path, file.get("source-language"), file.get("target-language"), source_lang, target_lang
        )
        for tu in file.iter():
            if local(tu.tag) != "trans-unit":
                continue
            source = first(tu, "source")
            target = first(tu, "target")
            yield FileUnit(
                unit_id(tu, path),
                None if source is None else text_of(source),
                None if target is None else text_of(target),
            )


def xliff2_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[FileUnit]:
    """The ``<unit>`` of a parsed XLIFF 2.0 file, its segments (and ignorables) joined; a
    unit with a segment lacking its target has none."""
    check_langs(path, root.get("srcLang"), root.get("trgLang"), source_lang, target_lang)
    for file in children(root, "file"):
        for unit in file.iter():
            if local(unit.tag) != "unit":
                continue
            sources: list[str] = []
            targets: list[str] = []
            complete = True
            for part in unit:
                kind = local(part.tag)
                if kind not in ("segment", "ignorable"):
                    continue
                source = first(part, "source")
                target = first(part, "target")
                source_text = "" if source is None else text_of(source)
                sources.append(source_text)
                if target is not None:
                    targets.append(text_of(target))
                elif kind == "ignorable":
                    targets.append(source_text)  # XLIFF 2.0: an ignorable's target is its source
                else:
                    complete = False
            yield FileUnit(
                unit_id(unit, path), "".join(sources), "".join(targets) if complete else None
            )


register(
    Format(
        "xliff",
        ".xlf",
        "application/xliff+xml",
        label="XLIFF 1.2 (CAT tools)",
        writer=to_xliff,
    )
)
register(
    Format(
        "xliff2",
        ".xlf",
        "application/xliff+xml",
        label="XLIFF 2.0 (CAT tools)",
        writer=to_xliff2,
    )
)
