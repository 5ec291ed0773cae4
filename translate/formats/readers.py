"""Reading articles: bytes → text → blocks with kinds, sentence spans and how each is translated.

House-style rules (listed in the README) decide which blocks are prose for the model and which
are carried over unchanged: credit codes like ``(Ant)`` or ``(rdp/imk)``, a bare author name
under a byline, a URL alone on a line, a dateline such as ``Jakarta (ANTARA) -``.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from translate.document import Block, Document, Inline, InlineKind, Kind, Mode, Span
from translate.errors import InputError
from translate.files import Unreadable, read_bounded
from translate.formats import registry
from translate.formats.registry import Format, register
from translate.text.normalize import Cleaning, clean_source_report
from translate.text.segment import split_sentences

MAX_INPUT_BYTES = 20 * 1024 * 1024

# --- house-style patterns -------------------------------------------------------------------

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
# "(Ant)", "(rdp/imk)", "(*)", "(red)", "(ilustrasi/aktual.com)", "(foto: Antara)"
_CREDIT = re.compile(
    r"^\(\s*(?:[*]+|[A-Za-z]{1,12}(?:\s*/\s*[A-Za-z]{1,12})*"
    r"|(?:foto|ilustrasi|ist|istimewa|dok|net|antara\s+foto)\b[^()]{0,60}"
    r"|[\w.-]+\.(?:com|id|co\.id|net|org))\s*\)$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?©.*$|^copyright\b.*$", re.IGNORECASE)
# A photo caption ends with a photo credit in brackets, or starts with "Foto:".
_CAPTION_CREDIT = re.compile(
    r"\((?:foto|ilustrasi|ist|istimewa|dok|antara\s+foto|net)\b[^()]*\)\s*$", re.IGNORECASE
)
_CAPTION_START = re.compile(r"^(?:foto|ilustrasi)\s*:", re.IGNORECASE)
# "Pewarta: Budi Santoso" -> label by rule, name carried over.
BYLINE_LABELS = {
    "pewarta": "Reporter",
    "pewarta foto": "Photographer",
    "fotografer": "Photographer",
    "reporter": "Reporter",
    "wartawan": "Reporter",
    "penulis": "Writer",
    "editor": "Editor",
    "redaktur": "Editor",
    "penyunting": "Editor",
    "penerjemah": "Translator",
    "kontributor": "Contributor",
    "sumber": "Source",
    "oleh": "By",
}
_BYLINE = re.compile(
    r"^(?P<head>(?P<label>"
    + "|".join(sorted(map(re.escape, BYLINE_LABELS), key=len, reverse=True))
    + r")\s*:)\s*(?P<name>\S.*)$",
    re.IGNORECASE,
)
# Whole lines with a fixed English rendering.
RULE_PHRASES = {
    "artikel ini ditulis oleh:": "This article was written by:",
    "baca juga:": "Read also:",
    "baca juga": "Read also:",
}
_READ_ALSO = re.compile(r"^(?P<label>baca\s+juga\s*:)\s*(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)
# Datelines: "Jakarta, Aktual.com –", "Jakarta (ANTARA) -", "Jakarta -", "JAKARTA, KOMPAS.com -"
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*){0,3}"
    r"(?:\s*,\s*[\w-]+(?:\.[\w-]+)+"  # ", Aktual.com"
    r"|\s*\([A-Za-z][A-Za-z .]{1,20}\)"  # " (ANTARA)"
    r"|\s*,\s*\d{1,2}\s+\w+\s*\([A-Z][A-Za-z .]{1,20}\))?"  # ", 12 Desember (ANTARA)"
    r"\s+[-–—])\s+\S"
)
_LIST_MARKER = re.compile(r"^(?P<marker>[-*•]|\d{1,3}[.)])\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?:;\"”’)\]…]$")


# --- entry points ---------------------------------------------------------------------------


def display_name(name: str) -> str:
    """A file name as text for documents and exports: bytes that are not UTF-8 (kept by
    Python as lone surrogates) become U+FFFD, so the name can be written anywhere."""
    return os.fsencode(name).decode("utf-8", "replace") if not name.isascii() else name


def read_file(path: str | os.PathLike[str], input_format: str | None = None) -> Document:
    """Read an article file (UTF-8 with or without BOM, CRLF or LF) into a ``Document``."""
    p = Path(path)
    reader = registry.input_format(p, input_format).reader
    assert reader is not None  # input formats are the ones with a reader
    return reader(read_bytes(p), display_name(p.name), str(p))


def read_docx(data: bytes, name: str = "", label: str = "document") -> Document:
    """Parse a Word document (bytes) into a ``Document``."""
    from translate.formats.markup import docx_blocks

    raw = [_Raw(b.text, b.kind, b.level, b.marker, b.fixed, b.inline)
           for b in docx_blocks(data, label)]  # fmt: skip
    raw, cleaning = _clean_blocks(raw)
    return Document(_classify(raw), name=name, format="docx", notes=cleaning.notes())


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an ``InputError`` that names the file and the problem."""

    def error(exc: Unreadable) -> InputError:
        reason = exc.reason(
            directory="is a directory, not a file (use `translate batch`)",
            too_large=f"file is {exc.size / 1e6:.0f} MB; articles over "
            f"{MAX_INPUT_BYTES // 1_000_000} MB are refused: split it first",
        )
        return InputError(f"{path}: {reason}")

    return read_bounded(path, MAX_INPUT_BYTES, error=error)


