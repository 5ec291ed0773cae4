"""Glossaries: load, check, merge and save term lists, and find their terms in Indonesian text.

A glossary maps Indonesian source forms (a ``source`` plus ``variants``) to one English
``target``. Files are TSV, CSV (header row, columns ``source``, ``target``, ``case_sensitive``,
``variants``, ``note``) or TBX; see ``glossary/README.md`` for the conventions.

Matching (``Glossary.find``) works on tokens: maximal runs of letters and digits (``str.isalnum``),
single punctuation characters, and whitespace runs, which match any whitespace (so wrapped lines
still match multi-word names). A hashed token trie gives leftmost-longest, non-overlapping, whole
word matches in one pass over the text, whatever the glossary size. Rules, in short:

- Any non-alphanumeric character is a word boundary, the hyphen included, so clitics and
  prefixes (``AS-nya``, ``KPK-lah``, ``se-Indonesia``, ``anti-PKI``) match the name inside and the
  match covers just the name; ``ASEAN`` does not contain ``AS``, nor ``PBB2`` ``PBB``.
- Forms may begin or end in punctuation (``Komisi Pemberantasan Korupsi (KPK)``): the boundary is
  a look-around (no letter or digit right outside the match), not ``\\b``.
- Forms are case-sensitive unless their entry says ``case_sensitive=false``. All-caps acronyms
  (``AS``, ``PBB``, ``DPR RI``) are always case-sensitive, including the acronym words inside a
  case-insensitive multi-word form, and are skipped inside an all-caps headline.
- A reduplicated form (``PBB-PBB``, ``Lembaga-lembaga``) is one match covering both halves.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import importlib
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from translate.errors import TranslateError, UsageError
from translate.files import Unreadable, read_bounded, write_atomic
from translate.text.segment import split_sentences

__all__ = [
    "CLITICS",
    "PREFIXES",
    "Entry",
    "Glossary",
    "GlossaryError",
    "Match",
    "Problem",
    "Suggestion",
    "suggest",
]

MAX_TERM = 200  # characters, for sources, variants and targets
MAX_FILE_BYTES = 50 * 1024 * 1024
COLUMNS = ("source", "target", "case_sensitive", "variants", "note")
FORMATS = ("tsv", "csv", "tbx")
# Indonesian clitics and prefixes written with a hyphen around a name. A hyphen is a word
# boundary for matching, so they need no special case there; suggest() strips them.
CLITICS = ("nya", "ku", "mu", "lah", "kah", "pun", "tah")
PREFIXES = ("se", "anti", "pro", "pasca", "pra", "non", "eks", "ex", "antar", "ke")

_TRUE = frozenset({"", "true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
# Letters-and-digits runs, whitespace runs, or one other character.
_TOKEN = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LETTER_WORD = re.compile(r"[^\W_]*[^\W\d_][^\W_]*")
# Acronym-shaped: uppercase letters and digits, optionally joined by - & . / or single spaces.
_ACRONYM_CHARS = re.compile(r"[^\W_]+(?:(?:[-&./]| (?=[^\W_]))[^\W_]+)*")

_TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One glossary row: Indonesian source forms and their English target."""

    source: str
    target: str
    case_sensitive: bool = True
    variants: tuple[str, ...] = ()
    note: str = ""
    # Where the entry came from, for messages only: not part of equality.
    line: int | None = field(default=None, compare=False)

    @property
    def forms(self) -> tuple[str, ...]:
        """The source followed by the variants."""
        return (self.source, *self.variants)


@dataclass(frozen=True)
class Problem:
    """A finding about a glossary file: an error makes it unusable, a warning does not."""

    line: int | None
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.severity}: {self.message}"


@dataclass(frozen=True)
class Match:
    """A glossary form found in text: ``text[start:end] == form``."""

    entry: Entry
    form: str  # the text as found (may differ in case or spacing from the glossary form)
    start: int
    end: int


@dataclass(frozen=True)
class Suggestion:
    """A proper-noun candidate missing from the glossary, with one example context."""

    form: str
    count: int
    context: str
    kind: str  # "name" | "acronym"


class GlossaryError(TranslateError):
    """A glossary file cannot be read or has errors; ``problems`` lists them all."""

    exit_code = 2

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems: list[Problem] = sorted(problems, key=_problem_order)
        errors = [p for p in self.problems if p.severity == "error"]
        first = errors[0] if errors else self.problems[0] if self.problems else None
        if first is None:
            message = f"{source}: invalid glossary"
        else:
            where = f"line {first.line}: " if first.line is not None else ""
            message = f"{source}: {where}{first.message}"
            more = len(self.problems) - 1
            if more:
                message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)


def _problem_order(p: Problem) -> tuple[int, int]:
    return (p.line if p.line is not None else 0, 0 if p.severity == "error" else 1)


# --- helpers on forms -----------------------------------------------------------------------


def _key(form: str) -> str:
    """A form with whitespace runs as single spaces: what the matcher compares."""
    return " ".join(form.split())


def _is_acronym(form: str) -> bool:
    """All-caps acronym: `AS`, `PBB`, `PDI-P`, `DPR RI` (2+ letters, none lowercase)."""
    letters = [c for c in form if c.isalpha()]
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and _ACRONYM_CHARS.fullmatch(form) is not None
    )


