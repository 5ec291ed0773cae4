"""Batch translation on Ray: reading in CPU tasks, translation in an actor pool.

The flow is the local batch's (``pipeline.batch``: the manifest decides what is left, the
driver writes each finished document atomically and records it), with the translation step
done by Ray Data:

    work (key, path) → map_batches(_read)           CPU tasks: file → Document (parsed,
                                                    segmented), its size in tokens (estimated)
                     → map_batches(_bundle)         CPU tasks: documents into bundles of about
                                                    ``tokens_per_call`` source tokens
                     → map_batches(_Translate)      actors: one Translator each, built in
                                                    __init__ from a TranslatorSpec; a bundle
                                                    per call, its sentences batched together
                     → driver: render, write, manifest

Only the ``TranslatorSpec`` (a few settings) and the documents (frozen values) travel; the
model is loaded by each actor, never in the driver. Actors plan (memory hits, glossary
terms) themselves: the translation memory and the glossary stay with the worker that uses
them. A bundle is sized by tokens, not rows, so a call is about the same work whether it holds
one long report or thirty short items. Actors ask for a fraction of a CPU (``cpus_per_worker``,
0.5 by default) so that the read tasks can still be scheduled on a small machine: with a
whole CPU per actor on 2 CPUs, Ray Data starves the readers and the job hangs.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.document import Document, TranslatedDocument
from translate.errors import InputError, TranslateError, UsageError
from translate.formats.readers import read_text
from translate.pipeline.batch import BatchEvent, BatchSummary, read_document, run_batch
from translate.pipeline.spec import TranslatorSpec

INSTALL = "Ray is not installed: pip install 'translate-id-en[ray]' (ray[data] and pyarrow)"
# Characters per source token of opus-mt-id-en's SentencePiece model on news text (4.4–5.4
# measured on the sample and the test articles): a read task sizes documents without loading
# a tokenizer.
CHARACTERS_PER_TOKEN = 4.8
READ_BATCH = 16  # files one read task parses
BUNDLE_SCAN = 256  # documents a bundling task sees at once (bundles never cross it)


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a Ray run is."""

    address: str | None = None  # None: a local Ray instance sized to this machine
    workers: int = 2  # translator actors
    cpus_per_worker: float = 0.5
    gpus_per_worker: float = 0.0
    tokens_per_call: int = 4096  # source tokens an actor translates together (estimated)