def decode(data: bytes, name: str = "input") -> str:
    """Decode UTF-8 (BOM optional); binary or other encodings get a clear ``InputError``."""
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(
            f"{name}: looks like a binary file, not text; give a .txt, .md, .html or .docx article"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None


# Windows-1252 as browsers decode it (WHATWG): the five bytes it leaves undefined are read as
# their Latin-1 C1 codes, so every Latin-1 file is read too (C1 codes left are then removed by
# clean_source, with a note). A charmap string: decoded in C.
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) if 0x80 <= b < 0xA0 else chr(b)
    for b in range(256)
)
# charset-normalizer's "chaos" (share of suspicious characters) the best reading may have, and
# how close to it the Windows-1252 reading must be scored.
_MAX_CHAOS = 0.1
_NEAR_BEST = 0.001


def decode_article(data: bytes, name: str = "input") -> tuple[str, tuple[str, ...]]:
    """An article's text and the notice of its encoding: UTF-8 (BOM optional, no notice), else
    Windows-1252 (which reads Latin-1 too) where charset-normalizer is confident, else the
    ``InputError`` of ``decode``.

    Confident: charset-normalizer finds text (not binary) with little chaos (at most 0.1), its
    best-scored readings (within 0.01) include the Windows-1252 one (by name, as Latin-1, or as
    a code page that reads this file the same, as cp1250 does for quotes and dashes), and its
    favourite reading is in the Latin script, and the Windows-1252 reading has no capital inside
    a lowercase word ("cafŽ": a Mac Roman é). Then the only question is which Latin code page,
    and newsroom systems write Windows-1252. A file in another alphabet, or UTF-8 with a
    Windows-1252 piece pasted in, is refused as before.
    """
    try:
        return decode(data, name), ()
    except InputError:
        if b"\x00" in data[:8192]:
            raise  # binary: decode said so
        text = codecs.charmap_decode(data, "strict", _CP1252)[0]
        if not _confident_windows_1252(data, text):
            raise
    return text, ("read as Windows-1252 (detected; not UTF-8)",)


def _confident_windows_1252(data: bytes, text: str) -> bool:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return False  # no text encoding reads it: binary
    best = min(matches, key=lambda m: m.chaos)
    if best.chaos > _MAX_CHAOS or not _latin(str(matches[0])) or _case_slip(text):
        return False
    return any(
        m.encoding in ("cp1252", "latin_1") or data.decode(m.encoding, errors="replace") == text
        for m in matches
        if m.chaos <= best.chaos + _NEAR_BEST
    )


