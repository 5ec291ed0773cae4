"""Validation: problems with line numbers, duplicates and conflicts, case values, entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import TranslateError
from translate.terms.glossary import Glossary
from translate.terms.values import Entry, GlossaryError, Problem, by_line

from .conftest import GLOSSARIES, HEADER, write

BAD_TSV_CASES: list[tuple[str, int, str]] = [
    (HEADER + "AS\tUS\ttrue\t\tx\nJerman\t\tfalse\t\tx\n", 3, "empty target"),
    (HEADER + "\tUS\ttrue\t\tx\n", 2, "empty source"),
    (HEADER + "AS\tUS\tmaybe\t\tx\n", 2, "case_sensitive must be true or false"),
    (HEADER + "AS\tUS\ttrue\t\tx\nAS\tU.S.\ttrue\t\tx\n", 3, "at line 2"),
    (HEADER + "AS\tUS\ttrue\t\tx\nX\tY\ttrue\tAS\tx\n", 3, "conflicting duplicate"),
    (HEADER + "Jerman\tGermany\tfalse\t\tx\nJERMAN\tGerman\ttrue\t\tx\n", 3, "conflicting"),
    (HEADER + "AS\tUS\ttrue\tx\n", 2, "expected 5 tab-separated fields, found 4"),
    (HEADER + "A\t" + "B" * 201 + "\ttrue\t\tx\n", 2, "201 characters (limit 200)"),
    (HEADER + "A\x07B\tC\ttrue\t\tx\n", 2, "control character U+0007"),
    ("sumber\ttarget\n", 1, "header lacks source"),
    ("", 1, "empty file"),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD_TSV_CASES)
def test_check_reports_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = write(tmp_path, "g.tsv", content)
    errors = [p for p in Glossary.check(path) if p.severity == "error"]
    assert errors and errors[0].line == line and message in errors[0].message
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    assert str(path) in str(info.value) and f"line {line}" in str(info.value)
    assert info.value.exit_code == 2 and isinstance(info.value, TranslateError)


def test_bad_file_lists_every_problem() -> None:
    path = GLOSSARIES / "bad.tsv"
    problems = Glossary.check(path)
    assert [(p.line, p.severity) for p in problems] == [
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
        (9, "warning"),
    ]
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    assert info.value.problems == problems
    assert str(info.value) == f"{path}: line 3: empty target (and 5 more problems)"


def test_case_sensitive_is_not_a_conflict(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tsv", HEADER + "Paus\tPope\ttrue\t\tx\npaus\twhale\ttrue\t\tx\n")
    assert Glossary.check(path) == []


def test_warnings_are_kept(tmp_path: Path) -> None:
    content = "Source\tTarget\tExtra\nAS\tUS\t1\nAS\tUS\t2\nPBB\tUN\t\n"
    g = Glossary.load(write(tmp_path, "g.tsv", content))
    assert len(g) == 3
    assert [(w.line, w.severity) for w in g.warnings] == [(1, "warning"), (3, "warning")]
    assert "unknown column 'Extra'" in g.warnings[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", True), ("true", True), ("YES", True), ("1", True), ("no", False), ("0", False)],
)
def test_case_values(tmp_path: Path, value: str, expected: bool) -> None:
    g = Glossary.load(write(tmp_path, "g.tsv", f"source\ttarget\tcase_sensitive\nA\tB\t{value}\n"))
    assert g.entries[0].case_sensitive is expected


def test_from_entries_validates() -> None:
    with pytest.raises(GlossaryError, match="entry 2: empty target"):
        Glossary.from_entries([("AS", "US"), ("PBB", "")], name="mine")
    with pytest.raises(GlossaryError, match="conflicting duplicate"):
        Glossary.from_entries([Entry("AS", "US"), {"source": "X", "target": "Y", "variants": "AS"}])
    with pytest.raises(GlossaryError, match="expected an Entry"):
        Glossary.from_entries(["AS"])  # type: ignore[list-item]
    with pytest.raises(GlossaryError, match="entry 1: case_sensitive"):
        Glossary.from_entries([{"source": "A", "target": "B", "case_sensitive": "maybe"}])
    g = Glossary.from_entries([("  Dewan  Keamanan ", "UN\u00a0Security Council")])
    assert g.entries[0] == Entry("Dewan Keamanan", "UN Security Council")


def test_problem_str() -> None:
    assert str(Problem(3, "error", "empty target")) == "line 3: error: empty target"
    assert str(Problem(None, "warning", "x")) == "warning: x"


def test_problems_by_line() -> None:
    found = [
        Problem(4, "warning", "b"),
        Problem(None, "warning", "file"),
        Problem(4, "error", "a"),
        Problem(2, "warning", "c"),
    ]
    assert [p.message for p in by_line(found)] == ["file", "c", "a", "b"]
    assert GlossaryError("g.tsv", found).problems == by_line(found)
