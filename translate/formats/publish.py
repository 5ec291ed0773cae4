"""Publishing formats: English HTML, bilingual HTML and DOCX, with structure and inline markup.

Everything that comes from an article is escaped: text with ``html.escape``, links only when
their scheme is http, https or mailto (or a relative path). A ``javascript:`` link keeps its
words and loses the link. So hostile input (``<script>``, ``onerror=``, ``]]>``) comes out inert
and intact.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from translate.document import Inline, Paragraph, TranslatedDocument
from translate.errors import OutputError
from translate.formats.inline import pieces, safe_href
from translate.formats.registry import Format, register
from translate.formats.writers import provenance


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


register(Format("html", ".html", "text/html", label="English HTML page", writer=to_html))
register(
    Format(
        "bilingual-html",
        ".bilingual.html",
        "text/html",
        label="Bilingual HTML, side by side, print-friendly",
        writer=to_bilingual_html,
    )
)
register(
    Format(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        binary=True,
        label="Word document (English)",
        writer=to_docx,
    )
)
