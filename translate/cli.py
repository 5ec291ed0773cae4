"""The ``translate`` command line: each command parses, calls the library, and renders.

Exit codes: 0 success; 1 finished but something failed; 2 usage or input error.
Errors are one line on stderr that names the problem and what to do.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import TranslateError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

OUTPUT_FORMATS = ("txt", "json", "md", "html", "bilingual-html", "docx", "tmx", "xliff")
INPUT_FORMATS = ("txt", "md", "html", "docx")


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the library's typed errors into one line on stderr and an exit code."""
    try:
        yield
    except TranslateError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def _engine_options(f: F) -> F:
    """Options shared by every command that translates."""
    options = [
        click.option("--model", "-m", help="Hub id or local folder (default: $TRANSLATE_MODEL)."),
        click.option(
            "--backend",
            type=click.Choice(["torch", "ct2"]),
            help="torch (default; $TRANSLATE_BACKEND) or ct2 (CTranslate2 int8 on CPU, "
            "float16 on GPU; needs the [fast] extra, converts the model once).",
        ),
        click.option(
            "--device",
            type=click.Choice(["auto", "cpu", "cuda"]),
            default="auto",
            show_default=True,
        ),
        click.option(
            "--beams", type=click.IntRange(1, 16), default=4, show_default=True, help="Beam size."
        ),
        click.option(
            "--glossary",
            "-g",
            "glossaries",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Glossary file (.tsv, .csv, .tbx); repeat to merge, later ones win.",
        ),
        click.option(
            "--no-default-glossary",
            is_flag=True,
            help="Do not use the bundled Indonesian news glossary.",
        ),
        click.option(
            "--quantize",
            is_flag=True,
            default=None,
            help="int8 Linear layers on CPU: several times faster, outputs change slightly.",
        ),
        click.option(
            "--dtype",
            type=click.Choice(["auto", "float32", "float16", "bfloat16"]),
            help="torch weight precision (default: $TRANSLATE_DTYPE, else auto: float16 on "
            "CUDA, float32 on CPU); bfloat16 is faster on CPUs with AVX512-BF16 or AMX.",
        ),
        click.option(
            "--no-memory",
            is_flag=True,
            help="Do not reuse approved translations from the translation memory.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _format_options(default: str) -> Callable[[F], F]:
    """``--format`` (output) and ``--input-format``, shared by ``article`` and ``batch``."""

    def decorate(f: F) -> F:
        f = click.option(
            "--input-format",
            type=click.Choice(INPUT_FORMATS),
            help="Input format (default: from each file's extension).",
        )(f)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(OUTPUT_FORMATS),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate")
def cli() -> None:
    """Indonesian→English machine translation for newsrooms.

    \b
    Example:
        translate article berita.txt -o berita.en.txt
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file (one input) or directory (several). Default: stdout.",
)
@_format_options("txt")
@_engine_options
def article(
    inputs: tuple[Path, ...],
    output: Path | None,
    fmt: str,
    input_format: str | None,
    model: str | None,
    backend: str | None,
    device: str,
    beams: int,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    quantize: bool | None,
    dtype: str | None,
    no_memory: bool,
) -> None:
    """Translate one or more articles (.txt, .md, .html or .docx).

    \b
    Examples:
        translate article berita.txt                 # English text on stdout
        translate article berita.md --format md -o berita.en.md
        translate article berita.html --format bilingual-html -o berita.bi.html
        translate article berita.docx --format docx -o berita.en.docx
        translate article a.txt b.txt -o english/    # one file per input
    """
    from .readers import read_file
    from .writers import EXTENSIONS, render, write_atomic

    with _errors():
        if len(inputs) > 1 and output is None:
            raise UsageError("several inputs need -o DIRECTORY for their outputs")
        if len(inputs) > 1 and output is not None and output.is_file():
            raise UsageError(f"{output} is a file; several inputs need -o DIRECTORY")
        if fmt == "docx" and output is None:
            raise UsageError("--format docx writes a binary file: give -o FILE.docx")
        # Read everything first: a missing or binary file fails fast, before the model loads.
        documents = [read_file(path, input_format) for path in inputs]
        for path, document in zip(inputs, documents, strict=True):
            for note in document.notes:  # what the reader repaired or dropped, one line each
                click.echo(f"{path.name}: {note}", err=True)
        glossary = _glossary(glossaries, no_default_glossary)
        translator = _translator(
            glossary, model, backend, device, beams, quantize, dtype, no_memory
        )
        problems = 0
        for path, document in zip(inputs, documents, strict=True):
            with _progress(path.name, document.sentence_count) as progress:
                result = translator.translate_document(document, progress=progress)
            prefix = f"{path.name}: " if len(inputs) > 1 else ""
            if glossary is not None:
                found, applied, missed = result.term_counts
                problems += missed
                click.echo(
                    f"{prefix}terms: {found} found, {applied} applied, {missed} missed", err=True
                )
            errors, warnings = _qa_counts(result)
            problems += errors
            click.echo(f"{prefix}qa: {errors} errors, {warnings} warnings", err=True)
            text = render(result, fmt)
            if output is None:
                # XML formats are UTF-8 text; docx never gets here (it needs -o, checked above).
                click.echo(text.decode("utf-8") if isinstance(text, bytes) else text, nl=False)
            elif len(inputs) == 1 and not output.is_dir():
                write_atomic(output, text)
            else:
                write_atomic(output / (path.stem + EXTENSIONS[fmt]), text)
        if problems:
            # Finished, but something needs a human: a missed term or a QA error (exit 1).
            sys.exit(1)


@cli.command()
@click.argument("input_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Output directory; the input tree is mirrored there.",
)
@_format_options("json")
@click.option("--recursive", "-r", is_flag=True, help="Include subfolders.")
@_engine_options
def batch(
    input_dir: Path,
    output_dir: Path,
    fmt: str,
    input_format: str | None,
    recursive: bool,
    model: str | None,
    backend: str | None,
    device: str,
    beams: int,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    quantize: bool | None,
    dtype: str | None,
    no_memory: bool,
) -> None:
    """Translate a folder of articles; a rerun resumes where a killed run stopped.

    A manifest in OUTPUT_DIR records each input's sha256 and the settings: a rerun skips what
    is unchanged and redoes inputs whose content or settings changed. Exit code 1 if any file
    failed (each failure is reported on its own line).

    \b
    Example:
        translate batch berita/ -o english/ --recursive
        translate batch berita/ -o english-md/ --format md
    """
    from .batch import run_batch

    with _errors():
        glossary = _glossary(glossaries, no_default_glossary)
        translator = _translator(
            glossary, model, backend, device, beams, quantize, dtype, no_memory
        )
        bar = _BatchProgress()
        summary = run_batch(
            input_dir,
            output_dir,
            translator,
            fmt=fmt,
            recursive=recursive,
            input_format=input_format,
            on_event=bar.update,
        )
        bar.close()
        click.echo(
            f"{summary.done} done, {summary.skipped} skipped, {len(summary.failed)} failed "
            f"({summary.sentences} sentences in {summary.seconds:.1f} s)",
            err=True,
        )
        if summary.failed:
            sys.exit(1)


def _translator(
    glossary: Any,
    model: str | None,
    backend: str | None,
    device: str,
    beams: int,
    quantize: bool | None,
    dtype: str | None,
    no_memory: bool,
) -> Any:
    """A ``Translator`` from the options every translating command shares."""
    from .pipeline import Translator

    return Translator(
        model=model,
        device=device,
        backend=backend,
        beams=beams,
        glossary=glossary,
        memory=None if no_memory else True,
        quantize=quantize,
        dtype=dtype,
    )


def _glossary(paths: tuple[Path, ...], no_default: bool) -> Any:
    """The default glossary (unless switched off) merged with each given file, in order."""
    from .glossary import Glossary

    merged = None if no_default else Glossary.default()
    for path in paths:
        extra = Glossary.load(path)
        if merged is None:
            merged = extra
            continue
        merged = merged.merge(extra)
        for old, new in merged.overrides:
            click.echo(
                f"{path}: {new.source!r} → {new.target!r} overrides {old.target!r}", err=True
            )
    return merged


class _BatchProgress:
    """Documents and sentences per second on stderr; failures on their own lines."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.docs = self.sentences = self.skipped = self.failed = 0
        self.live = sys.stderr.isatty()

    def update(self, event: Any) -> None:
        if event.kind == "failed":
            self.failed += 1
            self._clear()
            click.echo(f"failed: {event.path}: {event.message}", err=True)
        elif event.kind == "skipped":
            self.skipped += 1
        else:
            self.docs += 1
            self.sentences += event.sentences
            if event.notes:
                self._clear()
            for note in event.notes:
                click.echo(f"{event.path}: {note}", err=True)
        if self.live:
            elapsed = max(self.clock() - self.started, 1e-6)
            click.echo(
                f"\r{self.docs} done, {self.skipped} skipped, {self.failed} failed | "
                f"{self.docs / elapsed:.2f} docs/s, {self.sentences / elapsed:.1f} sentences/s",
                err=True,
                nl=False,
            )

    def _clear(self) -> None:
        if self.live:
            click.echo("\r\033[K", err=True, nl=False)

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


def _qa_counts(document: Any) -> tuple[int, int]:
    findings = [q for p in document.paragraphs for q in p.qa]
    errors = sum(q.severity == "error" for q in findings)
    return errors, len(findings) - errors


@cli.command("qa")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the checked document as JSON.")
def qa_command(path: Path, as_json: bool) -> None:
    """Run the QA checks on a translation (contract JSON, e.g. edited by hand).

    One line per finding: paragraph or sentence, severity, check, message. Exit code 1 when
    errors remain.

    \b
    Example:
        translate qa berita.en.json
    """
    from .document import load_json
    from .qa import check_document, summary
    from .readers import decode, read_bytes
    from .writers import to_json

    with _errors():
        document = load_json(decode(read_bytes(path), str(path)), str(path))
        checked = check_document(document)
        if as_json:
            click.echo(to_json(checked), nl=False)
        for p in checked.paragraphs:
            for q in p.qa:
                click.echo(f"{q.sentence or p.id}\t{q.severity}\t{q.check}\t{q.message}")
        counts = summary(checked)
        errors, warnings = _qa_counts(checked)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v and "." in k)
        click.echo(f"{errors} errors, {warnings} warnings" + (f" ({detail})" if detail else ""),
                   err=True)  # fmt: skip
        if errors:
            sys.exit(1)


@contextmanager
def _progress(name: str, total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress line on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return

    def show(done: int, total: int) -> None:
        click.echo(f"\r{name}: {done}/{total} sentences", err=True, nl=False)

    yield show
    click.echo("", err=True)


@cli.group()
def glossary() -> None:
    """Check, convert and grow glossaries.

    \b
    Example:
        translate glossary check redaksi.tsv
    """


@glossary.command("check")
@click.argument("path", type=click.Path(path_type=Path))
def glossary_check(path: Path) -> None:
    """List every problem in a glossary file with its line number; exit 1 on errors.

    \b
    Example:
        translate glossary check redaksi.tsv
    """
    from .glossary import Glossary

    with _errors():
        problems = Glossary.check(path)
        for problem in problems:
            click.echo(f"{path}: {problem}", err=problem.severity == "error")
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if errors:
            click.echo(f"{path}: {errors} error(s), {warnings} warning(s)", err=True)
            sys.exit(1)
        entries = len(Glossary.load(path))
        click.echo(f"{path}: OK, {entries} entries, {warnings} warning(s)")


@glossary.command("suggest")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--glossary", "-g", "glossaries", multiple=True, type=click.Path(path_type=Path))
@click.option("--no-default-glossary", is_flag=True, help="Also propose names it already has.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def glossary_suggest(
    input_path: Path, glossaries: tuple[Path, ...], no_default_glossary: bool, limit: int
) -> None:
    """Propose proper nouns and acronyms from an article that no glossary covers yet.

    Output is tab-separated: count, kind, form, context.

    \b
    Example:
        translate glossary suggest berita.txt --glossary redaksi.tsv
    """
    from .glossary import suggest
    from .readers import read_file

    with _errors():
        document = read_file(input_path)
        text = "\n\n".join(b.source for b in document.blocks)
        found = suggest(text, _glossary(glossaries, no_default_glossary), limit=limit)
        for s in found:
            context = " ".join(s.context.split())
            click.echo(f"{s.count}\t{s.kind}\t{s.form}\t{context}")


@glossary.command("convert")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--to", "fmt", type=click.Choice(["tsv", "csv", "tbx"]), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Default: stdout.")
def glossary_convert(path: Path, fmt: str, output: Path | None) -> None:
    """Convert a glossary between TSV, CSV and TBX.

    \b
    Example:
        translate glossary convert redaksi.tsv --to tbx -o redaksi.tbx
    """
    from .glossary import Glossary
    from .writers import write_atomic

    with _errors():
        loaded = Glossary.load(path)
        data: str | bytes
        if fmt == "tbx":
            data = loaded.to_tbx()
        else:
            data = loaded.to_tsv() if fmt == "tsv" else loaded.to_csv()
        if output is None:
            click.echo(data.decode("utf-8") if isinstance(data, bytes) else data, nl=False)
        else:
            write_atomic(output, data)
            click.echo(f"Wrote {len(loaded)} entries to {output}", err=True)


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but localhost exposes newsroom text: set a password.",
)
@click.option(
    "--backend",
    type=click.Choice(["torch", "ct2"]),
    help="Engine backend (default: $TRANSLATE_BACKEND, else torch).",
)
def ui(port: int, host: str, backend: str | None) -> None:
    """Start the post-editing workspace in the browser (Streamlit).

    \b
    Example:
        translate ui                 # then open http://localhost:8501
        TRANSLATE_MODEL=models/opus-mt-id-en translate ui --port 8600
        translate ui --backend ct2   # CTranslate2: faster on CPU
    """
    import os

    from .access import check_listen, configured_password, read_secrets
    from .workspace import app_path

    with _errors():
        app = app_path()
        # Decided here, before anything listens: the app refuses too, but only after Streamlit
        # has bound the address.
        check_listen(host, configured_password(read_secrets(_secrets_paths(app))))
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.port", str(port),
            "--server.address", host,
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        click.echo(f"Workspace on http://{host}:{port}  (Ctrl+C stops it)", err=True)
        env = {**os.environ, **({"TRANSLATE_BACKEND": backend} if backend else {})}
        sys.exit(_run_streamlit(cmd, app.parent, env))


