"""``translate article`` and ``translate batch``: translate files and folders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from translate.cli.common import (
    EngineOptions,
    cli,
    engine_options,
    exit_for,
    format_options,
    handle_errors,
    show_progress,
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file (one input) or directory (several). Default: stdout.",
)
@format_options("txt")
@engine_options
def article(
    inputs: tuple[Path, ...],
    output: Path | None,
    fmt: str,
    input_format: str | None,
    engine: EngineOptions,
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
    from translate.files import write_atomic
    from translate.formats.paths import article_outputs
    from translate.formats.readers import read_file
    from translate.formats.registry import render
    from translate.pipeline.outcome import Outcome, document_outcome, qa_counts

    with handle_errors():
        outputs = article_outputs(inputs, output, fmt)
        # Read everything first: a missing or binary file fails fast, before the model loads.
        documents = [read_file(path, input_format) for path in inputs]
        for path, document in zip(inputs, documents, strict=True):
            for note in document.notes:  # what the reader repaired or dropped, one line each
                click.echo(f"{path.name}: {note}", err=True)
        translator = engine.translator()
        glossary = translator.glossary
        outcome = Outcome()
        for path, document, target in zip(inputs, documents, outputs, strict=True):
            with show_progress(path.name, document.sentence_count) as progress:
                result = translator.translate_document(document, progress=progress)
            outcome += document_outcome(result)
            prefix = f"{path.name}: " if len(inputs) > 1 else ""
            if glossary is not None:
                found, applied, missed = result.term_counts
                click.echo(
                    f"{prefix}terms: {found} found, {applied} applied, {missed} missed", err=True
                )
            errors, warnings = qa_counts(result)
            click.echo(f"{prefix}qa: {errors} errors, {warnings} warnings", err=True)
            text = render(result, fmt)
            if target is None:
                # XML formats are UTF-8 text; binary ones never get here (they need -o).
                click.echo(text.decode("utf-8") if isinstance(text, bytes) else text, nl=False)
            else:
                write_atomic(target, text)
        exit_for(outcome)  # finished, but a missed term or a QA error needs a human: 1


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
@format_options("json")
@click.option("--recursive", "-r", is_flag=True, help="Include subfolders.")
@click.option(
    "--engine",
    "runner",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this process. ray: a Ray cluster (the [ray] extra), one model per worker.",
)
@click.option("--address", help="Ray cluster to join (default: start one on this machine).")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Ray: translator actors, each with its own model.")  # fmt: skip
@click.option("--cpus-per-worker", type=click.FloatRange(0, min_open=True), default=0.5,
              show_default=True, help="Ray: CPUs each actor asks for.")  # fmt: skip
@click.option("--gpus-per-worker", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Ray: GPUs each actor asks for.")  # fmt: skip
@click.option("--tokens-per-call", type=click.IntRange(1), default=4096, show_default=True,
              help="Ray: source tokens (estimated) an actor translates per call.")  # fmt: skip
@click.option("--id-column", default="id", show_default=True,
              help="Dataset input: the column with each document's id.")  # fmt: skip
@click.option("--text-column", default="text", show_default=True,
              help="Dataset input: the column with each document's text.")  # fmt: skip
@engine_options
def batch(
    input_dir: Path,
    output_dir: Path,
    fmt: str,
    input_format: str | None,
    recursive: bool,
    runner: str,
    address: str | None,
    workers: int,
    cpus_per_worker: float,
    gpus_per_worker: float,
    tokens_per_call: int,
    id_column: str,
    text_column: str,
    engine: EngineOptions,
) -> None:
    """Translate a folder of articles (or, with --engine ray, a Parquet/JSONL table with an
    id and a text column); a rerun resumes where a killed run stopped.

    A manifest in OUTPUT_DIR records each input's sha256 and the settings: a rerun skips what
    is unchanged and redoes inputs whose content or settings changed. Exit code 1 if any file
    failed (each failure is reported on its own line).

    With --engine ray the same run goes to a Ray cluster: files are read in Ray tasks and
    translated by --workers actors, each loading the model once; the outputs and the
    manifest are the local run's, so either engine resumes the other's run.

    \b
    Example:
        translate batch berita/ -o english/ --recursive
        translate batch berita/ -o english-md/ --format md
        translate batch arsip/ -o english/ --engine ray --address auto --workers 8
        translate batch corpus.parquet -o shards/ --engine ray --text-column body
    """
    from translate.pipeline.batch import run_batch
    from translate.pipeline.outcome import Outcome

    with handle_errors():
        bar = _BatchProgress()
        if runner == "ray":
            from translate.cluster.on_ray import RayOptions, translate_dataset

            summary = translate_dataset(
                input_dir,
                output_dir,
                engine.spec(),
                options=RayOptions(
                    address, workers, cpus_per_worker, gpus_per_worker, tokens_per_call
                ),
                fmt=fmt,
                recursive=recursive,
                input_format=input_format,
                id_column=id_column,
                text_column=text_column,
                on_event=bar.update,
            )
        else:
            summary = run_batch(
                input_dir,
                output_dir,
                engine.translator(),
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
        exit_for(Outcome(failed=len(summary.failed)))


class _BatchProgress:
    """Documents and sentences per second on stderr; failures on their own lines."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.docs = self.sentences = self.skipped = self.failed = 0
        self.total = 0  # inputs to translate, once planned
        self.live = sys.stderr.isatty()

    def update(self, event: Any) -> None:
        if event.kind == "planned":
            self.total = event.count
            self.started = self.clock()  # the rate counts translating, not planning
            return
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
            rate = self.docs / elapsed
            left = self.total - self.docs - self.failed
            eta = f", ETA {_duration(left / rate)}" if self.total and rate and left > 0 else ""
            click.echo(
                f"\r{self.docs} done, {self.skipped} skipped, {self.failed} failed | "
                f"{rate:.2f} docs/s, {self.sentences / elapsed:.1f} sentences/s{eta}\033[K",
                err=True,
                nl=False,
            )

    def _clear(self) -> None:
        if self.live:
            click.echo("\r\033[K", err=True, nl=False)

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


def _duration(seconds: float) -> str:
    """``1:02:03``, ``2:03`` or ``45 s``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
