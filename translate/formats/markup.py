"""Reading HTML and DOCX articles into raw blocks: structure, plain text and inline markup.

Both readers are bounded and offline. HTML is parsed by lxml with no network access, after a
size check, in huge-tree mode (no text node is cut off, nesting up to 2048 levels); what libxml2
still cannot reach is an error, never a shorter document. A DOCX is a zip file: its declared
sizes are checked (entries, uncompressed size, compression ratio), then every member is
inflated under a running cap (its declared size) and python-docx opens the rebuilt package — a
zip bomb, also one whose directory lies, gets a clear error instead of filling memory. Scripts,
styles, navigation and comments are never read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from translate.document import Inline, InlineKind
from translate.errors import InputError

# DOCX bounds: a news article is a few hundred kB; these leave a wide margin.
MAX_DOCX_ENTRIES = 2_000
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200

_BLOCK_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "pre",
    "dd", "dt", "td", "th", "caption",
}  # fmt: skip
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "form", "nav", "header", "footer", "aside", "button", "select", "textarea", "head",
)  # fmt: skip
_INLINE_KIND = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


@dataclass
class RawBlock:
    """A block as a reader found it, before house-style classification."""

    text: str
    kind: str = "paragraph"
    level: int = 0
    marker: str = ""
    fixed: bool = False
    inline: tuple[Inline, ...] = ()


class _Builder:
    """Accumulates text and inline spans, collapsing HTML white space as a browser does."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Inline] = []

    def add(self, text: str, collapse: bool = True) -> None:
        if collapse:
            text = _SPACE.sub(" ", text)
            if text.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\n"))):
                text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def result(self) -> tuple[str, tuple[Inline, ...]]:
        text = "".join(self.parts)
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        spans = []
        for s in self.spans:
            start, end = max(0, s.start - lead), min(len(stripped), s.end - lead)
            if end > start:
                spans.append(Inline(start, end, s.kind, s.href))
        # <em><em>x</em></em> is one emphasis: the same mark twice is kept once.
        return stripped, tuple(sorted(dict.fromkeys(spans), key=lambda s: (s.start, -s.end)))


# --- HTML -------------------------------------------------------------------------------------

# Elements that start and end a block. Text and inline elements between them — inside a <div>,
# <section>, <td>, directly in <body>, or around a nested list — become blocks of their own, as a
# browser lays them out: nothing of the article body's text is left out.
_BREAKS = _BLOCK_TAGS | {
    "address", "article", "body", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figure", "hgroup", "hr", "html", "legend", "listing", "main", "menu", "ol", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "xmp", "plaintext",
}  # fmt: skip
# Elements whose kind a block inside them takes (the innermost one wins).
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_KIND_TAGS = {*_HEADINGS, "li", "pre", "figcaption", "caption", "blockquote"}
# List numbering: ASCII digits only ("²" is a digit to str.isdigit, not to int()).
_NUMBER = re.compile(r"\s*([+-]?[0-9]{1,9})\s*")


def html_blocks(text: str) -> list[RawBlock]:
    """The article body of an HTML page as blocks (headings, paragraphs, list items, quotes,
    figure captions, and text outside any of them), with links and emphasis.

    lxml's ``huge_tree`` lifts libxml2's text-node limit (the file is at most 20 MB already) and
    its depth limit from 256 to 2048; text nested deeper than that cannot be parsed, and is an
    ``InputError`` rather than a shorter document. The tree is walked without recursion.
    """
    import lxml.html
    from lxml import etree

    # Bytes with the encoding fixed: the text is decoded already, and lxml refuses a str that
    # starts with an XML declaration naming an encoding (XHTML files do).
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True, encoding="utf-8"
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except etree.ParserError as exc:
        if "empty" in str(exc).lower():
            return []  # nothing but markup without text, comments or white space
        raise InputError(f"the HTML cannot be parsed ({exc})") from None
    except ValueError as exc:
        raise InputError(f"the HTML cannot be parsed ({exc})") from None
    _check_complete(parser.error_log)
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root
    for path in (".//article", ".//main", ".//body"):
        found = root.find(path)
        if found is not None:
            body = found
            break
    return _HtmlWalk().run(body)


