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
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.document import Document, Paragraph, Sentence, TranslatedDocument
from translate.errors import InputError, UsageError
from translate.formats.readers import decode_article, read_text
from translate.formats.registry import Format, get, render
from translate.text.normalize import clean_source

if TYPE_CHECKING:
    from translate.engines.base import Engine
    from translate.formats.exchange import ImportPreview, ImportReport
    from translate.pipeline.translator import Translator
    from translate.review.memory import Memory, MemoryHit
    from translate.review.store import Store
    from translate.terms.glossary import Glossary
    from translate.terms.values import Suggestion

# The export menu, in this order: the publishing formats, then the CAT files (the same bytes
# as `translate article --format xliff|xliff2|tmx` for the document's current state).
EXPORTS: dict[str, Format] = {
    name: get(name, "output")
    for name in ("html", "bilingual-html", "docx", "md", "txt", "json", "xliff", "xliff2", "tmx")
}
# Files for translators, not readers: exported whatever is still open before publishing.
CAT_EXPORTS = frozenset({"xliff", "xliff2", "tmx"})
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def app_path() -> Path:
    """The Streamlit script: ``app.py`` beside the package in a checkout, or installed data."""
    for candidate in (
        Path(__file__).resolve().parents[2] / "app.py",
        Path(sys.prefix) / "share" / "translate-id-en" / "app.py",
    ):
        if candidate.is_file():
            return candidate
    raise UsageError("app.py was not found: run `translate ui` from a source checkout")


def make_engine(model: str | None, device: str = "auto", backend: str | None = None) -> Engine:
    """Load the translation engine (the app caches it once per server process).

    ``backend``: ``torch`` or ``ct2`` (default ``TRANSLATE_BACKEND``, else torch).
    """
    from translate.engines.registry import load_engine

    return load_engine(model, device, backend)


def available_backends() -> list[str]:
    """The engine backends this installation can run: torch, and ct2 with the [fast] extra."""
    from translate.engines.registry import backends

    return [b.name for b in backends() if b.available()]


def default_backend(available: list[str]) -> str:
    """``TRANSLATE_BACKEND`` (as ``translate ui --backend`` sets it) when available, else torch."""
    from translate.config import resolve_backend

    chosen = resolve_backend()
    return chosen if chosen in available else "torch"