def _run_streamlit(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run Streamlit in this process's place where the system allows it, so that a service
    manager's SIGTERM reaches the server itself instead of leaving it running orphaned."""
    import os
    import subprocess

    if os.name == "posix":
        os.chdir(cwd)
        os.execve(cmd[0], cmd, env)  # does not return
    try:
        return subprocess.call(cmd, cwd=cwd, env=env)
    except KeyboardInterrupt:
        return 0


def _secrets_paths(app: Path) -> list[Path]:
    """Where Streamlit looks for secrets when it runs ``app`` (from the app's folder)."""
    return [Path.home() / ".streamlit" / "secrets.toml", app.parent / ".streamlit" / "secrets.toml"]


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--document", "doc_id", required=True, help="Id of the stored document.")
@click.option("--who", default="", help="Name recorded in the history of each edit.")
def import_(path: Path, doc_id: str, who: str) -> None:
    """Bring an edited XLIFF, TMX or JSON file back into a stored document.

    Units are matched by id (p3.s1); changed targets become edits with history; ids the
    document does not have are reported, never guessed. Exit code 1 if any unit failed.

    \b
    Example:
        translate import berita.edited.xlf --document d-1a2b3c4d5e6f
    """
    from .interchange import import_file, import_json
    from .store import Store

    with _errors(), Store() as store:
        importer = import_json if path.suffix.lower() == ".json" else import_file
        report = importer(store, doc_id, path, who=who)
        for unit in report.unknown:
            click.echo(f"unknown unit {unit}: not in {doc_id}, ignored", err=True)
        for error in report.errors:
            click.echo(f"error: {error}", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(
            f"{len(report.changed)} changed, {report.unchanged} unchanged, "
            f"{len(report.unknown)} unknown, {len(report.errors)} failed"
        )
        if report.errors:
            sys.exit(1)


@cli.group()
def tm() -> None:
    """Translation memory: approved sentence pairs, reused across articles.

    \b
    Example:
        translate tm import agency-memory.tmx
        translate tm export backup.tmx
    """


@tm.command("import")
@click.argument("path", type=click.Path(path_type=Path))
def tm_import(path: Path) -> None:
    """Seed the translation memory from a TMX file (Indonesian → English pairs).

    \b
    Example:
        translate tm import agency-memory.tmx
    """
    from .interchange import read_tmx_pairs
    from .memory import Memory

    with _errors(), Memory() as memory:
        pairs = read_tmx_pairs(path)
        added = memory.add_many((s, t, path.name, None, None) for s, t in pairs)
        click.echo(f"{len(pairs)} pairs read, {added} added or updated; {len(memory)} in memory")


@tm.command("export")
@click.argument("path", type=click.Path(path_type=Path))
def tm_export(path: Path) -> None:
    """Write the whole translation memory to a TMX file.

    \b
    Example:
        translate tm export backup.tmx
    """
    from .interchange import pairs_to_tmx
    from .memory import Memory
    from .writers import write_atomic

    with _errors(), Memory() as memory:
        pairs = memory.pairs()
        write_atomic(path, pairs_to_tmx((p.source, p.target, p.updated) for p in pairs))
        click.echo(f"{len(pairs)} pairs written to {path}")


@cli.group()
def store() -> None:
    """Check and back up the store (documents, edits, history, translation memory).

    \b
    Example:
        translate store check
        translate store backup ~/backups/store-$(date +%F).sqlite
    """


@store.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def store_check(path: Path | None) -> None:
    """Check the store file (default: $TRANSLATE_STORE, else $TRANSLATE_HOME/store.sqlite).

    Runs SQLite's integrity check and counts what the store holds. Exit code 2 when it is
    damaged, with what to do.

    \b
    Example:
        translate store check
    """
    from .config import store_path
    from .store import SCHEMA_VERSION, UnusableStoreError, check_file

    with _errors():
        target = store_path(path)
        if not target.is_file():
            raise UsageError(f"{target}: no such store")
        found = check_file(target)
        readable = ", ".join(
            f"{n} {what}" if n is not None else f"{what} unreadable"
            for what, n in found.counts.items()
        )
        if found.ok:
            newer = found.schema is not None and found.schema > SCHEMA_VERSION
            note = " (made by a newer version)" if newer else ""
            click.echo(f"{target}: ok, schema {found.schema}{note}: {readable}")
            return
        for problem in found.problems:
            click.echo(f"{target}: {problem}")
        click.echo(f"{target}: readable: {readable or 'nothing'}")
        raise UnusableStoreError(
            f"{target}: damaged ({len(found.problems)} problem(s) listed above); restore it "
            "from a backup (`translate store backup` makes one), or move it aside: a new "
            "store is made on the next use"
        )


@store.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def store_backup(dest: Path) -> None:
    """Copy the store to DEST, consistently even while the workspace writes to it.

    \b
    Example:
        translate store backup ~/backups/store.sqlite
    """
    from .store import Store

    with _errors(), Store() as opened:
        written = opened.backup(dest)
        click.echo(f"Backed up {opened.path} to {written}")


@cli.group()
def model() -> None:
    """Download models for offline use; convert them for the ct2 backend.

    \b
    Example:
        translate model download
        translate model convert
    """


@model.command()
@click.argument("model_id", required=False, default="Helsinki-NLP/opus-mt-id-en")
@click.option(
    "--to",
    type=click.Path(path_type=Path),
    help="Destination folder (default: $TRANSLATE_HOME/models/<name>).",
)
def download(model_id: str, to: Path | None) -> None:
    """Download a Marian model from the Hugging Face hub into a local folder.

    \b
    Example:
        translate model download                      # Helsinki-NLP/opus-mt-id-en
        translate model download --to models/opus-mt-id-en
    """
    from .models import download_model

    with _errors():
        dest = download_model(model_id, to)
        click.echo(f"Downloaded {model_id} to {dest}")
        click.echo(f"Use it with: --model {dest}  (or export TRANSLATE_MODEL={dest})")


@model.command()
@click.argument("model_id", required=False)
@click.option(
    "--to",
    "kind",
    type=click.Choice(["ct2"]),
    default="ct2",
    show_default=True,
    help="What to convert to (CTranslate2).",
)
@click.option(
    "--quantization",
    type=click.Choice(["int8", "int8_float16", "int16", "float16", "bfloat16", "float32"]),
    help="Weight type (default: int8 on CPU, float16 where CUDA is available).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Destination folder (default: $TRANSLATE_HOME/models/<name>-ct2-<type>).",
)
@click.option("--force", is_flag=True, help="Convert again even if an up-to-date copy exists.")
def convert(
    model_id: str | None, kind: str, quantization: str | None, output: Path | None, force: bool
) -> None:
    """Convert a Marian model (hub id or folder) for the ct2 backend, once.

    `--backend ct2` converts on first use by itself; this does it ahead of time (for
    example while building a container image). MODEL defaults to $TRANSLATE_MODEL.

    \b
    Example:
        translate model convert                       # the default model, int8 on CPU
        translate model convert models/opus-mt-id-en --quantization float16
    """
    import time

    from .engine_ct2 import convert_model

    with _errors():
        started = time.perf_counter()
        dest = convert_model(model_id, output, quantization, force=force)
        click.echo(f"Ready ({time.perf_counter() - started:.1f} s): {dest}")
        click.echo(f"Use it with --backend ct2 (same --model: the copy is found) or --model {dest}")


def main() -> None:
    """Console-script entry point."""
    _log_to_stderr()
    cli(prog_name="translate")


def _log_to_stderr() -> None:
    """The library's warnings (e.g. waiting for the store's write lock) as lines on stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("translate")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
