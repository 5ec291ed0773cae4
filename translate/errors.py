"""Typed exceptions. The CLI turns them into one-line messages and exit codes."""

from __future__ import annotations


class TranslateError(Exception):
    """Base class for every error this package raises on purpose."""

    exit_code = 1


class InputError(TranslateError):
    """An input file or text cannot be read: missing, binary, undecodable or malformed."""

    exit_code = 2


class ContractError(InputError, ValueError):
    """A document JSON that does not follow the contract (``translate.document/1``); the
    message names the path of the problem, e.g. ``paragraphs[3].target: expected a string``."""


class UsageError(TranslateError):
    """Options that do not fit together, or a value out of range."""

    exit_code = 2


class ModelNotFoundError(TranslateError):
    """The translation model cannot be found locally and cannot be downloaded."""

    exit_code = 2


class ModelLoadError(TranslateError):
    """The model folder exists but does not hold a usable Marian checkpoint."""

    exit_code = 2


class OutputError(TranslateError):
    """An output file cannot be written."""

    exit_code = 1