def _folds(entry: Entry, form: str) -> bool:
    """Whether this form matches in any case (acronyms never do)."""
    return not entry.case_sensitive and not _is_acronym(form)


# --- building and validating entries --------------------------------------------------------


@dataclass
class _Raw:
    """One row as read, before validation; `where` names it in messages."""

    line: int | None
    where: str
    source: Any
    target: Any
    case: Any = ""
    variants: Any = ""
    note: Any = ""


def _text_field(raw: _Raw, name: str, value: Any, problems: list[Problem]) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(_err(raw, f"{name} must be text, not {type(value).__name__}"))
        return None
    text: str = value
    bad = _CONTROL.search(text)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        problems.append(_err(raw, f"control character {code} in {name} {text[:40]!r}"))
        return None
    # Documents are NFC; forms must be too, or "é" typed two ways would never match.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _err(raw: _Raw, message: str) -> Problem:
    return Problem(
        raw.line, "error", message if raw.line is not None else f"{raw.where}: {message}"
    )


def _warn(raw: _Raw, message: str) -> Problem:
    text = message if raw.line is not None else f"{raw.where}: {message}"
    return Problem(raw.line, "warning", text)


def _parse_case(raw: _Raw, problems: list[Problem]) -> bool:
    value = raw.case
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
    problems.append(_err(raw, f"case_sensitive must be true or false, not {value!r}"))
    return True


def _make_entry(raw: _Raw, problems: list[Problem]) -> Entry | None:
    """Validate one row; returns an Entry when source and target are usable (even with other
    errors, so that duplicates are still checked), else None."""
    source = _text_field(raw, "source", raw.source, problems)
    target = _text_field(raw, "target", raw.target, problems)
    note = _text_field(raw, "note", raw.note, problems)
    case = _parse_case(raw, problems)
    variants: list[str] = []
    pieces: Iterable[Any]
    if isinstance(raw.variants, str):
        pieces = raw.variants.split("|") if raw.variants.strip() else []
    elif raw.variants is None:
        pieces = []
    elif isinstance(raw.variants, (list, tuple)):
        pieces = raw.variants
        for v in pieces:
            if isinstance(v, str) and "|" in v:
                problems.append(_err(raw, f"variant {v!r} contains '|'"))
    else:
        problems.append(_err(raw, "variants must be text separated by '|' or a list of text"))
        pieces = []
    for piece in pieces:
        text = _text_field(raw, "variant", piece, problems)
        if text is None:
            continue
        if not text.strip():
            problems.append(_warn(raw, "empty variant ignored"))
            continue
        variants.append(_key(text))
    if source is not None and "|" in source:
        problems.append(_err(raw, f"source {source!r} contains '|' (list variants separately)"))
    ok = True
    for name, value in (("source", source), ("target", target)):
        if value is not None and not value.strip():
            problems.append(_err(raw, f"empty {name}"))
            ok = False
    if source is None or target is None or not ok:
        return None
    entry = Entry(
        source=_key(source),
        target=_key(target),
        case_sensitive=case,
        variants=tuple(variants),
        note=(note or "").strip(),
        line=raw.line,
    )
    for name, value in (("source", entry.source), ("target", entry.target)):
        if len(value) > MAX_TERM:
            problems.append(_err(raw, f"{name} is {len(value)} characters (limit {MAX_TERM})"))
    for v in entry.variants:
        if len(v) > MAX_TERM:
            problems.append(_err(raw, f"variant is {len(v)} characters (limit {MAX_TERM})"))
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
            folds = _folds(entry, form)
            fkey = form.casefold()
            if form in own or (folds and fkey in own):
                problems.append(_problem(lines[i], labels[i], "warning", f"{form!r} repeated"))
                continue
            own.add(form)
            if folds:
                own.add(fkey)
            for j, other_form, other_folds in seen.get(fkey, ()):
                if j == i or (i, j) in reported:
                    continue
                if other_form != form and not (folds or other_folds):
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
            seen.setdefault(fkey, []).append((i, form, folds))
    return problems


def _problem(line: int | None, label: str, severity: str, message: str) -> Problem:
    return Problem(line, severity, message if line is not None else f"{label}: {message}")


