"""``translate glossary``: check, convert and grow glossaries."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.common import cli, compose_glossary, exit_for, handle_errors
from translate.terms.files import FORMATS


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
    from translate.pipeline.outcome import Outcome
    from translate.terms.glossary import Glossary

    with handle_errors():
        problems = Glossary.check(path)
        for problem in problems:
            click.echo(f"{path}: {problem}", err=problem.severity == "error")
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if errors:
            click.echo(f"{path}: {errors} error(s), {warnings} warning(s)", err=True)
            exit_for(Outcome(glossary_errors=errors))
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
    from translate.formats.readers import read_file
    from translate.terms.suggest import suggest

    with handle_errors():
        document = read_file(input_path)
        text = "\n\n".join(b.source for b in document.blocks)
        found = suggest(text, compose_glossary(glossaries, no_default_glossary), limit=limit)
        for s in found:
            context = " ".join(s.context.split())
            click.echo(f"{s.count}\t{s.kind}\t{s.form}\t{context}")


@glossary.command("convert")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--to", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Default: stdout.")
def glossary_convert(path: Path, fmt: str, output: Path | None) -> None:
    """Convert a glossary between TSV, CSV and TBX.

    \b
    Example:
        translate glossary convert redaksi.tsv --to tbx -o redaksi.tbx
    """
    from translate.files import write_atomic
    from translate.terms.glossary import Glossary

    with handle_errors():
        loaded = Glossary.load(path)
        data = loaded.to_bytes(fmt)
        if output is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            write_atomic(output, data)
            click.echo(f"Wrote {len(loaded)} entries to {output}", err=True)
