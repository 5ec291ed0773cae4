"""``translate model``: download and convert models."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.common import (
    cli,
    handle_errors,
)
from translate.engines.registry import choices


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
    from translate.engines.download import download_model

    with handle_errors():
        dest = download_model(model_id, to)
        click.echo(f"Downloaded {model_id} to {dest}")
        click.echo(f"Use it with: --model {dest}  (or export TRANSLATE_MODEL={dest})")


@model.command()
@click.argument("model_id", required=False)
def info(model_id: str | None) -> None:
    """What the search scores for a model: its output vocabulary, from its tokenizer files.

    Decoding scores only the entries the English tokenizer can write (`--full-vocab` turns
    that off). MODEL (a folder, or a hub id already downloaded) defaults to $TRANSLATE_MODEL.

    \b
    Example:
        translate model info models/opus-mt-id-en
    """
    from translate.engines.ct2.convert import VMAP, is_ct2_folder
    from translate.engines.vocab import of_model

    with handle_errors():
        folder, vocabulary = of_model(model_id)
        click.echo(f"folder: {folder}")
        click.echo(vocabulary.describe())
        if is_ct2_folder(folder):
            has = (folder / VMAP).is_file()
            click.echo(f"ct2 vocabulary map ({VMAP}): {'present' if has else 'absent'}")


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
    type=click.Choice(choices("quantization")),
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

    from translate.engines.ct2.convert import convert_model

    with handle_errors():
        started = time.perf_counter()
        dest = convert_model(model_id, output, quantization, force=force)
        click.echo(f"Ready ({time.perf_counter() - started:.1f} s): {dest}")
        click.echo(f"Use it with --backend ct2 (same --model: the copy is found) or --model {dest}")
