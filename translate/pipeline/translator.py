"""The translation pipeline's API: ``Translator`` and the ``translate_text`` façade.

One article flows: preprocess (``planner``: sentences, memory hits, inline marks, long
sentences split so the output bound fits in 512 positions) → forward (the engine: sorted,
token-budget batches shared across documents) → postprocess (``assemble``: sentences →
paragraphs, terms, markup, QA) → ``TranslatedDocument``. The CLI, the API and the UI all use
this; ``Translator`` itself only wires the three steps and holds the settings.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Final, Generic, TypeVar

from translate.config import batch_window, resolve_backend, resolve_full_vocab, resolve_model
from translate.document import Document, Meta, Paragraph, Record, TranslatedDocument
from translate.engines.base import Engine, Hypothesis
from translate.engines.registry import check_options, load_engine
from translate.errors import UsageError
from translate.formats.readers import read_text
from translate.pipeline.assemble import assemble, paragraphs
from translate.pipeline.planner import DEFAULT_MAX_SOURCE_TOKENS, Key, Plan, Planner
from translate.review.memory import Memory, open_memory
from translate.review.qa import check_document
from translate.terms.glossary import Glossary
from translate.text.normalize import restore_typography, to_model
from translate.version import __version__

Progress = Callable[[int, int], None]


class _Marker:
    """A named sentinel argument value."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DEFAULT: Final = _Marker("DEFAULT")  # the bundled default (e.g. ``glossary=DEFAULT``)
KEEP: Final = _Marker("KEEP")  # the translator's own setting, in per-call overrides
# What ``glossary=`` accepts: a glossary, a path to one, ``DEFAULT`` or ``None``.
GlossaryChoice = Glossary | str | os.PathLike[str] | _Marker | None
MemoryChoice = Memory | str | os.PathLike[str] | bool | None


K = TypeVar("K")


