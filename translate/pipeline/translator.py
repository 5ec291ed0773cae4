"""The translation pipeline: ``Translator`` and the ``translate_text`` façade.

One article flows: read → blocks and sentence spans → units for the model (long sentences
split so the output bound fits in 512 positions) → engine (sorted, token-budget batches) →
sentences → paragraphs → ``TranslatedDocument``. The CLI, the API and the UI all use this.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from translate import __version__
from translate.config import resolve_backend, resolve_model
from translate.document import (
    Block,
    Document,
    Inline,
    Meta,
    Paragraph,
    QAIssue,
    Sentence,
    Term,
    TranslatedDocument,
    join_targets,
)
from translate.engines.base import Engine, Hypothesis
from translate.engines.registry import check_options, load_engine
from translate.errors import UsageError
from translate.formats.readers import read_text, rule_target
from translate.review.edits import Placer
from translate.review.memory import MemoryHit, open_memory
from translate.review.qa import check_document
from translate.terms.count import count_target, nested
from translate.terms.glossary import Glossary
from translate.text.normalize import restore_typography, to_model
from translate.text.segment import split_long

DEFAULT_MAX_SOURCE_TOKENS = 200
# Model inputs gathered across documents before a round of batches (translate_documents).
DEFAULT_WINDOW = 512

Progress = Callable[[int, int], None]


class _Marker:
    """A named sentinel argument value."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DEFAULT: Any = _Marker("DEFAULT")  # the bundled default (e.g. ``glossary=DEFAULT``)
KEEP: Any = _Marker("KEEP")  # the translator's own setting, in per-call overrides


K = TypeVar("K")


@dataclass(frozen=True)
class _Unit:
    """A piece of one sentence that goes to the model."""

    block: int
    span: int
    text: str  # as the model sees it
    terms: tuple[tuple[str, int], ...] = ()  # glossary targets the English must contain


@dataclass
class _Job(Generic[K]):
    """A document in flight: its model inputs, and the translations received so far."""

    key: K
    document: Document
    units: list[_Unit]
    glossary: Glossary | None
    # English of each link/emphasis/code span, by (block index, inline index).
    inner: dict[tuple[int, int], str] = field(default_factory=dict)
    # Sentences found in the translation memory, by (block index, span index).
    remembered: dict[tuple[int, int], MemoryHit] = field(default_factory=dict)
    hyps: dict[int, Hypothesis] = field(default_factory=dict)