def document_from_upload(name: str, data: bytes) -> tuple[Document, str]:
    """A ``Document`` and its text from an uploaded ``.txt`` or ``.md`` file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: larger than {MAX_UPLOAD_BYTES // 1_000_000} MB")
    fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    text, notes = decode_article(data, name)
    return read_text(text, fmt, name=name, notes=notes), text


def document_from_paste(text: str, name: str = "") -> Document:
    """A ``Document`` from pasted text (Markdown if it looks like Markdown)."""
    looks_md = bool(re.search(r"^(#{1,6} |[-*] |\d+\. |> )", text, re.MULTILINE))
    # The title as the document shows it: repaired and cleaned like the text itself.
    title = clean_source(name).strip() or _title(clean_source(text))
    return read_text(text, "md" if looks_md else "txt", name=title)


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
    store: Store,
    doc_id: str,
    translator: Translator,
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


def create(store: Store, document: Document, source_text: str, translator: Translator) -> str:
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
    """One line per problem an editor should look at in this row: each finding once (the
    sentences it was found in named after it), errors first."""
    # Missed glossary terms are QA errors ("terms"), so the QA findings say everything.
    where: dict[tuple[str, str], list[str]] = {}
    for q in paragraph.qa:
        prefix = f"{q.sentence}: " if q.sentence else ""
        message = q.message.removeprefix(prefix)
        where.setdefault((q.severity, message), []).extend([q.sentence] if q.sentence else [])
    ordered = sorted(where, key=lambda k: k[0] != "error")  # stable: check order within
    lines = []
    for severity, message in ordered:
        sentences = where[severity, message]
        shown = f" ({', '.join(dict.fromkeys(sentences))})" if sentences else ""
        lines.append(f"{severity}: {message}{shown}")
    return lines


def export(document: TranslatedDocument, fmt: str) -> tuple[bytes, str, str]:
    """(data, mime type, file name) of the document in one of ``EXPORTS``."""
    spec = EXPORTS[fmt]
    stem = os.path.splitext(document.meta.name or "article")[0] or "article"
    data = render(document, fmt)
    name = f"{stem}.en{spec.extension}"
    return (data.encode("utf-8") if isinstance(data, str) else data), spec.media_type, name


def counts(document: TranslatedDocument) -> dict[str, int]:
    """Paragraphs by status, and glossary terms missed, for the header line."""
    out = {"draft": 0, "edited": 0, "approved": 0}
    for p in document.paragraphs:
        out[p.status] = out.get(p.status, 0) + 1
    out["missed"] = document.term_counts[2]
    return out


def least_confident(document: TranslatedDocument, fraction: float = 0.1) -> dict[str, float]:
    """The machine-translated sentences with the lowest model scores (the bottom ``fraction``,
    at least one): where an editor should look first. Sentence id → score."""
    scored = [
        (s.score, s.id)
        for p in document.paragraphs
        for s in p.sentences
        if s.origin == "mt" and s.score is not None
    ]
    if not scored:
        return {}
    scored.sort()
    keep = max(1, round(len(scored) * fraction))
    return {sid: score for score, sid in scored[:keep]}


def open_items(document: TranslatedDocument) -> list[str]:
    """What is still open before publishing: unapproved rows, missed terms, QA errors."""
    items = []
    unapproved = [p.id for p in document.paragraphs if p.translated and p.status != "approved"]
    if unapproved:
        shown = ", ".join(unapproved[:8]) + (" …" if len(unapproved) > 8 else "")
        items.append(f"{len(unapproved)} paragraph(s) not approved: {shown}")
    missed = [t for p in document.paragraphs for t in p.terms if not t.applied]
    if missed:
        items.append(
            f"{len(missed)} glossary term(s) missed: "
            + ", ".join(sorted({f"{t.source} → {t.target}" for t in missed})[:5])
        )
    errors = [q for p in document.paragraphs for q in p.qa if q.severity == "error"]
    if errors:
        items.append(f"{len(errors)} QA error(s)")
    return items


def retranslate(store: Store, doc_id: str, paragraph_id: str, translator: Translator) -> Paragraph:
    """Translate one stored paragraph again (e.g. after a glossary change); an edited or
    approved final text is kept, the new MT is shown beside it."""
    document = store.load(doc_id)
    fresh = translator.translate_paragraph(document, paragraph_id)
    paragraph = fresh.paragraph(paragraph_id)
    store.save_translation(doc_id, TranslatedDocument(fresh.meta, (paragraph,)))
    return store.load(doc_id).paragraph(paragraph_id)


def alternatives(
    translator: Translator, paragraph: Paragraph, n: int = 4
) -> list[tuple[str, float | None]]:
    """The ``n`` best translations of a paragraph's prose, with their scores, best first."""
    translated = [s for s in paragraph.sentences if s.origin in ("mt", "memory")]
    if not translated:
        return []
    ranked: list[tuple[str, float | None]] = translator.alternatives(paragraph.source, n=n)
    return ranked


def suggestions(
    document: TranslatedDocument, glossary: Glossary | None, limit: int = 20
) -> list[Suggestion]:
    """Proper nouns and acronyms of the article that the glossary does not cover yet."""
    from translate.terms.suggest import suggest

    text = "\n\n".join(p.source for p in document.paragraphs)
    return suggest(text, glossary, limit=limit)


GLOSSARY_COLUMNS = ("source", "target", "case_sensitive", "variants", "note")


def glossary_rows(glossary: Glossary | None) -> list[dict[str, Any]]:
    """A glossary as table rows for an editable grid."""
    if glossary is None:
        return []
    return [
        {
            "source": e.source,
            "target": e.target,
            "case_sensitive": e.case_sensitive,
            "variants": "|".join(e.variants),
            "note": e.note,
        }
        for e in glossary.entries
    ]


