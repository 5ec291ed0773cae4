"""Publishing formats: English HTML, bilingual HTML and DOCX, with structure and inline markup.

Everything that comes from an article is escaped: text with ``html.escape``, links only when
their scheme is http, https or mailto (or a relative path). A ``javascript:`` link keeps its
words and loses the link. So hostile input (``<script>``, ``onerror=``, ``]]>``) comes out inert
and intact.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from translate.document import Inline, Paragraph, TranslatedDocument
from translate.errors import OutputError

SAFE_SCHEMES = ("http", "https", "mailto", "")


def safe_href(href: str) -> str | None:
    """The link target if it is safe to publish, else ``None``."""
    href = href.strip()
    if not href or any(ord(c) < 32 for c in href):
        return None
    scheme = urlparse(href).scheme.lower()
    return href if scheme in SAFE_SCHEMES else None


def pieces(text: str, marks: Sequence[Inline]) -> list[tuple[str, Inline | None]]:
    """``text`` cut at its markup: (piece, the mark over it or None), in order.

    Overlapping or nested marks keep the first one that starts; the others are dropped from
    the markup (never from the text).
    """
    out: list[tuple[str, Inline | None]] = []
    pos = 0
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.start < pos or mark.end > len(text) or mark.end <= mark.start:
            continue
        if mark.start > pos:
            out.append((text[pos : mark.start], None))
        out.append((text[mark.start : mark.end], mark))
        pos = mark.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def inline_html(text: str, marks: Sequence[Inline]) -> str:
    """Text as HTML with its links and emphasis; everything escaped."""
    out = []
    for piece, mark in pieces(text, marks):
        body = html.escape(piece).replace("\n", "<br>")
        if mark is None:
            out.append(body)
        elif mark.kind == "link":
            href = safe_href(mark.href)
            out.append(
                f'<a href="{html.escape(href, quote=True)}">{body}</a>'
                if href is not None
                else body
            )
        else:
            tag = {"em": "em", "strong": "strong", "code": "code"}.get(mark.kind, "span")
            out.append(f"<{tag}>{body}</{tag}>")
    return "".join(out)


def inline_markdown(text: str, marks: Sequence[Inline]) -> str:
    """Text as CommonMark with its links, emphasis and code; a renderer shows exactly ``text``.

    Everything that could be markup is escaped (``escape_markdown``, decided on the whole text
    so that nothing forms across the marks), code spans get a fence longer than any backtick
    run inside, links keep only safe targets, and markup that CommonMark would not honour
    (emphasis failing its flanking rules, two code spans or emphases touching) is left out;
    the words always stay.
    """
    text = _LINE_ENDS.sub("\n", text)
    chars = _escaped_chars(text)
    out: list[str] = []
    previous: str | None = None  # the kind of markup the output ends with
    for start, end, mark in _cuts(text, marks):
        body = "".join(chars[start:end])
        kind = mark.kind if mark is not None else None
        rendered: str | None = None
        if mark is None or not body.strip():
            pass
        elif kind == "link":
            href = safe_href(mark.href)
            if href is not None:
                rendered = f"[{body}](<{_link_destination(href)}>)"
                if out and out[-1].endswith("!") and chars[start - 1] == "!":
                    out[-1] = out[-1][:-1] + "\\!"  # "![" would make the link an image
        elif kind == "code":
            if previous != "code":
                rendered = _code_span(text[start:end])
        elif previous not in ("em", "strong"):
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            trail = len(text[start:end]) - len(text[start:end].rstrip())
            inner = "".join(chars[start + lead : end - trail])
            # The characters around the delimiters as they will be written (markup that
            # follows is punctuation; a letter here is the stricter assumption).
            before = ("".join(out) + "".join(chars[start : start + lead]))[-1:]
            after = ("".join(chars[end - trail : end]) + "".join(chars[end : end + 8]))[:1]
            if inner and _flanking(before, inner, after):
                wrap = "**" if kind == "strong" else "*"
                rendered = (
                    "".join(chars[start : start + lead])
                    + f"{wrap}{inner}{wrap}"
                    + "".join(chars[end - trail : end])
                )
        out.append(body if rendered is None else rendered)
        previous = kind if rendered is not None else None
    return "".join(out)


def _cuts(text: str, marks: Sequence[Inline]) -> list[tuple[int, int, Inline | None]]:
    """``pieces`` as offsets: (start, end, mark or None)."""
    out, pos = [], 0
    for piece, mark in pieces(text, marks):
        out.append((pos, pos + len(piece), mark))
        pos += len(piece)
    return out


def escape_markdown(text: str) -> str:
    """``text`` as CommonMark that renders as exactly this text (white space aside).

    Escapes `` \\ ` * [ ] < ~ | `` everywhere, ``_`` except inside a word, ``&`` where it would
    start an entity, ``!`` before ``[``, and at the start of each line whatever would make it a
    heading, list item, quote or rule. Leading and trailing spaces of lines (indented code,
    hard breaks) and blank lines (a new paragraph) are dropped: Markdown cannot keep them.
    """
    return "".join(_escaped_chars(_LINE_ENDS.sub("\n", text)))


_LINE_ENDS = re.compile(r"\r\n?")


def _escaped_chars(text: str) -> list[str]:
    """What each character of ``text`` becomes in Markdown (one string per character)."""
    out = list(text)
    entities = {m.start() for m in _ENTITY.finditer(text)}
    for i, ch in enumerate(text):
        if ch in _ALWAYS:
            out[i] = "\\" + ch
        elif ch == "_":
            inside = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            out[i] = ch if inside else "\\_"
        elif ch == "&" and i in entities:
            out[i] = "\\&"
        elif ch == "!" and text[i + 1 : i + 2] == "[":
            out[i] = "\\!"
    pos = 0
    emitted = False  # whether a line with content came before (a line break is needed)
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        first = start + len(line) - len(line.lstrip())
        last = end - (len(line) - len(line.rstrip()))
        for i in [*range(start, first), *range(last, end)]:
            out[i] = ""  # edge white space of a line: Markdown would read it as markup
        if first < last:
            match = _LINE_START.match(text, first, last)
            if match is not None:
                at = match.end() if match.group().isdigit() else first
                out[at] = "\\" + text[at]
            closing = _CLOSING_HASHES.search(text, first, last)
            if closing is not None:  # "Title #" would lose its "#" in a heading
                out[closing.start(1)] = "\\#"
            if emitted and start > 0:
                out[start - 1] = "\n"
            emitted = True
        if end < len(text):
            out[end] = ""  # the line break itself: kept only before a line with content
        pos = end + 1
    # White space at the very edges separates the text from what the writer puts around it.
    if text[:1].isspace() and any(out):
        out[0] = " "
    if text[-1:].isspace() and any(out[:-1]):
        out[-1] = " "
    return out


_VERBATIM_TOKENS = {
    "fence": {"fence"},
    "code_block": {"code_block"},
    "hr": {"hr"},
    "table": {
        "table_open", "table_close", "thead_open", "thead_close", "tbody_open", "tbody_close",
        "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close", "inline", "text",
        "softbreak", "em_open", "em_close", "strong_open", "strong_close", "code_inline",
        "s_open", "s_close",
    },
}  # fmt: skip


def inert_markdown(block: str, marker: str) -> bool:
    """Whether a block carried over verbatim (``fence``, ``code_block``, ``hr``, ``table``)
    is still that one block and nothing else: no raw HTML, links or images (an edit or an
    import could have put them there)."""
    from markdown_it import MarkdownIt

    allowed = _VERBATIM_TOKENS.get(marker)
    if allowed is None:
        return False
    tokens = MarkdownIt("commonmark").enable("table").parse(block)
    blocks = [t for t in tokens if t.level == 0 and t.nesting >= 0]
    if len(blocks) != 1 or blocks[0].map != [0, len(block.rstrip("\n").split("\n"))]:
        return False
    every = [*tokens, *(c for t in tokens for c in (t.children or []))]
    return all(t.type in allowed for t in every)


# CommonMark: any ASCII punctuation character may be backslash-escaped.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters that are markup wherever they stand (or that a GFM renderer reads as markup).
_ALWAYS = frozenset("\\`*[]<~|")
_CLOSING_HASHES = re.compile(r"[ \t](#+)[ \t]*$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# What makes a line a block of its own: ATX heading, list item, quote, setext underline or
# thematic break, ordered list marker; matched on the line after leading spaces are dropped.
_LINE_START = re.compile(
    r"#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|>|=+[ \t]*$|-+[ \t]*$|[0-9]{1,9}(?=[.)])"
)


def _code_span(code: str) -> str:
    """A CommonMark code span showing ``code``: a fence longer than any backtick run inside,
    padded where the content starts or ends with a backtick or with spaces on both sides."""
    code = code.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = code[:1] == "`" or code[-1:] == "`" or (code[:1] == " " and code[-1:] == " ")
    return f"{fence} {code} {fence}" if pad else f"{fence}{code}{fence}"


def _link_destination(href: str) -> str:
    """A link target inside ``<…>``: what would end it or be decoded is percent-encoded, and
    ``&`` escaped so that no entity (``&#106;avascript:``) is decoded into the URL."""
    encoded = href.replace("%", "%25") if _BAD_PERCENT.search(href) else href
    for ch, code in (("<", "%3C"), (">", "%3E"), (" ", "%20"), ("\\", "%5C"), ("\n", "%0A")):
        encoded = encoded.replace(ch, code)
    return encoded.replace("&", "\\&")


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _flanking(before: str, inner: str, after: str) -> bool:
    """Whether ``*inner*`` between ``before`` and ``after`` is emphasis by CommonMark's rules
    (left-flanking opener, right-flanking closer)."""

    def punct(ch: str) -> bool:
        return ch in _ASCII_PUNCTUATION or (bool(ch) and unicodedata.category(ch)[0] in "PS")

    def space(ch: str) -> bool:
        return not ch or ch.isspace()

    first, last = inner[0], inner[-1]
    opens = not space(first) and (not punct(first) or space(before) or punct(before))
    closes = not space(last) and (not punct(last) or space(after) or punct(after))
    return opens and closes


# --- English HTML -----------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="generator" content="translate {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""

_CSS = """
body {font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto;
      padding: 0 1rem; line-height: 1.55; color: #111;}
.provenance {font-family: system-ui, sans-serif; font-size: .8rem; color: #555;
             border-bottom: 1px solid #ddd; padding-bottom: .6rem; margin-bottom: 1.2rem;}
.caption {font-style: italic; color: #444;} .byline, .credit {color: #555; font-size: .9rem;}
blockquote {border-left: 3px solid #ccc; margin-left: 0; padding-left: 1rem; color: #333;}
"""


def _title(document: TranslatedDocument) -> str:
    for p in document.paragraphs:
        if p.kind == "title" and p.target:
            return p.target
    return document.meta.name or "Article"


def provenance_line(document: TranslatedDocument) -> str:
    """One line: model, version, dates, glossary and review state (for HTML outputs)."""
    from translate.formats.writers import provenance

    info = provenance(document)
    parts = [
        f"Model {info['model']} ({info['backend']})",
        f"translate {info['version']}",
        f"translated {str(info['translated'] or '')[:10]}",
    ]
    if info["glossary_sha256"]:
        parts.append(f"glossary {str(info['glossary_sha256'])[:12]}")
    parts.append(str(info["workflow"]))
    approved = f"{info['approved']}/{info['paragraphs']} paragraphs approved"
    if info["approved_by"]:
        approved += " by " + ", ".join(info["approved_by"])
    parts.append(approved)
    parts.append(f"exported {datetime.now(timezone.utc).date().isoformat()}")
    return " · ".join(parts)


def _blocks(paragraphs: Sequence[Paragraph], render: Callable[[Paragraph], str], lang: str) -> str:
    """Paragraphs as HTML elements with their structure; consecutive list items in a list."""
    out: list[str] = []
    open_list = ""
    for p in paragraphs:
        body = render(p)
        if not body:
            continue
        if p.kind == "list_item":
            tag = "ol" if p.marker[:1].isdigit() else "ul"
            if open_list != tag:
                if open_list:
                    out.append(f"</{open_list}>")
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"<li>{body}</li>")
            continue
        if open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        if p.kind == "title":
            out.append(f"<h1>{body}</h1>")
        elif p.kind == "heading":
            level = min(max(p.level, 2), 6)
            out.append(f"<h{level}>{body}</h{level}>")
        elif p.kind == "quote":
            out.append(f"<blockquote><p>{body}</p></blockquote>")
        elif p.kind in ("caption", "byline", "credit"):
            out.append(f'<p class="{p.kind}">{body}</p>')
        else:
            out.append(f"<p>{body}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    del lang
    return "\n".join(out)


def to_html(document: TranslatedDocument) -> str:
    """A standalone English HTML page with the article's structure and inline markup."""
    body = _blocks(document.paragraphs, lambda p: inline_html(p.target, p.target_inline), "en")
    prov = f'<p class="provenance">{html.escape(provenance_line(document))}</p>'
    return _PAGE.format(
        lang="en",
        version=html.escape(document.meta.version),
        title=html.escape(_title(document)),
        css=_CSS,
        body=f"<article>\n{prov}\n{body}\n</article>",
    )


# --- bilingual HTML ---------------------------------------------------------------------------

_BILINGUAL_CSS = """
body {font-family: Georgia, 'Times New Roman', serif; margin: 1.5rem; color: #111;}
h1 {font-size: 1.3rem;} .provenance {font-family: system-ui, sans-serif; font-size: .8rem;
color: #555; margin-bottom: 1rem;}
table {border-collapse: collapse; width: 100%; table-layout: fixed;}
th {text-align: left; font-family: system-ui, sans-serif; font-size: .8rem; color: #555;
    border-bottom: 2px solid #999; padding: .3rem .5rem;}
td {vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid #ddd; line-height: 1.45;
    overflow-wrap: anywhere;}
th.id {width: 3.5rem;} td.id {font-family: monospace; font-size: .75rem; color: #888;}
tr.heading td, tr.title td {font-weight: bold;} .status {font-family: system-ui, sans-serif;
font-size: .7rem; color: #777;} mark.missed {background: #ffd6d6;}
@media print {body {margin: 0;} tr {page-break-inside: avoid;} a {color: inherit;}}
"""


def to_bilingual_html(document: TranslatedDocument) -> str:
    """A print-friendly page: Indonesian and English side by side, paragraph by paragraph,
    each side marked with its language, under a provenance line."""
    rows = []
    for p in document.paragraphs:
        status = p.status if p.translated else ""
        rows.append(
            f'<tr class="{html.escape(p.kind)}"><td class="id">{html.escape(p.id)}'
            f'<div class="status">{html.escape(status)}</div></td>'
            f'<td lang="id">{inline_html(p.source, p.inline)}</td>'
            f'<td lang="en">{inline_html(p.target, p.target_inline)}</td></tr>'
        )
    title = html.escape(_title(document))
    table = (
        '<table>\n<thead><tr><th class="id">¶</th><th lang="id">Indonesian</th>'
        '<th lang="en">English</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )
    body = (
        f"<h1>{title}</h1>\n"
        f'<p class="provenance">{html.escape(provenance_line(document))}</p>\n{table}'
    )
    return _PAGE.format(
        lang="en",
        version=html.escape(document.meta.version),
        title=title,
        css=_BILINGUAL_CSS,
        body=body,
    )


# --- DOCX -------------------------------------------------------------------------------------


def to_docx(document: TranslatedDocument) -> bytes:
    """A Word document with the English, headings and lists by style, links and emphasis."""
    import docx

    from translate.safexml import not_xml

    out = docx.Document()
    core = out.core_properties
    # Core properties hold at most 255 characters (python-docx raises beyond); the document
    # body keeps the whole title.
    core.title = _property(_title(document))
    core.comments = _property(provenance_line(document))
    core.author = "translate"
    for p in document.paragraphs:
        if not p.target:
            continue
        bad = not_xml(p.target)
        if bad:
            raise OutputError(
                f"{p.id}: the English holds {bad}, which a Word file cannot carry; remove it "
                "and export again"
            )
        if p.kind == "title":
            para = out.add_heading(level=0)
        elif p.kind == "heading":
            para = out.add_heading(level=min(max(p.level - 1, 1), 9))
        elif p.kind == "list_item":
            style = "List Number" if p.marker[:1].isdigit() else "List Bullet"
            para = out.add_paragraph(style=style)
        elif p.kind == "quote":
            para = out.add_paragraph(style="Quote")
        else:
            para = out.add_paragraph()
        for piece, mark in pieces(p.target, p.target_inline):
            if mark is not None and mark.kind == "link" and safe_href(mark.href):
                _hyperlink(para, piece, mark.href)
                continue
            run = para.add_run(piece)
            if mark is not None:
                run.bold = mark.kind == "strong" or None
                run.italic = mark.kind == "em" or None
                if mark.kind == "code":
                    run.font.name = "Courier New"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _property(text: str, limit: int = 255) -> str:
    """``text`` cut to a core property's limit, on a word boundary where one is near, with "…";
    characters XML cannot carry (a control character in a file name) are left out of it."""
    from translate.safexml import NOT_XML

    text = NOT_XML.sub("", text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _hyperlink(paragraph: Any, text: str, url: str) -> None:
    """python-docx has no hyperlink writer: add the relationship and the run by hand."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
