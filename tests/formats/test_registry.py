"""The format registry: one place lists every format, and adding one is one registration."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from translate.document import TranslatedDocument
from translate.errors import InputError, UsageError
from translate.formats import registry
from translate.formats.readers import read_text
from translate.formats.registry import Format, register, render

ARTICLE = "Judul Berita\n\nPresiden meresmikan jembatan baru.\n"


def test_the_formats_and_their_one_extension() -> None:
    assert registry.names("output") == (
        "txt", "json", "md", "html", "bilingual-html", "docx", "tmx", "xliff", "xliff2"
    )  # fmt: skip
    assert registry.names("input") == ("txt", "md", "html", "docx")
    extensions = {f.name: f.extension for f in registry.formats()}
    assert extensions == {
        "txt": ".txt", "json": ".json", "md": ".md", "html": ".html",
        "bilingual-html": ".bilingual.html", "docx": ".docx", "tmx": ".tmx", "xliff": ".xlf",
        "xliff2": ".xlf",
    }  # fmt: skip
    assert [f.name for f in registry.formats() if f.binary] == ["docx"]
    assert all(f.media_type and f.label for f in registry.formats())


def test_input_format_by_extension() -> None:
    assert set(registry.input_extensions()) == {
        ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx"
    }  # fmt: skip
    by = {name: registry.input_format(name).name for name in ("a.HTM", "b.markdown", "c.docx")}
    assert by == {"a.HTM": "html", "b.markdown": "md", "c.docx": "docx"}
    assert registry.input_format("notes.log").name == "txt"  # unknown extension: plain text
    assert registry.input_format("a.html", "md").name == "md"
    with pytest.raises(InputError, match="unknown input format 'pdf': use one of txt, md, html"):
        registry.input_format("a.pdf", "pdf")


def test_unknown_output_format_names_the_choices(fake_translator: Any) -> None:
    doc = fake_translator.translate_document(read_text(ARTICLE))
    with pytest.raises(UsageError, match="unknown output format 'pdf': use one of txt, json"):
        render(doc, "pdf")


def test_a_reader_and_a_writer_of_one_format_merge_and_must_agree() -> None:
    html = registry.get("html", "input")
    assert html.reader is not None and html.writer is not None and html.also_reads == (".htm",)
    with pytest.raises(ValueError, match="different extension"):
        html.merged(Format("html", ".xhtml", "text/html"))
    with pytest.raises(ValueError, match="two writers"):
        html.merged(Format("html", ".html", "text/html", writer=lambda d: ""))


def _toy(document: TranslatedDocument) -> str:
    return "".join(f"[{p.id}] {p.target}\n" for p in document.paragraphs)


@pytest.fixture
def toy() -> Iterator[Format]:
    """A format registered the way a new module would, removed afterwards."""
    try:
        yield register(Format("toy", ".toy", "text/plain", label="Toy", writer=_toy))
    finally:
        registry.unregister("toy")


def test_a_registered_format_renders_and_is_a_cli_choice(
    toy: Format, fake_translator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.cli import cli
    from translate.cli.common import EngineOptions

    doc = fake_translator.translate_document(read_text(ARTICLE))
    expected = "[p0] EN(Judul Berita)\n[p1] EN(Presiden meresmikan jembatan baru.)\n"
    assert render(doc, "toy") == expected
    assert "toy" in registry.names("output") and "toy" not in registry.names("input")

    monkeypatch.setattr(EngineOptions, "translator", lambda self: fake_translator)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    inputs = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    result = CliRunner().invoke(cli, ["article", *inputs, "--format", "toy", "-o", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["a.toy", "b.toy"], result.output
    assert (out / "a.toy").read_text(encoding="utf-8") == render(doc, "toy")


def test_the_cli_refuses_an_unregistered_format(tmp_path: Path) -> None:
    from translate.cli import cli

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["article", str(tmp_path / "a.txt"), "--format", "toy"])
    assert result.exit_code == 2 and "'toy' is not one of" in result.output
    choices = "txt, json, md, html, bilingual-html, docx, tmx, xliff, xliff2"
    assert choices in result.output.replace("'", "")


def test_the_workspace_exports_come_from_the_registry(fake_translator: Any) -> None:
    from translate.ui import workspace

    doc = fake_translator.translate_document(read_text(ARTICLE, name="berita.txt"))
    for name, spec in workspace.EXPORTS.items():
        _, mime, filename = workspace.export(doc, name)
        assert (mime, filename) == (spec.media_type, f"berita.en{spec.extension}")
        assert spec is registry.get(name)
    assert workspace.export(doc, "bilingual-html")[2] == "berita.en.bilingual.html"


# JSON is left out: its effort section computes chrF/TER with sacrebleu (review.stats), and
# importing sacrebleu imports its datasets module, which imports lxml.
def test_plain_formats_render_without_lxml_or_python_docx(
    fake_translator: Any, tmp_path: Path
) -> None:
    doc = fake_translator.translate_document(read_text(ARTICLE))
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc.to_dict()), encoding="utf-8")
    code = (
        "import json, sys\n"
        "from translate.document import TranslatedDocument\n"
        "from translate.formats.registry import render\n"
        f"doc = TranslatedDocument.from_dict(json.load(open({str(path)!r}, encoding='utf-8')))\n"
        "for fmt in ('txt', 'md', 'html', 'bilingual-html'):\n"
        "    assert render(doc, fmt)\n"
        "print(sorted(m for m in ('lxml', 'docx') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", registry.names("output"))
def test_no_export_shows_the_servers_model_path(
    name: str, fake_engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published files name the model by its folder, never the path on the server (the
    English HTML's provenance line showed an absolute folder under the account's home)."""
    from translate import Translator

    folder = tmp_path / "home" / "newsroom" / "models" / "opus-mt-id-en"
    folder.mkdir(parents=True)
    monkeypatch.setattr(fake_engine, "model_id", str(folder))
    doc = Translator(engine=fake_engine, beams=2).translate_document(read_text(ARTICLE))
    assert doc.meta.model == "opus-mt-id-en"
    data = render(doc, name)
    if registry.get(name).binary:  # DOCX: the parts inside the zip
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
            data = b"".join(package.read(n) for n in package.namelist())
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    assert str(tmp_path) not in text and "newsroom/models" not in text
