"""The store's SQLite file: opening and migrating it, write transactions that wait for
other writers, SQLite's errors as ``StoreError``s, the file check, and the store's clock.

Shared by ``Store`` (documents, paragraphs, history) and ``Memory`` (the memory table).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from translate.errors import TranslateError

# Readers never wait in WAL mode; a writer first waits this long for another writer, then says
# that it is waiting and goes on waiting up to WRITE_WAIT_S in all.
BUSY_TIMEOUT_MS = 5000
FIRST_TRY_S = 1.0
WRITE_WAIT_S = 30.0
log = logging.getLogger("translate.review.store")

# Each migration is applied once, in order, inside one transaction; ``PRAGMA user_version``
# records how many have run. Append new migrations, never edit old ones: files in the field
# already hold their effects.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            source_text TEXT NOT NULL,
            format TEXT NOT NULL,
            meta_json TEXT NOT NULL,
            glossary_tsv TEXT,
            glossary_sha256 TEXT
        )""",
        """CREATE TABLE paragraphs (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            pid TEXT NOT NULL,
            translated INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            data_json TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (doc_id, pid)
        )""",
        "CREATE UNIQUE INDEX paragraphs_order ON paragraphs(doc_id, idx)",
        """CREATE TABLE history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            segment TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX history_doc ON history(doc_id, segment)",
        "CREATE INDEX documents_updated ON documents(updated)",
    ),
    # 2: who made each change (approvals name the approver in the export's provenance).
    ("ALTER TABLE history ADD COLUMN who TEXT NOT NULL DEFAULT ''",),
    # 3: the translation memory's table, made here so that opening the memory of a store
    # never writes (files where the memory made it already have it).
    (
        """CREATE TABLE IF NOT EXISTS memory (
            key TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            document TEXT NOT NULL DEFAULT '',
            glossary_sha256 TEXT,
            updated TEXT NOT NULL
        )""",
    ),
    # 4: where each change came from: "" (the workspace, the API) or "import:FILE" (an
    # imported CAT file), so an import's edits can be told from an editor's.
    ("ALTER TABLE history ADD COLUMN origin TEXT NOT NULL DEFAULT ''",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(TranslateError):
    """The store cannot be opened, or holds no such document or paragraph."""

    exit_code = 1


class UnusableStoreError(StoreError):
    """The store file is damaged, not a store, or made by a newer version: nothing is written."""

    exit_code = 2


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the store file at ``path``, migrated to this version's schema.

    Shared by ``Store`` and ``Memory``. A new file is created private (0600; SQLite gives its
    ``-wal`` and ``-shm`` files the same mode). Opening an up-to-date file writes nothing, so
    that readers never wait for a writer. A file made by a newer version is refused before
    anything is written; a damaged one gets a message that says what to do.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the store ({exc.strerror or exc})") from None
    try:
        # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE), never
        # implicitly by the sqlite3 module, so each write takes the write lock up front.
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from None
    try:
        with sqlite_errors(path):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = _user_version(conn)
            if version > SCHEMA_VERSION:
                raise _newer(path, version)
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")  # once per file: WAL is persistent
            if version < SCHEMA_VERSION:
                _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _newer(path: Path, version: int) -> UnusableStoreError:
    return UnusableStoreError(
        f"{path}: this store was made by a newer version of translate-id-en (schema {version}, "
        f"this one knows {SCHEMA_VERSION}); upgrade translate-id-en, nothing was changed"
    )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    with write_transaction(conn, path):
        # Re-read under the write lock: another process may have migrated meanwhile.
        version = _user_version(conn)
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        for statements in MIGRATIONS[version:]:
            for sql in statements:
                conn.execute(sql)
        # PRAGMA takes no parameters; the value is our own integer.
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@dataclass(frozen=True)
class StoreCheck:
    """What ``check_file`` found: SQLite's integrity problems (none: sound), the schema
    version, and how many rows of each kind could be read (None: not readable)."""

    path: Path
    problems: tuple[str, ...]
    schema: int | None
    counts: dict[str, int | None]

    @property
    def ok(self) -> bool:
        """Whether the file is sound."""
        return not self.problems


_COUNTED = {
    "documents": "documents",
    "paragraphs": "paragraphs",
    "history entries": "history",
    "memory pairs": "memory",
}


def check_file(path: str | os.PathLike[str]) -> StoreCheck:
    """Check a store file without changing it: integrity, schema version, readable rows."""
    target = Path(path)
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return StoreCheck(target, (f"cannot open: {exc}",), None, {})
    problems: list[str] = []
    schema: int | None = None
    counts: dict[str, int | None] = {}
    try:
        try:
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
            problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
            schema = _user_version(conn)
        except sqlite3.Error as exc:
            problems = [str(exc)]
        for what, table in _COUNTED.items():
            try:  # table names are our own constants
                counts[what] = int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            except sqlite3.Error:
                counts[what] = None
    finally:
        conn.close()
    return StoreCheck(target, tuple(problems), schema, counts)


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors on the store file into ``StoreError``s that say what to do."""
    try:
        yield
    except sqlite3.Error as exc:
        raise store_failure(path, exc) from None


def store_failure(path: Path, exc: sqlite3.Error) -> StoreError:
    """The ``StoreError`` for an SQLite error on the store file."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path}: locked by another process that is writing to it; try again when it "
            "has finished"
        )
    if "not a database" in text:
        return UnusableStoreError(
            f"{path}: not a store ({text}); restore it from a backup, or set TRANSLATE_STORE "
            "to another file"
        )
    if "malformed" in text or "corrupt" in text or type(exc) is sqlite3.DatabaseError:
        return UnusableStoreError(
            f"{path}: the store is damaged ({text}); restore it from a backup, or run "
            f"`translate store check {path}` to see what can still be read"
        )
    return StoreError(f"{path}: {text}")


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction, holding the write lock from the start; rolled back on error.

    IMMEDIATE rather than DEFERRED: a deferred read that later upgrades to a write can fail
    with SQLITE_BUSY without waiting, when another connection committed in between. When
    another process holds the lock, the wait is logged (the CLI prints it) and lasts up to
    ``WRITE_WAIT_S``.
    """
    with sqlite_errors(path):
        _begin_immediate(conn, path)
        with conn:  # commits on success, rolls back on any exception
            yield conn


def _begin_immediate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(FIRST_TRY_S * 1000)}")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        log.warning(
            "%s: another process is writing to the store; waiting up to %.0f s",
            path,
            WRITE_WAIT_S,
        )
        conn.execute(f"PRAGMA busy_timeout = {int(max(WRITE_WAIT_S - FIRST_TRY_S, 0) * 1000)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise StoreError(
                f"{path}: still locked by another process after {WRITE_WAIT_S:.0f} s; try "
                "again when it has finished"
            ) from None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def now() -> str:
    """The current time, ISO-8601 UTC with microseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
