"""``translate finetune``: fine-tune the model on approved translations."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from translate.cli.common import GLOSSARY_OPTIONS, cli, compose_glossary, handle_errors
from translate.engines.base import DEVICES

if TYPE_CHECKING:
    from translate.training.loop import Progress


@cli.command()
@click.option(
    "--from-store", is_flag=True, help="Train on the store's approved translations (its memory)."
)
@click.option(
    "--tm",
    "tm",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Train on a TMX file's pairs; more files may follow it (--tm a.tmx b.tmx).",
)
@click.argument("more_tm", nargs=-1, type=click.Path(path_type=Path))
@click.option("--model", "-m", help="The base model: hub id or folder (default: $TRANSLATE_MODEL).")
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The new model folder (models/NAME).",
)
@click.option("--epochs", type=click.IntRange(1), default=3, show_default=True)
@click.option("--lr", type=float, help="Peak learning rate (default: 5e-5 full, 5e-4 LoRA).")
@click.option("--lora", is_flag=True, help="Train LoRA adapters (peft), merged at the end.")
@click.option("--max-steps", type=click.IntRange(1), help="Train this many steps (not epochs).")
@click.option(
    "--valid-fraction",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.1,
    show_default=True,
    help="Share of the pairs held out (by document) to score before and after.",
)
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True)
@click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True)
@click.option(
    "--batch-tokens",
    type=click.IntRange(256),
    default=2048,
    show_default=True,
    help="Padded tokens per batch: bounds memory.",
)
@GLOSSARY_OPTIONS[0]  # the glossary the term accuracy is measured with
@GLOSSARY_OPTIONS[1]
@click.option("--force", is_flag=True, help="Replace an existing --out folder; start over.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run from its checkpoint.")
def finetune(
    from_store: bool,
    tm: tuple[Path, ...],
    more_tm: tuple[Path, ...],
    model: str | None,
    out: Path,
    epochs: int,
    lr: float | None,
    lora: bool,
    max_steps: int | None,
    valid_fraction: float,
    seed: int,
    device: str,
    batch_tokens: int,
    glossaries: tuple[Path, ...],
    no_default_glossary: bool,
    force: bool,
    resume: bool,
) -> None:
    """Fine-tune the model on approved translations; save it as a new model folder.

    Trains on approved pairs only: the store's translation memory (--from-store) or TMX
    files (--tm). About a tenth of them, whole documents at a time, is held out and scored
    (BLEU, chrF, term accuracy, log-probability) before and after, with a general guard set;
    the report goes to OUT/finetune-report.json and the table to stderr. Use the folder like
    any model: --model OUT (or TRANSLATE_MODEL=OUT), either backend. Ctrl+C keeps a
    checkpoint: run the same command with --resume to continue.

    \b
    Example:
        translate finetune --from-store --out models/opus-mt-id-en-newsroom
        translate finetune --tm agency.tmx archive.tmx --out models/agency --lora --epochs 2
    """
    from translate.training.loop import FinetuneSettings
    from translate.training.run import CHECKPOINT, work_folder
    from translate.training.run import finetune as run

    files = (*tm, *more_tm)
    with handle_errors():
        if more_tm and not tm:
            raise click.UsageError("TMX files go after --tm (--tm a.tmx b.tmx)")
        settings = FinetuneSettings(
            epochs=epochs,
            lr=lr,
            lora=lora,
            max_steps=max_steps,
            valid_fraction=valid_fraction,
            seed=seed,
            batch_tokens=batch_tokens,
            device=device,
        )
        glossary = compose_glossary(glossaries, no_default_glossary)
        try:
            report = run(
                out,
                model=model,
                tm=files,
                store=True if from_store else None,
                settings=settings,
                glossary=glossary,
                force=force,
                resume=resume,
                progress=_progress(),
            )
        except KeyboardInterrupt:
            checkpoint = work_folder(out) / CHECKPOINT
            click.echo("", err=True)
            if checkpoint.exists():
                click.echo(
                    f"Interrupted; the checkpoint is in {checkpoint.parent}: run the same "
                    "command with --resume to continue.",
                    err=True,
                )
            else:
                click.echo(
                    "Interrupted before the first training step: nothing to resume.", err=True
                )
            sys.exit(130)
        click.echo("", err=True)
        click.echo(report.table(), err=True)
        click.echo(f"Fine-tuned model: {out} (report: {out / 'finetune-report.json'})")
        click.echo(f"Use it with: --model {out}  (or export TRANSLATE_MODEL={out})")


def _progress() -> Callable[[Progress], None]:
    """A progress line on stderr: rewritten in place on a terminal, else every 10 s (and at
    the start and end of each phase)."""
    tty = sys.stderr.isatty()
    shown_at = 0.0
    phase = ""

    def show(p: Progress) -> None:
        nonlocal shown_at, phase
        now = time.monotonic()
        new = p.phase != phase
        if tty:
            start = "\n" if new and phase else "\r"
            click.echo(f"{start}{p.line()}\033[K", err=True, nl=False)
        elif new or p.done >= p.total or now - shown_at >= 10:
            click.echo(p.line(), err=True)
            shown_at = now
        phase = p.phase

    return show
