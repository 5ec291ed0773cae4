"""The SQLite store of documents, their paragraphs and the edit history (the file itself:
``database``).

Shared by the Streamlit workspace (one ``Store`` per browser session, each in its own thread),
the CLI and other processes on the same file. Paragraphs are stored as their contract JSON
(``translate.document/1``), one row each, so that an edit rewrites one row and two editors on
different paragraphs never overwrite each other. Every write is one ``BEGIN IMMEDIATE``
transaction: a read-modify-write of a paragraph sees the latest committed row, and a process
that dies mid-way leaves the previous state.
"""

from __future__ import annotations

import builtins
import json
import os
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from translate.config import store_path
from translate.document import (
    Block,
    Document,
    Meta,
    Mode,
    Origin,
    Paragraph,
    Sentence,
    Span,
    Status,
    TranslatedDocument,
)
from translate.review import edits
from translate.review.database import (
    StoreError,
    now,
    open_database,
    sqlite_errors,
    write_transaction,
)

if TYPE_CHECKING:
    from translate.terms.glossary import Glossary

# How a sentence's origin maps back to its span's mode; "mt" and "memory" were model spans.
_MODE_OF_ORIGIN: dict[Origin, Mode] = {"copy": "copy", "rule": "rule"}
_ORIGIN_OF_MODE: dict[Mode, Origin] = {"copy": "copy", "rule": "rule"}
_NO_META = Meta(model="", version="", backend="", beams=0, glossary_sha256=None, created="")


@dataclass(frozen=True)
class DocumentInfo:
    """One line of the document list: names, times and paragraph counts by state."""

    id: str
    name: str
    created: str
    updated: str
    paragraphs: int
    translated: int
    edited: int
    approved: int


# What a history row records: machine English arriving, an edit, an approval, another status
# change, or a revert (to the machine English or to an earlier row).
Action = Literal["mt", "edit", "approve", "status", "revert"]


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of a paragraph or sentence; ``id`` is the row id, for ``revert_to``.

    ``origin``: where the change came from: ``""`` (the workspace, the API) or
    ``import:FILE`` (an imported CAT file, by its name).
    """

    segment: str
    action: Action
    target: str
    status: Status
    at: str
    who: str = ""
    id: int = 0
    origin: str = ""


# The columns a HistoryEntry is read from, in its fields' order.
_HISTORY_COLUMNS = "segment, action, target, status, at, who, id, origin"


# History rows whose English an editor may go back to: machine English and edits (a status
# change or a revert records English that an edit or the MT recorded first).
_REVERTIBLE_ACTIONS: frozenset[Action] = frozenset({"edit", "mt"})


class EditConflict(StoreError):
    """A change based on a revision of a paragraph that is no longer its revision: another
    window changed it first. Nothing was written; ``paragraph`` is what it is now."""

    def __init__(
        self, paragraph_id: str, paragraph: Paragraph, revision: str, last: HistoryEntry | None
    ) -> None:
        self.paragraph, self.revision, self.last = paragraph, revision, last
        by = f" by {last.who}" if last is not None and last.who else ""
        at = f" at {last.at[11:16]} UTC" if last is not None else ""
        super().__init__(f"{paragraph_id} was changed in another window{at}{by}")


def revertible(entry: HistoryEntry, paragraph: Paragraph) -> bool:
    """Whether ``Store.revert_to`` to this history row would give the paragraph other English:
    a row of machine English or an edit, with English, unlike the segment's English now."""
    if entry.action not in _REVERTIBLE_ACTIONS or not entry.target:
        return False
    return entry.target != _target(paragraph, entry.segment)