def _validate(raws: Sequence[_Raw]) -> tuple[list[Entry], list[Problem]]:
    """Entries and every problem found in the rows."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    labels: list[str] = []
    lines: list[int | None] = []
    for raw in raws:
        entry = _make_entry(raw, problems)
        if entry is not None:
            entries.append(entry)
            labels.append(raw.where)
            lines.append(raw.line)
    problems.extend(_check_duplicates(entries, labels, lines))
    return entries, problems


# --- reading files --------------------------------------------------------------------------


def _format_of(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise GlossaryError(
            str(path),
            [
                Problem(
                    None,
                    "error",
                    f"unknown glossary format {path.suffix!r} (use .tsv, .csv or .tbx)",
                )
            ],
        )
    return ext


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_FILE_BYTES)
    except Unreadable as exc:
        reasons = {
            "missing": "no such glossary file",
            "directory": "is a directory, not a glossary file",
            "permission": "permission denied",
            "too-large": f"is {exc.size} bytes; glossary files are limited to {MAX_FILE_BYTES}",
        }
        message = reasons.get(exc.why, f"cannot read: {exc.detail}")
        raise GlossaryError(str(path), [Problem(None, "error", message)]) from None


def _decode(path: Path, data: bytes) -> str:
    def fail(message: str) -> GlossaryError:
        return GlossaryError(str(path), [Problem(None, "error", message)])

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        raise fail("looks binary (contains NUL bytes); a glossary is UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise fail(f"is not UTF-8 (byte 0x{byte:02X} on line {line}); save it as UTF-8") from None


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


def _row(columns: Mapping[str, int], fields: Sequence[str], line: int) -> _Raw:
    def get(name: str) -> str:
        pos = columns.get(name)
        return fields[pos] if pos is not None else ""

    return _Raw(
        line,
        f"line {line}",
        get("source"),
        get("target"),
        get("case_sensitive"),
        get("variants"),
        get("note"),
    )


def _parse_tsv(text: str, problems: list[Problem]) -> list[_Raw]:
    rows: list[_Raw] = []
    columns: dict[str, int] | None = None
    # Split on "\n" only: str.splitlines() would also split on \x0b, \x1c, U+2028 …
    # and put line numbers out of step with editors.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if columns is None:
            columns = _header(fields, number, problems)
            if columns is None:
                return []
            continue
        if len(fields) != len(columns):
            problems.append(
                Problem(
                    number,
                    "error",
                    f"expected {len(columns)} tab-separated fields, found {len(fields)}",
                )
            )
            continue
        rows.append(_row(columns, fields, number))
    if columns is None:
        problems.append(Problem(1, "error", "empty file: no header line"))
    return rows


def _parse_csv(text: str, problems: list[Problem]) -> list[_Raw]:
    first = text.split("\n", 1)[0]
    # Spreadsheets in many locales save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[_Raw] = []
    columns: dict[str, int] | None = None
    while True:
        number = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(reader.line_num, "error", f"malformed CSV: {exc}"))
            return []
        if not any(f.strip() for f in fields):
            continue
        if columns is None:
            columns = _header(fields, number, problems)
            if columns is None:
                return []
            continue
        if len(fields) != len(columns):
            problems.append(
                Problem(number, "error", f"expected {len(columns)} fields, found {len(fields)}")
            )
            continue
        rows.append(_row(columns, fields, number))
    if columns is None:
        problems.append(Problem(1, "error", "empty file: no header line"))
    return rows


def _etree_module() -> Any:
    """lxml.etree, imported on first TBX use: TSV/CSV glossaries and start-up do not need it.

    Imported by name so that type checking does not depend on lxml-stubs being installed.
    """
    try:
        return importlib.import_module("lxml.etree")
    except ImportError:  # pragma: no cover - lxml is a dependency
        raise GlossaryError(
            "TBX", [Problem(None, "error", "TBX support needs lxml (pip install lxml)")]
        ) from None


def _local(tag: object) -> str:
    """An element's tag without namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _lang(value: str | None) -> str:
    base = (value or "").replace("_", "-").split("-", 1)[0].lower()
    return "id" if base == "in" else base  # "in": the withdrawn ISO 639 code for Indonesian


def _type_name(value: str | None) -> str:
    return re.sub(r"[^a-z]", "", (value or "").lower()).removeprefix("x")


def _parse_tbx(data: bytes, problems: list[Problem]) -> list[_Raw]:
    from translate import safexml as xmlsafe

    try:
        root = xmlsafe.parse(data)
    except xmlsafe.UnsafeXML as exc:
        problems.append(Problem(exc.line, "error", str(exc)))
        return []
    if _local(root.tag) not in ("martif", "tbx"):
        problems.append(
            Problem(root.sourceline, "error", f"not TBX: root element is <{_local(root.tag)}>")
        )
        return []
    rows: list[_Raw] = []
    ignored: set[str] = set()
    for el in root.iter():
        if _local(el.tag) in ("termEntry", "conceptEntry"):
            raw = _tbx_entry(el, problems, ignored)
            if raw is not None:
                rows.append(raw)
    if ignored:
        langs = ", ".join(sorted(ignored))
        problems.append(Problem(None, "warning", f"terms in other languages ignored: {langs}"))
    return rows


def _tbx_entry(el: Any, problems: list[Problem], ignored: set[str]) -> _Raw | None:
    line: int | None = el.sourceline
    where = f"line {line}"
    terms: dict[str, list[str]] = {"id": [], "en": []}
    case: str | None = None
    definition: str | None = None
    note: str | None = None
    for sub in el.iter():
        name = _local(sub.tag)
        if name in ("langSet", "langSec"):
            lang = _lang(sub.get(_XML_LANG) or sub.get("lang"))
            # Whitespace inside XML text is layout (indented <term> elements), not content.
            found = [_xml_text(t) for t in sub.iter() if _local(t.tag) == "term"]
            if lang in terms:
                terms[lang].extend(found)
            elif found:
                ignored.add(lang or "(no xml:lang)")
        elif name in ("descrip", "admin", "termNote", "note") and sub.get("type") is not None:
            kind = _type_name(sub.get("type"))
            text = _xml_text(sub)
            if kind == "casesensitive" and case is None:
                case = text
            elif kind == "definition" and definition is None:
                definition = text
        elif name == "note" and note is None:
            note = _xml_text(sub)
    raw = _Raw(line, where, None, None)
    if not terms["id"]:
        problems.append(_err(raw, "TBX entry has no Indonesian (xml:lang='id') term"))
        return None
    if not terms["en"]:
        problems.append(_err(raw, "TBX entry has no English (xml:lang='en') term"))
        return None
    if len(terms["en"]) > 1:
        problems.append(_warn(raw, f"extra English terms ignored: {terms['en'][1:]}"))
    return _Raw(
        line,
        where,
        terms["id"][0],
        terms["en"][0],
        case if case is not None else "",
        tuple(terms["id"][1:]),
        definition if definition is not None else (note or ""),
    )


