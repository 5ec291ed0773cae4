"""Reading a translated document (contract JSON) back from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.document import Meta, TranslatedDocument
from translate.errors import ContractError, InputError
from translate.formats.translated import read_translated
from translate.formats.writers import to_json


def test_round_trip(tmp_path: Path) -> None:
    doc = TranslatedDocument(Meta("m", "0", "torch", 4, None, ""))
    path = tmp_path / "d.json"
    path.write_text(to_json(doc), encoding="utf-8")
    assert read_translated(path) == doc


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"{", ContractError, "not valid JSON"),
        (b"\xff\xfe{}", InputError, "not UTF-8"),
    ],
)
def test_problems_name_the_file(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        read_translated(path)
    assert str(info.value).startswith(str(path))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_translated(tmp_path / "missing.json")
