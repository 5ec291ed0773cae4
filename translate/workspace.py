"""What the post-editing workspace (``app.py``) does, without any Streamlit in it.

The app lays out widgets; everything it does to documents lives here so that it can be tested
without a browser: creating a stored document from pasted or uploaded text, translating it
paragraph by paragraph with each batch saved as it finishes (so a closed tab loses nothing and
the rest can be resumed), rendering a paragraph's source with its glossary terms highlighted
(escaped HTML), and exports.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document import Document, Paragraph, TranslatedDocument
from .errors import InputError, UsageError
from .readers import decode, read_text
from .writers import render

EXPORTS = {
    "json": ("JSON (aligned, contract)", "application/json", ".json"),
    "md": ("Markdown (English)", "text/markdown", ".md"),
    "txt": ("Plain text (English)", "text/plain", ".txt"),
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def app_path() -> Path:
    """The Streamlit script: ``app.py`` beside the package in a checkout, or installed data."""
    for candidate in (
        Path(__file__).resolve().parent.parent / "app.py",
        Path(sys.prefix) / "share" / "translate-id-en" / "app.py",
    ):
        if candidate.is_file():
            return candidate
    raise UsageError("app.py was not found: run `translate ui` from a source checkout")


def make_engine(model: str | None, device: str = "auto") -> Any:
    """Load the translation engine (the app caches it once per server process)."""
    from .engine import MarianEngine

    return MarianEngine(model, device)


def document_from_upload(name: str, data: bytes) -> tuple[Document, str]:
    """A ``Document`` and its text from an uploaded ``.txt`` or ``.md`` file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: larger than {MAX_UPLOAD_BYTES // 1_000_000} MB")
    fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    text = decode(data, name)
    return read_text(text, fmt, name=name), text


def document_from_paste(text: str, name: str = "") -> Document:
    """A ``Document`` from pasted text (Markdown if it looks like Markdown)."""
    looks_md = bool(re.search(r"^(#{1,6} |[-*] |\d+\. |> )", text, re.MULTILINE))
    return read_text(text, "md" if looks_md else "txt", name=name or _title(text))


def _title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "untitled")
    first = first.lstrip("# ").strip()
    return first[:60] + ("…" if len(first) > 60 else "")


@dataclass(frozen=True)
class Progress:
    """How far a document's translation has come."""

    done: int
    total: int


def translate_pending(
    store: Any,
    doc_id: str,
    translator: Any,
    progress: Callable[[Progress], None] | None = None,
) -> int:
    """Translate the paragraphs of a stored document that have no MT yet; return how many.

    Each paragraph is its own job in ``Translator.translate_documents``, so they share
    length-sorted batches and each is saved the moment its last sentence is translated.
    """
    pending = store.pending(doc_id)
    total = len(pending.blocks)
    done = 0
    if progress is not None:
        progress(Progress(0, total))

    def save(key: str, translated: TranslatedDocument) -> None:
        nonlocal done
        store.save_translation(doc_id, translated)
        done += 1
        if progress is not None:
            progress(Progress(done, total))

    jobs = (
        (b.id, Document((b,), name=pending.name, format=pending.format)) for b in pending.blocks
    )
    translator.translate_documents(jobs, save)
    return total


def create(store: Any, document: Document, source_text: str, translator: Any) -> str:
    """Store a new, untranslated document with the translator's settings; return its id."""
    return str(
        store.create(
            document,
            translator.meta(document),
            source_text=source_text,
            glossary=translator.glossary,
        )
    )


def escape(text: str) -> str:
    """Text as HTML: escaped, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def source_html(paragraph: Paragraph) -> str:
    """The paragraph's source as HTML: every character escaped, glossary terms highlighted
    (green when applied, red when missed)."""
    spans = sorted({(t.start, t.end, t.applied, t.target) for t in paragraph.terms})
    out: list[str] = []
    pos = 0
    for start, end, applied, target in spans:
        if start < pos:
            continue  # overlapping report entries: keep the first
        out.append(html.escape(paragraph.source[pos:start]))
        css = "term-ok" if applied else "term-miss"
        title = html.escape(f"→ {target}" + ("" if applied else " (missed)"), quote=True)
        out.append(
            f'<mark class="{css}" title="{title}">{html.escape(paragraph.source[start:end])}</mark>'
        )
        pos = end
    out.append(html.escape(paragraph.source[pos:]))
    return "".join(out).replace("\n", "<br>")


def warnings(paragraph: Paragraph) -> list[str]:
    """One line per problem an editor should look at in this row."""
    lines = [f"term missed: {t.source} → {t.target}" for t in paragraph.terms if not t.applied]
    lines += [f"{q.severity}: {q.message}" for q in paragraph.qa]
    return lines


def export(document: TranslatedDocument, fmt: str) -> tuple[bytes, str, str]:
    """(data, mime type, file name) of the document in one of ``EXPORTS``."""
    _, mime, ext = EXPORTS[fmt]
    stem = os.path.splitext(document.meta.name or "article")[0] or "article"
    return render(document, fmt).encode("utf-8"), mime, f"{stem}.en{ext}"


def counts(document: TranslatedDocument) -> dict[str, int]:
    """Paragraphs by status, and glossary terms missed, for the header line."""
    out = {"draft": 0, "edited": 0, "approved": 0}
    for p in document.paragraphs:
        out[p.status] = out.get(p.status, 0) + 1
    out["missed"] = document.term_counts[2]
    return out
