"""Writing translated documents as plain text, Markdown and the contract JSON.

The publishing formats (HTML, bilingual HTML, DOCX) are in ``publish``, TMX and XLIFF in
``tmx`` and ``xliff``; ``registry.render`` writes any of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from translate.document import Paragraph, TranslatedDocument
from translate.formats.markdown import escape_markdown, inert_markdown, inline_markdown
from translate.formats.registry import Format, register


def to_json(document: TranslatedDocument) -> str:
    """The contract JSON, pretty-printed, UTF-8 characters kept, with two derived sections:
    ``provenance`` (who and what made this English) and post-editing ``effort`` per paragraph
    and for the document. Both are recomputed from the rest, so reading ignores them."""
    from translate.review.stats import document_effort, effort

    data = document.to_dict()
    data["provenance"] = provenance(document)
    data["effort"] = document_effort(document).to_dict()
    for p, out in zip(document.paragraphs, data["paragraphs"], strict=True):
        if p.translated:
            out["effort"] = effort(p.mt, p.target).to_dict()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def provenance(document: TranslatedDocument) -> dict[str, Any]:
    """Model, version, glossary checksum, review state and dates of a translation."""
    meta = document.meta
    translated = [p for p in document.paragraphs if p.translated]
    approved = [p for p in translated if p.status == "approved"]
    edited = [p for p in translated if p.target != p.mt]
    return {
        **meta.record.provenance(),
        "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "paragraphs": len(translated),
        "approved": len(approved),
        "edited": len(edited),
        "approved_by": sorted({p.approved_by for p in approved if p.approved_by}),
        "last_approved": max((p.approved_at for p in approved if p.approved_at), default=None),
        "workflow": "machine-translated, post-edited" if edited else "machine-translated",
    }


def to_text(document: TranslatedDocument) -> str:
    """English paragraphs separated by blank lines; list items keep their markers."""
    return _join(document, _text_block)


def to_markdown(document: TranslatedDocument) -> str:
    """English Markdown with the source's structure: title, headings, lists, quotes."""
    return _join(document, _markdown_block)


def _join(document: TranslatedDocument, block: Callable[[Paragraph], str]) -> str:
    out: list[str] = []
    previous: Paragraph | None = None
    for p in document.paragraphs:
        if not p.target:
            continue
        if out:
            # Consecutive list items stay one list.
            same_list = previous is not None and previous.kind == p.kind == "list_item"
            out.append("\n" if same_list else "\n\n")
        out.append(block(p))
        previous = p
    return "".join(out) + ("\n" if out else "")


def _text_block(p: Paragraph) -> str:
    if p.kind == "list_item":
        return "  " * p.level + f"{p.marker} {p.target}"
    return p.target


def _markdown_block(p: Paragraph) -> str:
    if p.kind == "other" and p.marker in ("fence", "code_block", "hr", "table"):
        # Carried over verbatim from a Markdown source, unless an edit made it live markup.
        return p.target if inert_markdown(p.target, p.marker) else escape_markdown(p.target)
    if p.kind == "other" and p.marker == "html_block":
        return escape_markdown(p.target)  # raw HTML from the source stays inert, as text
    target = p.target.replace("\n", " ") if p.kind in ("title", "heading") else p.target
    text = inline_markdown(target, p.target_inline)
    if p.kind == "title":
        return f"# {text}"
    if p.kind == "heading":
        return "#" * max(1, p.level or 2) + f" {text}"
    if p.kind == "list_item":
        marker = p.marker if p.marker and p.marker != "•" else "-"
        return "  " * p.level + f"{marker} {text}"
    if p.kind == "quote":
        return "\n".join(f"> {line}" for line in text.split("\n"))
    return text


register(Format("txt", ".txt", "text/plain", label="Plain text (English)", writer=to_text))
register(
    Format("json", ".json", "application/json", label="JSON (aligned, contract)", writer=to_json)
)
register(Format("md", ".md", "text/markdown", label="Markdown (English)", writer=to_markdown))
