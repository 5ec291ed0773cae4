"""Validating glossary rows: the one place for what makes an entry usable and two entries clash.

Every way into a glossary (a TSV, CSV or TBX file, ``Glossary.from_entries``, the constructor)
turns its input into ``Row`` values first; ``validate`` makes them ``Entry`` values and lists
every problem, and ``usable`` raises ``GlossaryError`` when any is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from translate.terms.matcher import folds, key
from translate.terms.values import Entry, GlossaryError, Problem, Severity, by_line

__all__ = [
    "COLUMNS",
    "MAX_TERM",
    "Row",
    "error",
    "row_of_entry",
    "rows_of_items",
    "usable",
    "validate",
    "warning",
]

MAX_TERM = 200  # characters, for sources, variants and targets
COLUMNS = ("source", "target", "case_sensitive", "variants", "note")

_TRUE = frozenset({"", "true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Row:
    """One row as read, before validation; `where` names it in messages."""

    line: int | None
    where: str
    source: Any
    target: Any
    case: Any = ""
    variants: Any = ""
    note: Any = ""


def _problem(line: int | None, where: str, severity: Severity, message: str) -> Problem:
    # With a line number the message stands alone ("line 3: ..."); without, it says where.
    return Problem(line, severity, message if line is not None else f"{where}: {message}")


def error(row: Row, message: str) -> Problem:
    """An error about `row`."""
    return _problem(row.line, row.where, "error", message)


def warning(row: Row, message: str) -> Problem:
    """A warning about `row`."""
    return _problem(row.line, row.where, "warning", message)


def row_of_entry(entry: Entry, n: int) -> Row:
    """An entry as a row (the `n`th given), to validate it like a file's."""
    where = f"line {entry.line}" if entry.line is not None else f"entry {n}"
    return Row(
        entry.line,
        where,
        entry.source,
        entry.target,
        entry.case_sensitive,
        tuple(entry.variants),
        entry.note,
    )


