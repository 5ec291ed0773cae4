"""Glossary composition: default, then files in order, then the editor's entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate import Glossary, GlossaryError
from translate.terms.compose import OWN, Override, compose_glossary


def _file(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text("source\ttarget\n" + rows, encoding="utf-8")
    return path


def test_default_unless_switched_off() -> None:
    assert compose_glossary().glossary == Glossary.default()
    assert compose_glossary(default=False).glossary is None


def test_later_files_win_and_say_so(tmp_path: Path) -> None:
    first = _file(tmp_path, "a.tsv", "Beograd\tBelgrade\n")
    second = _file(tmp_path, "b.tsv", "Beograd\tBeograd\n")
    composed = compose_glossary([first, second], default=False)
    assert composed.glossary is not None
    assert [e.target for e in composed.glossary.entries] == ["Beograd"]
    assert composed.overrides == (Override(str(second), "Beograd", "Beograd", "Belgrade"),)
    assert str(composed.overrides[0]) == f"{second}: 'Beograd' → 'Beograd' overrides 'Belgrade'"


def test_the_editors_entries_come_last(tmp_path: Path) -> None:
    path = _file(tmp_path, "a.tsv", "Beograd\tBelgrade\n")
    mine = Glossary.from_entries([("Beograd", "Beograd (Serbia)")])
    composed = compose_glossary([path], default=False, own=mine)
    assert composed.glossary is not None
    assert [e.target for e in composed.glossary.entries] == ["Beograd (Serbia)"]
    assert [o.origin for o in composed.overrides] == [OWN]
    only_mine = compose_glossary(default=False, own=mine)
    assert only_mine.glossary is mine and only_mine.overrides == ()


def test_a_broken_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError):
        compose_glossary([_file(tmp_path, "bad.tsv", "Beograd\t\n")])
