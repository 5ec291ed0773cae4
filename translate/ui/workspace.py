"""What the post-editing workspace (``app.py``) does, without any Streamlit in it.

The app lays out widgets; everything it does to documents lives here so that it can be tested
without a browser: creating a stored document from pasted or uploaded text, translating it
paragraph by paragraph with each batch saved as it finishes (so a closed tab loses nothing and
the rest can be resumed), rendering a paragraph's source with its glossary terms highlighted
(escaped HTML), exports, the work list that the header's counts and the export gate are views
of, post-editing effort as an editor reads it, and re-translation that says what it did.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from translate.document import (
    SEVERITIES,
    STATUSES,
    Document,
    Paragraph,
    QAIssue,
    Sentence,
    Severity,
    Term,
    TranslatedDocument,
)
from translate.errors import InputError, UsageError
from translate.formats.readers import decode_article, read_text
from translate.formats.registry import Format, get, render
from translate.review.stats import Change, change, document_change
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


def focus_script(label: str, nonce: int) -> str:
    """A script that scrolls the field labelled ``label`` into view and puts the cursor in it
    (``nonce`` makes each request a new element, so the browser runs it again)."""
    target = json.dumps(f'textarea[aria-label="{label}"]')
    return (
        "<script>(() => { let tries = 0; const go = () => {"
        f" const el = document.querySelector({target});"
        " if (el) { el.scrollIntoView({block: 'center'}); el.focus({preventScroll: true}); }"
        " else if (tries++ < 60) { setTimeout(go, 50); } }; go(); })();"
        f"</script><!-- {nonce} -->"
    )


def export_name(document: TranslatedDocument, fmt: str) -> str:
    """The file name an export of ``document`` in ``fmt`` is offered under."""
    stem = os.path.splitext(document.meta.name or "article")[0] or "article"
    return f"{stem}.en{EXPORTS[fmt].extension}"


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


def findings(paragraph: Paragraph) -> list[tuple[Severity, list[str]]]:
    """The row's QA findings grouped by severity, errors first: each finding once, as its
    check words it (the values in it: the number, the term), the sentences it was found in
    named after it. Severities without findings are left out."""
    where: dict[tuple[Severity, str], list[str]] = {}
    for q in paragraph.qa:
        where.setdefault((q.severity, _message(q)), []).extend([q.sentence] if q.sentence else [])
    grouped: list[tuple[Severity, list[str]]] = []
    for severity in SEVERITIES:  # "error" first, then "warning"; check order within
        lines = [
            message + (f" ({', '.join(dict.fromkeys(sentences))})" if sentences else "")
            for (sev, message), sentences in where.items()
            if sev == severity
        ]
        if lines:
            grouped.append((severity, lines))
    return grouped


def warnings(paragraph: Paragraph) -> list[str]:
    """One line per problem an editor should look at in this row: each finding once (the
    sentences it was found in named after it), errors first (``findings``, flattened)."""
    # Missed glossary terms are QA errors ("terms"), so the QA findings say everything.
    return [f"{severity}: {line}" for severity, lines in findings(paragraph) for line in lines]


def _message(issue: QAIssue) -> str:
    """A finding's message without the sentence id it starts with (the row names it)."""
    return issue.message.removeprefix(f"{issue.sentence}: ") if issue.sentence else issue.message