def require_ray() -> Any:
    """The ``ray`` module, or one clear error saying how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(INSTALL) from None
    return ray


def translate_folder(
    input_dir: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    spec: TranslatorSpec,
    *,
    options: RayOptions = RayOptions(),
    fmt: str = "json",
    recursive: bool = False,
    input_format: str | None = None,
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchSummary:
    """``pipeline.batch.run_batch`` with the translation on Ray: the same manifest, outputs
    and resumption (a rerun skips what is recorded, whichever engine wrote it)."""
    ray = require_ray()
    # Built here for its reproducibility record only: building a Translator loads no model.
    recorder = spec.build()

    def translate(
        jobs: list[tuple[str, Path]],
        finished: Callable[[str, TranslatedDocument], None],
        failed: Callable[[str, str], None],
    ) -> None:
        if not jobs:
            return
        rows: list[dict[str, str | None]] = [
            {"key": key, "path": str(path), "text": ""} for key, path in jobs
        ]
        with _session(ray, options):
            for key, document, error in _run(ray, rows, spec, options, input_format):
                if document is None:
                    failed(key, error)
                else:
                    finished(key, document)

    return run_batch(
        input_dir,
        output_dir,
        recorder,
        fmt=fmt,
        recursive=recursive,
        input_format=input_format,
        on_event=on_event,
        translate=translate,
    )


def translate_dataset(
    source: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    spec: TranslatorSpec | None = None,
    *,
    options: RayOptions = RayOptions(),
    fmt: str = "json",
    recursive: bool = False,
    input_format: str | None = None,
    id_column: str = "id",
    text_column: str = "text",
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchSummary:
    """Translate a corpus on Ray: a folder of articles (outputs mirrored, as ``translate
    batch``) or a Parquet/JSONL table with an id and a text column (Parquet shards).

    >>> from translate import RayOptions, TranslatorSpec, translate_dataset  # doctest: +SKIP
    >>> translate_dataset("arsip/", "english/", TranslatorSpec(beams=4),
    ...                   options=RayOptions(address="auto", workers=8))  # doctest: +SKIP
    """
    from translate.cluster.dataset import is_dataset

    spec = spec or TranslatorSpec()  # every setting from TRANSLATE_* or its default
    if is_dataset(Path(source)):
        return translate_table(
            source,
            output_dir,
            spec,
            options=options,
            id_column=id_column,
            text_column=text_column,
            on_event=on_event,
        )
    return translate_folder(
        source,
        output_dir,
        spec,
        options=options,
        fmt=fmt,
        recursive=recursive,
        input_format=input_format,
        on_event=on_event,
    )


def translate_table(
    path: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    spec: TranslatorSpec,
    *,
    options: RayOptions = RayOptions(),
    id_column: str = "id",
    text_column: str = "text",
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchSummary:
    """A Parquet or JSONL table of documents (an id and a text column) translated on Ray
    into Parquet shards (``cluster.dataset``); a rerun skips the ids already written."""
    from translate.cluster.dataset import Row, run_dataset

    ray = require_ray()
    settings = spec.build().record().settings()

    def translate(rows: list[Row]) -> Iterator[tuple[str, TranslatedDocument | None, str]]:
        if not rows:
            return
        jobs = [{"key": r.id, "path": "", "text": r.text} for r in rows]
        with _session(ray, options):
            yield from _run(ray, jobs, spec, options, None)

    return run_dataset(
        path,
        output_dir,
        settings,
        translate,
        id_column=id_column,
        text_column=text_column,
        on_event=on_event,
    )


@contextmanager
def _session(ray: Any, options: RayOptions) -> Iterator[None]:
    """Ray for the run: the instance already started, else ``ray.init`` (joining
    ``options.address``, or a local instance) and a shutdown at the end."""
    if ray.is_initialized():
        yield
        return
    ray.init(address=options.address, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _run(
    ray: Any,
    rows: list[dict[str, str | None]],
    spec: TranslatorSpec,
    options: RayOptions,
    input_format: str | None,
) -> Iterator[tuple[str, TranslatedDocument | None, str]]:
    """(key, translated document or None, error) for each row (``key`` and a file ``path``
    or a ``text``), as results arrive."""
    from ray.data import ActorPoolStrategy

    dataset = ray.data.from_items(rows)
    read = dataset.map_batches(
        _read, fn_kwargs={"input_format": input_format}, batch_size=READ_BATCH
    )
    bundled = read.map_batches(
        _bundle, fn_kwargs={"tokens": options.tokens_per_call}, batch_size=BUNDLE_SCAN
    )
    translated = bundled.map_batches(
        _Translate,
        # The glossary travels by content: composed once here, so its files need not be on
        # storage the workers see.
        fn_constructor_kwargs={"spec": spec.shipped()},
        batch_size=1,  # one bundle
        compute=ActorPoolStrategy(size=options.workers),
        num_cpus=options.cpus_per_worker,
        num_gpus=options.gpus_per_worker or None,
        # Ray Data restarts a killed actor and retries its batch (max_restarts and
        # max_task_retries default to -1 for actor pools); the driver writes each document
        # once, when its result arrives.
    )
    for row in translated.iter_rows():
        blob = row["document"]
        document = pickle.loads(blob) if blob else None
        yield str(row["key"]), document, str(row["error"])


def _read(batch: dict[str, Any], input_format: str | None) -> dict[str, list[Any]]:
    """A CPU task: read and parse each file (a failure is kept as the document's error)."""
    keys: list[str] = []
    documents: list[bytes] = []
    sizes: list[int] = []
    errors: list[str] = []
    for key, path, text in zip(batch["key"], batch["path"], batch["text"], strict=True):
        keys.append(str(key))
        try:
            if path:
                document = read_document(str(key), Path(str(path)), input_format)
            elif text is None:
                raise InputError("the row has no text (null or not a string)")
            else:  # a row of a table: its text is the article
                document = read_text(str(text), "txt", name=str(key))
            documents.append(pickle.dumps(document))
            sizes.append(estimated_tokens(document))
            errors.append("")
        except TranslateError as exc:
            documents.append(b"")
            sizes.append(0)
            errors.append(str(exc))
    return {"key": keys, "source": documents, "tokens": sizes, "error": errors}


def estimated_tokens(document: Document) -> int:
    """Source tokens of ``document``, estimated from its length (``CHARACTERS_PER_TOKEN``)."""
    return 1 + round(sum(len(b.source) for b in document.blocks) / CHARACTERS_PER_TOKEN)


def bundles(sizes: list[int], tokens: int) -> list[list[int]]:
    """Consecutive indices grouped so each group holds about ``tokens`` (a document larger
    than that alone)."""
    out: list[list[int]] = []
    total = 0
    for i, size in enumerate(sizes):
        if out and total + size <= tokens:
            out[-1].append(i)
            total += size
        else:
            out.append([i])
            total = size
    return out


def _bundle(batch: dict[str, Any], tokens: int) -> dict[str, list[Any]]:
    """A CPU task: documents into bundles of about ``tokens`` source tokens, one row each."""
    rows = list(zip(batch["key"], batch["source"], batch["error"], strict=True))
    groups = bundles([int(t) for t in batch["tokens"]], tokens)
    return {"bundle": [pickle.dumps([rows[i] for i in group]) for group in groups]}


class _Translate:
    """A Ray actor: one ``Translator`` (one model) for its life, built from the spec."""

    def __init__(self, spec: TranslatorSpec) -> None:
        self.translator = spec.build()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        rows = [row for blob in batch["bundle"] for row in pickle.loads(blob)]
        keys = [str(k) for k, _, _ in rows]
        errors = {str(k): str(e) for k, _, e in rows if e}
        sources = {str(k): pickle.loads(s) for k, s, e in rows if not e}
        done: dict[str, TranslatedDocument] = {}
        try:
            self.translator.translate_documents(iter(sources.items()), done.__setitem__)
        except TranslateError:
            # One bad document must not fail the others: translate them one by one.
            for key, document in sources.items():
                if key in done:
                    continue
                try:
                    done[key] = self.translator.translate_document(document)
                except TranslateError as exc:
                    errors[key] = str(exc)
        return {
            "key": keys,
            "document": [pickle.dumps(done[k]) if k in done else b"" for k in keys],
            "error": [errors.get(k, "") for k in keys],
        }