def rows_of_items(
    items: Iterable[Entry | tuple[str, str] | Mapping[str, Any]],
) -> tuple[list[Row], list[Problem]]:
    """Rows from Entry objects, (source, target) pairs or row mappings (keys are the file
    columns, `variants` a '|' string or a list), and the problems with the items themselves."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, item in enumerate(items, start=1):
        where = f"entry {n}"
        if isinstance(item, Entry):
            rows.append(row_of_entry(item, n))
        elif isinstance(item, Mapping):
            unknown = sorted(str(k) for k in item if k not in (*COLUMNS, "line"))
            if unknown:
                problems.append(Problem(None, "warning", f"{where}: unknown keys {unknown}"))
            line = item.get("line")
            rows.append(
                Row(
                    line if isinstance(line, int) else None,
                    f"line {line}" if isinstance(line, int) else where,
                    item.get("source"),
                    item.get("target"),
                    item.get("case_sensitive", ""),
                    item.get("variants", ""),
                    item.get("note", ""),
                )
            )
        elif isinstance(item, tuple) and len(item) == 2:
            rows.append(Row(None, where, item[0], item[1]))
        else:
            problems.append(
                Problem(
                    None,
                    "error",
                    f"{where}: expected an Entry, a (source, target) pair or a mapping, "
                    f"not {type(item).__name__}",
                )
            )
    return rows, problems


def _text_field(row: Row, name: str, value: Any, problems: list[Problem]) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(error(row, f"{name} must be text, not {type(value).__name__}"))
        return None
    text: str = value
    bad = _CONTROL.search(text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        problems.append(error(row, f"control character {code} in {name} {text[:40]!r}"))
        return None
    # Documents are NFC; forms must be too, or "é" typed two ways would never match.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _parse_case(row: Row, problems: list[Problem]) -> bool:
    value = row.case
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if value is None:
        return True
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    problems.append(error(row, f"case_sensitive must be true or false, not {value!r}"))
    return True


def _make_entry(row: Row, problems: list[Problem]) -> Entry | None:
    """Validate one row; returns an Entry when source and target are usable (even with other
    errors, so that duplicates are still checked), else None."""
    source = _text_field(row, "source", row.source, problems)
    target = _text_field(row, "target", row.target, problems)
    note = _text_field(row, "note", row.note, problems)
    case = _parse_case(row, problems)
    variants: list[str] = []
    pieces: Iterable[Any]
    if isinstance(row.variants, str):
        pieces = row.variants.split("|") if row.variants.strip() else []
    elif row.variants is None:
        pieces = []
    elif isinstance(row.variants, (list, tuple)):
        pieces = row.variants
        for v in pieces:
            if isinstance(v, str) and "|" in v:
                problems.append(error(row, f"variant {v!r} contains '|'"))
    else:
        problems.append(error(row, "variants must be text separated by '|' or a list of text"))
        pieces = []
    for piece in pieces:
        text = _text_field(row, "variant", piece, problems)
        if text is None:
            continue
        if not text.strip():
            problems.append(warning(row, "empty variant ignored"))
            continue
        variants.append(key(text))
    if source is not None and "|" in source:
        problems.append(error(row, f"source {source!r} contains '|' (list variants separately)"))
    ok = True
    for name, value in (("source", source), ("target", target)):
        if value is not None and not value.strip():
            problems.append(error(row, f"empty {name}"))
            ok = False
    if source is None or target is None or not ok:
        return None
    entry = Entry(
        source=key(source),
        target=key(target),
        case_sensitive=case,
        variants=tuple(variants),
        note=(note or "").strip(),
        line=row.line,
    )
    for name, value in (("source", entry.source), ("target", entry.target)):
        if len(value) > MAX_TERM:
            problems.append(error(row, f"{name} is {len(value)} characters (limit {MAX_TERM})"))
    for v in entry.variants:
        if len(v) > MAX_TERM:
            problems.append(error(row, f"variant is {len(v)} characters (limit {MAX_TERM})"))
    return entry


def _check_duplicates(
    entries: Sequence[Entry], labels: Sequence[str], lines: Sequence[int | None]
) -> list[Problem]:
    """Conflicting forms (errors) and repeated forms (warnings) across entries.

    Two forms collide when equal as written, or equal casefolded when either matches in any
    case: exactly the pairs the matcher could not tell apart.
    """
    problems: list[Problem] = []
    seen: dict[str, list[tuple[int, str, bool]]] = {}  # casefolded -> (entry, form, folds)
    reported: set[tuple[int, int]] = set()
    for i, entry in enumerate(entries):
        own: set[str] = set()
        for form in entry.forms:
            folded = folds(entry, form)
            fkey = form.casefold()
            if form in own or (folded and fkey in own):
                problems.append(_problem(lines[i], labels[i], "warning", f"{form!r} repeated"))
                continue
            own.add(form)
            if folded:
                own.add(fkey)
            for j, other_form, other_folds in seen.get(fkey, ()):
                if j == i or (i, j) in reported:
                    continue
                if other_form != form and not (folded or other_folds):
                    continue
                reported.add((i, j))
                other = entries[j]
                if other.target != entry.target:
                    msg = (
                        f"conflicting duplicate: {form!r} -> {entry.target!r} here, but "
                        f"{other_form!r} -> {other.target!r} at {labels[j]}"
                    )
                    problems.append(_problem(lines[i], labels[i], "error", msg))
                elif other == entry:
                    msg = f"exact duplicate of {labels[j]}"
                    problems.append(_problem(lines[i], labels[i], "warning", msg))
                else:
                    msg = f"{form!r} is also a form at {labels[j]} (same target)"
                    problems.append(_problem(lines[i], labels[i], "warning", msg))
            seen.setdefault(fkey, []).append((i, form, folded))
    return problems


def validate(rows: Sequence[Row]) -> tuple[list[Entry], list[Problem]]:
    """Entries and every problem found in the rows (in the order found)."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    labels: list[str] = []
    lines: list[int | None] = []
    for row in rows:
        entry = _make_entry(row, problems)
        if entry is not None:
            entries.append(entry)
            labels.append(row.where)
            lines.append(row.line)
    problems.extend(_check_duplicates(entries, labels, lines))
    return entries, problems


def usable(
    rows: Sequence[Row], name: str, found: Iterable[Problem] = ()
) -> tuple[list[Entry], list[Problem]]:
    """Entries and warnings (by line) of rows that validate, with the problems `found` while
    reading them; raises GlossaryError naming `name` when any problem is an error."""
    entries, more = validate(rows)
    problems = [*found, *more]
    if any(p.severity == "error" for p in problems):
        raise GlossaryError(name, problems)
    return entries, by_line(problems)