class Translator:
    """Translate Indonesian articles into aligned English documents.

    >>> t = Translator(model="models/opus-mt-id-en")  # doctest: +SKIP
    >>> t.translate_text("Selamat pagi.")  # doctest: +SKIP
    'Good morning.'
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        device: str = "auto",
        backend: str | None = None,
        beams: int = 4,
        glossary: Any = DEFAULT,
        memory: Any = None,
        *,
        engine: Engine | None = None,
        max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS,
        batch_tokens: int | None = None,
        quantize: bool | None = None,
        dtype: str | None = None,
    ) -> None:
        backend = engine.backend if engine is not None else resolve_backend(backend)
        check_options(backend, known=engine is None, quantize=quantize, dtype=dtype)
        if beams < 1:
            raise UsageError(f"beams must be at least 1, not {beams}")
        if not 8 <= max_source_tokens <= 300:
            raise UsageError("max_source_tokens must be between 8 and 300")
        self.model = model
        self.device = device
        self.backend = backend
        self.beams = beams
        self.glossary = resolve_glossary(glossary)
        self.memory = open_memory(memory)
        self.max_source_tokens = max_source_tokens
        self.batch_tokens = batch_tokens
        self.quantize = quantize
        self.dtype = dtype
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine, loaded on first use and kept for the life of the translator."""
        if self._engine is None:
            self._engine = load_engine(
                self.model,
                self.device,
                self.backend,
                batch_tokens=self.batch_tokens,
                quantize=self.quantize,
                dtype=self.dtype,
            )
        return self._engine

    def signature(self) -> dict[str, Any]:
        """What decides the output, for manifests and provenance (does not load the model)."""
        model_id = self._engine.model_id if self._engine is not None else resolve_model(self.model)
        signature: dict[str, Any] = {
            "model": model_id,
            "backend": self.backend,
            "beams": self.beams,
            "glossary_sha256": self.glossary.sha256 if self.glossary is not None else None,
            "max_source_tokens": self.max_source_tokens,
            "memory": str(self.memory.path) if self.memory is not None else None,
            # ct2 is int8 on CPU by construction; "quantized" is the torch option.
            "quantized": self.backend == "torch"
            and bool(getattr(self._engine, "quantized", self.quantize)),
        }
        dtype = getattr(self._engine, "dtype", None) or self.dtype or "auto"
        if dtype != "auto":
            signature["dtype"] = dtype  # only when set: older manifests stay valid
        return signature

    # --- public API --------------------------------------------------------------------------

    def translate_text(self, text: str) -> str:
        """Translate plain text; paragraphs come back separated by blank lines."""
        return self.translate_document(text).target_text

    def translate_document(
        self,
        text_or_document: str | Document,
        *,
        glossary: Any = KEEP,
        progress: Progress | None = None,
    ) -> TranslatedDocument:
        """Translate a whole article, aligned by paragraph and sentence.

        ``glossary`` overrides the translator's for this call (``None``: no glossary).
        ``progress(done_sentences, total_sentences)`` is called as batches finish.
        """
        document = (
            read_text(text_or_document) if isinstance(text_or_document, str) else text_or_document
        )
        chosen = self.glossary if glossary is KEEP else resolve_glossary(glossary)
        paragraphs = self._translate_blocks(document.blocks, progress, chosen)
        return check_document(TranslatedDocument(self._meta(document, chosen), tuple(paragraphs)))

    def translate_paragraph(
        self, document: TranslatedDocument, paragraph_id: str
    ) -> TranslatedDocument:
        """Re-translate one paragraph; the others, and their edits, are left as they are."""
        source = document.source_document().block(paragraph_id)
        (fresh,) = self._translate_blocks((source,), None, self.glossary)
        old = document.paragraph(paragraph_id)
        fresh = replace(fresh, status="draft" if old.status == "draft" else old.status)
        if old.status != "draft":
            # An edited or approved final text stays; the new MT is shown beside it.
            fresh = replace(fresh, target=old.target)
        return check_document(document.replace_paragraph(fresh))

    def alternatives(self, sentence: str, n: int = 4) -> list[tuple[str, float | None]]:
        """The ``n`` best translations of one sentence, best first, with their scores."""
        if n < 1:
            raise UsageError("n must be at least 1")
        text = to_model(sentence)
        if not text:
            return []
        units = self._job(None, read_text(sentence), self.glossary).units
        if not units:
            return []
        terms = [u.terms for u in units]
        per_piece = self.engine.translate(
            [u.text for u in units],
            beams=max(self.beams, n),
            n_best=n,
            terms=terms if any(terms) else None,
        )
        # A paragraph or a long sentence is translated in pieces: alternatives join them by rank.
        ranked: list[tuple[str, float | None]] = []
        for k in range(min(n, max(len(h) for h in per_piece))):
            parts = [h[min(k, len(h) - 1)] for h in per_piece]
            scores = [p.score for p in parts if p.score is not None]
            english = restore_typography(sentence, " ".join(p.text for p in parts))
            ranked.append((english, sum(scores) / len(scores) if scores else None))
        return ranked

    # --- internals ---------------------------------------------------------------------------

    def meta(self, document: Document) -> Meta:
        """The reproducibility signature a translation of ``document`` will carry."""
        return self._meta(document, self.glossary)

    def _meta(self, document: Document, glossary: Glossary | None) -> Meta:
        engine = self.engine
        return Meta(
            model=engine.model_id,
            version=__version__,
            backend=engine.backend,
            beams=self.beams,
            glossary_sha256=glossary.sha256 if glossary is not None else None,
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            name=document.name,
            format=document.format,
            notes=document.notes,
        )

    def _split(self, text: str) -> list[str]:
        """A model input cut into pieces of at most ``max_source_tokens`` tokens."""
        engine = self.engine
        (count,) = engine.count_tokens([text])
        if count <= self.max_source_tokens:
            return [text]

        def count_tokens(piece: str) -> int:
            return engine.count_tokens([piece])[0]

        return [text[a:b] for a, b in split_long(text, count_tokens, self.max_source_tokens)]

    def translate_documents(
        self,
        documents: Iterable[tuple[K, Document]],
        on_done: Callable[[K, TranslatedDocument], None],
        *,
        window: int | None = None,
    ) -> None:
        """Translate many documents with shared batches; ``on_done(key, doc)`` as each finishes.

        Documents are taken from ``documents`` (which may be a lazy generator) until about
        ``window`` model inputs are gathered; their sentences share the length-sorted, token-budget
        batches, and each document is handed to ``on_done`` as soon as its last sentence is
        translated. Memory is bounded by the window, not by the number of documents.
        """
        window = window or int(os.environ.get("TRANSLATE_BATCH_WINDOW", DEFAULT_WINDOW))
        pending = iter(documents)
        while True:
            chunk: list[_Job[K]] = []
            size = 0
            for key, document in pending:
                job = self._job(key, document, self.glossary)
                if not job.units:
                    on_done(key, self._assemble(job))
                    continue
                chunk.append(job)
                size += len(job.units)
                if size >= window:
                    break
            if not chunk:
                return
            self._run(chunk, lambda job: on_done(job.key, self._assemble(job)))

    def _job(self, key: K, document: Document, glossary: Glossary | None) -> _Job[K]:
        remembered = self._remembered(document.blocks)
        inner = self._inner(document.blocks, glossary)
        units = [
            u
            for u in self._units(document.blocks, glossary, inner)
            if (u.block, u.span) not in remembered
        ]
        return _Job(key, document, units, glossary, inner, remembered)

    def _remembered(self, blocks: Sequence[Block]) -> dict[tuple[int, int], MemoryHit]:
        """Sentences whose exact source an editor already approved: reused, no model call.
        (Sentences with inline markup go to the model, so the markup can be placed.)"""
        if self.memory is None:
            return {}
        out = {}
        for bi, block in enumerate(blocks):
            starts = [s.start for s in block.spans]
            marked = set()  # spans in which some markup starts
            for m in block.inline:
                k = bisect.bisect_right(starts, m.start) - 1
                if k >= 0 and m.start < block.spans[k].end:
                    marked.add(k)
            for si, span in enumerate(block.spans):
                if span.mode != "translate" or si in marked:
                    continue
                hit = self.memory.exact(block.source[span.start : span.end])
                if hit is not None:
                    out[(bi, si)] = hit
        return out

    def _units(
        self,
        blocks: Sequence[Block],
        glossary: Glossary | None,
        inner: dict[tuple[int, int], str],
    ) -> list[_Unit]:
        """The model inputs of some blocks: one per translated span, or several when long,
        each with what its translation must contain: glossary targets, and the English of
        its links and emphasis (so the markup can be put back around those words)."""
        units: list[_Unit] = []
        for bi, block in enumerate(blocks):
            in_span = _marks_by_span(block)
            for si, span in enumerate(block.spans):
                if span.mode != "translate":
                    continue
                text = to_model(block.source[span.start : span.end])
                marks = [
                    (_source_text(block, ii), inner[(bi, ii)])
                    for ii in in_span.get(si, ())
                    if (bi, ii) in inner
                ]
                for piece in self._split(text) if text else []:
                    wanted: Counter[str] = Counter()
                    if glossary is not None:
                        wanted.update(m.entry.target for m in glossary.find(piece))
                    wanted.update(english for source, english in marks if source in piece)
                    wanted = nested(wanted, lambda outer, inner: outer.count(inner))
                    units.append(_Unit(bi, si, piece, tuple(sorted(wanted.items()))))
        return units

    def _inner(
        self, blocks: Sequence[Block], glossary: Glossary | None
    ) -> dict[tuple[int, int], str]:
        """English for each link and emphasis inside translated sentences (translated on
        their own, with the glossary); code is kept as written."""
        out: dict[tuple[int, int], str] = {}
        todo: list[tuple[tuple[int, int], str]] = []
        for bi, block in enumerate(blocks):
            translated = {
                ii
                for si, marks in _marks_by_span(block).items()
                if block.spans[si].mode == "translate"
                for ii in marks
            }
            for ii, mark in enumerate(block.inline):
                inside = ii in translated
                text = to_model(block.source[mark.start : mark.end])
                if not inside or not text:
                    continue
                if mark.kind == "code":
                    out[(bi, ii)] = text
                else:
                    todo.append(((bi, ii), text))
        if todo:
            terms = [
                tuple(sorted(Counter(m.entry.target for m in glossary.find(t)).items()))
                if glossary is not None
                else ()
                for _, t in todo
            ]
            hyps = self.engine.translate(
                [t for _, t in todo], beams=self.beams, terms=terms if any(terms) else None
            )
            for (key, text), h in zip(todo, hyps, strict=True):
                out[key] = h[0].text.strip() or text
        return out

    def _run(
        self,
        jobs: Sequence[_Job[K]],
        finished: Callable[[_Job[K]], None],
        progress: Progress | None = None,
    ) -> None:
        """Translate the units of ``jobs`` in shared batches; call ``finished`` per job."""
        flat = [(job, k) for job in jobs for k in range(len(job.units))]
        # Progress counts sentences: a sentence is done when all of its pieces are.
        pieces_left: dict[tuple[int, int, int], int] = {}
        for j, job in enumerate(jobs):
            for u in job.units:
                key = (j, u.block, u.span)
                pieces_left[key] = pieces_left.get(key, 0) + 1
        index = {id(job): j for j, job in enumerate(jobs)}
        total = sum(job.document.sentence_count for job in jobs)
        done = total - len(pieces_left)
        if progress is not None:
            progress(done, total)

        def on_batch(indices: Sequence[int], hyps: Sequence[list[Hypothesis]]) -> None:
            nonlocal done
            completed = []
            for i, h in zip(indices, hyps, strict=True):
                job, k = flat[i]
                job.hyps[k] = h[0]
                unit = job.units[k]
                key = (index[id(job)], unit.block, unit.span)
                pieces_left[key] -= 1
                done += pieces_left[key] == 0
                if len(job.hyps) == len(job.units):
                    completed.append(job)
            if progress is not None:
                progress(done, total)
            for job in completed:
                finished(job)

        terms = [job.units[k].terms for job, k in flat]
        self.engine.translate(
            [job.units[k].text for job, k in flat],
            beams=self.beams,
            on_batch=on_batch,
            terms=terms if any(terms) else None,
        )

    def _translate_blocks(
        self, blocks: Sequence[Block], progress: Progress | None, glossary: Glossary | None
    ) -> list[Paragraph]:
        job: _Job[None] = self._job(None, Document(tuple(blocks)), glossary)
        if job.units:
            self._run([job], lambda _: None, progress)
        elif progress is not None:
            # Nothing for the model (all copies or rules): every sentence is done at once.
            progress(job.document.sentence_count, job.document.sentence_count)
        return self._paragraphs(job)

    def _assemble(self, job: _Job[Any]) -> TranslatedDocument:
        return check_document(
            TranslatedDocument(self._meta(job.document, job.glossary), tuple(self._paragraphs(job)))
        )

    def _paragraphs(self, job: _Job[Any]) -> list[Paragraph]:
        pieces: dict[tuple[int, int], list[Hypothesis]] = {}
        for k, u in enumerate(job.units):
            pieces.setdefault((u.block, u.span), []).append(job.hyps[k])
        return [
            self._paragraph(bi, block, pieces, job.glossary, job.inner, job.remembered)
            for bi, block in enumerate(job.document.blocks)
        ]

    def _paragraph(
        self,
        bi: int,
        block: Block,
        pieces: dict[tuple[int, int], list[Hypothesis]],
        glossary: Glossary | None,
        inner: dict[tuple[int, int], str] | None = None,
        remembered: dict[tuple[int, int], MemoryHit] | None = None,
    ) -> Paragraph:
        sentences = []
        terms: list[Term] = []
        qa: list[QAIssue] = []
        target_inline: list[Inline] = []
        offset = 0  # where the next sentence starts in the paragraph's English
        in_span = _marks_by_span(block)
        for si, span in enumerate(block.spans):
            source = block.source[span.start : span.end]
            score: float | None = None
            if span.mode == "copy":
                english, origin = source, "copy"
            elif span.mode == "rule":
                english, origin = rule_target(source), "rule"
            elif remembered and (bi, si) in remembered:
                english, origin = remembered[(bi, si)].target, "memory"
                if glossary is not None:
                    terms.extend(_terms(glossary, source, english, f"{block.id}.s{si}", span.start))
            else:
                hyps = pieces.get((bi, si), [])
                english = restore_typography(source, " ".join(h.text for h in hyps if h.text))
                marks = [ii for ii in in_span.get(si, ()) if (bi, ii) in (inner or {})]
                english, placed, lost = _place_markup(block, bi, marks, english, inner or {})
                target_inline.extend(
                    Inline(offset + m.start, offset + m.end, m.kind, m.href) for m in placed
                )
                qa.extend(
                    QAIssue("markup", "warning", f"{block.id}.s{si}", message) for message in lost
                )
                scores = [h.score for h in hyps if h.score is not None]
                score = sum(scores) / len(scores) if scores else None
                origin = "mt"
                if glossary is not None:
                    terms.extend(_terms(glossary, source, english, f"{block.id}.s{si}", span.start))
            if english:
                offset += len(english) + 1  # sentences are joined by one space
            sentences.append(
                Sentence(
                    id=f"{block.id}.s{si}",
                    source=source,
                    start=span.start,
                    end=span.end,
                    target=english,
                    mt=english,
                    origin=origin,
                    score=score,
                )
            )
        english = join_targets(s.target for s in sentences)
        return Paragraph(
            id=block.id,
            kind=block.kind,
            source=block.source,
            target=english,
            mt=english,
            sentences=tuple(sentences),
            terms=tuple(terms),
            qa=tuple(qa),
            level=block.level,
            marker=block.marker,
            inline=block.inline,
            target_inline=tuple(target_inline),
        )


