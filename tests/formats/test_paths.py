"""Where outputs go: ``translate article``'s -o rules and ``translate batch``'s mirrored names."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import UsageError
from translate.formats.paths import article_outputs, mirrored_output


def test_one_input_goes_to_stdout_a_file_or_into_a_directory(tmp_path: Path) -> None:
    a = Path("in/a.txt")
    assert article_outputs([a], None, "txt") == [None]
    assert article_outputs([a], tmp_path / "a.en.md", "md") == [tmp_path / "a.en.md"]
    assert article_outputs([a], tmp_path, "bilingual-html") == [tmp_path / "a.bilingual.html"]


def test_several_inputs_need_a_directory(tmp_path: Path) -> None:
    inputs = [Path("a.txt"), Path("sub/b.md")]
    out = tmp_path / "english"  # need not exist yet
    assert article_outputs(inputs, out, "xliff") == [out / "a.xlf", out / "b.xlf"]
    with pytest.raises(UsageError, match="several inputs need -o DIRECTORY"):
        article_outputs(inputs, None, "txt")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file; several inputs need -o DIRECTORY"):
        article_outputs(inputs, tmp_path / "file", "txt")


def test_a_binary_format_never_goes_to_stdout(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"--format docx writes a binary file: give -o FILE\.docx"):
        article_outputs([Path("a.txt")], None, "docx")
    assert article_outputs([Path("a.txt")], tmp_path / "x.docx", "docx") == [tmp_path / "x.docx"]


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown output format 'pdf'"):
        article_outputs([Path("a.txt")], None, "pdf")


def test_batch_names_mirror_the_input_and_never_clash() -> None:
    taken: set[Path] = set()
    assert mirrored_output(Path("x/a.txt"), "json", taken) == Path("x/a.json")
    assert mirrored_output(Path("x/a.md"), "json", taken) == Path("x/a.md.json")
    assert mirrored_output(Path("b.html"), "bilingual-html", taken) == Path("b.bilingual.html")
    assert taken == {Path("x/a.json"), Path("x/a.md.json"), Path("b.bilingual.html")}
