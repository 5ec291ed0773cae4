"""TBX glossaries: reading TBX (2008 ``martif`` and 2019 ``tbx``) and writing TBX-Basic.

TBX is XML, so it has a module of its own next to ``files`` (which reads the tabular formats
and holds the registry of formats): it is parsed through ``translate.safexml`` (entities, DTDs
and the network refused) and lxml is imported only when a TBX file is read or written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from translate import safexml
from translate.terms.validate import Row, error, warning
from translate.terms.values import Entry, GlossaryError, Problem

__all__ = ["read_tbx", "write_tbx"]

_TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: object) -> str:
    """An element's tag without namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _lang(value: str | None) -> str:
    base = (value or "").replace("_", "-").split("-", 1)[0].lower()
    return "id" if base == "in" else base  # "in": the withdrawn ISO 639 code for Indonesian


def _type_name(value: str | None) -> str:
    return re.sub(r"[^a-z]", "", (value or "").lower()).removeprefix("x")


def _xml_text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def read_tbx(data: bytes, problems: list[Problem]) -> list[Row]:
    """The rows of a TBX file: one per term entry with Indonesian and English terms (later
    Indonesian terms are variants); other languages are ignored with one warning."""
    try:
        root = safexml.parse(data)
    except safexml.UnsafeXML as exc:
        problems.append(Problem(exc.line, "error", str(exc)))
        return []
    if _local(root.tag) not in ("martif", "tbx"):
        problems.append(
            Problem(root.sourceline, "error", f"not TBX: root element is <{_local(root.tag)}>")
        )
        return []
    rows: list[Row] = []
    ignored: set[str] = set()
    for el in root.iter():
        if _local(el.tag) in ("termEntry", "conceptEntry"):
            row = _entry_row(el, problems, ignored)
            if row is not None:
                rows.append(row)
    if ignored:
        langs = ", ".join(sorted(ignored))
        problems.append(Problem(None, "warning", f"terms in other languages ignored: {langs}"))
    return rows


def _entry_row(el: Any, problems: list[Problem], ignored: set[str]) -> Row | None:
    line: int | None = el.sourceline
    where = f"line {line}"
    terms: dict[str, list[str]] = {"id": [], "en": []}
    case: str | None = None
    definition: str | None = None
    note: str | None = None
    for sub in el.iter():
        name = _local(sub.tag)
        if name in ("langSet", "langSec"):
            lang = _lang(sub.get(_XML_LANG) or sub.get("lang"))
            # Whitespace inside XML text is layout (indented <term> elements), not content.
            found = [_xml_text(t) for t in sub.iter() if _local(t.tag) == "term"]
            if lang in terms:
                terms[lang].extend(found)
            elif found:
                ignored.add(lang or "(no xml:lang)")
        elif name in ("descrip", "admin", "termNote", "note") and sub.get("type") is not None:
            kind = _type_name(sub.get("type"))
            text = _xml_text(sub)
            if kind == "casesensitive" and case is None:
                case = text
            elif kind == "definition" and definition is None:
                definition = text
        elif name == "note" and note is None:
            note = _xml_text(sub)
    row = Row(line, where, None, None)
    if not terms["id"]:
        problems.append(error(row, "TBX entry has no Indonesian (xml:lang='id') term"))
        return None
    if not terms["en"]:
        problems.append(error(row, "TBX entry has no English (xml:lang='en') term"))
        return None
    if len(terms["en"]) > 1:
        problems.append(warning(row, f"extra English terms ignored: {terms['en'][1:]}"))
    return Row(
        line,
        where,
        terms["id"][0],
        terms["en"][0],
        case if case is not None else "",
        tuple(terms["id"][1:]),
        definition if definition is not None else (note or ""),
    )


def write_tbx(entries: Sequence[Entry], name: str) -> bytes:
    """The entries as TBX-Basic (TBX 2019, DCA style): one conceptEntry per entry.

    Variants are extra Indonesian terms after the source; case sensitivity is an
    ``<admin type="x-caseSensitive">`` and the note a ``<note>`` on the entry.
    """
    try:
        etree = safexml.etree()
    except ImportError:  # pragma: no cover - lxml is a dependency
        raise GlossaryError.about_file("TBX", "TBX support needs lxml (pip install lxml)") from None
    ns = f"{{{_TBX_NS}}}"
    root = etree.Element(
        ns + "tbx",
        nsmap={None: _TBX_NS},
        attrib={"type": "TBX-Basic", "style": "dca", _XML_LANG: "id"},
    )
    header = etree.SubElement(root, ns + "tbxHeader")
    source_desc = etree.SubElement(etree.SubElement(header, ns + "fileDesc"), ns + "sourceDesc")
    etree.SubElement(source_desc, ns + "p").text = f"Glossary {name}".strip()
    body = etree.SubElement(etree.SubElement(root, ns + "text"), ns + "body")
    for n, e in enumerate(entries, start=1):
        concept = etree.SubElement(body, ns + "conceptEntry", id=f"c{n}")
        admin = etree.SubElement(concept, ns + "admin", type="x-caseSensitive")
        admin.text = "true" if e.case_sensitive else "false"
        if e.note:
            etree.SubElement(concept, ns + "note").text = e.note
        for lang, terms in (("id", e.forms), ("en", (e.target,))):
            lang_sec = etree.SubElement(concept, ns + "langSec", attrib={_XML_LANG: lang})
            for term in terms:
                term_sec = etree.SubElement(lang_sec, ns + "termSec")
                etree.SubElement(term_sec, ns + "term").text = term
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