def _n(count: int, noun: str) -> str:
    """``count`` and the noun, plural unless one ("1 paragraph", "0 paragraphs")."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def export(document: TranslatedDocument, fmt: str) -> tuple[bytes, str, str]:
    """(data, mime type, file name) of the document in one of ``EXPORTS``."""
    spec = EXPORTS[fmt]
    data = render(document, fmt)
    name = export_name(document, fmt)
    return (data.encode("utf-8") if isinstance(data, str) else data), spec.media_type, name


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


# --- the work list: what is still open, each thing counted once ---------------------------

ItemKind = Literal["unapproved", "qa-error", "missed-term", "low-confidence"]
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)
# What holds the publishing exports back. Low confidence is a hint where to look first, not a
# finding about the English, so it never does.
GATED: frozenset[ItemKind] = frozenset({"unapproved", "missed-term", "qa-error"})
# How the work list names each kind, in the order it shows them.
WORK_KINDS: dict[ItemKind, str] = {
    "qa-error": "QA errors",
    "missed-term": "missed glossary terms",
    "unapproved": "rows not approved",
    "low-confidence": "least confident sentences",
}
# The QA check whose errors are missed glossary terms (on the English as it is now).
TERMS_CHECK = "terms"
# The term in that check's two wordings: "glossary term AS → US missed: …" (re-counted in an
# edited English) and "glossary term AS → US not applied (…" (the pipeline's record, on MT).
_TERM = re.compile(r"glossary term (.+? → .+?) (?:missed:|not applied)")


@dataclass(frozen=True)
class WorkItem:
    """One thing an editor still has to look at: where (a paragraph, and the sentence, or
    None for the paragraph as a whole) and what (``label``, worded as the row words it)."""

    kind: ItemKind
    paragraph: str
    sentence: str | None
    label: str

    @property
    def where(self) -> str:
        """The sentence id, else the paragraph id."""
        return self.sentence or self.paragraph


def translatable(document: TranslatedDocument) -> list[Paragraph]:
    """The paragraphs with text for the model (``Paragraph.translated``, also while their MT
    is pending): the ones the export gate and the provenance count. The others (credits,
    bylines, names) are carried over as they are and need no review."""
    return [p for p in document.paragraphs if p.translated]


def work_list(document: TranslatedDocument) -> list[WorkItem]:
    """Everything still open in a QA-checked document (``review.qa.check_document`` of the
    stored one), in document order: a paragraph's own items, then its sentences' in order.

    - ``unapproved``: a translatable paragraph that is not approved, one per paragraph;
    - ``missed-term``: an error of the QA ``terms`` check, i.e. on the English as it is now
      (what the row says), one per sentence and term: a term missed twice is two items;
    - ``qa-error``: any other QA error, one per finding and sentence;
    - ``low-confidence``: a ``least_confident`` sentence whose English is still the model's,
      in an unapproved paragraph (edited or approved, the model's score says nothing about
      the English any more).

    QA warnings are shown on the rows but are no work items: nothing waits for them.
    """
    low = least_confident(document)
    return [item for p in document.paragraphs for item in _paragraph_items(p, low)]


def _paragraph_items(p: Paragraph, low: dict[str, float]) -> list[WorkItem]:
    found: list[WorkItem] = []
    if p.translated and p.status != "approved":
        state = f"not approved ({p.status})" if p.mt else "not translated yet"
        found.append(WorkItem("unapproved", p.id, None, state))
    for q in p.qa:
        if q.severity == "error":
            kind: ItemKind = "missed-term" if q.check == TERMS_CHECK else "qa-error"
            found.append(WorkItem(kind, p.id, q.sentence, _message(q)))
    if p.status != "approved":
        for s in p.sentences:
            if s.id in low and _model_english(p, s):
                label = f"the model is least sure of this sentence (score {low[s.id]:.2f})"
                found.append(WorkItem("low-confidence", p.id, s.id, label))
    position = {s.id: i for i, s in enumerate(p.sentences)}
    # Each finding once (a check may repeat itself); stable sort: check order within.
    return sorted(
        dict.fromkeys(found),
        key=lambda i: -1 if i.sentence is None else position.get(i.sentence, len(position)),
    )


def approvable(document: TranslatedDocument) -> list[str]:
    """The rows *Approve all without errors* approves: translatable, not approved yet, and
    without a QA error (a missed glossary term is one)."""
    blocked = {i.paragraph for i in work_list(document) if i.kind in ("qa-error", "missed-term")}
    return [
        p.id
        for p in translatable(document)
        if p.status != "approved" and p.mt and p.id not in blocked
    ]


def _model_english(p: Paragraph, s: Sentence) -> bool:
    """Whether the sentence's English is still exactly the model's."""
    return p.segmentation == "sentence" and s.target == s.mt and bool(s.mt)


@dataclass(frozen=True)
class Counts:
    """The workspace header's numbers. Each is the length of one list (``translatable``, or
    the ``work_list`` items of one kind), so the header, the rows and the gate agree."""

    paragraphs: int  # every paragraph of the document
    translatable: int  # paragraphs with text for the model (``translatable``)
    approved: int  # the translatable by status: approved + edited + draft = translatable
    edited: int
    draft: int  # drafts include paragraphs whose MT is still pending
    unapproved: int  # "unapproved" items: edited + draft
    missed_terms: int  # "missed-term" items: on the English as it is now
    qa_errors: int  # "qa-error" items: QA errors other than missed terms
    low_confidence: int  # "low-confidence" items

    @property
    def carried(self) -> int:
        """Paragraphs carried over as they are (nothing for the model)."""
        return self.paragraphs - self.translatable


def counts(document: TranslatedDocument) -> Counts:
    """The header's counts of a QA-checked document (see ``Counts`` and ``work_list``)."""
    model = translatable(document)
    items = work_list(document)
    status = {s: sum(p.status == s for p in model) for s in STATUSES}
    kinds = {k: sum(i.kind == k for i in items) for k in ITEM_KINDS}
    return Counts(
        paragraphs=len(document.paragraphs),
        translatable=len(model),
        approved=status["approved"],
        edited=status["edited"],
        draft=status["draft"],
        unapproved=kinds["unapproved"],
        missed_terms=kinds["missed-term"],
        qa_errors=kinds["qa-error"],
        low_confidence=kinds["low-confidence"],
    )


def header_line(c: Counts) -> str:
    """The counts as the header says them, each naming what it counts: "18 translatable
    paragraphs (3 more carried over, nothing to translate) · 5 approved · 3 edited · 10 draft
    · 2 glossary terms missed · 1 other QA error · 2 least confident sentences"."""
    carried = f" ({c.carried} more carried over, nothing to translate)" if c.carried else ""
    return " · ".join(
        [
            _n(c.translatable, "translatable paragraph") + carried,
            f"{c.approved} approved",
            f"{c.edited} edited",
            f"{c.draft} draft",
            _n(c.missed_terms, "glossary term") + " missed",
            _n(c.qa_errors, "other QA error"),
            _n(c.low_confidence, "least confident sentence"),
        ]
    )