def _source_text(block: Block, ii: int) -> str:
    """What the model sees of inline mark ``ii``'s words."""
    mark = block.inline[ii]
    return to_model(block.source[mark.start : mark.end])


def _marks_by_span(block: Block) -> dict[int, list[int]]:
    """The inline marks (indices, in order) lying wholly inside each span, by span index;
    found by bisection, as a long paragraph has many sentences and many links."""
    starts = [s.start for s in block.spans]
    out: dict[int, list[int]] = {}
    for ii, mark in enumerate(block.inline):
        k = bisect.bisect_right(starts, mark.start) - 1  # spans are sorted and disjoint
        if k >= 0 and mark.end <= block.spans[k].end:
            out.setdefault(k, []).append(ii)
    return out


def _place_markup(
    block: Block, bi: int, marks: Sequence[int], english: str, inner: dict[tuple[int, int], str]
) -> tuple[str, list[Inline], list[str]]:
    """Find the English of each link/emphasis ``marks`` of a sentence in its translation;
    markup that cannot be placed is appended to the sentence, with a warning (never dropped)."""
    placed: list[Inline] = []
    lost: list[str] = []
    placer = Placer(english)
    for ii in marks:
        mark, words = block.inline[ii], inner[(bi, ii)]
        at = placer.find(words)
        if at < 0:
            at = placer.append(words)
            lost.append(f"{mark.kind} “{words}” could not be placed: appended at the end")
        placer.take(at, at + len(words))
        placed.append(Inline(at, at + len(words), mark.kind, mark.href))
    return placer.text, placed, lost


