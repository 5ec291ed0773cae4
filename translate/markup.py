"""Reading HTML and DOCX articles into raw blocks: structure, plain text and inline markup.

Both readers are bounded and offline: HTML is parsed by lxml with no network access and no
huge-tree mode, after a size check; a DOCX is a zip file, so its entries are checked (count,
uncompressed size, compression ratio) before python-docx opens it — a zip bomb gets a clear
error instead of filling memory. Scripts, styles, navigation and comments are never read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from .document import Inline
from .errors import InputError

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
        return stripped, tuple(sorted(spans, key=lambda s: (s.start, -s.end)))


# --- HTML -------------------------------------------------------------------------------------


def html_blocks(text: str) -> list[RawBlock]:
    """The article body of an HTML page as blocks (headings, paragraphs, list items, quotes,
    figure captions), with links and emphasis."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(text or "<html></html>", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"the HTML cannot be parsed ({exc})") from None
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root
    for path in (".//article", ".//main", ".//body"):
        found = root.find(path)
        if found is not None:
            body = found
            break
    blocks: list[RawBlock] = []
    seen_h1 = False
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag not in _BLOCK_TAGS or _has_block_inside(el):
            continue
        b = _Builder()
        if tag == "pre":
            b.add(el.text_content(), collapse=False)
        else:
            _walk(el, b, top=True)
        content, spans = b.result()
        if not content:
            continue
        if tag == "h1" and not seen_h1:
            seen_h1 = True
            blocks.append(RawBlock(content, "title", 1, fixed=True, inline=spans))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            blocks.append(RawBlock(content, "heading", int(tag[1]), fixed=True, inline=spans))
        elif tag == "li" or (
            tag == "p" and el.getparent() is not None and el.getparent().tag == "li"
        ):
            item = el if tag == "li" else el.getparent()
            parent = item.getparent()
            ordered = parent is not None and parent.tag == "ol"
            marker = f"{_position(item)}." if ordered else "-"
            blocks.append(RawBlock(content, "list_item", _depth(item), marker, True, spans))
        elif tag == "pre":
            blocks.append(RawBlock(content, "other", marker="fence", fixed=True))
        elif tag in ("figcaption", "caption"):
            blocks.append(RawBlock(content, "caption", fixed=True, inline=spans))
        elif tag == "blockquote" or _inside(el, "blockquote"):
            blocks.append(RawBlock(content, "quote", fixed=True, inline=spans))
        else:
            blocks.append(RawBlock(content, inline=spans))
    return blocks


def _has_block_inside(el: Any) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants())


def _inside(el: Any, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())


def _depth(el: Any) -> int:
    return max(0, sum(1 for a in el.iterancestors() if a.tag in ("ul", "ol")) - 1)


def _position(el: Any) -> int:
    parent = el.getparent()
    items = [c for c in parent if c.tag == "li"] if parent is not None else [el]
    start = parent.get("start") if parent is not None else None
    first = int(start) if start and start.isdigit() else 1
    return first + items.index(el)


def _walk(el: Any, b: _Builder, top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    start = b.length
    if tag == "br":
        b.add("\n", collapse=False)
    elif el.text:
        b.add(el.text)
    if tag != "br":
        for child in el:
            _walk(child, b)
    if not top:
        kind = "link" if tag == "a" and el.get("href") else _INLINE_KIND.get(tag)
        if kind is not None and b.length > start:
            b.spans.append(
                Inline(start, b.length, kind, el.get("href", "") if kind == "link" else "")
            )
        if el.tail:
            b.add(el.tail)


# --- DOCX -------------------------------------------------------------------------------------


def docx_blocks(data: bytes, name: str = "document") -> list[RawBlock]:
    """Paragraphs, headings and lists (by style) and table cells of a Word document."""
    _check_zip(data, name)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
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
            kind = "strong" if item.bold else "em" if item.italic else None
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


def _check_zip(data: bytes, name: str) -> None:
    """Refuse a DOCX whose zip entries would expand beyond the bounds (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a .docx file (it is not a zip package)") from None
    if len(entries) > MAX_DOCX_ENTRIES:
        raise InputError(f"{name}: {len(entries)} entries in the package; refused as unsafe")
    total = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO:
        raise InputError(
            f"{name}: expands to {total / 1e6:.0f} MB ({total / packed:.0f}× its size); "
            "refused as a possible zip bomb"
        )