def _xml_text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _read_rows(path: Path) -> tuple[list[_Raw], list[Problem]]:
    """Rows and parse problems; raises GlossaryError only when the file cannot be read."""
    fmt = _format_of(path)
    data = _read_bytes(path)
    problems: list[Problem] = []
    if fmt == "tbx":
        rows = _parse_tbx(data, problems)
    else:
        text = _decode(path, data)
        rows = (_parse_tsv if fmt == "tsv" else _parse_csv)(text, problems)
    return rows, problems


# --- the matcher index ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    """A form in the index: its entry, whether it is an acronym, and (for case-insensitive
    forms) the word tokens that must still match exactly, by position among non-space tokens."""

    entry: Entry
    text: str
    acronym: bool
    strict: tuple[tuple[int, str], ...] = ()


class _Index:
    """Two hashed token tries: exact forms, and casefolded forms of case-insensitive entries.

    Each trie is one dict from every token-boundary prefix of a form's key to a form id
    (terminal) or -1 (prefix only); a walk stops at the first prefix not in the dict.
    """

    __slots__ = ("exact", "folded", "forms")

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.exact: dict[str, int] = {}
        self.folded: dict[str, int] = {}
        self.forms: list[_Form] = []
        for entry in entries:
            for form in entry.forms:
                self._add(entry, _key(form))

    def _add(self, entry: Entry, form: str) -> None:
        acronym = _is_acronym(form)
        tokens = _TOKEN.findall(form)
        if entry.case_sensitive or acronym:
            table, keys = self.exact, tokens
            info = _Form(entry, form, acronym)
        else:
            table, keys = self.folded, [t.casefold() for t in tokens]
            words = [t for t in tokens if not t.isspace()]
            strict = tuple((n, w) for n, w in enumerate(words) if _is_acronym(w))
            info = _Form(entry, form, acronym, strict)
        prefix = ""
        for tok in keys:
            prefix += tok
            if not tok.isspace():
                table.setdefault(prefix, -1)
        if table[prefix] < 0:  # first entry wins (validation makes clashes duplicates)
            table[prefix] = len(self.forms)
            self.forms.append(info)

    def find(self, text: str) -> list[Match]:
        found = [m.span() for m in _TOKEN.finditer(text)]
        words = [text[a:b] for a, b in found]
        space = [w.isspace() for w in words]
        isword = [w[0].isalnum() for w in words]
        folded = [w.casefold() for w in words] if self.folded else words
        n = len(words)
        out: list[Match] = []
        i = 0
        while i < n:
            if space[i] or (not isword[i] and found[i][0] > 0 and text[found[i][0] - 1].isalnum()):
                i += 1
                continue
            best = self._longest(text, i, words, space, isword, found, folded)
            if best is None:
                i += 1
                continue
            j, info = best
            start, end = found[i][0], found[j][1]
            end = _reduplicated(text, start, end)
            out.append(Match(info.entry, text[start:end], start, end))
            i = j + 1
            while i < n and found[i][0] < end:
                i += 1
        return out

    def _longest(
        self,
        text: str,
        i: int,
        words: list[str],
        space: list[bool],
        isword: list[bool],
        found: list[tuple[int, int]],
        folded: list[str],
    ) -> tuple[int, _Form] | None:
        """The longest acceptable form starting at token i: (last token, form)."""
        candidates: list[tuple[int, int, int]] = []  # (last token, exact first, form id)
        for exact, table, keys in ((0, self.exact, words), (1, self.folded, folded)):
            if not table:
                continue
            key = keys[i]
            j = i
            path = [i]
            n = len(keys)
            while True:
                v = table.get(key)
                if v is None:
                    break
                if v >= 0:
                    end = found[j][1]
                    if (isword[j] or end == len(text) or not text[end].isalnum()) and (
                        exact == 0 or all(words[path[p]] == w for p, w in self.forms[v].strict)
                    ):
                        candidates.append((j, -exact, v))
                k = j + 1
                sep = ""
                if k < n and space[k]:
                    if words[k].count("\n") > 1:
                        break  # a name never runs across a blank line
                    k += 1
                    sep = " "
                if k >= n:
                    break
                key = key + sep + keys[k]
                j = k
                path.append(k)
        # Longest first; on a tie the case-sensitive trie wins ("Paus" over a folded "paus").
        for j, _, v in sorted(candidates, reverse=True):
            info = self.forms[v]
            if info.acronym and _shouting(text, found[i][0], found[j][1], self.exact):
                continue
            return j, info
        return None


def _shouting(text: str, start: int, end: int, known: Mapping[str, int]) -> bool:
    """Whether an acronym at text[start:end] sits in an all-caps headline or run.

    Looks at up to 3 words on each side within the line: all caps, at least two of them, and
    one a longer word rather than another known form (so "DPR RI" or "TNI AD" still match).
    """
    lo = max(0, start - 200)
    nl = text.rfind("\n", lo, start)
    left = text[nl + 1 if nl >= 0 else lo : start]
    hi = min(len(text), end + 200)
    nl = text.find("\n", end, hi)
    right = text[end : nl if nl >= 0 else hi]
    context = _LETTER_WORD.findall(left)[-3:] + _LETTER_WORD.findall(right)[:3]
    if len(context) < 2 or any(c.islower() for w in context for c in w):
        return False
    return any(sum(c.isalpha() for c in w) >= 4 and known.get(w, -1) < 0 for w in context)


def _reduplicated(text: str, start: int, end: int) -> int:
    """End of `X-X` when the match `X` is repeated after a hyphen, else `end` unchanged."""
    size = end - start
    if (
        end < len(text)
        and text[end] == "-"
        and text[start].isalnum()
        and text[end - 1].isalnum()
        and text[end + 1 : end + 1 + size].casefold() == text[start:end].casefold()
    ):
        after = end + 1 + size
        if after == len(text) or not text[after].isalnum():
            return after
    return end


# --- the glossary ---------------------------------------------------------------------------


class Glossary:
    """An immutable, validated list of entries with a matcher built on first use."""

    __slots__ = ("_entries", "_index", "_name", "_overrides", "_sha256", "_warnings")

    def __init__(self, entries: Iterable[Entry] = (), name: str = "") -> None:
        """Validate `entries`; raises GlossaryError on any error."""
        raws = [_entry_raw(e, n) for n, e in enumerate(entries, start=1)]
        checked, problems = _validate(raws)
        if any(p.severity == "error" for p in problems):
            raise GlossaryError(name or "glossary", problems)
        self._setup(checked, name, problems, ())

    def _setup(
        self,
        entries: Sequence[Entry],
        name: str,
        warnings: Iterable[Problem],
        overrides: Iterable[tuple[Entry, Entry]],
    ) -> None:
        self._entries = tuple(entries)
        self._name = name
        self._warnings = tuple(w for w in warnings if w.severity == "warning")
        self._overrides = tuple(overrides)
        self._index: _Index | None = None
        self._sha256: str | None = None

    @classmethod
    def _trusted(
        cls,
        entries: Sequence[Entry],
        name: str,
        warnings: Iterable[Problem] = (),
        overrides: Iterable[tuple[Entry, Entry]] = (),
    ) -> Glossary:
        self = cls.__new__(cls)
        self._setup(entries, name, warnings, overrides)
        return self

    # -- construction

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Glossary:
        """Read a .tsv, .csv or .tbx glossary; raises GlossaryError listing every problem."""
        p = Path(path)
        rows, problems = _read_rows(p)
        entries, more = _validate(rows)
        problems += more
        if any(x.severity == "error" for x in problems):
            raise GlossaryError(str(p), problems)
        return cls._trusted(entries, p.stem, sorted(problems, key=_problem_order))

    @classmethod
    def check(cls, path: str | os.PathLike[str]) -> list[Problem]:
        """Every problem in a glossary file, by line; raises only if it cannot be read."""
        rows, problems = _read_rows(Path(path))
        problems += _validate(rows)[1]
        return sorted(problems, key=_problem_order)

    @classmethod
    def default(cls) -> Glossary:
        """The bundled Indonesian→English news glossary (glossary/id-en-news.tsv)."""
        candidates = [
            Path(__file__).resolve().parents[2] / "glossary" / "id-en-news.tsv",
            Path(sys.prefix) / "share" / "translate-id-en" / "glossary" / "id-en-news.tsv",
        ]
        for path in candidates:
            try:
                stat = path.stat()
            except OSError:
                continue
            # Loading takes tens of milliseconds; the result is immutable, so share it.
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            cached = _DEFAULT_CACHE.get(key)
            if cached is None:
                cached = cls.load(path)
                _DEFAULT_CACHE.clear()
                _DEFAULT_CACHE[key] = cached
            return cached
        looked = ", ".join(str(c) for c in candidates)
        raise GlossaryError(
            "id-en-news.tsv",
            [Problem(None, "error", f"default glossary not found (looked in {looked})")],
        )

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[Entry | tuple[str, str] | Mapping[str, Any]],
        name: str = "",
    ) -> Glossary:
        """A glossary from Entry objects, (source, target) pairs or row mappings, validated
        like a file; mapping keys are the file columns, `variants` a '|' string or a list."""
        raws: list[_Raw] = []
        problems: list[Problem] = []
        for n, item in enumerate(entries, start=1):
            where = f"entry {n}"
            if isinstance(item, Entry):
                raws.append(_entry_raw(item, n))
            elif isinstance(item, Mapping):
                unknown = sorted(str(k) for k in item if k not in (*COLUMNS, "line"))
                if unknown:
                    problems.append(Problem(None, "warning", f"{where}: unknown keys {unknown}"))
                line = item.get("line")
                raws.append(
                    _Raw(
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
                raws.append(_Raw(None, where, item[0], item[1]))
            else:
                problems.append(
                    Problem(
                        None,
                        "error",
                        f"{where}: expected an Entry, a (source, target) pair or a mapping, "
                        f"not {type(item).__name__}",
                    )
                )
        checked, more = _validate(raws)
        problems += more
        if any(p.severity == "error" for p in problems):
            raise GlossaryError(name or "glossary", problems)
        return cls._trusted(checked, name, sorted(problems, key=_problem_order))

    def merge(self, other: Glossary) -> Glossary:
        """Both glossaries; where a source form is in both, `other`'s entry wins.

        An entry of `self` loses only its overridden forms (a variant may survive and become the
        source). `overrides` lists (old, new) pairs whose target, case or note differ.
        """
        exact: dict[str, int] = {}
        folded: dict[str, int] = {}
        for n, entry in enumerate(other.entries):
            for form in entry.forms:
                exact.setdefault(form, n)
                if _folds(entry, form):
                    folded.setdefault(form.casefold(), n)
        # Case-sensitive forms of `other` also beat case-insensitive forms of `self` that fold
        # to them (the pair the matcher could not tell apart).
        all_folded: dict[str, int] = {}
        for n, entry in enumerate(other.entries):
            for form in entry.forms:
                all_folded.setdefault(form.casefold(), n)
        kept: list[Entry] = []
        overrides: list[tuple[Entry, Entry]] = []
        for entry in self.entries:
            remaining: list[str] = []
            winners: list[int] = []
            for form in entry.forms:
                hit = exact.get(form)
                if hit is None:
                    hit = folded.get(form.casefold())
                if hit is None and _folds(entry, form):
                    hit = all_folded.get(form.casefold())
                if hit is None:
                    remaining.append(form)
                elif hit not in winners:
                    winners.append(hit)
            for n in winners:
                new = other.entries[n]
                if (new.target, new.case_sensitive, new.note) != (
                    entry.target,
                    entry.case_sensitive,
                    entry.note,
                ):
                    overrides.append((entry, new))
            if len(remaining) == len(entry.forms):
                kept.append(entry)
            elif remaining:
                kept.append(replace(entry, source=remaining[0], variants=tuple(remaining[1:])))
        name = "+".join(n for n in (self.name, other.name) if n)
        warnings = (*self.warnings, *other.warnings)
        return Glossary._trusted([*kept, *other.entries], name, warnings, overrides)

    # -- properties

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The entries in file order."""
        return self._entries

    @property
    def name(self) -> str:
        """The file stem for loaded glossaries, or the name given."""
        return self._name

    @property
    def overrides(self) -> tuple[tuple[Entry, Entry], ...]:
        """(old, new) entry pairs replaced by the merge that made this glossary."""
        return self._overrides

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings found while loading (errors never load)."""
        return self._warnings

    @property
    def sha256(self) -> str:
        """Checksum of the content, independent of row order: for reproducibility signatures."""
        if self._sha256 is None:
            rows = sorted(_tsv_row(e) for e in self._entries)
            self._sha256 = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        return self._sha256

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"Glossary(name={self._name!r}, entries={len(self._entries)})"

    # -- matching

    def find(self, text: str) -> list[Match]:
        """Glossary forms in `text` (NFC), leftmost-longest and non-overlapping, in order.

        The index is built on the first call (for any text, even empty).
        """
        if self._index is None:
            self._index = _Index(self._entries)
        return self._index.find(text)

    # -- writing

    def to_tsv(self) -> str:
        """The glossary as a TSV file (header and one line per entry)."""
        return "\t".join(COLUMNS) + "\n" + "".join(_tsv_row(e) + "\n" for e in self._entries)

    def to_csv(self) -> str:
        """The glossary as a CSV file with the same columns as TSV."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for e in self._entries:
            writer.writerow(_fields(e))
        return out.getvalue()

    def to_tbx(self) -> bytes:
        """The glossary as TBX-Basic (TBX 2019, DCA style): one conceptEntry per entry.

        Variants are extra Indonesian terms after the source; case sensitivity is an
        ``<admin type="x-caseSensitive">`` and the note a ``<note>`` on the entry.
        """
        etree = _etree_module()
        return _to_tbx(etree, self._entries, self._name)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the glossary as .tsv, .csv or .tbx (by extension), atomically."""
        p = Path(path)
        ext = p.suffix.lower().lstrip(".")
        if ext == "tsv":
            data = self.to_tsv().encode("utf-8")
        elif ext == "csv":
            data = self.to_csv().encode("utf-8")
        elif ext == "tbx":
            data = self.to_tbx()
        else:
            raise UsageError(f"{p}: unknown glossary format {p.suffix!r} (use .tsv, .csv or .tbx)")
        write_atomic(p, data)


_DEFAULT_CACHE: dict[tuple[str, int, int], Glossary] = {}


def _entry_raw(entry: Entry, n: int) -> _Raw:
    where = f"line {entry.line}" if entry.line is not None else f"entry {n}"
    return _Raw(
        entry.line,
        where,
        entry.source,
        entry.target,
        entry.case_sensitive,
        tuple(entry.variants),
        entry.note,
    )


def _fields(e: Entry) -> list[str]:
    return [
        e.source,
        e.target,
        "true" if e.case_sensitive else "false",
        "|".join(e.variants),
        e.note,
    ]


def _tsv_row(e: Entry) -> str:
    return "\t".join(_fields(e))


def _to_tbx(etree: Any, entries: Sequence[Entry], name: str) -> bytes:
    ns = f"{{{_TBX_NS}}}"
    root = etree.Element(
        ns + "tbx",
        nsmap={None: _TBX_NS},
        attrib={"type": "TBX-Basic", "style": "dca", _XML_LANG: "id"},
    )
    header = etree.SubElement(root, ns + "tbxHeader")
    source_desc = etree.SubElement(etree.SubElement(header, ns + "fileDesc"), ns + "sourceDesc")
    etree.SubElement(source_desc, ns + "p").text = f"Glossary {name}".strip()
    body = etree.SubElement(etree.SubElement(root, ns + "text"), ns + "body")
    for n, e in enumerate(entries, start=1):
        concept = etree.SubElement(body, ns + "conceptEntry", id=f"c{n}")
        admin = etree.SubElement(concept, ns + "admin", type="x-caseSensitive")
        admin.text = "true" if e.case_sensitive else "false"
        if e.note:
            etree.SubElement(concept, ns + "note").text = e.note
        for lang, terms in (("id", e.forms), ("en", (e.target,))):
            lang_sec = etree.SubElement(concept, ns + "langSec", attrib={_XML_LANG: lang})
            for term in terms:
                term_sec = etree.SubElement(lang_sec, ns + "termSec")
                etree.SubElement(term_sec, ns + "term").text = term
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


# --- suggesting missing names ---------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lowercase words allowed inside a name between capitalised words: "Abdullah bin Abdul Aziz",
# "Robin van Persie", "Maria de Fatima". "al"/"el" are handled as hyphenated ("al-Azhar").
_CONNECTORS = frozenset({"bin", "binti", "van", "der", "von", "de", "da", "del", "dos"})
# "dan" only inside institution names ("Badan Pengawas Obat dan Makanan"); elsewhere it joins
# two names ("Jokowi dan Prabowo").
_DAN_HEADS = _wordset(
    """
    kementerian badan komisi dewan lembaga majelis pusat dinas balai direktorat kantor
    otoritas yayasan persatuan perhimpunan asosiasi ikatan partai universitas institut sekolah
    akademi kamar bank gabungan organisasi himpunan forum bosnia trinidad antigua
    """
)
# Capitalised words that are not names: sentence openers that a name may follow, days, months,
# honorifics, pronouns, abbreviations (Jl., Prof.). They split a capitalised run, never suggested.
_NOT_NAMES = _wordset(
    """
    menurut kata ujar namun sementara selain dalam pada saat di ke dari oleh untuk bagi kepada
    dengan bersama sedangkan adapun kemudian lalu setelah sebelum sejak hingga sampai jika bila
    apabila karena sebab meski meskipun walaupun walau tetapi tapi sebelumnya selanjutnya
    akibatnya bahkan juga ia dia beliau mereka kami kita saya aku anda ini itu hal para sang si
    seorang sebuah salah tak tidak belum sudah masih baca foto editor pewarta reporter
    copyright artikel penulis redaktur yang dan atau agar supaya bagaimana apa siapa mengapa
    kapan berdasarkan terkait mengenai tentang soal sehingga maka pun selama ada semua
    pemerintah warga petugas
    jl jln gg no kav kel kec kab prov prof dr drs dra ir hj kh tn ny bpk rp kol jend
    senin selasa rabu kamis jumat sabtu minggu ahad
    januari februari maret april mei juni juli agustus september oktober november desember
    bapak pak ibu bu saudara saudari sdr mas mbak bang kak tuan nyonya
    """
)
# All-caps tokens that are units, time zones or company forms rather than names.
_NOT_ACRONYMS = frozenset({"WIB", "WITA", "WIT", "UTC", "GMT", "PT", "CV", "UD", "RT", "RW", "OK"})
_ROMAN = re.compile(r"[IVX]{1,5}")
_DOMAIN = re.compile(r"\.(?:com|co|id|net|org|news|tv)\b", re.IGNORECASE)
_WORD_CHUNK = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass
class _Candidate:
    form: str
    kind: str
    start: int
    end: int
    count: int = 0
    mid: bool = False  # seen somewhere other than a sentence start
    words: int = 1


def _sentence_starts(text: str) -> set[int]:
    """Offsets of the first letter of every sentence (after list markers such as "1."), each
    line split separately: titles and list items end without a full stop."""
    starts: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        for s, e in split_sentences(line):
            for k in range(s, e):
                if line[k].isalpha():
                    starts.add(offset + k)
                    break
        offset += len(line) + 1
    return starts


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like titles (mostly capitalised words, no final full stop):
    their capitals mark style, not names."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        body = line.strip().lstrip("#>*-• ").rstrip()
        words = [w for w in _LETTER_WORD.findall(body) if w.lower() not in ("di", "dan", "ke")]
        if len(words) >= 3 and body[-1:] not in '.!?:;"”’)':
            capitals = sum(1 for w in words if w[0].isupper())
            if capitals * 5 >= len(words) * 3:
                spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _classify(chunk: str) -> tuple[str, int]:
    """Kind of a hyphenated chunk after trimming clitics and prefixes, and how many leading
    characters were trimmed: 'name', 'acronym', 'connector', 'dan' or 'other'."""
    parts = chunk.split("-")
    trimmed = 0
    while len(parts) > 1 and parts[0].lower() in PREFIXES:
        trimmed += len(parts[0]) + 1
        parts = parts[1:]
    while len(parts) > 1 and parts[-1].lower() in CLITICS:
        parts = parts[:-1]
    word = "-".join(parts)
    lower = word.lower()
    if lower in _CONNECTORS:
        return "connector", trimmed
    if lower == "dan":
        return "dan", trimmed
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "other", trimmed
    if all(c.isupper() for c in letters):
        ok = 2 <= len(letters) <= 6 and word not in _NOT_ACRONYMS and not _ROMAN.fullmatch(word)
        return ("acronym" if ok else "other"), trimmed
    first = parts[0]
    if any(c.isdigit() for c in word):
        return "other", trimmed  # "Rp48", "Covid-19": amounts and codes, not names
    if first[:1].isupper() or (first.lower() in ("al", "el") and len(parts) > 1):
        return "name", trimmed
    return "other", trimmed


def suggest(text: str, glossary: Glossary | None = None, limit: int = 50) -> list[Suggestion]:
    """Proper-noun candidates in `text` that `glossary` does not cover, most frequent first.

    Names are maximal runs of capitalised words separated by single spaces (connectors such as
    ``bin``/``van``/``de`` inside, ``dan`` only after an institution word, ``al-``/``el-``
    names kept whole; clitics and hyphenated prefixes trimmed). A run that starts a sentence
    counts only if it has 2+ words or also occurs mid-sentence. Title-case lines give no
    names. Acronyms are all-caps words of 2–6 letters, not in an all-caps headline. With no
    glossary nothing is excluded.
    """
    masked = [(m.start, m.end) for m in glossary.find(text)] if glossary is not None else []
    # Known forms never count as headline words (see _shouting); find() built the index.
    known: Mapping[str, int] = glossary._index.exact if glossary and glossary._index else {}
    titles = _title_lines(text)
    starts = _sentence_starts(text)
    found: dict[str, _Candidate] = {}
    run: list[tuple[int, int, str]] = []  # (start, end, kind) of the current name run

    def add(kind: str, a: int, b: int, words: int) -> None:
        form = " ".join(text[a:b].split())
        cand = found.get(form)
        if cand is None:
            cand = found[form] = _Candidate(form, kind, a, b, words=words)
        cand.count += 1
        cand.mid = cand.mid or a not in starts

    def flush() -> None:
        while run and run[-1][2] != "name":
            run.pop()
        if run:
            add("name", run[0][0], run[-1][1], sum(1 for r in run if r[2] == "name"))
        run.clear()

    prev_end = 0
    for m in _WORD_CHUNK.finditer(text):
        kind, trimmed = _classify(m.group())
        a, b = m.start() + trimmed, m.end()
        if kind in ("name", "acronym"):
            b = a + len(_strip_clitics(text[a:b]))
        gap = text[prev_end : m.start()]
        prev_end = m.end()
        if not gap or gap.strip() or "\n" in gap or trimmed:
            flush()  # names are words separated by spaces only
        word = text[a:b]
        if _overlaps(masked, a, b) or _DOMAIN.match(text, m.end()):
            flush()
            continue
        if run and _ROMAN.fullmatch(word):
            run.append((a, b, "name"))  # "Komisi I", "Paus Leo XIV"
            continue
        if kind == "acronym":
            flush()
            if not _shouting(text, a, b, known):
                add("acronym", a, b, 1)
        elif kind == "name" and word.lower() not in _NOT_NAMES:
            if _overlaps(titles, a, b) or (len(word) < 2 and not run):
                flush()  # title-case lines and lone initials give no names
                continue
            run.append((a, b, kind))
            if b != m.end():
                flush()  # a clitic closes the name: "Jokowi-lah"
        elif run and (
            kind == "connector"
            or (kind == "dan" and text[run[0][0] : run[0][1]].lower() in _DAN_HEADS)
        ):
            run.append((a, b, kind))
        else:
            flush()
    flush()

    picked = [c for c in found.values() if c.kind == "acronym" or c.mid or c.words >= 2]
    # A lone first name usually refers back to a full name: count it there ("Budi" after
    # "Budi Prasetyo").
    firsts: dict[str, _Candidate] = {}
    for c in sorted(picked, key=lambda c: (-c.count, c.start)):
        if c.kind == "name" and c.words >= 2:
            firsts.setdefault(c.form.split()[0], c)
    kept: list[_Candidate] = []
    for c in picked:
        full = firsts.get(c.form) if c.kind == "name" and c.words == 1 else None
        if full is None:
            kept.append(c)
        else:
            full.count += c.count
    kept.sort(key=lambda c: (-c.count, -len(c.form), c.start))
    return [
        Suggestion(c.form, c.count, _context(text, c.start, c.end), c.kind)
        for c in kept[: max(limit, 0)]
    ]


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) overlaps any of the sorted, non-overlapping spans."""
    k = bisect.bisect_right(spans, (a, sys.maxsize)) - 1
    if k >= 0 and spans[k][1] > a:
        return True
    return k + 1 < len(spans) and spans[k + 1][0] < b


def _strip_clitics(word: str) -> str:
    parts = word.split("-")
    while len(parts) > 1 and parts[-1].lower() in CLITICS:
        parts.pop()
    return "-".join(parts)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    """About `width` characters of text around text[start:end], on one line."""
    pad = max(10, (width - (end - start)) // 2)
    a, b = max(0, start - pad), min(len(text), end + pad)
    snippet = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")