def _case_slip(text: str) -> bool:
    """Whether a non-ASCII capital sits inside a lowercase word ("cafŽ", "ZŸrich"): how a Mac
    Roman or DOS file reads as Windows-1252 (its é, ü, ñ are Windows-1252's Ž, Ÿ, –)."""
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if not text[i].isupper():
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.islower() or (before.isalpha() and after.islower()):
            return True
    return False


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one (punctuation, symbols, digits aside)."""
    import unicodedata

    return all(
        not unicodedata.category(c).startswith("L") or unicodedata.name(c, "").startswith("LATIN")
        for c in set(text)
        if not c.isascii()
    )


def read_text(
    text: str, input_format: str = "txt", name: str = "", notes: tuple[str, ...] = ()
) -> Document:
    """Parse article text (plain text, Markdown or HTML) into a ``Document``.

    ``notes``: what reading the file already had to say (its detected encoding); the repairs
    of ``clean_source`` are added to them.
    """
    text, cleaning = clean_source_report(text)
    dropped: list[str] = []
    if input_format == "md":
        raw = _markdown_blocks(text, dropped)
    elif input_format == "txt":
        raw = _text_blocks(text)  # slices of the cleaned text: nothing more to clean
    elif input_format == "html":
        from translate.formats.markup import html_blocks

        raw = [
            _Raw(b.text, b.kind, b.level, b.marker, b.fixed, b.inline) for b in html_blocks(text)
        ]
    else:
        registry.get(input_format, "input")  # the error that names the formats there are
        raise InputError(f"{input_format!r} is not a text format: read it with read_file")
    if input_format != "txt":
        # Entities decode to characters of their own (&#150; is U+0096): clean the blocks too.
        raw, more = _clean_blocks(raw)
        cleaning += more
    notes = (*notes, *cleaning.notes())
    if dropped:
        kinds = [t if len(t) <= 40 else t[:39] + "…" for t in dict.fromkeys(dropped)]
        shown = ", ".join(kinds[:5]) + (", …" if len(kinds) > 5 else "")
        notes += (
            f"dropped {len(dropped)} inline HTML tag{'s' if len(dropped) > 1 else ''} from the "
            f"Markdown ({shown}); their text is kept",
        )
    return Document(_classify(raw), name=name, format=input_format, notes=notes)


def _text_reader(fmt: str) -> registry.Reader:
    """The reader of a text format: decoded (``decode_article``), then parsed (``read_text``)."""

    def read(data: bytes, name: str, label: str) -> Document:
        text, notes = decode_article(data, label)
        return read_text(text, fmt, name=name, notes=notes)

    return read


register(Format("txt", ".txt", "text/plain", reader=_text_reader("txt"), also_reads=(".text",)))
register(Format("md", ".md", "text/markdown", reader=_text_reader("md"), also_reads=(".markdown",)))
register(Format("html", ".html", "text/html", reader=_text_reader("html"), also_reads=(".htm",)))
register(
    Format(
        "docx",
        ".docx",
        "",  # given by the writer's registration (publish)
        binary=True,
        reader=lambda data, name, label: read_docx(data, name=name, label=label),
    )
)


def rule_target(text: str) -> str:
    """The fixed English of a ``rule`` span (a byline label or a house-style phrase)."""
    key = " ".join(text.lower().split())
    if key in RULE_PHRASES:
        return RULE_PHRASES[key]
    label = key.rstrip(":").strip()
    if label in BYLINE_LABELS:
        return BYLINE_LABELS[label] + ":"
    raise KeyError(text)


# --- block extraction -----------------------------------------------------------------------


@dataclass
class _Raw:
    text: str
    kind: str = "paragraph"
    level: int = 0
    marker: str = ""
    fixed: bool = False  # kind decided by the markup; house-style rules do not override it
    inline: tuple[Inline, ...] = ()


def _clean_blocks(raw: list[_Raw]) -> tuple[list[_Raw], Cleaning]:
    """Each block's text through ``clean_source``, its inline spans moved with it."""
    total = Cleaning()
    for r in raw:
        r.text, r.inline, cleaning = _clean_block(r.text, r.inline)
        total += cleaning
    return raw, total