@dataclass
class _Job(Generic[K]):
    """A document in flight: its plan, and the hypotheses received so far, by unit index."""

    key: K
    plan: Plan
    hyps: dict[int, Hypothesis] = field(default_factory=dict)

    def hyps_in_order(self) -> list[Hypothesis]:
        """The best hypothesis of each unit, in the plan's order (all must have arrived)."""
        return [self.hyps[k] for k in range(len(self.plan.units))]

    def paragraphs(self) -> list[Paragraph]:
        """The translated paragraphs, not yet QA-checked."""
        return paragraphs(self.plan, self.hyps_in_order())


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
        glossary: GlossaryChoice = DEFAULT,
        memory: MemoryChoice = None,
        *,
        engine: Engine | None = None,
        max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS,
        batch_tokens: int | None = None,
        quantize: bool | None = None,
        dtype: str | None = None,
        full_vocab: bool | None = None,
    ) -> None:
        backend = engine.backend if engine is not None else resolve_backend(backend)
        check_options(
            backend, known=engine is None, quantize=quantize, dtype=dtype, full_vocab=full_vocab
        )
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
        self.full_vocab = full_vocab
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
                full_vocab=self.full_vocab,
            )
        return self._engine

    def record(self, glossary: GlossaryChoice = KEEP) -> Record:
        """The reproducibility record of a translation made now (does not load the model)."""
        chosen = self.glossary if glossary is KEEP else resolve_glossary(glossary)
        engine = self._engine
        return Record(
            model=engine.model_id if engine is not None else resolve_model(self.model),
            backend=self.backend,
            beams=self.beams,
            glossary_sha256=chosen.sha256 if chosen is not None else None,
            version=__version__,
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            dtype=getattr(engine, "dtype", None) or self.dtype or "auto",
            # ct2 is int8 on CPU by construction; "quantized" is the torch option.
            quantized=self.backend == "torch" and bool(getattr(engine, "quantized", self.quantize)),
            memory=str(self.memory.path) if self.memory is not None else None,
            max_source_tokens=self.max_source_tokens,
            full_vocab=bool(getattr(engine, "full_vocab", resolve_full_vocab(self.full_vocab))),
        )

    def signature(self) -> dict[str, Any]:
        """What decides the output, for batch manifests: ``record().settings()``."""
        return self.record().settings()

    def meta(self, document: Document) -> Meta:
        """The JSON ``meta`` a translation of ``document`` will carry (loads the model)."""
        return self._meta(document, self.glossary)

    # --- public API --------------------------------------------------------------------------

    def translate_text(self, text: str) -> str:
        """Translate plain text; paragraphs come back separated by blank lines."""
        return self.translate_document(text).target_text

    def translate_document(
        self,
        text_or_document: str | Document,
        *,
        glossary: GlossaryChoice = KEEP,
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
        job = self._translate_one(document, chosen, progress)
        return assemble(job.plan, job.hyps_in_order(), self._meta(document, chosen))

    def translate_paragraph(
        self, document: TranslatedDocument, paragraph_id: str
    ) -> TranslatedDocument:
        """Re-translate one paragraph with the model; the others, and their edits, are left
        as they are.

        The translation memory is not consulted: a re-translation asks for the model's English
        (after a glossary or model change), and the memory would hand back what an editor
        approved before, often this very paragraph's own English. (Leaving out only this
        document's entries would still return other documents' English made under the old
        glossary.) The memory's suggestions stay one click away in the workspace.
        """
        source = document.source_document().block(paragraph_id)
        job = self._translate_one(Document((source,)), self.glossary, None, memory=False)
        (fresh,) = job.paragraphs()
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
        units = self._plan(read_text(sentence), self.glossary).units
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
        window = batch_window(window)
        pending = iter(documents)

        def finish(job: _Job[K]) -> None:
            meta = self._meta(job.plan.document, job.plan.glossary)
            on_done(job.key, assemble(job.plan, job.hyps_in_order(), meta))

        while True:
            chunk: list[_Job[K]] = []
            size = 0
            for key, document in pending:
                job = _Job(key, self._plan(document, self.glossary))
                if not job.plan.units:
                    finish(job)
                    continue
                chunk.append(job)
                size += len(job.plan.units)
                if size >= window:
                    break
            if not chunk:
                return
            self._forward(chunk, finish)

    # --- the three steps ---------------------------------------------------------------------

    def _meta(self, document: Document, glossary: Glossary | None) -> Meta:
        _ = self.engine  # loaded first, so that the record names the model that ran
        record = self.record(glossary)
        return record.meta(name=document.name, format=document.format, notes=document.notes)

    def planner(self, glossary: GlossaryChoice = KEEP) -> Planner:
        """The preprocessing step with this translator's settings (loads the model: the
        tokenizer decides where long sentences are cut)."""
        chosen = self.glossary if glossary is KEEP else resolve_glossary(glossary)
        return Planner(self.engine.count_tokens, chosen, self.memory, self.max_source_tokens)

    def _plan(self, document: Document, glossary: Glossary | None, memory: bool = True) -> Plan:
        """Preprocess: the document's units, after its links and emphasis are translated
        (``memory=False``: every sentence for the model, none answered by the memory)."""
        planner = self.planner(glossary)
        if not memory:
            planner = replace(planner, memory=None)
        marks = planner.marks(document)
        inner: dict[Key, str] = dict(marks.kept)
        if marks.todo:
            terms = [m.terms for m in marks.todo]
            hyps = self.engine.translate(
                [m.text for m in marks.todo],
                beams=self.beams,
                terms=terms if any(terms) else None,
            )
            for m, h in zip(marks.todo, hyps, strict=True):
                inner[m.key] = h[0].text.strip() or m.text
        return planner.plan(document, inner)

    def _translate_one(
        self,
        document: Document,
        glossary: Glossary | None,
        progress: Progress | None,
        *,
        memory: bool = True,
    ) -> _Job[None]:
        job: _Job[None] = _Job(None, self._plan(document, glossary, memory))
        if job.plan.units:
            self._forward([job], lambda _: None, progress)
        elif progress is not None:
            # Nothing for the model (all copies or rules): every sentence is done at once.
            progress(document.sentence_count, document.sentence_count)
        return job

    def _forward(
        self,
        jobs: Sequence[_Job[K]],
        finished: Callable[[_Job[K]], None],
        progress: Progress | None = None,
    ) -> None:
        """Translate the units of ``jobs`` in shared batches; call ``finished`` per job."""
        flat = [(job, k) for job in jobs for k in range(len(job.plan.units))]
        # Progress counts sentences: a sentence is done when all of its pieces are.
        pieces_left: dict[tuple[int, int, int], int] = {}
        for j, job in enumerate(jobs):
            for u in job.plan.units:
                key = (j, u.block, u.span)
                pieces_left[key] = pieces_left.get(key, 0) + 1
        index = {id(job): j for j, job in enumerate(jobs)}
        total = sum(job.plan.document.sentence_count for job in jobs)
        done = total - len(pieces_left)
        if progress is not None:
            progress(done, total)

        def on_batch(indices: Sequence[int], hyps: Sequence[list[Hypothesis]]) -> None:
            nonlocal done
            completed = []
            for i, h in zip(indices, hyps, strict=True):
                job, k = flat[i]
                job.hyps[k] = h[0]
                unit = job.plan.units[k]
                key = (index[id(job)], unit.block, unit.span)
                pieces_left[key] -= 1
                done += pieces_left[key] == 0
                if len(job.hyps) == len(job.plan.units):
                    completed.append(job)
            if progress is not None:
                progress(done, total)
            for job in completed:
                finished(job)

        terms = [job.plan.units[k].terms for job, k in flat]
        self.engine.translate(
            [job.plan.units[k].text for job, k in flat],
            beams=self.beams,
            on_batch=on_batch,
            terms=terms if any(terms) else None,
        )


def resolve_glossary(value: GlossaryChoice) -> Glossary | None:
    """``DEFAULT`` → the bundled glossary; ``None`` → none; a path → loaded; a glossary as is."""
    if value is DEFAULT:
        return Glossary.default()
    if value is None or isinstance(value, Glossary):
        return value
    if isinstance(value, str | os.PathLike):
        return Glossary.load(value)
    raise UsageError(f"glossary must be a Glossary, a path, DEFAULT or None, not {value!r}")


def translate_text(text: str, **options: Any) -> str:
    """Translate Indonesian text to English in one call (loads the model each time).

    ``options`` are ``Translator``'s: ``model``, ``device``, ``beams``, ``glossary`` …
    """
    return Translator(**options).translate_text(text)
