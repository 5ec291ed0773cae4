"""Where outputs go: the rules ``translate article`` and ``translate batch`` share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate.errors import UsageError
from translate.formats.registry import get


def article_outputs(inputs: Sequence[Path], output: Path | None, fmt: str) -> list[Path | None]:
    """The output of each input of ``translate article``, ``None`` for stdout.

    One input: ``output`` is the file (stdout when absent), or a directory that exists. Several:
    ``output`` is a directory and each input is written to ``DIR/<stem><extension>``. A binary
    format (DOCX) never goes to stdout. Raises ``UsageError`` where no rule applies.
    """
    spec = get(fmt, "output")
    several = len(inputs) > 1
    if several and output is None:
        raise UsageError("several inputs need -o DIRECTORY for their outputs")
    if several and output is not None and output.is_file():
        raise UsageError(f"{output} is a file; several inputs need -o DIRECTORY")
    if spec.binary and output is None:
        raise UsageError(f"--format {fmt} writes a binary file: give -o FILE{spec.extension}")
    if output is None:
        return [None]
    if not several and not output.is_dir():
        return [output]
    return [output / (path.stem + spec.extension) for path in inputs]


def mirrored_output(rel: Path, fmt: str, taken: set[Path]) -> Path:
    """A batch input's output path, relative to the output folder: the input's with the
    format's extension; ``a.md`` beside ``a.txt`` becomes ``a.md.json``, not a clash.
    ``taken`` collects the paths given out so far."""
    ext = get(fmt, "output").extension
    out = rel.with_suffix(ext)
    if out in taken:
        out = rel.with_name(rel.name + ext)
    taken.add(out)
    return out
