"""TMX 1.4: a translated document's units, or the translation memory's pairs; reading TMX units.

A document's TMX has one ``<tu tuid>`` per translatable unit with English (``units.units``;
sentences carried over unchanged are left out: identity pairs are no translation memory), with
its status, notes, and creation and approval dates. The memory's TMX has one ``<tu>`` per pair.
Both have the same ``<header>`` (``_tmx``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.document import Paragraph, TranslatedDocument
from translate.formats.registry import Format, register
from translate.formats.units import (
    LANG,
    TOOL,
    FileUnit,
    base_lang,
    children,
    first,
    local,
    parse_time,
    serialise,
    sub,
    text_of,
    units,
    xml_text,
)
from translate.safexml import etree
from translate.version import __version__


def to_tmx(document: TranslatedDocument) -> bytes:
    """TMX 1.4: one ``<tu tuid>`` per translatable unit with English (see ``units``)."""
    meta = document.meta
    root, header, body = _tmx(meta.source_lang)
    if meta.model:
        sub(header, "prop", f"{meta.model} ({meta.backend}, beams {meta.beams})", type="x-model")
    created = parse_time(meta.created)
    paragraphs = {p.id: p for p in document.paragraphs}
    for unit in units(document):
        if not unit.translate or not unit.target:
            continue
        tu = etree().SubElement(body, "tu", tuid=unit.id)
        if unit.segtype == "paragraph":
            tu.set("segtype", "paragraph")
        if created is not None:
            tu.set("creationdate", _tmx_date(created))
        approved = _approval(paragraphs[unit.paragraph])
        if approved is not None:
            tu.set("changedate", _tmx_date(approved[1]))
            if approved[0]:
                tu.set("changeid", xml_text(approved[0], unit.id))
        for note in unit.notes:
            sub(tu, "note", note, unit.id)
        sub(tu, "prop", unit.status, type="x-status")
        if meta.name:
            sub(tu, "prop", meta.name, unit.id, type="x-document")
        for lang, text in ((meta.source_lang, unit.source), (meta.target_lang, unit.target)):
            tuv = etree().SubElement(tu, "tuv", {LANG: lang})
            sub(tuv, "seg", text, unit.id)
    return serialise(root)


def pairs_to_tmx(
    pairs: Iterable[tuple[str, str, str]], *, source_lang: str = "id", target_lang: str = "en"
) -> bytes:
    """TMX 1.4 of (source, target, ISO-8601 time) pairs: the translation memory's export."""
    root, _, body = _tmx(source_lang)
    for n, (source, target, when) in enumerate(pairs):
        where = f"pair {n + 1}"
        tu = etree().SubElement(body, "tu")
        stamp = parse_time(when) if when else None
        if stamp is not None:
            tu.set("changedate", _tmx_date(stamp))
        for lang, text in ((source_lang, source), (target_lang, target)):
            tuv = etree().SubElement(tu, "tuv", {LANG: lang})
            sub(tuv, "seg", text, where)
    return serialise(root)


def _tmx(source_lang: str) -> tuple[Any, Any, Any]:
    """A TMX 1.4 document's root, its ``<header>`` and its empty ``<body>``."""
    root = etree().Element("tmx", version="1.4")
    header = etree().SubElement(
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
    return root, header, etree().SubElement(root, "body")


def _approval(p: Paragraph) -> tuple[str, datetime] | None:
    at = parse_time(p.approved_at) if p.status == "approved" else None
    return None if at is None else (p.approved_by, at)


def _tmx_date(stamp: datetime) -> str:
    """TMX's date form: ``YYYYMMDDThhmmssZ`` in UTC."""
    return stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --- reading --------------------------------------------------------------------------------


def tmx_units(root: Any, path: Path, source_lang: str, target_lang: str) -> Iterator[FileUnit]:
    """The ``<tu>`` of a parsed TMX file: ``tuid``, the source and target segs by language, and
    its ``<prop>`` values (our exports' ``x-status`` and ``x-document``)."""
    for tu in root.iter():
        if local(tu.tag) != "tu":
            continue
        tuid = (tu.get("tuid") or "").strip()  # "": a TM entry that no unit can match
        source: str | None = None
        target: str | None = None
        for tuv in children(tu, "tuv"):
            lang = base_lang(tuv.get(LANG) or tuv.get("lang"))
            seg = first(tuv, "seg")
            if seg is None:
                continue
            if lang == base_lang(target_lang) and target is None:
                target = text_of(seg)
            elif lang == base_lang(source_lang) and source is None:
                source = text_of(seg)
        props = tuple(
            ((p.get("type") or "").strip(), text_of(p).strip()) for p in children(tu, "prop")
        )
        yield FileUnit(tuid, source, target, props)


register(Format("tmx", ".tmx", "application/x-tmx+xml", label="TMX 1.4 (CAT tools)", writer=to_tmx))