def _clean_block(text: str, inline: tuple[Inline, ...]) -> tuple[str, tuple[Inline, ...], Cleaning]:
    """``clean_source`` of a block; the text between markup boundaries is cleaned piece by
    piece, so every span keeps its words. Should the pieces not join into clean text (an
    NFC composition across a boundary), the block is cleaned whole and loses its markup."""
    bounds = {0, len(text), *(i.start for i in inline), *(i.end for i in inline)}
    cuts = sorted(c for c in bounds if 0 <= c <= len(text))
    pairs = list(itertools.pairwise(cuts))
    parts = [clean_source_report(text[a:b]) for a, b in pairs]
    if all(piece == text[a:b] for (piece, _), (a, b) in zip(parts, pairs, strict=True)):
        return text, inline, Cleaning()  # already clean: the usual case
    cleaning = sum((c for _, c in parts), Cleaning())
    where = {0: 0}
    pos = 0
    for (piece, _), (_, end) in zip(parts, pairs, strict=True):
        pos += len(piece)
        where[end] = pos
    joined = "".join(piece for piece, _ in parts)
    if clean_source_report(joined)[0] != joined:
        whole, cleaning = clean_source_report(text)
        return whole.strip(), (), cleaning
    lead = len(joined) - len(joined.lstrip())
    stripped = joined.strip()
    moved = []
    for i in inline:
        start = min(max(0, where[i.start] - lead), len(stripped))
        end = min(max(0, where[i.end] - lead), len(stripped))
        if end > start:
            moved.append(Inline(start, end, i.kind, i.href))
    return stripped, tuple(moved), cleaning


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_text(
    children: list[Any], dropped: list[str] | None = None
) -> tuple[str, tuple[Inline, ...]]:
    """Plain text of markdown-it inline tokens, and the links/emphasis over it. Raw inline HTML
    tags are left out (their text is kept) and listed in ``dropped``; ``<br>`` is a line break.
    """
    parts: list[str] = []
    spans: list[Inline] = []
    stack: list[tuple[str, int, str]] = []
    pos = 0
    for tok in children:
        piece = ""
        if tok.type == "text":
            piece = tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            piece = " " if tok.type == "softbreak" else "\n"
        elif tok.type == "code_inline":
            piece = tok.content
            spans.append(Inline(pos, pos + len(piece), "code"))
        elif tok.type == "image":
            piece = tok.content  # the alt text: prose worth translating
        elif tok.type in ("link_open", "em_open", "strong_open"):
            href = str(tok.attrGet("href") or "") if tok.type == "link_open" else ""
            stack.append((tok.type.split("_")[0], pos, href))
        elif tok.type in ("link_close", "em_close", "strong_close") and stack:
            kind, start, href = stack.pop()
            if pos > start:
                spans.append(Inline(start, pos, cast(InlineKind, kind), href))
        elif tok.type == "html_inline":
            # Raw inline HTML is not carried over: it is markup from the source site, not prose
            # (the reader's notes list it). A <br> keeps the words apart.
            if _BR.fullmatch(tok.content.strip()):
                piece = "\n"
            elif dropped is not None:
                dropped.append(tok.content)
        parts.append(piece)
        pos += len(piece)
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    moved = []
    for s in spans:
        start, end = max(0, s.start - lead), min(len(stripped), s.end - lead)
        if end > start:
            moved.append(Inline(start, end, s.kind, s.href))
    return stripped, tuple(sorted(moved, key=lambda s: (s.start, -s.end)))


def _text_blocks(text: str) -> list[_Raw]:
    """Paragraphs of plain text: blank lines separate them, and so do single newlines (as in
    articles pasted from news sites), except inside hard-wrapped paragraphs."""
    blocks: list[_Raw] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        wrapped = _hard_wrapped(lines)
        current = lines[0]
        for line in lines[1:]:
            if not _LIST_MARKER.match(line) and (wrapped or _continues(current, line)):
                current += "\n" + line
            else:
                blocks.append(_Raw(current))
                current = line
        blocks.append(_Raw(current))
    for b in blocks:
        m = _LIST_MARKER.match(b.text)
        if m:
            b.kind, b.marker, b.text = "list_item", m["marker"], b.text[m.end() :]
    return blocks


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a chunk of lines is one paragraph wrapped at a fixed width (e.g. 72 columns)."""
    body = lines[:-1]
    if not body or any(not 40 <= len(ln) <= 100 for ln in body) or len(lines[-1]) > 100:
        return False
    open_ended = sum(1 for ln in body if not _TERMINAL.search(ln))
    return open_ended * 2 >= len(body)


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` goes on with the sentence that ``previous`` left open."""
    return not _TERMINAL.search(previous) and (line[0].islower() or line[0].isdigit())


