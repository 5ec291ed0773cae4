"""What every command shares: the group, error handling, engine and format options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from translate.engines.base import DEVICES
from translate.engines.registry import backend_names, backends, choices
from translate.errors import TranslateError
from translate.formats.registry import Role, names
from translate.pipeline.spec import TranslatorSpec
from translate.version import __version__

if TYPE_CHECKING:
    from translate.pipeline.outcome import Outcome
    from translate.pipeline.translator import Translator
    from translate.terms.glossary import Glossary

F = TypeVar("F", bound=Callable[..., Any])


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """A ``click.Choice`` of the registered formats that can be read or written, looked up
    when the command runs: a format registered later is a choice too, and startup stays cheap."""

    def __init__(self, role: Role) -> None:
        self.role = role
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return names(self.role)

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click.Choice sets its choices once; these come from the registry


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


class EngineOptions(TranslatorSpec):
    """What every translating command is told about the engine, the glossary and the memory
    (a ``pipeline.spec.TranslatorSpec``; overrides between glossaries go to stderr)."""

    def translator(self) -> Translator:
        """A ``Translator`` with these settings (overrides between glossaries on stderr)."""
        composed = self.glossary()
        for override in composed.overrides:
            click.echo(str(override), err=True)
        return self.build(composed)

    def spec(self) -> TranslatorSpec:
        """The settings as a plain ``TranslatorSpec`` (what a distributed run ships)."""
        return TranslatorSpec(**{f.name: getattr(self, f.name) for f in fields(TranslatorSpec)})


# ``--glossary`` (repeatable) and ``--no-default-glossary``: every command that uses a
# glossary takes them the same way (``compose_glossary`` reads them).
GLOSSARY_OPTIONS = (
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
)


def engine_options(f: F) -> F:
    """Options shared by every command that translates, given to it as ``engine``."""
    names = [field.name for field in fields(TranslatorSpec) if field.metadata.get("option", True)]

    @functools.wraps(f)
    def command(*args: Any, **kwargs: Any) -> Any:
        engine = EngineOptions(**{name: kwargs.pop(name) for name in names})
        return f(*args, engine=engine, **kwargs)

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
        *GLOSSARY_OPTIONS,
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
            "--full-vocab",
            is_flag=True,
            default=None,
            help="Score every vocabulary entry, not only what the English tokenizer can write "
            "(default: $TRANSLATE_FULL_VOCAB, else off): slower, for comparisons.",
        ),
        click.option(
            "--no-memory",
            is_flag=True,
            help="Do not reuse approved translations from the translation memory.",
        ),
    ]
    wrapped = cast(F, command)
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


def format_options(default: str) -> Callable[[F], F]:
    """``--format`` (output) and ``--input-format``, shared by ``article`` and ``batch``."""

    def decorate(f: F) -> F:
        f = click.option(
            "--input-format",
            type=FormatChoice("input"),
            help="Input format (default: from each file's extension).",
        )(f)
        return click.option(
            "--format",
            "fmt",
            type=FormatChoice("output"),
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


def compose_glossary(paths: tuple[Path, ...], no_default: bool) -> Glossary | None:
    """The glossary of ``--glossary`` and ``--no-default-glossary``; overrides on stderr."""
    from translate.terms.compose import compose_glossary as compose

    composed = compose(paths, default=not no_default)
    for override in composed.overrides:
        click.echo(str(override), err=True)
    return composed.glossary


def exit_for(outcome: Outcome) -> None:
    """Exit 1 when a finished command left something failed or to look at (else return)."""
    if outcome.exit_code:
        sys.exit(outcome.exit_code)


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
