"""Translation memory: approved sentence pairs reused across articles, exact and fuzzy.

Pairs live in the store's SQLite file (table ``memory``), one per normalised source: the newest
approved translation of a source wins. Lookups use in-memory indexes built on first use:

* exact: a dictionary on the normalised source (NFC, white space collapsed);
* fuzzy: a word index. Two sentences at 75 % character similarity share most of their words, so
  a match must contain at least one of the query's rarest words (pigeonhole over the words it
  cannot have lost); only those entries, within the length band that 75 % allows, are scored
  with rapidfuzz. No scan of the whole memory.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.config import store_path
from translate.document import TRANSLATED_ORIGINS, TranslatedDocument
from translate.errors import TranslateError
from translate.review.database import now, open_database, sqlite_errors, write_transaction

FUZZY_THRESHOLD = 75.0
_WORD = re.compile(r"\w+", re.UNICODE)


class TranslationMemoryError(TranslateError):
    """The translation memory cannot be read or written."""


@dataclass(frozen=True)
class MemoryEntry:
    """A pair to store: an approved unit's source and English, the document it came from, the
    glossary it was translated with, and when it was approved (None: now)."""

    source: str
    target: str
    document: str = ""
    glossary_sha256: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class MemoryHit:
    """A stored pair that matches a sentence: exactly (score 100) or fuzzily."""

    source: str
    target: str
    score: float
    document: str = ""
    updated: str = ""

    @property
    def exact(self) -> bool:
        """Whether the stored source is the sentence itself (after normalisation)."""
        return self.score >= 100.0


def normalise(text: str) -> str:
    """The lookup key of a sentence: NFC, white space collapsed and trimmed."""
    if not text.isascii():  # ASCII is already NFC; most lookups skip the Unicode tables
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


class Memory:
    """Sentence pairs in SQLite, with exact and fuzzy lookups."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = store_path(path)
        # The store's own opener: same schema (the memory table is one of its migrations),
        # same refusal of newer or damaged files, and opening writes nothing.
        self._conn = open_database(self.path)
        self._lock = threading.Lock()
        self._index: _Index | None = None

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        with sqlite_errors(self.path):
            return int(self._conn.execute("SELECT COUNT(*) FROM memory").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------

    def add(self, source: str, target: str, *, updated: str | None = None) -> bool:
        """Store one pair (``add_many`` takes whole ``MemoryEntry`` values); a newer pair for
        the same source replaces an older one. Returns whether anything changed."""
        return self.add_many([MemoryEntry(source, target, updated=updated)]) > 0

    def add_many(self, entries: Iterable[MemoryEntry]) -> int:
        """Store many pairs in one transaction; return how many rows changed."""
        rows = []
        for e in entries:
            key = normalise(e.source)
            if key and e.target.strip():
                rows.append(
                    (
                        key,
                        e.source.strip(),
                        e.target.strip(),
                        e.document,
                        e.glossary_sha256,
                        e.updated or now(),
                    )
                )
        if not rows:
            return 0
        with self._lock, write_transaction(self._conn, self.path):
            before = self._conn.total_changes
            self._conn.executemany(
                "INSERT INTO memory (key, source, target, document, glossary_sha256, updated) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "source = excluded.source, target = excluded.target, "
                "document = excluded.document, glossary_sha256 = excluded.glossary_sha256, "
                "updated = excluded.updated "
                "WHERE excluded.updated >= memory.updated AND excluded.target != memory.target",
                rows,
            )
            changed = self._conn.total_changes - before
            self._index = None  # rebuilt on the next lookup
        return changed

    def add_document(self, document: TranslatedDocument, doc_id: str = "") -> int:
        """Store every approved unit of a document: its sentence pairs, or the whole
        paragraph where an edit changed the sentence count."""
        return self.add_many(approved_units(document, doc_id))

    # --- reading ---------------------------------------------------------------------------

    def exact(self, source: str) -> MemoryHit | None:
        """The stored translation of exactly this sentence, if any."""
        return self._ensure_index().exact.get(normalise(source))

    def fuzzy(
        self, source: str, threshold: float = FUZZY_THRESHOLD, limit: int = 3
    ) -> list[MemoryHit]:
        """Stored pairs whose source is at least ``threshold`` % similar, best first."""
        from rapidfuzz import fuzz, process

        index = self._ensure_index()
        query = normalise(source)
        candidates = index.candidates(query, threshold)
        if not candidates:
            return []
        found = process.extract(
            query,
            [index.keys[i] for i in candidates],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            limit=limit,
        )
        return [index.hit(candidates[j], float(score)) for _, score, j in found]

    def pairs(self) -> list[MemoryHit]:
        """Every stored pair (for export)."""
        with sqlite_errors(self.path):
            rows = self._conn.execute(
                "SELECT source, target, document, updated FROM memory ORDER BY key"
            ).fetchall()
        return [MemoryHit(s, t, 100.0, d, u) for s, t, d, u in rows]

    def _ensure_index(self) -> _Index:
        index = self._index
        if index is not None:  # the common case, without the lock
            return index
        with self._lock:
            if self._index is None:
                with sqlite_errors(self.path):
                    rows = self._conn.execute(
                        "SELECT key, source, target, document, updated FROM memory"
                    ).fetchall()
                self._index = _Index(rows)
            return self._index


class _Index:
    """Exact dictionary and word index over a snapshot of the memory."""

    # Fuzzy candidates scored by rapidfuzz per query, at most: the best by shared rare words.
    SHORTLIST = 40

    def __init__(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        import numpy as np

        self.rows = rows
        self.keys = [r[0] for r in rows]
        # Exact hits are built once: a lookup is a normalisation and one dictionary access.
        self.exact = {k: MemoryHit(s, t, 100.0, d, u) for k, s, t, d, u in rows}
        self.lengths = np.array([len(k) for k in self.keys], dtype=np.int32)
        postings: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            for w in set(_WORD.findall(key.lower())):
                postings.setdefault(w, []).append(i)
        self.words = {w: np.array(ids, dtype=np.int32) for w, ids in postings.items()}

    def hit(self, i: int, score: float) -> MemoryHit:
        _, source, target, document, updated = self.rows[i]
        return MemoryHit(source, target, score, document, updated)

    def candidates(self, query: str, threshold: float) -> list[int]:
        """Entries that can reach ``threshold``: they share one of the query's rarest words
        (enough of them that a match cannot have lost them all) and fit the length band."""
        words = sorted(set(_WORD.findall(query.lower())), key=lambda w: len(self.words.get(w, ())))
        if not words:
            return []
        # At ratio r, at most (1 - r) of the characters differ, so fewer than that share of the
        # words can be missing; a match keeps at least one of the rarest ceil(share) + 1 words.
        import numpy as np

        share = (1 - threshold / 100) * 2
        needed = min(len(words), int(len(words) * share) + 1)
        lists = [self.words[w] for w in words[:needed] if w in self.words]
        if not lists:
            return []
        ids, shared = np.unique(np.concatenate(lists), return_counts=True)
        low = len(query) * threshold / (200 - threshold)
        high = len(query) * (200 - threshold) / threshold
        fits = (self.lengths[ids] >= low) & (self.lengths[ids] <= high)
        ids, shared = ids[fits], shared[fits]
        if len(ids) > self.SHORTLIST:
            # Those sharing the most of the query's rare words first.
            best = np.argpartition(-shared, self.SHORTLIST - 1)[: self.SHORTLIST]
            ids = ids[best]
        return ids.tolist()  # type: ignore[no-any-return]


def approved_units(document: TranslatedDocument, doc_id: str = "") -> list[MemoryEntry]:
    """Every approved unit of a document as a memory entry: its translated sentence pairs, or
    the whole paragraph where an edit changed the sentence count."""
    out: list[MemoryEntry] = []
    sha = document.meta.glossary_sha256
    for p in document.paragraphs:
        if p.status != "approved" or not p.translated:
            continue
        when = p.approved_at or None
        if p.segmentation == "paragraph":
            out.append(MemoryEntry(p.source, p.target, doc_id, sha, when))
            continue
        for s in p.sentences:
            if s.origin in TRANSLATED_ORIGINS and s.target:
                out.append(MemoryEntry(s.source, s.target, doc_id, sha, when))
    return out


def open_memory(value: Memory | str | os.PathLike[str] | bool | None) -> Memory | None:
    """``None`` → no memory; a ``Memory`` as is; ``True`` → the store's; a path → that file."""
    if value is None or value is False:
        return None
    if isinstance(value, Memory):
        return value
    if value is True:
        return Memory()
    if isinstance(value, str | os.PathLike):
        return Memory(Path(value))
    raise TypeError(f"memory must be a Memory, a path, True or None, not {value!r}")
