"""Batch translation of folders, resumable after a kill.

Resume works by manifest, not by file existence: ``OUTPUT_DIR/.translate-manifest.jsonl`` records,
for each finished input, its sha256, the settings it was translated with and its output. A rerun
skips an input only when its content, its settings and its output are all unchanged.

Crash safety: each output is written to a temporary file and renamed into place; only then is
its manifest line appended (and fsynced). A ``kill -9`` at any moment leaves at worst a stray
temporary file (removed by the next run) or a torn last manifest line (ignored), never a
half-written output that a rerun would trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from queue import Full, Queue
from typing import Any, Literal, TypeVar

from translate.config import prefetch as prefetch_setting
from translate.document import Document, TranslatedDocument
from translate.errors import InputError, TranslateError, UsageError
from translate.files import write_atomic
from translate.formats import registry
from translate.formats.paths import mirrored_output
from translate.formats.readers import display_name, read_bytes, read_file
from translate.formats.registry import render
from translate.pipeline.translator import Translator

MANIFEST = ".translate-manifest.jsonl"
LOCK = ".translate-batch.lock"
MANIFEST_SCHEMA = "translate.manifest/1"
T = TypeVar("T")


@dataclass(frozen=True)
class BatchEvent:
    """What happened to one input: ``done``, ``skipped`` or ``failed``; or, once before them,
    ``planned``: ``count`` inputs are to be translated (for a progress line's ETA)."""

    kind: Literal["done", "skipped", "failed", "planned"]
    path: str
    message: str = ""
    sentences: int = 0
    notes: tuple[str, ...] = ()  # what the reader repaired or dropped (``Document.notes``)
    count: int = 0


@dataclass
class BatchSummary:
    """Counts of a batch run, and the failures with their reasons."""

    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every input was translated or skipped."""
        return not self.failed


def prefetch(items: Iterator[T], size: int) -> Iterator[T]:
    """Yield ``items`` produced by a background thread, at most ``size`` ahead."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=size)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        queue.put((False, item), timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put((True, None))
        except BaseException as exc:  # handed to the consumer, raised there
            queue.put((True, exc))

    thread = threading.Thread(target=produce, name="translate-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            done, item = queue.get()
            if done:
                if isinstance(item, BaseException):
                    raise item
                return
            yield item
    finally:
        stop.set()


def split_glob(path: Path) -> tuple[Path, str | None]:
    """A folder as it is, or a glob as its folder and pattern: ``arsip/2024-*/*.txt`` →
    (``arsip``, ``2024-*/*.txt``); outputs mirror the tree below the folder."""
    parts = path.parts
    for n, part in enumerate(parts):
        if any(c in part for c in "*?["):
            return (Path(*parts[:n]) if n else Path(".")), str(Path(*parts[n:]))
    return path, None


def find_inputs(
    input_dir: Path, recursive: bool, exclude: Path | None = None, pattern: str | None = None
) -> list[Path]:
    """Article files under ``input_dir`` (relative paths, sorted); hidden files are skipped.
    ``pattern``: a glob below ``input_dir`` instead of every file (``**`` for subfolders)."""
    pattern = pattern or ("**/*" if recursive else "*")
    extensions = registry.input_extensions()
    found = []
    for path in input_dir.glob(pattern):
        rel = path.relative_to(input_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if exclude is not None and (path == exclude or exclude in path.parents):
            continue
        if path.is_file() and path.suffix.lower() in extensions:
            found.append(rel)
    return sorted(found)


class BatchBusyError(TranslateError):
    """Another ``translate batch`` is writing into the same output folder."""

    exit_code = 2


@contextmanager
def output_lock(output_dir: Path) -> Iterator[None]:
    """Hold ``OUTPUT_DIR/.translate-batch.lock`` for a run; a second run refuses at once."""
    from filelock import FileLock, Timeout

    lock = FileLock(output_dir / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BatchBusyError(
            f"{output_dir}: another translate batch is writing into this folder; wait for it "
            "to finish (a rerun then skips what it did), or choose another -o"
        ) from None
    try:
        yield
    finally:
        lock.release()


class Manifest:
    """The journal of finished inputs in an output folder (JSON lines, append-only).

    Entries are keyed by output file: each output records the input (path, sha256) and the
    settings that made it. Runs over different input folders into one output folder keep
    each other's entries; an output that another input overwrote is recorded as that one's.
    """

    def __init__(self, output_dir: Path) -> None:
        self.root = output_dir
        self.path = output_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a kill: that input is simply redone
                if isinstance(entry, dict) and isinstance(entry.get("output"), str):
                    self.entries[entry["output"]] = entry

    def is_current(self, rel: str, sha256: str, settings: dict[str, Any], output: str) -> bool:
        """Whether ``output`` exists and was made from ``rel`` with this content and settings."""
        entry = self.entries.get(output)
        return (
            entry is not None
            and entry.get("input") == rel
            and entry.get("sha256") == sha256
            and entry.get("settings") == settings
            and (self.root / output).is_file()
        )

    def record(self, entry: dict[str, Any]) -> None:
        """Append one finished input, durably."""
        self.entries[entry["output"]] = entry
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(_line(entry))
            fh.flush()
            os.fsync(fh.fileno())

    def compact(self) -> None:
        """Rewrite the journal atomically: one line per output that still exists."""
        self.entries = {
            out: entry for out, entry in self.entries.items() if (self.root / out).is_file()
        }
        write_atomic(self.path, "".join(_line(self.entries[k]) for k in sorted(self.entries)))


def _line(entry: dict[str, Any]) -> str:
    # ASCII escapes keep file names that are not UTF-8 (lone surrogates) exactly.
    return json.dumps(entry, ensure_ascii=True) + "\n"


def remove_stale_temporaries(output_dir: Path) -> int:
    """Delete temporary files left by a killed run (``.<name>.<random>.tmp``)."""
    count = 0
    for tmp in output_dir.rglob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            count += 1
    return count


# How the documents of a batch are translated: given the work (input key, its file) and
# where each result goes (``finished(key, document)``, ``failed(key, message)``). The local one
# is ``Translator.translate_documents``; ``translate.cluster`` has one on Ray.
Translate = Callable[
    [
        list[tuple[str, Path]],
        Callable[[str, TranslatedDocument], None],
        Callable[[str, str], None],
    ],
    None,
]


def run_batch(
    input_dir: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    translator: Translator,
    *,
    fmt: str = "json",
    recursive: bool = False,
    input_format: str | None = None,
    on_event: Callable[[BatchEvent], None] | None = None,
    translate: Translate | None = None,
) -> BatchSummary:
    """Translate every article in ``input_dir`` (a folder, or a glob such as
    ``arsip/2024-*/*.txt``) into ``output_dir``, mirroring the tree.

    Inputs finished by an earlier run with the same content and settings are skipped. A file
    that fails is reported through ``on_event`` and the others go on. ``translate``: another
    way to translate the work (default: ``translator`` here; the translator's record is what
    the manifest compares either way, and building it loads no model).
    """
    (source, pattern), target = split_glob(Path(input_dir)), Path(output_dir)
    if not source.is_dir():
        raise InputError(f"{source}: not a directory (use `translate article` for one file)")
    registry.get(fmt, "output")  # an unknown format fails before anything is written
    if target.resolve() == source.resolve():
        raise UsageError("the output directory must differ from the input directory")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: cannot create ({exc.strerror or exc})") from None

    emit = on_event or (lambda event: None)
    with output_lock(target):
        return _run(
            source, target, translator, fmt, recursive, input_format, emit, translate, pattern
        )


def _run(
    source: Path,
    target: Path,
    translator: Translator,
    fmt: str,
    recursive: bool,
    input_format: str | None,
    emit: Callable[[BatchEvent], None],
    translate: Translate | None,
    pattern: str | None,
) -> BatchSummary:
    """``run_batch`` with the output folder locked."""
    started = time.monotonic()
    summary = BatchSummary()

    def report(event: BatchEvent) -> None:
        if event.kind == "done":
            summary.done += 1
            summary.sentences += event.sentences
        elif event.kind == "skipped":
            summary.skipped += 1
        elif event.kind == "failed":
            summary.failed.append((event.path, event.message))
        emit(event)

    remove_stale_temporaries(target)
    manifest = Manifest(target)
    # The manifest's settings: what decides the output (the translator's record), and the formats.
    settings = {**translator.record().settings(), "format": fmt, "input_format": input_format}
    inputs = find_inputs(source, recursive, exclude=target.resolve(), pattern=pattern)
    taken: set[Path] = set()
    work: list[tuple[Path, Path, str]] = []
    for rel in inputs:
        out = mirrored_output(rel, fmt, taken)
        try:
            digest = hashlib.sha256(read_bytes(source / rel)).hexdigest()
        except InputError as exc:
            report(BatchEvent("failed", rel.as_posix(), str(exc)))
            continue
        if manifest.is_current(rel.as_posix(), digest, settings, out.as_posix()):
            report(BatchEvent("skipped", rel.as_posix()))
        else:
            work.append((rel, out, digest))

    plans = {rel.as_posix(): (out, digest) for rel, out, digest in work}

    def failed(key: str, message: str) -> None:
        report(BatchEvent("failed", key, message))

    def finished(key: str, document: TranslatedDocument) -> None:
        out, digest = plans[key]
        try:
            write_atomic(target / out, render(document, fmt))
            manifest.record(
                {
                    "schema": MANIFEST_SCHEMA,
                    "input": key,
                    "sha256": digest,
                    "settings": settings,
                    "output": out.as_posix(),
                    "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                }
            )
        except TranslateError as exc:
            report(BatchEvent("failed", key, str(exc)))
            return
        sentences = sum(len(p.sentences) for p in document.paragraphs)
        report(BatchEvent("done", key, sentences=sentences, notes=document.meta.notes))

    jobs = [(rel.as_posix(), source / rel) for rel, _, _ in work]
    report(BatchEvent("planned", "", count=len(jobs)))
    if translate is None:
        translate_locally(translator, jobs, finished, failed, input_format)
    else:
        translate(jobs, finished, failed)
    manifest.compact()
    summary.seconds = time.monotonic() - started
    return summary


def read_document(key: str, path: Path, input_format: str | None) -> Document:
    """One batch input as a ``Document``, named as its outputs show it."""
    document = read_file(path, input_format)
    return replace(document, name=display_name(Path(key).name))


def translate_locally(
    translator: Translator,
    jobs: list[tuple[str, Path]],
    finished: Callable[[str, TranslatedDocument], None],
    failed: Callable[[str, str], None],
    input_format: str | None,
) -> None:
    """The batch's own ``Translate``: read a few documents ahead in a thread, so the model
    never waits on I/O and only a bounded number of documents is in memory."""

    def read_ahead() -> Iterator[tuple[str, Document | TranslateError]]:
        for key, path in jobs:
            try:
                yield key, read_document(key, path, input_format)
            except TranslateError as exc:
                yield key, exc

    def documents() -> Iterator[tuple[str, Document]]:
        ahead = prefetch_setting()  # 0 turns it off
        items = prefetch(read_ahead(), ahead) if ahead > 0 else read_ahead()
        for key, item in items:
            if isinstance(item, TranslateError):
                failed(key, str(item))
            else:
                yield key, item

    translator.translate_documents(documents(), finished)
