"""Configuration, resolved at call time: argument > ``TRANSLATE_*`` environment > default."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-id-en"
DEFAULT_BACKEND = "torch"


def home(path: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``TRANSLATE_HOME``, else the platform's user data folder."""
    if path is not None:
        return Path(path)
    env = os.environ.get("TRANSLATE_HOME")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("translate-id-en", appauthor=False))


def store_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite store: argument, ``TRANSLATE_STORE``, else ``<home>/store.sqlite``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("TRANSLATE_STORE")
    if env:
        return Path(env)
    return home() / "store.sqlite"


def local_model_dir(model_id: str) -> Path:
    """Where ``translate model download`` puts a hub model: ``<home>/models/<name>``."""
    return home() / "models" / model_id.rstrip("/").split("/")[-1]


def resolve_model(model: str | os.PathLike[str] | None = None) -> str:
    """The model to load: argument, ``TRANSLATE_MODEL``, a downloaded copy, else the hub id.

    A downloaded copy of the default model under ``<home>/models`` is preferred to the hub id
    so that ``translate model download`` once is enough to work offline.
    """
    if model is not None:
        return os.fspath(model)
    env = os.environ.get("TRANSLATE_MODEL")
    if env:
        return env
    local = local_model_dir(DEFAULT_MODEL)
    if (local / "config.json").is_file():
        return str(local)
    return DEFAULT_MODEL


def resolve_backend(backend: str | None = None) -> str:
    """The engine backend's name: argument, ``TRANSLATE_BACKEND``, else ``torch``.

    Checked against the registered backends where it is used (``engines.registry``).
    """
    return backend or os.environ.get("TRANSLATE_BACKEND") or DEFAULT_BACKEND