def glossary_from_rows(rows: list[dict[str, Any]], name: str = "workspace") -> Glossary:
    """A validated ``Glossary`` from grid rows (blank rows ignored); raises ``GlossaryError``
    listing every problem by row number, as for a file."""
    from translate.terms.glossary import Glossary
    from translate.terms.values import Entry

    entries = []
    for row in rows:
        source = str(row.get("source") or "").strip()
        target = str(row.get("target") or "").strip()
        if not source and not target:
            continue
        variants = tuple(v.strip() for v in str(row.get("variants") or "").split("|") if v.strip())
        flag = row.get("case_sensitive")
        entries.append(
            Entry(
                source=source,
                target=target,
                case_sensitive=True if flag is None else bool(flag),
                variants=variants,
                note=str(row.get("note") or ""),
            )
        )
    return Glossary.from_entries(entries, name=name)


def glossary_from_upload(name: str, data: bytes) -> Glossary:
    """A ``Glossary`` from an uploaded TSV, CSV or TBX file (validated, never half-loaded)."""
    import tempfile

    from translate.terms.glossary import Glossary
    from translate.terms.values import GlossaryError

    suffix = os.path.splitext(name)[1].lower() or ".tsv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return Glossary.load(path)
        except GlossaryError as exc:
            # The message would name the temporary file; name the user's file instead.
            raise GlossaryError(name, exc.problems) from None


def preview_upload(store: Store, doc_id: str, name: str, data: bytes) -> ImportPreview:
    """What importing an uploaded XLIFF, TMX or JSON file (by its name's extension) into a
    stored document would do; nothing is written (``formats.exchange.preview_import``).

    Keep the preview to apply it: ``apply_upload`` refuses paragraphs changed since. The
    history names the upload by ``name``; so do error messages, not the temporary file.
    """
    import tempfile

    from translate.formats.exchange import preview_import
    from translate.formats.units import InteropError

    suffix = os.path.splitext(name)[1].lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return preview_import(store, doc_id, path, name=name)
        except InteropError as exc:
            raise InteropError(str(exc).replace(str(path), name)) from None


def apply_upload(
    store: Store, doc_id: str, preview: ImportPreview, accept: Collection[str], who: str = ""
) -> ImportReport:
    """Apply an upload's preview: its changed units, and the conflicts whose ids the editor
    accepted (``formats.exchange.apply_import``); a paragraph changed since the preview is
    refused and reported as a conflict."""
    from translate.formats.exchange import apply_import

    if preview.doc_id != doc_id:
        raise UsageError(f"this import preview is of document {preview.doc_id}, not {doc_id}")
    return apply_import(store, preview, accept=accept, who=who)


def import_upload(store: Store, doc_id: str, name: str, data: bytes, who: str = "") -> ImportReport:
    """Preview and apply an upload in one step, conflicts left out (what the app did before
    ``preview_upload``/``apply_upload``; kept until ``app.py`` uses those)."""
    return apply_upload(store, doc_id, preview_upload(store, doc_id, name, data), (), who)


def memory_matches(
    memory: Memory, paragraph: Paragraph, limit: int = 3
) -> list[tuple[Sentence, MemoryHit, str]]:
    """Fuzzy translation-memory suggestions for a row's machine-translated sentences:
    (sentence, hit, escaped HTML of the stored source with what differs highlighted)."""
    out: list[tuple[Sentence, MemoryHit, str]] = []
    for s in paragraph.sentences:
        if s.origin != "mt" or len(out) >= limit:
            continue
        for hit in memory.fuzzy(s.source, limit=1):
            if not hit.exact:
                out.append((s, hit, diff_html(s.source, hit.source)))
    return out


def diff_html(ours: str, theirs: str) -> str:
    """``theirs`` with the words that differ from ``ours`` marked (escaped HTML)."""
    import difflib

    a, b = ours.split(), theirs.split()
    out = []
    for op, _, _, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        words = html.escape(" ".join(b[j1:j2]))
        if not words:
            out.append("<del>∅</del>" if op == "delete" else "")
        elif op == "equal":
            out.append(words)
        else:
            out.append(f'<mark class="term-miss">{words}</mark>')
    return " ".join(x for x in out if x)
