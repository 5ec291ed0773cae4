"""The ``translate`` command line: each command parses, calls the library, and renders.

Exit codes: 0 success; 1 finished but something failed; 2 usage or input error.
Errors are one line on stderr that names the problem and what to do.
"""

from __future__ import annotations

import sys

from translate.cli import glossary, model, review, training, translating, ui  # noqa: F401  (registers the commands)
from translate.cli.common import cli

__all__ = ["cli", "main"]


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
