"""Hardened XML parsing for every file a user hands us (TBX, XLIFF, TMX).

Entity declarations are refused before parsing: with them come billion-laughs expansion and
external entities that read local files. The parser would not expand them either (entities,
DTD loading and the network are all off); refusing first is explicit, cheap, and keeps libxml2
away from them entirely. NUL bytes are dropped for that search so UTF-16/32 markup is seen too.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE\b[^>\[]*\[", re.IGNORECASE)


# Characters XML 1.0 cannot carry (lxml and python-docx refuse them with a generic ValueError).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def not_xml(text: str) -> str | None:
    """The first character of ``text`` that XML cannot carry, as ``U+XXXX``, or None."""
    bad = NOT_XML.search(text)
    return None if bad is None else f"U+{ord(bad.group()):04X}"


class UnsafeXML(ValueError):
    """An XML file that is malformed or declares entities; ``line`` where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def etree() -> Any:
    """lxml.etree, imported on first use (startup stays fast without it)."""
    return importlib.import_module("lxml.etree")


def parse(data: bytes) -> Any:
    """The root element of ``data``, parsed with entities, DTDs and the network off."""
    head = data.replace(b"\x00", b"")
    found = _ENTITY_DECL.search(head) or _INTERNAL_SUBSET.search(head)
    if found:
        line = head[: found.start()].count(b"\n") + 1
        raise UnsafeXML("the DOCTYPE declares entities or an internal subset; refused", line)
    lxml = etree()
    parser = lxml.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = lxml.fromstring(data, parser)
    except lxml.XMLSyntaxError as exc:
        detail = " ".join(str(exc.msg).split())  # libxml2 messages may hold line breaks
        raise UnsafeXML(f"not well-formed XML ({detail})", exc.lineno or None) from None
    dtd = root.getroottree().docinfo.internalDTD
    # Entities declared in an encoding the byte check cannot see (UTF-7, EBCDIC) land here.
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXML("the DOCTYPE declares entities; refused", 1)
    # A reference to an entity of an external DTD (never loaded) stays an unexpanded node;
    # reading past it would silently drop text, so the file is refused instead.
    for entity in root.iter(lxml.Entity):
        raise UnsafeXML(
            f"entity reference {entity.text} is not expanded (external DTDs are never "
            "loaded); refused",
            entity.sourceline,
        )
    return root
