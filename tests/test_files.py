"""Atomic file output: permissions like any program's, never half a file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translate.errors import OutputError
from translate.files import Unreadable, current_umask, read_bounded, write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: None, mask: int, expected: int) -> None:
    os.umask(mask)
    assert current_umask() == mask
    path = tmp_path / "out" / "berita.en.txt"
    write_atomic(path, "English.\n")
    assert mode(path) == expected and path.read_text(encoding="utf-8") == "English.\n"


def test_replaced_files_keep_their_mode(tmp_path: Path, umask: None) -> None:
    path = tmp_path / "berita.en.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, b"new")
    assert mode(path) == 0o600 and path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["berita.en.txt"]  # no temporary left


def test_text_that_cannot_be_utf8_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="UTF-8"):
        write_atomic(tmp_path / "x.txt", "name \udcff")
    assert not list(tmp_path.iterdir())


def test_cli_output_is_readable_by_others(
    tmp_path: Path, umask: None, tiny_model_dir: Path
) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    src = tmp_path / "a.txt"
    src.write_text("Harga beras naik.\n", encoding="utf-8")
    out = tmp_path / "a.en.json"
    args = ["article", str(src), "-o", str(out), "--format", "json", "--model", str(tiny_model_dir)]
    result = CliRunner().invoke(cli, [*args, "--no-default-glossary"])
    assert result.exit_code in (0, 1), result.output
    assert mode(out) == 0o644


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: None, "missing"),
        (lambda p: p.mkdir(), "directory"),
        (lambda p: p.write_bytes(b"x" * 11), "too_large"),
        (lambda p: p.write_bytes(b" \n"), "empty"),
    ],
)
def test_read_bounded_says_why(tmp_path: Path, make: Any, why: str) -> None:
    path = tmp_path / "f"
    make(path)
    with pytest.raises(Unreadable) as caught:
        read_bounded(path, 10, allow_empty=False)
    assert caught.value.why == why


def test_read_bounded_reads_up_to_the_limit(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 10)
    assert read_bounded(tmp_path / "f", 10) == b"x" * 10