class Store:
    """Documents and their edits in one SQLite file; safe across threads and processes."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path = store_path(path)
        self._lock = threading.Lock()
        self._conn = open_database(self.path)

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``write_transaction``)."""
        with write_transaction(self._conn, self.path) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so that several SELECTs see the same snapshot."""
        with sqlite_errors(self.path):
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """Copy the store, consistent while others write, to ``dest`` (private, atomic)."""
        target = Path(dest)
        if target.resolve() == self.path.resolve():
            raise StoreError(f"{target}: the backup must go to another file than the store")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)  # mkstemp makes it 0600, as the store is
        try:
            copy = sqlite3.connect(tmp)
            try:
                with self._lock, sqlite_errors(self.path):
                    self._conn.backup(copy)
            finally:
                copy.close()
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    # --- documents ---------------------------------------------------------------------------

    def create(
        self,
        document: Document,
        meta: Meta,
        *,
        source_text: str = "",
        glossary: Glossary | None = None,
    ) -> str:
        """Store a new document, every block an untranslated paragraph; return its id."""
        doc_id = "d-" + uuid.uuid4().hex[:12]
        name = document.name or meta.name
        # The reader's notes (repairs, a detected encoding) stay with the document.
        meta = replace(meta, name=name, format=document.format, notes=document.notes)
        stamp = now()
        tsv = glossary.to_tsv() if glossary is not None else None
        sha = glossary.sha256 if glossary is not None else None
        rows = [
            (doc_id, i, b.id, 0, "draft", _paragraph_json(_untranslated(b)), stamp)
            for i, b in enumerate(document.blocks)
        ]
        with self._lock, self._write() as conn:
            conn.execute(
                "INSERT INTO documents (id, name, created, updated, source_text, format,"
                " meta_json, glossary_tsv, glossary_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    name,
                    stamp,
                    stamp,
                    source_text,
                    document.format,
                    json.dumps(asdict(meta), ensure_ascii=False),
                    tsv,
                    sha,
                ),
            )
            conn.executemany(
                "INSERT INTO paragraphs (doc_id, idx, pid, translated, status, data_json, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return doc_id

    def save_translation(self, doc_id: str, translated: TranslatedDocument) -> None:
        """Store machine translation as it arrives (some or all paragraphs, by id).

        A paragraph already edited or approved keeps its English and status; only its machine
        English (and each sentence's ``mt`` and score) is updated: an editor's work is never
        overwritten by a re-translation.
        """
        with self._lock, self._write() as conn:
            meta = self._meta(conn, doc_id).with_record(translated.meta.record)
            stamp = now()
            for new in translated.paragraphs:
                old, _ = self._paragraph(conn, doc_id, new.id)
                if new.source != old.source:
                    raise StoreError(
                        f"{doc_id} {new.id}: the translation is of a different source text"
                    )
                merged = _merge_mt(old, new)
                conn.execute(
                    "UPDATE paragraphs SET translated = 1, status = ?, data_json = ?, updated = ?"
                    " WHERE doc_id = ? AND pid = ?",
                    (merged.status, _paragraph_json(merged), stamp, doc_id, new.id),
                )
                self._record(conn, doc_id, new.id, "mt", new.mt, merged.status, stamp)
            conn.execute(
                "UPDATE documents SET meta_json = ?, updated = ? WHERE id = ?",
                (json.dumps(asdict(meta), ensure_ascii=False), stamp, doc_id),
            )

    def pending(self, doc_id: str) -> Document:
        """The source ``Document`` of the paragraphs not yet translated (same ids and spans)."""
        with self._lock, self._read() as conn:
            name, fmt = self._require(conn, doc_id, "name, format")
            rows = conn.execute(
                "SELECT data_json FROM paragraphs WHERE doc_id = ? AND translated = 0 ORDER BY idx",
                (doc_id,),
            ).fetchall()
        blocks = tuple(_block(_paragraph_from_json(r[0])) for r in rows)
        return Document(blocks, name=str(name), format=str(fmt))

    def load(self, doc_id: str) -> TranslatedDocument:
        """The document with all its paragraphs, in order."""
        with self._lock, self._read() as conn:
            (meta_json,) = self._require(conn, doc_id, "meta_json")
            rows = conn.execute(
                "SELECT data_json FROM paragraphs WHERE doc_id = ? ORDER BY idx", (doc_id,)
            ).fetchall()
        # The contract reader builds the values, so the store and JSON files agree on the form.
        return TranslatedDocument.from_dict(
            {"meta": json.loads(meta_json), "paragraphs": [json.loads(r[0]) for r in rows]}
        )

    def paragraph(self, doc_id: str, paragraph_id: str) -> Paragraph:
        """One stored paragraph, as ``load`` would give it: what the workspace reads to redraw
        one row without loading the whole document."""
        with self._lock, self._read() as conn:
            return self._paragraph(conn, doc_id, paragraph_id)[0]

    def glossary_tsv(self, doc_id: str) -> str | None:
        """The document's glossary (from ``create`` or ``set_glossary``) as TSV (None: none)."""
        with self._lock, self._read() as conn:
            (tsv,) = self._require(conn, doc_id, "glossary_tsv")
        return None if tsv is None else str(tsv)

    def set_glossary(self, doc_id: str, glossary: Glossary | None) -> None:
        """Store the glossary the next translation of this document uses (None: none).

        ``meta.glossary_sha256`` keeps naming the glossary of the current MT, so the two
        checksums differ until the document is translated again.
        """
        tsv = glossary.to_tsv() if glossary is not None else None
        sha = glossary.sha256 if glossary is not None else None
        with self._lock, self._write() as conn:
            self._require(conn, doc_id, "id")
            conn.execute(
                "UPDATE documents SET glossary_tsv = ?, glossary_sha256 = ?, updated = ?"
                " WHERE id = ?",
                (tsv, sha, now(), doc_id),
            )

    def glossary(self, doc_id: str) -> Glossary | None:
        """The document's stored glossary, loaded (None: no glossary)."""
        from translate.terms.glossary import Glossary
        from translate.terms.values import GlossaryError

        tsv = self.glossary_tsv(doc_id)
        if tsv is None:
            return None
        # Glossary parses files only; the file's stem becomes the glossary's name.
        with tempfile.TemporaryDirectory(prefix="translate-glossary-") as folder:
            path = Path(folder) / "glossary.tsv"
            path.write_text(tsv, encoding="utf-8")
            try:
                return Glossary.load(path)
            except GlossaryError as exc:
                problems = "; ".join(str(p) for p in exc.problems[:3])
                raise StoreError(
                    f"{doc_id}: the stored glossary is unusable ({problems})"
                ) from None

    def list(self) -> builtins.list[DocumentInfo]:
        """All documents, the most recently updated first."""
        with self._lock, self._read() as conn:
            rows = conn.execute(
                """SELECT d.id, d.name, d.created, d.updated,
                          COUNT(p.pid),
                          COALESCE(SUM(p.translated), 0),
                          COALESCE(SUM(p.status = 'edited'), 0),
                          COALESCE(SUM(p.status = 'approved'), 0)
                   FROM documents d LEFT JOIN paragraphs p ON p.doc_id = d.id
                   GROUP BY d.id
                   ORDER BY d.updated DESC, d.created DESC, d.id"""
            ).fetchall()
        return [DocumentInfo(*row) for row in rows]

    def delete(self, doc_id: str) -> None:
        """Delete a document with its paragraphs and history."""
        with self._lock, self._write() as conn:
            self._require(conn, doc_id, "id")
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # --- editing -----------------------------------------------------------------------------

    def edit(
        self,
        doc_id: str,
        segment: str,
        english: str,
        who: str = "",
        *,
        seen: str | None = None,
        origin: str = "",
    ) -> Paragraph:
        """Set the English of a paragraph (``p3``) or one sentence (``p3.s1``); return it.

        ``seen``: the paragraph's revision the editor's text was based on (``revision``);
        when the paragraph changed since, nothing is written and ``EditConflict`` says what
        it is now. Every writer below takes it too. ``origin``: recorded with the history
        row (``HistoryEntry.origin``).
        """
        paragraph_id = segment.partition(".")[0]
        return self.edit_segments(
            doc_id, paragraph_id, [(segment, english)], who, seen=seen, origin=origin
        )

    def edit_segments(
        self,
        doc_id: str,
        paragraph_id: str,
        english: Sequence[tuple[str, str]],
        who: str = "",
        *,
        seen: str | None = None,
        origin: str = "",
    ) -> Paragraph:
        """Set the English of several segments of one paragraph (``(p3.s0, …), (p3.s1, …)``,
        or the paragraph itself), in order, in one transaction; return the paragraph.

        One history row per segment that changed; a segment that fails writes none of them.
        An import applies a paragraph's sentences against the one revision it previewed
        (``seen``): written one by one, the first would change the revision the second is
        checked against.
        """
        for segment, _ in english:
            if segment.partition(".")[0] != paragraph_id:
                raise StoreError(f"{segment} is not a segment of {paragraph_id}")
        steps = [(segment, _editing(segment, text)) for segment, text in english]
        return self._update(doc_id, paragraph_id, steps, lambda _: "edit", who, seen, origin)

    def set_status(
        self,
        doc_id: str,
        paragraph_id: str,
        status: str,
        who: str = "",
        *,
        seen: str | None = None,
    ) -> Paragraph:
        """Set a paragraph's review status (draft, edited, approved); return it.

        An approval records ``who`` and the time on the paragraph. Approving an approved
        paragraph again by the same person changes nothing.
        """

        def change(p: Paragraph, stamp: str) -> Paragraph:
            if p.status == status and (status != "approved" or p.approved_by == who):
                return p
            return edits.set_status(p, status, who, at=stamp)

        paragraph = self._update(
            doc_id,
            paragraph_id,
            [(paragraph_id, change)],
            lambda p: "approve" if p.status == "approved" else "status",
            who,
            seen,
        )
        if paragraph.status == "approved":
            # Every approved unit goes into the translation memory (newest approval wins).
            from translate.review.memory import Memory, approved_units

            meta = self.load(doc_id).meta
            single = TranslatedDocument(meta, (paragraph,))
            with Memory(self.path) as memory:
                memory.add_many(approved_units(single, doc_id))
        return paragraph

    def revert(
        self, doc_id: str, paragraph_id: str, who: str = "", *, seen: str | None = None
    ) -> Paragraph:
        """Put a paragraph back to its machine translation, as a draft; return it."""
        return self._update(
            doc_id,
            paragraph_id,
            [(paragraph_id, lambda p, _: edits.revert(p))],
            lambda _: "revert",
            who,
            seen,
        )

    def revert_to(
        self,
        doc_id: str,
        segment: str,
        history_id: int,
        who: str = "",
        *,
        seen: str | None = None,
    ) -> Paragraph:
        """Set a paragraph (``p3``) or sentence (``p3.s1``) back to the English of an earlier
        history row of that same segment; recorded as a ``revert``. Return the paragraph.

        Text equal to the current machine English makes the paragraph a draft again, as
        ``revert`` does; any other text is an edit (an approval is never restored with it).
        """
        paragraph_id, _, sentence = segment.partition(".")
        # History rows are never changed, so reading one before the write transaction is safe.
        with self._lock, self._read() as conn:
            self._require(conn, doc_id, "id")
            row = conn.execute(
                "SELECT doc_id, segment, target FROM history WHERE id = ?", (history_id,)
            ).fetchone()
        if row is None or row[0] != doc_id or row[1] != segment:
            raise StoreError(f"no history entry {history_id} of {segment} in document {doc_id}")
        english = str(row[2])

        def change(p: Paragraph, _: str) -> Paragraph:
            new = _edit(p, segment, english, bool(sentence))
            if new != p and _is_mt(new):
                return edits.revert(p)
            return new

        return self._update(
            doc_id, paragraph_id, [(segment, change)], lambda _: "revert", who, seen
        )

    def _update(
        self,
        doc_id: str,
        paragraph_id: str,
        steps: Sequence[tuple[str, Callable[[Paragraph, str], Paragraph]]],
        action: Callable[[Paragraph], Action],
        who: str,
        seen: str | None = None,
        origin: str = "",
    ) -> Paragraph:
        """Read, change and write one paragraph in one IMMEDIATE transaction, with history.

        Each step is (segment, change): ``change`` gets the paragraph as the steps before left
        it, and the time of the change; each step that changes something records one history
        row of its segment. Changes that leave the paragraph as it was write nothing and
        record nothing. With ``seen``, a paragraph whose revision is another is refused
        (``EditConflict``) inside the same transaction, so two windows can never both win.
        """
        with self._lock, self._write() as conn:
            old, translated = self._paragraph(conn, doc_id, paragraph_id)
            if not translated:
                # Editing needs the machine's sentence alignment, which arrives with the MT.
                raise StoreError(f"{paragraph_id} of {doc_id} is not translated yet")
            if seen is not None:
                current = self._revision(conn, doc_id, paragraph_id)
                if current != seen:
                    raise EditConflict(
                        paragraph_id, old, current, self._last(conn, doc_id, paragraph_id)
                    )
            stamp = now()
            new = old
            rows: list[tuple[str, Paragraph]] = []
            for segment, change in steps:
                after = change(new, stamp)
                if after != new:
                    rows.append((segment, after))
                    new = after
            if new == old:
                return old
            conn.execute(
                "UPDATE paragraphs SET status = ?, data_json = ?, updated = ?"
                " WHERE doc_id = ? AND pid = ?",
                (new.status, _paragraph_json(new), stamp, doc_id, paragraph_id),
            )
            conn.execute("UPDATE documents SET updated = ? WHERE id = ?", (stamp, doc_id))
            for segment, after in rows:
                self._record(
                    conn,
                    doc_id,
                    segment,
                    action(after),
                    _target(after, segment),
                    after.status,
                    stamp,
                    who,
                    origin,
                )
        return new

    def history(self, doc_id: str, segment: str | None = None) -> builtins.list[HistoryEntry]:
        """Recorded changes, oldest first; for a paragraph id, its sentences' too."""
        with self._lock, self._read() as conn:
            self._require(conn, doc_id, "id")
            sql = f"SELECT {_HISTORY_COLUMNS} FROM history WHERE doc_id = ?"
            args: tuple[str | int, ...] = (doc_id,)
            if segment is not None:
                # Exact prefix test, not LIKE: "p1" must not match "p10.s0".
                sql += " AND (segment = ? OR substr(segment, 1, ?) = ?)"
                args = (doc_id, segment, len(segment) + 1, segment + ".")
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [HistoryEntry(*row) for row in rows]

    def revisions(self, doc_id: str) -> dict[str, str]:
        """Each paragraph's revision: changes whenever its English, status or MT changes."""
        with self._lock, self._read() as conn:
            self._require(conn, doc_id, "id")
            rows = conn.execute(
                "SELECT pid, updated FROM paragraphs WHERE doc_id = ?", (doc_id,)
            ).fetchall()
        return {str(pid): str(updated) for pid, updated in rows}

    # --- helpers (called with the lock held, inside a transaction) ----------------------------

    @staticmethod
    def _revision(conn: sqlite3.Connection, doc_id: str, paragraph_id: str) -> str:
        row = conn.execute(
            "SELECT updated FROM paragraphs WHERE doc_id = ? AND pid = ?", (doc_id, paragraph_id)
        ).fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def _last(conn: sqlite3.Connection, doc_id: str, paragraph_id: str) -> HistoryEntry | None:
        row = conn.execute(
            f"SELECT {_HISTORY_COLUMNS} FROM history WHERE doc_id = ?"
            " AND (segment = ? OR substr(segment, 1, ?) = ?) ORDER BY id DESC LIMIT 1",
            (doc_id, paragraph_id, len(paragraph_id) + 1, paragraph_id + "."),
        ).fetchone()
        return HistoryEntry(*row) if row else None

    def _require(self, conn: sqlite3.Connection, doc_id: str, columns: str) -> tuple[Any, ...]:
        row = conn.execute(f"SELECT {columns} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document {doc_id} in {self.path}")
        return tuple(row)

    def _meta(self, conn: sqlite3.Connection, doc_id: str) -> Meta:
        (meta_json,) = self._require(conn, doc_id, "meta_json")
        return TranslatedDocument.from_dict({"meta": json.loads(meta_json)}).meta

    def _paragraph(
        self, conn: sqlite3.Connection, doc_id: str, paragraph_id: str
    ) -> tuple[Paragraph, bool]:
        """A stored paragraph and whether its MT has arrived."""
        row = conn.execute(
            "SELECT data_json, translated FROM paragraphs WHERE doc_id = ? AND pid = ?",
            (doc_id, paragraph_id),
        ).fetchone()
        if row is None:
            self._require(conn, doc_id, "id")
            raise StoreError(f"no paragraph {paragraph_id} in document {doc_id} ({self.path})")
        return _paragraph_from_json(row[0]), bool(row[1])

    @staticmethod
    def _record(
        conn: sqlite3.Connection,
        doc_id: str,
        segment: str,
        action: Action,
        target: str,
        status: Status,
        at: str,
        who: str = "",
        origin: str = "",
    ) -> None:
        conn.execute(
            "INSERT INTO history (doc_id, segment, action, target, status, at, who, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, segment, action, target, status, at, who, origin),
        )


# --- paragraph values ↔ rows ----------------------------------------------------------------


def _editing(segment: str, english: str) -> Callable[[Paragraph, str], Paragraph]:
    """The change that sets one segment's English (a step of ``Store._update``)."""
    sentence = "." in segment
    return lambda paragraph, _: _edit(paragraph, segment, english, sentence)


def _edit(paragraph: Paragraph, segment: str, english: str, sentence: bool) -> Paragraph:
    if sentence:
        return edits.edit_sentence(paragraph, segment, english)
    return edits.edit_paragraph(paragraph, english)


def _target(paragraph: Paragraph, segment: str) -> str:
    """The English of a paragraph, or of one of its sentences, as recorded in the history."""
    if segment == paragraph.id:
        return paragraph.target
    return next((s.target for s in paragraph.sentences if s.id == segment), paragraph.target)


def _is_mt(paragraph: Paragraph) -> bool:
    """Whether the paragraph's English is exactly its machine English, sentence by sentence."""
    return paragraph.target == paragraph.mt and all(s.target == s.mt for s in paragraph.sentences)


def _untranslated(block: Block) -> Paragraph:
    """A block as a paragraph with no English yet; sentence origins record the span modes."""
    sentences = tuple(
        Sentence(
            id=f"{block.id}.s{i}",
            source=block.source[s.start : s.end],
            start=s.start,
            end=s.end,
            target="",
            mt="",
            origin=_ORIGIN_OF_MODE.get(s.mode, "mt"),
        )
        for i, s in enumerate(block.spans)
    )
    return Paragraph(
        id=block.id,
        kind=block.kind,
        source=block.source,
        target="",
        mt="",
        status="draft",
        sentences=sentences,
        level=block.level,
        marker=block.marker,
    )


def _block(paragraph: Paragraph) -> Block:
    """The source block of a stored paragraph (the inverse of ``_untranslated``)."""
    spans = tuple(
        Span(s.start, s.end, _MODE_OF_ORIGIN.get(s.origin, "translate"))
        for s in paragraph.sentences
    )
    return Block(
        paragraph.id, paragraph.kind, paragraph.source, spans, paragraph.level, paragraph.marker
    )


def _merge_mt(old: Paragraph, new: Paragraph) -> Paragraph:
    """The stored paragraph updated with new machine English, keeping an editor's work."""
    if old.status == "draft":
        return new
    olds = {s.id: s for s in old.sentences}
    if [s.id for s in new.sentences] == [s.id for s in old.sentences]:
        sentences = tuple(replace(s, target=olds[s.id].target) for s in new.sentences)
        segmentation = old.segmentation
    else:
        # Cannot happen for the same source; if it does, the edit survives as a paragraph unit.
        sentences, segmentation = new.sentences, "paragraph"
    return replace(
        new,
        target=old.target,
        status=old.status,
        sentences=sentences,
        segmentation=segmentation,
        # The English is the editor's, so its approval stands too.
        approved_by=old.approved_by,
        approved_at=old.approved_at,
    )


def _paragraph_json(paragraph: Paragraph) -> str:
    # The contract's own writer, so a row is exactly one entry of the document JSON; the meta
    # is needed to build a document but is not part of a paragraph's entry.
    data = TranslatedDocument(_NO_META, (paragraph,)).to_dict()["paragraphs"][0]
    return json.dumps(data, ensure_ascii=False)


def _paragraph_from_json(text: str) -> Paragraph:
    data = {"meta": asdict(_NO_META), "paragraphs": [json.loads(text)]}
    return TranslatedDocument.from_dict(data).paragraphs[0]
