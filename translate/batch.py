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
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from queue import Full, Queue
from typing import Any, TypeVar

from .document import Document
from .errors import InputError, TranslateError, UsageError
from .pipeline import Translator
from .readers import read_bytes, read_file
from .writers import EXTENSIONS, render, write_atomic

MANIFEST = ".translate-manifest.jsonl"
# Documents read and segmented ahead of the model (TRANSLATE_PREFETCH; 0 turns it off).
DEFAULT_PREFETCH = 8
MANIFEST_SCHEMA = "translate.manifest/1"
T = TypeVar("T")
INPUT_EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx")


@dataclass(frozen=True)
class BatchEvent:
    """What happened to one input: ``done``, ``skipped`` or ``failed``."""

    kind: str
    path: str
    message: str = ""
    sentences: int = 0


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


def find_inputs(input_dir: Path, recursive: bool, exclude: Path | None = None) -> list[Path]:
    """Article files under ``input_dir`` (relative paths, sorted); hidden files are skipped."""
    pattern = "**/*" if recursive else "*"
    found = []
    for path in input_dir.glob(pattern):
        rel = path.relative_to(input_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if exclude is not None and (path == exclude or exclude in path.parents):
            continue
        if path.is_file() and path.suffix.lower() in INPUT_EXTENSIONS:
            found.append(rel)
    return sorted(found)


class Manifest:
    """The journal of finished inputs in an output folder (JSON lines, append-only)."""

    def __init__(self, output_dir: Path) -> None:
        self.path = output_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a kill: that input is simply redone
                if isinstance(entry, dict) and "input" in entry:
                    self.entries[entry["input"]] = entry

    def is_current(self, rel: str, sha256: str, settings: dict[str, Any], root: Path) -> bool:
        """Whether ``rel`` was finished with this content and settings, and its output is there."""
        entry = self.entries.get(rel)
        return (
            entry is not None
            and entry.get("sha256") == sha256
            and entry.get("settings") == settings
            and (root / entry.get("output", "\0")).is_file()
        )

    def record(self, entry: dict[str, Any]) -> None:
        """Append one finished input, durably."""
        self.entries[entry["input"]] = entry
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def compact(self, keep: set[str]) -> None:
        """Rewrite the journal with one line per input still present (atomically)."""
        lines = [
            json.dumps(self.entries[k], ensure_ascii=False)
            for k in sorted(keep & set(self.entries))
        ]
        write_atomic(self.path, "".join(line + "\n" for line in lines))


def remove_stale_temporaries(output_dir: Path) -> int:
    """Delete temporary files left by a killed run (``.<name>.<random>.tmp``)."""
    count = 0
    for tmp in output_dir.rglob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            count += 1
    return count


def output_path(rel: Path, fmt: str, taken: set[Path]) -> Path:
    """The mirrored output path; ``a.md`` beside ``a.txt`` becomes ``a.md.json``, not a clash."""
    out = rel.with_suffix(EXTENSIONS[fmt])
    if out in taken:
        out = rel.with_name(rel.name + EXTENSIONS[fmt])
    taken.add(out)
    return out


def run_batch(
    input_dir: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    translator: Translator,
    *,
    fmt: str = "json",
    recursive: bool = False,
    input_format: str | None = None,
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchSummary:
    """Translate every article in ``input_dir`` into ``output_dir``, mirroring the tree.

    Inputs finished by an earlier run with the same content and settings are skipped. A file
    that fails is reported through ``on_event`` and the others go on.
    """
    source, target = Path(input_dir), Path(output_dir)
    if not source.is_dir():
        raise InputError(f"{source}: not a directory (use `translate article` for one file)")
    if fmt not in EXTENSIONS:
        raise UsageError(f"unknown output format {fmt!r}")
    if target.resolve() == source.resolve():
        raise UsageError("the output directory must differ from the input directory")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: cannot create ({exc.strerror or exc})") from None

    started = time.monotonic()
    summary = BatchSummary()
    emit = on_event or (lambda event: None)

    def report(event: BatchEvent) -> None:
        if event.kind == "done":
            summary.done += 1
            summary.sentences += event.sentences
        elif event.kind == "skipped":
            summary.skipped += 1
        else:
            summary.failed.append((event.path, event.message))
        emit(event)

    remove_stale_temporaries(target)
    manifest = Manifest(target)
    settings = {**translator.signature(), "format": fmt, "input_format": input_format}
    inputs = find_inputs(source, recursive, exclude=target.resolve())
    taken: set[Path] = set()
    work: list[tuple[Path, Path, str]] = []
    for rel in inputs:
        out = output_path(rel, fmt, taken)
        try:
            digest = hashlib.sha256(read_bytes(source / rel)).hexdigest()
        except InputError as exc:
            report(BatchEvent("failed", rel.as_posix(), str(exc)))
            continue
        if manifest.is_current(rel.as_posix(), digest, settings, target):
            report(BatchEvent("skipped", rel.as_posix()))
        else:
            work.append((rel, out, digest))

    plans = {rel.as_posix(): (out, digest) for rel, out, digest in work}

    def read_ahead() -> Iterator[tuple[str, Document | TranslateError]]:
        for rel, _, _ in work:
            try:
                document = read_file(source / rel, input_format)
                yield rel.as_posix(), replace(document, name=rel.name)
            except TranslateError as exc:
                yield rel.as_posix(), exc

    def documents() -> Iterator[tuple[str, Document]]:
        # Read lazily, a few documents ahead in a thread, so the model never waits on I/O
        # and only a bounded number of documents is in memory.
        ahead = int(os.environ.get("TRANSLATE_PREFETCH", DEFAULT_PREFETCH))
        items = prefetch(read_ahead(), ahead) if ahead > 0 else read_ahead()
        for key, item in items:
            if isinstance(item, TranslateError):
                report(BatchEvent("failed", key, str(item)))
            else:
                yield key, item

    def finished(key: str, document: Any) -> None:
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
        report(BatchEvent("done", key, sentences=sentences))

    translator.translate_documents(documents(), finished)
    manifest.compact({rel.as_posix() for rel in inputs})
    summary.seconds = time.monotonic() - started
    return summary
