"""A corpus as a table: Parquet or JSONL rows with an id and a text in, Parquet shards out.

Output: ``OUTPUT/part-00000.parquet``, … with the columns ``id``, ``english`` (the plain-text
English), ``json`` (the contract JSON of the document), ``status`` (``done`` or ``failed``)
and ``error``; ``OUTPUT/_manifest.jsonl`` records each shard and its ids once the shard is
written (atomically). A rerun skips the ids recorded under the same settings and deletes
shards no manifest line names (left by a run killed between the two writes), so no id is
ever written twice.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.document import TranslatedDocument
from translate.errors import InputError, UsageError
from translate.files import write_atomic
from translate.formats.registry import render
from translate.pipeline.batch import BatchEvent, BatchSummary, output_lock

MANIFEST = "_manifest.jsonl"
SHARD_ROWS = 256  # documents per output shard
SUFFIXES = (".parquet", ".jsonl", ".json")


def is_dataset(path: Path) -> bool:
    """Whether ``path`` is a table of documents (Parquet or JSONL) rather than a folder."""
    return path.is_file() and path.suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class Row:
    """One document of the table."""

    id: str
    text: str | None  # None: the row has no text (reported as failed, never translated empty)


def read_rows(path: Path, id_column: str = "id", text_column: str = "text") -> list[Row]:
    """The table's rows; one clear error for a missing column, a duplicate id or a bad file."""
    import pyarrow as pa

    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path)
        else:
            import pyarrow.json as pj

            table = pj.read_json(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable {path.suffix[1:]} table ({exc})") from None
    missing = [c for c in (id_column, text_column) if c not in table.column_names]
    if missing:
        raise InputError(
            f"{path}: no column {', '.join(missing)} (columns: {', '.join(table.column_names)}); "
            "name them with --id-column and --text-column"
        )
    ids = [str(v) for v in table.column(id_column).to_pylist()]
    texts = table.column(text_column).to_pylist()
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise InputError(f"{path}: the id {value!r} appears twice; ids must be unique")
        seen.add(value)
    return [Row(i, t if isinstance(t, str) else None) for i, t in zip(ids, texts, strict=True)]


class ShardManifest:
    """``OUTPUT/_manifest.jsonl``: each written shard, its ids and the settings."""

    def __init__(self, output_dir: Path, settings: dict[str, Any]) -> None:
        self.dir, self.settings = output_dir, settings
        self.path = output_dir / MANIFEST
        self.entries: list[dict[str, Any]] = []
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.entries.append(json.loads(line))

    def done(self) -> set[str]:
        """Ids written under these settings."""
        return {i for e in self.entries if e.get("settings") == self.settings for i in e["ids"]}

    def next_shard(self) -> str:
        taken = {e["shard"] for e in self.entries}
        n = len(self.entries)
        while f"part-{n:05d}.parquet" in taken:
            n += 1
        return f"part-{n:05d}.parquet"

    def remove_unrecorded(self) -> int:
        """Delete shards no manifest line names (a run killed after writing one)."""
        named = {e["shard"] for e in self.entries}
        removed = 0
        for shard in self.dir.glob("part-*.parquet"):
            if shard.name not in named:
                shard.unlink()
                removed += 1
        return removed

    def record(self, shard: str, ids: list[str]) -> None:
        entry = {"shard": shard, "ids": ids, "settings": self.settings}
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.entries.append(entry)


# What translates the pending rows: yields (id, document or None, error) as results arrive.
TranslateRows = Callable[[list[Row]], Iterator[tuple[str, TranslatedDocument | None, str]]]


def run_dataset(
    path: str | os.PathLike[str],
    output_dir: str | os.PathLike[str],
    settings: dict[str, Any],
    translate: TranslateRows,
    *,
    id_column: str = "id",
    text_column: str = "text",
    shard_rows: int = SHARD_ROWS,
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchSummary:
    """Translate every row of a Parquet/JSONL table into Parquet shards in ``output_dir``;
    a rerun skips the ids already written under the same ``settings``."""
    import time

    source, target = Path(path), Path(output_dir)
    if not is_dataset(source):
        raise InputError(f"{source}: not a .parquet or .jsonl file")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: cannot create ({exc.strerror or exc})") from None
    emit = on_event or (lambda event: None)
    started = time.monotonic()
    summary = BatchSummary()
    with output_lock(target):
        rows = read_rows(source, id_column, text_column)
        manifest = ShardManifest(target, settings)
        manifest.remove_unrecorded()
        done = manifest.done()
        pending = [r for r in rows if r.id not in done]
        for r in rows:
            if r.id in done:
                summary.skipped += 1
                emit(BatchEvent("skipped", r.id))
        emit(BatchEvent("planned", "", count=len(pending)))
        buffer: list[dict[str, Any]] = []

        def flush() -> None:
            if buffer:
                shard = manifest.next_shard()
                write_atomic(target / shard, _parquet(buffer))
                manifest.record(shard, [b["id"] for b in buffer])
                buffer.clear()

        for key, document, error in translate(pending):
            if document is None:
                summary.failed.append((key, error))
                emit(BatchEvent("failed", key, error))
                buffer.append(
                    {"id": key, "english": "", "json": "", "status": "failed", "error": error}
                )
            else:
                sentences = sum(len(p.sentences) for p in document.paragraphs)
                summary.done += 1
                summary.sentences += sentences
                emit(BatchEvent("done", key, sentences=sentences, notes=document.meta.notes))
                buffer.append(
                    {"id": key, "english": str(render(document, "txt")),
                     "json": str(render(document, "json")), "status": "done", "error": ""}
                )  # fmt: skip
            if len(buffer) >= shard_rows:
                flush()
        flush()
    summary.seconds = time.monotonic() - started
    return summary


def _parquet(rows: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
