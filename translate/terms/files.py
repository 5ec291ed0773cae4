"""Glossary files: the registry of formats, the bounded read, and the tabular formats.

``FORMATS`` maps a format's name (which is also its file extension) to how it is read and
written; ``Glossary.load``/``save``, ``translate glossary convert --to`` and the UI's upload
filter all take the formats from it. TSV and CSV share one header and row logic and live here;
TBX is XML and lives in ``translate.terms.tbx``. Reading gives ``Row`` values and problems with
line numbers; validating them is ``translate.terms.validate``'s job.

TSV and CSV files have a header row naming the columns ``source``, ``target``,
``case_sensitive``, ``variants`` (separated by ``|``) and ``note``, in any order and case; see
``glossary/README.md`` for the conventions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.files import Unreadable, read_bounded
from translate.terms.tbx import read_tbx, write_tbx
from translate.terms.validate import COLUMNS, Row
from translate.terms.values import Entry, GlossaryError, Problem

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "Format",
    "format_of",
    "read_rows",
    "to_csv",
    "to_tsv",
    "tsv_line",
    "unknown_format",
]

MAX_FILE_BYTES = 50 * 1024 * 1024

Reader = Callable[[bytes, list[Problem]], list[Row]]
Writer = Callable[[Sequence[Entry], str], bytes]


@dataclass(frozen=True)
class Format:
    """A glossary file format: `read` turns a file's bytes into rows, adding what it finds
    wrong to the problems; `write` turns entries and the glossary's name into the file's
    bytes."""

    name: str
    read: Reader
    write: Writer


# --- reading --------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    def error(exc: Unreadable) -> GlossaryError:
        message = exc.reason(
            missing="no such glossary file",
            directory="is a directory, not a glossary file",
            too_large=f"is {exc.size} bytes; glossary files are limited to {MAX_FILE_BYTES}",
            os=f"cannot read: {exc.detail}",
        )
        return GlossaryError.about_file(str(path), message)

    return read_bounded(path, MAX_FILE_BYTES, error=error)


class _NotText(ValueError):
    """A tabular file's bytes are not UTF-8 text; the message says why."""


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _NotText("is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        raise _NotText("looks binary (contains NUL bytes); a glossary is UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        message = f"is not UTF-8 (byte 0x{byte:02X} on line {line}); save it as UTF-8"
        raise _NotText(message) from None


def _header(fields: Sequence[str], line: int, problems: list[Problem]) -> dict[str, int] | None:
    """Column positions by name, or None when the header is unusable."""
    columns: dict[str, int] = {}
    for pos, raw_name in enumerate(fields):
        name = raw_name.strip().lower()
        if name in columns:
            problems.append(Problem(line, "error", f"column {name!r} appears twice in the header"))
            return None
        columns[name] = pos
        if name not in COLUMNS:
            problems.append(
                Problem(line, "warning", f"unknown column {raw_name.strip()!r} ignored")
            )
    missing = [c for c in ("source", "target") if c not in columns]
    if missing:
        found = ", ".join(repr(f.strip()) for f in fields)
        problems.append(
            Problem(line, "error", f"header lacks {' and '.join(missing)} (found {found})")
        )
        return None
    return columns


def _row(columns: Mapping[str, int], fields: Sequence[str], line: int) -> Row:
    def get(name: str) -> str:
        pos = columns.get(name)
        return fields[pos] if pos is not None else ""

    return Row(
        line,
        f"line {line}",
        get("source"),
        get("target"),
        get("case_sensitive"),
        get("variants"),
        get("note"),
    )


def _table(
    records: Iterable[tuple[int, list[str]]], fields_name: str, problems: list[Problem]
) -> list[Row]:
    """Rows of a tabular file from its non-blank records (line number, fields): the first is
    the header, every other must have as many fields (`fields_name` says what they are)."""
    rows: list[Row] = []
    columns: dict[str, int] | None = None
    for number, fields in records:
        if columns is None:
            columns = _header(fields, number, problems)
            if columns is None:
                return []
            continue
        if len(fields) != len(columns):
            message = f"expected {len(columns)} {fields_name}, found {len(fields)}"
            problems.append(Problem(number, "error", message))
            continue
        rows.append(_row(columns, fields, number))
    if columns is None:
        problems.append(Problem(1, "error", "empty file: no header line"))
    return rows


def _read_tsv(data: bytes, problems: list[Problem]) -> list[Row]:
    text = _decode(data)

    def records() -> Iterator[tuple[int, list[str]]]:
        # Split on "\n" only: str.splitlines() would also split on \x0b, \x1c, U+2028 …
        # and put line numbers out of step with editors.
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.removesuffix("\r")
            if line.strip():
                yield number, line.split("\t")

    return _table(records(), "tab-separated fields", problems)


class _Malformed(ValueError):
    """The CSV parser gave up; the problem is already listed and the file gives no rows."""


def _read_csv(data: bytes, problems: list[Problem]) -> list[Row]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    # Spreadsheets in many locales save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            number = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.append(Problem(reader.line_num, "error", f"malformed CSV: {exc}"))
                raise _Malformed from None
            if any(f.strip() for f in fields):
                yield number, fields

    try:
        return _table(records(), "fields", problems)
    except _Malformed:
        return []


# --- writing --------------------------------------------------------------------------------


def _fields(e: Entry) -> list[str]:
    return [
        e.source,
        e.target,
        "true" if e.case_sensitive else "false",
        "|".join(e.variants),
        e.note,
    ]


def tsv_line(e: Entry) -> str:
    """One entry as a TSV line (without the line break), columns in ``COLUMNS`` order."""
    return "\t".join(_fields(e))


def to_tsv(entries: Sequence[Entry]) -> str:
    """Entries as a TSV file (header and one line per entry)."""
    return "\t".join(COLUMNS) + "\n" + "".join(tsv_line(e) + "\n" for e in entries)


def to_csv(entries: Sequence[Entry]) -> str:
    """Entries as a CSV file with the same columns as TSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow(_fields(e))
    return out.getvalue()


def _write_tsv(entries: Sequence[Entry], name: str) -> bytes:
    return to_tsv(entries).encode("utf-8")


def _write_csv(entries: Sequence[Entry], name: str) -> bytes:
    return to_csv(entries).encode("utf-8")


# --- the registry ---------------------------------------------------------------------------

FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("tsv", _read_tsv, _write_tsv),
        Format("csv", _read_csv, _write_csv),
        Format("tbx", read_tbx, write_tbx),
    )
}


def format_of(path: Path) -> Format | None:
    """The format a file's extension names (in any case), or None."""
    return FORMATS.get(path.suffix.lower().lstrip("."))


def unknown_format(path: Path) -> str:
    """What to say about a file whose extension names no glossary format."""
    names = [f".{name}" for name in FORMATS]
    choices = ", ".join(names[:-1]) + " or " + names[-1]
    return f"unknown glossary format {path.suffix!r} (use {choices})"


def read_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """Rows and parse problems; raises GlossaryError only when the file cannot be read."""
    fmt = format_of(path)
    if fmt is None:
        raise GlossaryError.about_file(str(path), unknown_format(path))
    data = _read_bytes(path)
    problems: list[Problem] = []
    try:
        rows = fmt.read(data, problems)
    except _NotText as exc:
        raise GlossaryError.about_file(str(path), str(exc)) from None
    return rows, problems