def open_items(document: TranslatedDocument) -> list[str]:
    """What is still open before publishing (the export gate): the ``GATED`` kinds of the
    ``work_list``, one line each, with the same numbers as the header."""
    items = [i for i in work_list(document) if i.kind in GATED]

    def of(kind: ItemKind) -> list[WorkItem]:
        return [i for i in items if i.kind == kind]

    lines = []
    if unapproved := of("unapproved"):
        shown = _some(i.where for i in unapproved)
        lines.append(_n(len(unapproved), "paragraph") + f" not approved: {shown}")
    if missed := of("missed-term"):
        terms = sorted({m[1] if (m := _TERM.search(i.label)) else i.label for i in missed})
        lines.append(_n(len(missed), "glossary term") + " missed: " + _some(terms, 5))
    if errors := of("qa-error"):
        lines.append(_n(len(errors), "other QA error") + ": " + _some(i.where for i in errors))
    return lines


def _some(names: Iterable[str], limit: int = 8) -> str:
    """The first ``limit`` distinct names, "…" when there are more."""
    shown = list(dict.fromkeys(names))
    return ", ".join(shown[:limit]) + (" …" if len(shown) > limit else "")


# --- post-editing effort, as an editor reads it ---------------------------------------------

EFFORT_HELP = (
    "Characters changed: the character edit distance from the machine translation to the "
    "English, and its share of the longer of the two. Words: words replaced, added or removed, "
    "out of the longer text's words. Neither can pass 100 %. TER and chrF are in the JSON "
    "export's effort: TER counts edits per word of the final English, so a short MT rewritten "
    "at length scores far above 100 — right as a research measure, noise on one row."
)


def effort_line(mt: str, target: str) -> str:
    """A row's post-editing effort: "14 characters changed (9 %) · 3 of 21 words", or
    "unchanged" (``review.stats.change``; ``EFFORT_HELP`` says what is counted)."""
    return _change_line(change(mt, target))


def document_effort_line(document: TranslatedDocument) -> str:
    """The document's post-editing effort, summed over the paragraphs that went through the
    model (``review.stats.document_change``), worded as ``effort_line``."""
    return _change_line(document_change(document))


def _change_line(c: Change) -> str:
    if not c.characters:
        return "unchanged"
    return (
        f"{_n(c.characters, 'character')} changed ({_percent(c.ratio)}) · "
        f"{c.words} of {_n(c.of_words, 'word')}"
    )


def _percent(ratio: float) -> str:
    """A share as a whole percentage; a change under 1 % is "<1 %", never "0 %"."""
    return "<1 %" if 0 < ratio < 0.005 else f"{round(ratio * 100)} %"


# --- re-translation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Retranslation:
    """What re-translating one paragraph did."""

    paragraph: Paragraph  # the paragraph as stored now
    mt_changed: bool  # the new MT differs from the MT before
    kept: bool  # the editor's English (edited or approved) stays; the new MT is beside it
    applied: tuple[Term, ...]  # glossary terms the new MT has
    missed: tuple[Term, ...]  # glossary terms the new MT lacks
    message: str  # all of that in one sentence, for the editor


def retranslate(
    store: Store, doc_id: str, paragraph_id: str, translator: Translator
) -> Retranslation:
    """Translate one stored paragraph again with the model (e.g. after a glossary change),
    never from the translation memory (``Translator.translate_paragraph``); an edited or
    approved English is kept and the new MT shown beside it."""
    document = store.load(doc_id)
    old = document.paragraph(paragraph_id)
    fresh = translator.translate_paragraph(document, paragraph_id)
    store.save_translation(doc_id, TranslatedDocument(fresh.meta, (fresh.paragraph(paragraph_id),)))
    now = store.load(doc_id).paragraph(paragraph_id)
    applied = tuple(t for t in now.terms if t.applied)
    missed = tuple(t for t in now.terms if not t.applied)
    kept = old.status != "draft"  # the store keeps an editor's English (Store.save_translation)
    changed = now.mt != old.mt
    if not now.translated:
        message = f"{now.id} has nothing for the model: it is carried over as it is."
    else:
        parts = ["MT changed" if changed else "MT unchanged"]
        if applied:
            parts.append(_n(len(applied), "glossary term") + " applied")
        if missed:
            what = f"{len(missed)}" if applied else _n(len(missed), "glossary term")
            names = ", ".join(dict.fromkeys(f"{t.source} → {t.target}" for t in missed))
            parts.append(f"{what} missed ({names})")
        tail = f"; your {old.status} English is kept — the new MT is beside it." if kept else "."
        message = f"Re-translated {now.id} with the model: {', '.join(parts)}{tail}"
    return Retranslation(now, changed, kept, applied, missed, message)


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
    """Proper nouns and acronyms of the article that the glossary does not cover yet, each
    with its count (of exactly that form) and a proposed English (``target``, its ``rule``)
    to prefill the row an editor confirms."""
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
