from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli

ARTICLES = Path(__file__).parents[1] / "data" / "articles"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def assert_finished(result) -> None:  # type: ignore[no-untyped-def]
    """`translate article` finished: exit 0, or 1 exactly when a term was missed or a QA
    error remains (random weights make plenty), as the summary lines on stderr say."""
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    missed = [int(m) for m in re.findall(r"(\d+) missed", result.stderr)]
    errors = [int(m) for m in re.findall(r"qa: (\d+) errors", result.stderr)]
    assert errors, result.stderr
    assert result.exit_code == (1 if sum(missed) + sum(errors) else 0)


@pytest.mark.parametrize(
    "command",
    [[], ["article"], ["model"], ["model", "download"], ["model", "convert"], ["finetune"]],
)
def test_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.slow
def test_article_txt_to_stdout(runner: CliRunner, tiny_model_dir: Path) -> None:
    result = runner.invoke(
        cli, ["article", str(ARTICLES / "aktual-style.txt"), "--model", str(tiny_model_dir)]
    )
    assert_finished(result)
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
    assert_finished(result)
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
    assert_finished(result)
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
    assert_finished(result)
    assert sorted(p.name for p in out.iterdir()) == ["detik-style.txt", "wrapped.txt"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x00\x01binary\x00", "binary"),
        ("Harga “naik”".encode() + " lagi “tajam”.".encode("cp1252"), "not UTF-8"),
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


GLOSSARIES = Path(__file__).parents[1] / "data" / "glossaries"


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
    assert_finished(result)
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


def test_tm_import_export_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    from translate.formats.exchange import read_tmx_pairs
    from translate.formats.tmx import pairs_to_tmx

    seed = tmp_path / "seed.tmx"
    seed.write_bytes(
        pairs_to_tmx([("Harga beras naik.", "Rice prices rose.", ""), ("Dua.", "Two.", "")])
    )
    result = runner.invoke(cli, ["tm", "import", str(seed)])
    assert result.exit_code == 0, result.output
    assert "2 pairs read, 2 added" in result.stdout
    out = tmp_path / "backup.tmx"
    result = runner.invoke(cli, ["tm", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(read_tmx_pairs(out)) == [
        ("Dua.", "Two."),
        ("Harga beras naik.", "Rice prices rose."),
    ]


def test_tm_import_refuses_hostile_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><tmx version="1.4"><body/></tmx>'
    )
    result = runner.invoke(cli, ["tm", "import", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")


@pytest.mark.slow
def test_memory_is_used_by_article_unless_switched_off(
    runner: CliRunner, tmp_path: Path, tiny_model_dir: Path
) -> None:
    from translate.review.memory import Memory

    with Memory() as memory:
        memory.add("Harga beras naik.", "Rice prices went up.")
    article = tmp_path / "a.txt"
    article.write_text("Harga beras naik.", encoding="utf-8")
    args = ["article", str(article), "--model", str(tiny_model_dir), "--beams", "1"]
    assert runner.invoke(cli, args).stdout == "Rice prices went up.\n"
    assert runner.invoke(cli, [*args, "--no-memory"]).stdout != "Rice prices went up.\n"


@pytest.mark.slow
def test_xliff_export_edit_import(runner: CliRunner, tmp_path: Path, tiny_model_dir: Path) -> None:
    from translate import read_text
    from translate.formats.xliff import to_xliff
    from translate.pipeline.translator import Translator
    from translate.review.store import Store

    text = "Harga beras naik. Warga protes."
    doc = Translator(model=str(tiny_model_dir), beams=1).translate_document(text)
    with Store() as store:
        doc_id = store.create(read_text(text), doc.meta)
        store.save_translation(doc_id, doc)
    from lxml import etree

    root = etree.fromstring(to_xliff(doc))
    for unit in root.iter("{*}trans-unit"):
        if unit.get("id") == "p0.s1":
            unit.find("{*}target").text = "Residents protested."
    xlf = tmp_path / "a.xlf"
    xlf.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = runner.invoke(cli, ["import", str(xlf), "--document", doc_id, "--who", "Dewi"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 changed")
    with Store() as store:
        assert store.load(doc_id).paragraphs[0].sentences[1].target == "Residents protested."
        assert store.history(doc_id, "p0.s1")[-1].who == "Dewi"
    result = runner.invoke(cli, ["import", str(xlf), "--document", "d-nope"])
    assert result.exit_code != 0 and "d-nope" in result.output


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "tmx", "json"])
def test_import_leaves_conflicts_unless_overwrite(
    runner: CliRunner, tmp_path: Path, fake_translator: object, fmt: str
) -> None:
    """A file exported before p1 was edited and approved (and p2 edited): the import lists
    both conflicts with their reasons, applies neither and exits 1; --overwrite applies
    them, names them, records import:FILE in the history and exits 0."""
    from tests.formats.catfiles import HOSTILE_TEXT, stored_article
    from translate.formats.registry import extension, render
    from translate.review.store import Store

    db = tmp_path / "s.sqlite"
    path = tmp_path / f"berita{extension(fmt)}"
    with stored_article(db, fake_translator, HOSTILE_TEXT, who="ed") as (store, doc_id):
        data = render(store.load(doc_id), fmt)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        store.edit(doc_id, "p1.s1", "The President opened the new bridge.", who="Rina")
        store.set_status(doc_id, "p1", "approved", who="Rina")
        store.edit(doc_id, "p2", "Residents were delighted. They came early.", who="Rina")
        before = store.load(doc_id)
    args = ["import", str(path), "--document", doc_id, "--who", "Dewi"]
    env = {"TRANSLATE_STORE": str(db)}

    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 1, result.output
    assert re.fullmatch(
        r"0 changed, \d unchanged, 0 unknown, 2 conflicting, 0 failed\n", result.stdout
    )
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.fullmatch(
        rf"conflict: p1\.s1: the file has an older English of p1\.s1: it was edited by Rina "
        rf"at {when} after that; p1 was approved by Rina at {when}\n"
        rf"conflict: p2: the file has an older English of p2: it was edited by Rina at {when} "
        r"after that\n"
        r"2 conflicting units not applied: check them in the workspace, or import again with "
        r"--overwrite\n",
        result.stderr,
    ), result.stderr
    with Store(db) as store:
        assert store.load(doc_id) == before

    result = runner.invoke(cli, [*args, "--overwrite"], env=env)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"2 changed \(2 overwritten\), \d unchanged, 0 unknown, 0 conflicting, 0 failed\n",
        result.stdout,
    )
    assert [line.split(": ")[:2] for line in result.stderr.splitlines()] == [
        ["overwritten", "p1.s1"],
        ["overwritten", "p2"],
    ]
    with Store(db) as store:
        p1 = store.load(doc_id).paragraph("p1")
        assert (
            p1.status == "edited"
            and p1.sentences[1].target != before.paragraph("p1").sentences[1].target
        )
        rows = [(h.segment, h.who, h.origin) for h in store.history(doc_id)[-2:]]
    assert rows == [("p1.s1", "Dewi", f"import:{path.name}"), ("p2", "Dewi", f"import:{path.name}")]


def test_import_help_says_what_a_conflict_is(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
    assert "--overwrite" in result.output and "conflict" in result.output


def test_article_formats_tmx_xliff(runner: CliRunner, tmp_path: Path, tiny_model_dir: Path) -> None:
    roots = {
        "tmx": "<tmx",
        "xliff": '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"',
        "xliff2": '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"',
    }
    for fmt, root in roots.items():
        result = runner.invoke(
            cli,
            ["article", str(ARTICLES / "detik-style.txt"), "--model", str(tiny_model_dir),
             "--beams", "1", "--format", fmt, "--no-memory"],
        )  # fmt: skip
        assert_finished(result)
        assert result.stdout.startswith("<?xml") and root in result.stdout


def test_qa_command(runner: CliRunner, tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.conftest import FakeEngine
    from translate import Translator
    from translate.formats.writers import to_json

    doc = Translator(engine=FakeEngine(), glossary=None).translate_document(
        "Harga beras naik 2,3 persen menjadi Rp13.924 per kilogram."
    )
    p0 = doc.paragraphs[0]
    good = replace(
        p0,
        target="Rice prices rose 2.3 percent to Rp13,924 per kilogram.",
        sentences=(
            replace(
                p0.sentences[0], target="Rice prices rose 2.3 percent to Rp13,924 per kilogram."
            ),
        ),
    )
    bad_text = "Rice prices rose 3.2 percent to Rp13,924 per kilogram."
    bad = replace(good, target=bad_text, sentences=(replace(good.sentences[0], target=bad_text),))
    ok_file, bad_file = tmp_path / "ok.json", tmp_path / "bad.json"
    ok_file.write_text(to_json(doc.replace_paragraph(good)), encoding="utf-8")
    bad_file.write_text(to_json(doc.replace_paragraph(bad)), encoding="utf-8")
    result = runner.invoke(cli, ["qa", str(ok_file)])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stderr
    result = runner.invoke(cli, ["qa", str(bad_file)])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "\tnumbers\t" in x)
    assert line.startswith("p0.s0\terror") and "2,3" in line
    garbage = tmp_path / "x.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["qa", str(garbage)])
    assert result.exit_code == 2 and "x.json: not valid JSON (line 1" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"paragraphs": [{"id": "p0", "kind": "paragraph", "source": "a", "target": 5, '
         '"mt": ""}], "meta": {}}', "meta.model: missing"),
        ('{"meta": {"model": "m", "version": "1", "backend": "torch", "beams": 4, '
         '"glossary_sha256": null, "created": ""}, "paragraphs": [{"id": "p0", '
         '"kind": "paragraph", "source": "a", "target": 5, "mt": ""}]}',
         "paragraphs[0].target: expected a string, got a number"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["qa", "import"])
def test_malformed_json_is_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, content: str, message: str, command: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    args = ["qa", str(path)] if command == "qa" else ["import", str(path), "--document", "d-x"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "bad.json" in lines[0]


# --- translate ui refuses to listen beyond loopback without a password (issue 17, item 1) -----


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::", "newsroom-server", "192.168.1.20"])
def test_ui_refuses_open_address_without_password(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    monkeypatch.delenv("TRANSLATE_UI_PASSWORD", raising=False)
    monkeypatch.setattr("translate.cli.ui._secrets_paths", lambda app: [])
    started: list[object] = []
    monkeypatch.setattr("translate.cli.ui._run_streamlit", lambda *a: started.append(a) or 0)
    result = runner.invoke(cli, ["ui", "--host", host])
    assert result.exit_code == 2
    assert not started  # Streamlit never started
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "password" in lines[0]


@pytest.mark.parametrize(
    ("host", "password"),
    [("localhost", ""), ("127.0.0.1", ""), ("127.0.0.2", ""), ("::1", ""), ("", "rahasia")],
)
def test_ui_starts_on_loopback_or_with_password(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, host: str, password: str
) -> None:
    monkeypatch.setenv("TRANSLATE_UI_PASSWORD", password)
    monkeypatch.setattr("translate.cli.ui._secrets_paths", lambda app: [])
    started: list[list[str]] = []

    def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
        started.append(cmd)
        return 0

    monkeypatch.setattr("translate.cli.ui._run_streamlit", run)
    result = runner.invoke(cli, ["ui", "--host", host])
    assert result.exit_code == 0, result.output
    assert started and started[0][started[0].index("--server.address") + 1] == host
    # No full garbage collection after every script run: ~150 ms a click with torch loaded.
    assert started[0][started[0].index("--runner.postScriptGC") + 1] == "false"


def test_ui_password_from_secrets_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRANSLATE_UI_PASSWORD", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('password = "rahasia"\n', encoding="utf-8")
    monkeypatch.setattr("translate.cli.ui._secrets_paths", lambda app: [secrets])
    monkeypatch.setattr("translate.cli.ui._run_streamlit", lambda *a: 0)
    assert runner.invoke(cli, ["ui", "--host", "0.0.0.0"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {}),
        (
            ["--model", "models/berita", "--beams", "6", "--backend", "torch"],
            {"TRANSLATE_MODEL": "models/berita", "TRANSLATE_BEAMS": "6",
             "TRANSLATE_BACKEND": "torch"},
        ),
        (["--allow-settings"], {"TRANSLATE_UI_SETTINGS": "editable"}),
        (["--full-vocab"], {"TRANSLATE_FULL_VOCAB": "1"}),
    ],
)  # fmt: skip
def test_ui_settings_are_the_operators(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: dict[str, str]
) -> None:
    # Issue 19 item 14: what changes results for everyone is set when the server starts.
    names = ("TRANSLATE_MODEL", "TRANSLATE_BEAMS", "TRANSLATE_BACKEND", "TRANSLATE_UI_SETTINGS")
    names += ("TRANSLATE_FULL_VOCAB",)
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("translate.cli.ui._secrets_paths", lambda app: [])
    seen: list[dict[str, str]] = []
    monkeypatch.setattr(
        "translate.cli.ui._run_streamlit", lambda cmd, cwd, env: seen.append(env) or 0
    )
    assert runner.invoke(cli, ["ui", *args]).exit_code == 0
    chosen = {k: v for k, v in seen[0].items() if k in names}
    assert chosen == expected


# --- the store file: damaged, newer, busy (issue 17, items 7, 8, 9) ---------------------------


def _store_with_memory(home: Path) -> Path:
    from translate.review.memory import Memory

    path = home / "store.sqlite"
    with Memory(path) as memory:
        memory.add("Harga beras naik.", "Rice prices rose.")
    return path


def _newer_store(home: Path) -> Path:
    """A store whose schema version is from the future."""
    import sqlite3

    path = _store_with_memory(home)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    return path


def _one_error_line(result: object) -> str:
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    return str(lines[0])


def test_damaged_store_is_one_line_exit_2(
    runner: CliRunner, private_home: Path, tmp_path: Path
) -> None:
    import sqlite3

    path = _store_with_memory(private_home)
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    result = runner.invoke(cli, ["tm", "export", str(tmp_path / "out.tmx")])
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert str(path) in line and "translate store check" in line
    check = runner.invoke(cli, ["store", "check"])
    assert check.exit_code == 2 and "damaged" in check.output


def test_store_check_and_backup(runner: CliRunner, private_home: Path, tmp_path: Path) -> None:
    from translate.review.memory import Memory

    _store_with_memory(private_home)
    result = runner.invoke(cli, ["store", "check"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "1 memory pairs" in result.output
    backup = tmp_path / "backup.sqlite"
    result = runner.invoke(cli, ["store", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    with Memory(backup) as memory:
        assert memory.exact("Harga beras naik.") is not None


@pytest.mark.parametrize(
    "args",
    [
        ["tm", "import", "{seed}"],
        ["tm", "export", "{out}"],
        ["import", "{seed}", "--document", "d-x"],
    ],
)
def test_newer_store_refused_by_every_command(
    runner: CliRunner, private_home: Path, tmp_path: Path, args: list[str]
) -> None:
    from translate.formats.tmx import pairs_to_tmx

    path = _newer_store(private_home)
    seed = tmp_path / "seed.tmx"
    seed.write_bytes(pairs_to_tmx([("Dua.", "Two.", "")]))
    before = path.read_bytes()
    argv = [a.format(seed=seed, out=tmp_path / "out.tmx") for a in args]
    result = runner.invoke(cli, argv)
    assert result.exit_code == 2, result.output
    assert "made by a newer version" in _one_error_line(result)
    assert path.read_bytes() == before and not (tmp_path / "out.tmx").exists()


@pytest.mark.slow
def test_newer_store_refused_by_article(
    runner: CliRunner, private_home: Path, tmp_path: Path, tiny_model_dir: Path
) -> None:
    _newer_store(private_home)
    src = tmp_path / "a.txt"
    src.write_text("Harga beras naik.\n", encoding="utf-8")
    result = runner.invoke(cli, ["article", str(src), "--model", str(tiny_model_dir)])
    assert result.exit_code == 2 and "made by a newer version" in _one_error_line(result)


@pytest.mark.slow
def test_read_only_commands_run_beside_a_busy_writer(
    runner: CliRunner, private_home: Path, tmp_path: Path, tiny_model_dir: Path
) -> None:
    import sqlite3
    import threading
    import time

    from translate.formats.readers import read_text
    from translate.review.store import Store

    # A store the workspace made, with nothing approved yet: no memory table.
    path = private_home / "store.sqlite"
    with Store(path) as store:
        meta = _fake_meta()
        store.create(read_text("Satu dua.", "txt"), meta)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE documents SET updated = updated")
        held.set()
        release.wait(60)
        raw.execute("COMMIT")
        raw.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    try:
        src = tmp_path / "a.txt"
        src.write_text("Harga beras naik.\n\nDua kalimat lagi.\n", encoding="utf-8")
        started = time.monotonic()
        article = runner.invoke(
            cli, ["article", str(src), "--model", str(tiny_model_dir), "--no-default-glossary"]
        )
        export = runner.invoke(cli, ["tm", "export", str(tmp_path / "out.tmx")])
        assert time.monotonic() - started < 60
    finally:
        release.set()
        thread.join()
    assert article.exit_code in (0, 1), article.output  # 1: QA findings on random weights
    assert "locked" not in article.output and "Error" not in article.output
    assert export.exit_code == 0, export.output
    assert "0 pairs written" in export.output


def _fake_meta():  # type: ignore[no-untyped-def]
    from translate.document import Meta

    return Meta("fake", "0.1.0", "torch", 2, None, "2026-01-01T00:00:00+00:00")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM and exec are POSIX")
def test_ui_stops_on_sigterm_without_leaving_streamlit(tmp_path: Path) -> None:
    """A service manager stops `translate ui` with SIGTERM: the server must stop with it."""
    import signal
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "TRANSLATE_UI_PASSWORD"}
    env["TRANSLATE_STORE"] = str(tmp_path / "store.sqlite")
    proc = subprocess.Popen(
        [sys.executable, "-m", "translate", "ui", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("the workspace did not start")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        time.sleep(0.5)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        proc.kill()


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0.4, "0 s"), (45.2, "45 s"), (123, "2:03"), (3723, "1:02:03")]
)
def test_batch_eta_reads_as_a_duration(seconds: float, shown: str) -> None:
    from translate.cli.translating import _duration

    assert _duration(seconds) == shown
