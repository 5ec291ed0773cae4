"""What every command shares: the group, error handling, engine and format options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from translate import __version__
from translate.engines.base import DEVICES
from translate.engines.registry import backend_names, backends, choices
from translate.errors import TranslateError

F = TypeVar("F", bound=Callable[..., Any])


OUTPUT_FORMATS = ("txt", "json", "md", "html", "bilingual-html", "docx", "tmx", "xliff")


INPUT_FORMATS = ("txt", "md", "html", "docx")


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn the library's typed errors into one line on stderr and an exit code."""
    try:
        yield
    except TranslateError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def engine_options(f: F) -> F:
    """Options shared by every command that translates."""
    options = [
        click.option("--model", "-m", help="Hub id or local folder (default: $TRANSLATE_MODEL)."),
        click.option(
            "--backend",
            type=click.Choice(backend_names()),
            help="Engine backend (default: $TRANSLATE_BACKEND, else torch): "
            + "; ".join(f"{b.name}: {b.description}" for b in backends())
            + ".",
        ),
        click.option(
            "--device",
            type=click.Choice(DEVICES),
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
            type=click.Choice(choices("dtype")),
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


def format_options(default: str) -> Callable[[F], F]:
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


def make_translator(
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
    from translate.pipeline.translator import Translator

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


def compose_glossary(paths: tuple[Path, ...], no_default: bool) -> Any:
    """The default glossary (unless switched off) merged with each given file, in order."""
    from translate.terms.glossary import Glossary

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


@contextmanager
def show_progress(name: str, total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress line on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return

    def show(done: int, total: int) -> None:
        click.echo(f"\r{name}: {done}/{total} sentences", err=True, nl=False)

    yield show
    click.echo("", err=True)


def qa_counts(document: Any) -> tuple[int, int]:
    """Errors and warnings among a translated document's QA findings."""
    findings = [q for p in document.paragraphs for q in p.qa]
    errors = sum(q.severity == "error" for q in findings)
    return errors, len(findings) - errors
