"""Translation units, and the XML plumbing that TMX and XLIFF share.

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

The paragraph's review status applies to each of its units. Notes: glossary terms of the unit
(``term: Beograd → Belgrade (applied|missed)``) and QA findings (``qa warning: … [check]``);
a paragraph-level QA finding goes on the paragraph's first unit. Texts are plain
(``datatype="plaintext"``): inline markup is not exported, and inline codes a tool adds to a
target are dropped on reading (their text, in ``g``/``mrk``/``pc``/``hi``, kept).

Parsing is hardened: size bound, DOCTYPE internal subsets and entity declarations refused before
parsing, and an lxml parser that neither resolves entities nor loads DTDs nor uses the network.
lxml is imported on first use (``safexml.etree``), so importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.document import Paragraph, TranslatedDocument
from translate.errors import TranslateError
from translate.files import Unreadable, read_bounded
from translate.safexml import UnsafeXML, etree, not_xml, parse

XML_NS = "http://www.w3.org/XML/1998/namespace"
LANG = f"{{{XML_NS}}}lang"
SPACE = f"{{{XML_NS}}}space"
TOOL = "translate"
MAX_FILE_BYTES = 50 * 1024 * 1024

# Inline codes: their content is the native markup they stand for (``<ph>&lt;b&gt;</ph>``), not
# text, and is dropped (XLIFF 1.2 bpt/ept/it/ph and the empty x/bx/ex; XLIFF 2.0 ph/sc/ec/sm/em;
# TMX bpt/ept/it/ph/ut). Every other inline element (g, mrk, pc, hi, or one this reader does
# not know) keeps its text: words are never dropped for a tag.
CODES = frozenset({"bpt", "ept", "it", "ph", "x", "bx", "ex", "sc", "ec", "sm", "em", "ut"})


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
class FileUnit:
    """A unit as a file has it: its id, and its source and target where the file has them."""

    id: str
    source: str | None
    target: str | None  # None: the file has no translation for it
    # TMX ``<prop type>`` values of the unit (``x-status``, ``x-document``), in file order.
    props: tuple[tuple[str, str], ...] = ()

    def prop(self, name: str) -> str | None:
        """The first ``<prop>`` of this type, or ``None``."""
        return next((value for key, value in self.props if key == name), None)


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


# --- writing --------------------------------------------------------------------------------


def qualified(namespace: str) -> Any:
    """``tag`` → ``{namespace}tag``."""

    def tag_in(tag: str) -> str:
        return f"{{{namespace}}}{tag}"

    return tag_in


def sub(
    parent: Any,
    tag: str,
    text: str,
    where: str = "",
    attrib: dict[str, str] | None = None,
    **extra: str,
) -> Any:
    """A child element holding ``text`` (checked by ``xml_text``; ``where`` names the unit)."""
    el = etree().SubElement(parent, tag, attrib or {}, **extra)
    el.text = xml_text(text, where)
    return el


def xml_text(text: str, where: str) -> str:
    """``text`` if XML can carry it, else the ``InteropError`` naming the unit and the character."""
    # lxml refuses these with a generic ValueError; name the unit and the character instead.
    bad = not_xml(text)
    if bad:
        raise InteropError(
            f"{where}: the text holds {bad}, which XML cannot carry; remove it and export again"
        )
    return text


def serialise(root: Any) -> bytes:
    """The document as UTF-8 XML bytes, with the declaration, indented."""
    data: bytes = etree().tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def model_note(document: TranslatedDocument) -> str:
    """One line naming the engine that made the English."""
    m = document.meta
    return f"machine translation: {m.model} {m.version} ({m.backend}, beams {m.beams})".strip()


def parse_time(value: str) -> datetime | None:
    """An ISO 8601 time (UTC when it has no zone), or ``None`` when it is not one."""
    try:
        stamp = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


# --- reading --------------------------------------------------------------------------------


def parse_file(path: Path) -> Any:
    """The root element of a CAT file, parsed hardened (``safexml.parse``)."""
    try:
        return parse(read_file_bytes(path))
    except UnsafeXML as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise InteropError(f"{path}: {where}{exc}") from None


def read_file_bytes(path: Path) -> bytes:
    """A CAT file's bytes, at most ``MAX_FILE_BYTES``, or the ``InteropError`` saying why not."""

    def error(exc: Unreadable) -> InteropError:
        reason = exc.reason(
            too_large=f"is {exc.size} bytes; files over {MAX_FILE_BYTES} are refused",
            os=f"cannot read ({exc.detail})",
        )
        return InteropError(f"{path}: {reason}")

    return read_bounded(path, MAX_FILE_BYTES, allow_empty=False, error=error)


def check_langs(
    path: Path, source: str | None, target: str | None, source_lang: str, target_lang: str
) -> None:
    """Refuse a file whose source or target language is not the document's."""
    for found, wanted, what in ((source, source_lang, "source"), (target, target_lang, "target")):
        if found and base_lang(found) != base_lang(wanted):
            raise InteropError(
                f"{path}: the {what} language is {found}; this document's is {wanted}"
            )


def base_lang(value: str | None) -> str:
    """The primary language subtag, lower case (``in`` read as ``id``)."""
    base = (value or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return "id" if base == "in" else base  # "in": the withdrawn ISO 639 code for Indonesian


def unit_id(el: Any, path: Path) -> str:
    """The unit's ``id`` attribute; a unit without one is an error."""
    value = (el.get("id") or "").strip()
    if not value:
        raise InteropError(f"{path}: line {el.sourceline}: a unit without an id")
    return value


def local(tag: object) -> str:
    """An element's tag without namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    """An element's namespace URI ('' for none)."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(el: Any, name: str) -> Iterator[Any]:
    """The element's children with local name ``name``."""
    return (child for child in el if local(child.tag) == name)


def first(el: Any, name: str) -> Any:
    """The element's first child with local name ``name``, or ``None``."""
    return next(children(el, name), None)


def text_of(el: Any) -> str:
    """The text of a source/target/seg: the text of inline elements kept, native codes
    (``CODES``), comments and processing instructions dropped. Walked without recursion."""
    parts: list[str] = []
    skipping: Any = None  # the code element whose content is being skipped
    for event, node in etree().iterwalk(el, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            if skipping is None:
                parts.append(node.tail or "")
            continue
        name = local(node.tag)
        if event == "start":
            if skipping is not None:
                continue
            if node is not el and name in CODES:
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
