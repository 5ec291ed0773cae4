from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["article"], ["model"], ["model", "download"]])
def test_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.slow
def test_article_txt_to_stdout(runner: CliRunner, tiny_model_dir: Path) -> None:
    result = runner.invoke(
        cli, ["article", str(ARTICLES / "aktual-style.txt"), "--model", str(tiny_model_dir)]
    )
    assert result.exit_code == 0, result.output
    paragraphs = result.stdout.rstrip("\n").split("\n\n")
    assert paragraphs[-3:] == ["(Ant)", "This article was written by:", "Nebby"]
    assert paragraphs[2].startswith("Jakarta, Aktual.com – ")


@pytest.mark.slow
def test_article_json_and_md_files(runner: CliRunner, tiny_model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(
        cli,
        [
            "article",
            str(ARTICLES / "markdown-article.md"),
            "--model",
            str(tiny_model_dir),
            "--format",
            "json",
            "-o",
            str(out),
            "--beams",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "translate.document/1"
    assert data["meta"]["beams"] == 1
    assert data["paragraphs"][0]["kind"] == "title"
    md = tmp_path / "out.md"
    result = runner.invoke(
        cli,
        [
            "article",
            str(ARTICLES / "markdown-article.md"),
            "--model",
            str(tiny_model_dir),
            "--format",
            "md",
            "-o",
            str(md),
        ],
    )
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "\n## " in text and "\n- " in text and "\n1. " in text and "\n> " in text
    assert "https://www.example.com/berita/123" in text


@pytest.mark.slow
def test_several_inputs_to_a_directory(
    runner: CliRunner, tiny_model_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "english"
    result = runner.invoke(
        cli,
        [
            "article",
            str(ARTICLES / "detik-style.txt"),
            str(ARTICLES / "wrapped.txt"),
            "--model",
            str(tiny_model_dir),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["detik-style.txt", "wrapped.txt"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x00\x01binary\x00", "binary"),
        ("Harga “naik”.".encode("cp1252"), "not UTF-8"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "berita.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(cli, ["article", str(path), "--model", str(tmp_path / "unused")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and message in lines[0] and "berita.txt" in lines[0]
    assert "Traceback" not in result.output


def test_missing_model_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["article", str(ARTICLES / "detik-style.txt"), "--model", str(tmp_path / "none")]
    )
    assert result.exit_code == 2
    assert "translate model download" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_several_inputs_need_a_directory(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["article", str(ARTICLES / "detik-style.txt"), str(ARTICLES / "wrapped.txt")]
    )
    assert result.exit_code == 2
    assert "-o DIRECTORY" in result.stderr


def test_unknown_option_is_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["article", "x.txt", "--format", "pdf"])
    assert result.exit_code == 2


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "translate", "--help"], capture_output=True, text=True, check=True
    )
    assert "article" in out.stdout


def test_help_does_not_import_torch() -> None:
    code = "import sys; from translate.cli import cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


GLOSSARIES = Path(__file__).parent / "data" / "glossaries"


def test_glossary_check_ok_and_errors(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["glossary", "check", "glossary/id-en-news.tsv"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
    result = runner.invoke(cli, ["glossary", "check", str(GLOSSARIES / "bad.tsv")])
    assert result.exit_code == 1
    assert "line 3: error: empty target" in result.stderr
    assert "error(s)" in result.stderr


def test_glossary_check_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["glossary", "check", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_glossary_convert_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "house.tbx"
    result = runner.invoke(
        cli, ["glossary", "convert", str(GLOSSARIES / "house.tsv"), "--to", "tbx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    back = runner.invoke(cli, ["glossary", "convert", str(out), "--to", "tsv"])
    assert back.exit_code == 0, back.output
    from translate import Glossary

    assert Glossary.load(GLOSSARIES / "house.tsv").sha256 == Glossary.load(out).sha256


def test_glossary_suggest(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["glossary", "suggest", str(ARTICLES / "aktual-style.txt")])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(r) == 4 and r[0].isdigit() for r in rows)
    forms = {r[2] for r in rows}
    assert "Arief Santoso" in forms or "Arief" in forms
    assert "BMKG" not in forms  # the default glossary has it


@pytest.mark.slow
def test_article_prints_term_summary(runner: CliRunner, tiny_model_dir: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "article",
            str(ARTICLES / "antara-style.txt"),
            "--model",
            str(tiny_model_dir),
            "--glossary",
            str(GLOSSARIES / "house.tsv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"terms: (\d+) found, (\d+) applied, (\d+) missed", result.stderr)
    off = runner.invoke(
        cli,
        [
            "article",
            str(ARTICLES / "antara-style.txt"),
            "--model",
            str(tiny_model_dir),
            "--no-default-glossary",
        ],
    )
    assert "terms:" not in off.stderr