def _markdown_blocks(text: str, dropped: list[str] | None = None) -> list[_Raw]:
    """Blocks of a Markdown article; raw inline HTML tags left out are added to ``dropped``."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    lines = text.split("\n")
    blocks: list[_Raw] = []
    context: list[tuple[str, str]] = []  # open containers: (kind, marker)
    pending_marker = ""
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            context.append(("list", ""))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            context.pop()
        elif tok.type == "list_item_open":
            pending_marker = f"{tok.info}{tok.markup}" if tok.info else tok.markup
        elif tok.type == "blockquote_open":
            context.append(("quote", ""))
        elif tok.type == "blockquote_close":
            context.pop()
        elif tok.type == "heading_open":
            inline = tokens[i + 1]
            level = int(tok.tag[1:])
            text, spans = _inline_text(inline.children or [], dropped)
            blocks.append(_Raw(text, "heading", level=level, fixed=True, inline=spans))
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            text, spans = _inline_text(inline.children or [], dropped)
            kinds = [k for k, _ in context]
            if "list" in kinds and pending_marker:
                depth = kinds.count("list") - 1
                blocks.append(_Raw(text, "list_item", depth, pending_marker, True, spans))
                pending_marker = ""
            elif "quote" in kinds:
                blocks.append(_Raw(text, "quote", fixed=True, inline=spans))
            else:
                blocks.append(_Raw(text, inline=spans))
        elif tok.type in ("fence", "code_block", "html_block", "hr") and tok.map:
            # Code, raw HTML and rules are structure, not prose: carried over verbatim.
            start, end = tok.map
            raw = "\n".join(lines[start:end]).strip()
            if raw:
                blocks.append(_Raw(raw, "other", marker=tok.type, fixed=True))
        elif tok.type == "table_open" and tok.map:
            start, end = tok.map
            blocks.append(
                _Raw("\n".join(lines[start:end]).strip(), "other", marker="table", fixed=True)
            )
    # The first level-1 heading of a Markdown article is its title.
    for b in blocks:
        if b.kind == "heading" and b.level == 1:
            b.kind = "title"
            break
    return blocks


# --- classification and spans ---------------------------------------------------------------


def _classify(raw: list[_Raw]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    previous_kind = ""
    previous_text = ""
    seen_prose = False
    for index, r in enumerate(raw):
        text = r.text.strip()
        if not text:
            continue
        kind, spans = _rules(r, text, index, previous_kind, previous_text, seen_prose)
        if kind == "paragraph":
            seen_prose = True
        inline = r.inline if text == r.text else ()
        # The readers' kinds are str until they are typed; each is one of KINDS.
        blocks.append(
            Block(f"p{len(blocks)}", cast(Kind, kind), text, spans, r.level, r.marker, inline)
        )
        previous_kind, previous_text = kind, text
    return tuple(blocks)


def _rules(
    r: _Raw, text: str, index: int, previous_kind: str, previous_text: str, seen_prose: bool
) -> tuple[str, tuple[Span, ...]]:
    whole_copy = (Span(0, len(text), "copy"),)
    if r.kind == "other":
        return "other", whole_copy
    if _URL.match(text) or _EMAIL.match(text):
        return ("other" if not r.fixed else r.kind), whole_copy
    if r.fixed:
        return r.kind, _sentence_spans(text)
    if _CREDIT.match(text) or _COPYRIGHT.match(text):
        return "credit", whole_copy
    lowered = text.lower()
    if lowered in RULE_PHRASES:
        return "byline" if "oleh" in lowered else "other", (Span(0, len(text), "rule"),)
    m = _BYLINE.match(text)
    if m and "\n" not in text and len(m["name"]) <= 80:
        return "byline", (
            Span(0, m.end("head"), "rule"),
            Span(m.start("name"), len(text), "copy"),
        )
    if previous_kind == "byline" and previous_text.endswith(":") and _is_name(text):
        return "byline", whole_copy
    m = _READ_ALSO.match(text)
    if m:
        rest = _sentence_spans(text[m.start("rest") :], offset=m.start("rest"))
        return "other", (Span(0, m.end("label"), "rule"), *rest)
    if r.kind == "list_item":
        return "list_item", _sentence_spans(text)
    if _CAPTION_CREDIT.search(text) or _CAPTION_START.match(text):
        return "caption", _sentence_spans(text)
    if index == 0 and _is_title(text):
        return "title", _sentence_spans(text)
    if not seen_prose:
        m = _DATELINE.match(text)
        if m:
            dateline = Span(0, m.end("dl"), "copy")
            after = text[m.end("dl") :]
            offset = m.end("dl") + len(after) - len(after.lstrip())
            return "paragraph", (dateline, *_sentence_spans(text[offset:], offset=offset))
    return "paragraph", _sentence_spans(text)


def _is_name(text: str) -> bool:
    """A bare author name: 1–5 capitalised words, no sentence punctuation."""
    words = text.split()
    return (
        0 < len(words) <= 5
        and "\n" not in text
        and not re.search(r"[.!?:;,]$", text)
        and all(w[0].isupper() for w in words if w[0].isalpha())
    )


def _is_title(text: str) -> bool:
    return "\n" not in text and len(text.split()) <= 25 and not re.search(r"[.!?:]$", text)


def _sentence_spans(text: str, offset: int = 0) -> tuple[Span, ...]:
    spans = []
    for start, end in split_sentences(text):
        piece = text[start:end]
        carried = _CREDIT.match(piece) or _URL.match(piece) or _EMAIL.match(piece)
        mode: Mode = "copy" if carried else "translate"
        spans.append(Span(start + offset, end + offset, mode))
    return tuple(spans)