def resolve_glossary(value: Any) -> Glossary | None:
    """``DEFAULT`` → the bundled glossary; ``None`` → none; a path → loaded; a glossary as is."""
    if value is DEFAULT:
        return Glossary.default()
    if value is None or isinstance(value, Glossary):
        return value
    if isinstance(value, str | os.PathLike):
        return Glossary.load(value)
    raise UsageError(f"glossary must be a Glossary, a path, DEFAULT or None, not {value!r}")


def _terms(glossary: Glossary, source: str, english: str, sentence: str, offset: int) -> list[Term]:
    """Glossary terms of one sentence: applied when the English has each target exactly as
    many times as the source has terms that want it (a missing or an extra copy is a miss)."""
    matches = glossary.find(source)
    wanted = nested(Counter(m.entry.target for m in matches), count_target)
    found = {target: count_target(english, target) for target in wanted}
    return [
        Term(
            source=m.form,
            target=m.entry.target,
            sentence=sentence,
            start=offset + m.start,
            end=offset + m.end,
            applied=found[m.entry.target] == wanted[m.entry.target],
        )
        for m in matches
    ]


def translate_text(text: str, **options: Any) -> str:
    """Translate Indonesian text to English in one call (loads the model each time).

    ``options`` are ``Translator``'s: ``model``, ``device``, ``beams``, ``glossary`` …
    """
    return Translator(**options).translate_text(text)