def _check_complete(log: Any) -> None:
    """libxml2 stops at a resource limit and returns what it has: refuse that, never a shorter
    document."""
    for entry in log:
        if entry.level_name != "FATAL":
            continue
        message = entry.message.strip()
        if "depth" in message.lower():
            raise InputError(
                f"the HTML is nested deeper than 2048 elements (line {entry.line}); the text "
                "after that point cannot be read: remove the nesting, or save the article as "
                ".txt, and try again"
            )
        raise InputError(
            f"the HTML cannot be read completely (line {entry.line}: {message}); "
            "save the article as .txt and try again"
        )


class _HtmlWalk:
    """One pass over the body in document order (``etree.iterwalk``: no recursion), building
    a block from the text between block boundaries."""

    def __init__(self) -> None:
        self.blocks: list[RawBlock] = []
        self.builder = _Builder()
        self.context: list[Any] = []  # open elements of _KIND_TAGS, innermost last
        self.marks: list[list[Any]] = []  # open inline marks: [element, kind, href, start]
        self.numbers: dict[Any, int] = {}  # <ol> → the number its next item gets
        self.items: dict[Any, int] = {}  # <li> → its number (asked once per block of the item)
        self.preformatted = 0
        self.seen_title = False

    def run(self, body: Any) -> list[RawBlock]:
        from lxml import etree

        for event, el in etree.iterwalk(body, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            if event == "start":
                self.start(el, tag)
            else:
                self.end(el, tag)
                if el is not body and el.tail:
                    self.add(el.tail)
        return self.blocks

    def add(self, text: str) -> None:
        self.builder.add(text, collapse=not self.preformatted)

    def start(self, el: Any, tag: str) -> None:
        if tag in _BREAKS:
            self.flush()
            if tag in _KIND_TAGS:
                self.context.append(el)
            if tag == "pre":
                self.preformatted += 1
            if tag == "ol":
                self.numbers[el] = _number(el.get("start"), 1)
        elif tag == "br":
            self.builder.add("\n", collapse=False)
        else:
            kind = "link" if tag == "a" and el.get("href") else _INLINE_KIND.get(tag)
            if kind is not None:
                href = el.get("href", "") if kind == "link" else ""
                self.marks.append([el, kind, href, self.builder.length])
        if el.text and tag != "br":
            self.add(el.text)

    def end(self, el: Any, tag: str) -> None:
        if tag in _BREAKS:
            self.flush()
            if self.context and self.context[-1] is el:
                self.context.pop()
            if tag == "pre":
                self.preformatted -= 1
            self.numbers.pop(el, None)
        elif self.marks and self.marks[-1][0] is el:
            _, kind, href, start = self.marks.pop()
            if self.builder.length > start:
                self.builder.spans.append(Inline(start, self.builder.length, kind, href))

    def flush(self) -> None:
        """End the block being built (if it has text); open marks go on in the next one."""
        b = self.builder
        for mark in self.marks:
            if b.length > mark[3]:
                b.spans.append(Inline(mark[3], b.length, mark[1], mark[2]))
            mark[3] = 0
        self.builder = _Builder()
        content, spans = b.result()
        if content:
            self.blocks.append(self.block(content, spans))

    def block(self, content: str, spans: tuple[Inline, ...]) -> RawBlock:
        kind_el = self.context[-1] if self.context else None
        tag = kind_el.tag if kind_el is not None else ""
        if tag == "h1" and not self.seen_title:
            self.seen_title = True
            return RawBlock(content, "title", 1, fixed=True, inline=spans)
        if tag in _HEADINGS:
            return RawBlock(content, "heading", int(tag[1]), fixed=True, inline=spans)
        if tag == "li":
            marker = self.marker(kind_el)
            return RawBlock(content, "list_item", _depth(kind_el), marker, True, spans)
        if tag == "pre":
            return RawBlock(content, "other", marker="fence", fixed=True)
        if tag in ("figcaption", "caption"):
            return RawBlock(content, "caption", fixed=True, inline=spans)
        if tag == "blockquote":
            return RawBlock(content, "quote", fixed=True, inline=spans)
        return RawBlock(content, inline=spans)

    def marker(self, item: Any) -> str:
        """``-``, or the item's number in its ``<ol>`` (``start``, ``value``; invalid ignored).
        Every block of one item (text around a nested list) has the item's marker."""
        parent = item.getparent()
        if parent is None or parent.tag != "ol":
            return "-"
        number = self.items.get(item)
        if number is None:
            number = _number(item.get("value"), self.numbers.get(parent, 1))
            self.numbers[parent] = number + 1
            self.items[item] = number
        return f"{number}."


def _number(value: str | None, default: int) -> int:
    """An HTML list number (``start``, ``value``), or ``default`` when it is not one."""
    m = _NUMBER.fullmatch(value) if value else None
    return int(m[1]) if m else default


def _depth(el: Any) -> int:
    return max(0, sum(1 for a in el.iterancestors() if a.tag in ("ul", "ol")) - 1)


# --- DOCX -------------------------------------------------------------------------------------


def docx_blocks(data: bytes, name: str = "document") -> list[RawBlock]:
    """Paragraphs, headings and lists (by style) and table cells of a Word document."""
    package = _read_package(data, name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(package))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise InputError(f"{name}: not a readable .docx file ({type(exc).__name__})") from None
    blocks: list[RawBlock] = []
    numbered = 0
    for child in document.element.body.iterchildren():
        local = child.tag.rsplit("}", 1)[-1]
        if local == "p":
            block = _docx_paragraph(Paragraph(child, document), numbered)
            if block is not None:
                numbered = numbered + 1 if block.marker[:1].isdigit() else 0
                blocks.append(block)
        elif local == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        block = _docx_paragraph(para, 0)
                        if block is not None:
                            blocks.append(block)
    if not any(b.kind == "title" for b in blocks):
        for b in blocks:
            if b.kind == "heading" and b.level == 2:  # "Heading 1" opens the article
                b.kind, b.level = "title", 1
                break
    return blocks


def _docx_paragraph(para: Any, numbered: int) -> RawBlock | None:
    from docx.text.hyperlink import Hyperlink

    b = _Builder()
    for item in para.iter_inner_content():
        start = b.length
        if isinstance(item, Hyperlink):
            b.add(item.text, collapse=False)
            if b.length > start and item.url:
                b.spans.append(Inline(start, b.length, "link", item.url))
            continue
        b.add(item.text, collapse=False)
        if b.length > start:
            kind: InlineKind | None = "strong" if item.bold else "em" if item.italic else None
            if kind is not None:
                _extend_or_add(b.spans, Inline(start, b.length, kind))
    text, spans = b.result()
    if not text:
        return None
    style = (para.style.name if para.style is not None else "") or ""
    lower = style.lower()
    if lower == "title":
        return RawBlock(text, "title", 1, fixed=True, inline=spans)
    if lower.startswith("heading"):
        digits = re.findall(r"\d+", style)
        level = int(digits[0]) + 1 if digits else 2
        return RawBlock(text, "heading", min(level, 6), fixed=True, inline=spans)
    if lower.startswith("list number"):
        return RawBlock(text, "list_item", 0, f"{numbered + 1}.", True, spans)
    if lower.startswith(("list bullet", "list paragraph")):
        return RawBlock(text, "list_item", 0, "-", True, spans)
    if "quote" in lower:
        return RawBlock(text, "quote", fixed=True, inline=spans)
    if lower == "caption":
        return RawBlock(text, "caption", fixed=True, inline=spans)
    return RawBlock(text, inline=spans)


def _extend_or_add(spans: list[Inline], new: Inline) -> None:
    """Word splits formatted text into many runs: join adjacent runs of the same kind."""
    if spans and spans[-1].kind == new.kind and spans[-1].end == new.start:
        spans[-1] = Inline(spans[-1].start, new.end, new.kind)
    else:
        spans.append(new)


def _read_package(data: bytes, name: str) -> bytes:
    """The DOCX package rebuilt from members decompressed under a running cap.

    The central directory's sizes are only claims: a zip can declare 1 kB for a member that
    inflates to gigabytes (zipfile's ``read()`` then inflates up to 1 GB at once before it
    notices). So the declared sizes are checked first (entries, total, ratio), then every member
    is inflated in 64 kB steps, never past the size it declared; a member that holds more, less,
    or other bytes than declared is refused. python-docx opens the rebuilt package (stored, its
    sizes now true).
    """
    entries = _check_zip(data, name)
    members: list[tuple[zipfile.ZipInfo, bytes]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in entries:
            if info.is_dir():
                continue
            members.append((info, _inflate(data, archive, info, name)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        for info, content in members:
            rebuilt.writestr(zipfile.ZipInfo(info.filename), content)  # dates: not needed
    return out.getvalue()


_STEP = 64 * 1024


def _inflate(data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes, inflated step by step and stopped as soon as it exceeds its size."""
    import zlib

    member = f"{name}: {info.filename}"
    if info.flag_bits & 0x1:
        raise InputError(f"{member} is encrypted; a .docx article cannot be")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(f"{member} uses zip method {info.compress_type}; Word writes deflate")
    start = _data_offset(data, info, member)
    packed = memoryview(data)[start : start + info.compress_size]
    if len(packed) < info.compress_size:
        raise InputError(f"{member} is cut short: the file is truncated or not a .docx")
    limit = info.file_size
    parts: list[bytes] = []
    size = 0
    if info.compress_type == zipfile.ZIP_STORED:
        parts.append(bytes(packed))
        size = len(packed)
        complete = True
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            for pos in range(0, len(packed), _STEP):
                chunk = bytes(packed[pos : pos + _STEP])
                while chunk and not inflater.eof:
                    # At most one byte past the declared size: enough to know it lies.
                    out = inflater.decompress(chunk, limit - size + 1)
                    chunk = inflater.unconsumed_tail
                    size += len(out)
                    if size > limit:
                        raise InputError(
                            f"{member} inflates to more than its declared {limit} bytes; "
                            "refused as a possible zip bomb"
                        )
                    parts.append(out)
                if inflater.eof:
                    break
        except zlib.error:
            raise InputError(f"{member} is corrupt (bad deflate data)") from None
        complete = inflater.eof
    content = b"".join(parts)
    if not complete or size != limit or zlib.crc32(content) != info.CRC:
        raise InputError(f"{member} does not match its declared size and checksum; corrupt")
    return content


def _data_offset(data: bytes, info: zipfile.ZipInfo, member: str) -> int:
    """Where a member's compressed bytes start: after its local header (name and extra field
    lengths are the local header's own, which may differ from the central directory's)."""
    import struct

    header = data[info.header_offset : info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise InputError(f"{member}: no local header where the directory says; corrupt")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return int(info.header_offset) + 30 + int(name_length) + int(extra_length)


def _check_zip(data: bytes, name: str) -> list[zipfile.ZipInfo]:
    """The zip's entries, or an ``InputError`` when their declared sizes are beyond the bounds
    (a zip bomb that says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a .docx file (it is not a zip package)") from None
    except NotImplementedError as exc:
        # zipfile refuses a directory entry that claims a zip version it cannot extract.
        raise InputError(f"{name}: not a readable .docx package ({exc}); corrupt") from None
    if len(entries) > MAX_DOCX_ENTRIES:
        raise InputError(f"{name}: {len(entries)} entries in the package; refused as unsafe")
    total = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO:
        raise InputError(
            f"{name}: expands to {total / 1e6:.0f} MB ({total / packed:.0f}× its size); "
            "refused as a possible zip bomb"
        )
    return entries
