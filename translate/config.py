"""Configuration, resolved at call time: argument > ``TRANSLATE_*`` environment > default.

Every ``TRANSLATE_*`` variable is read here and nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

from translate.errors import UsageError

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


def resolve_device(device: str | None = None) -> str:
    """The device for the workspace's engine: argument, ``TRANSLATE_DEVICE``, else ``auto``."""
    return device or os.environ.get("TRANSLATE_DEVICE") or "auto"


def resolve_dtype(dtype: str | None = None) -> str:
    """torch weight precision as given: argument, ``TRANSLATE_DTYPE``, else ``auto`` (the
    engine checks the value)."""
    return dtype or os.environ.get("TRANSLATE_DTYPE") or "auto"


def resolve_quantize(quantize: bool | None = None) -> bool:
    """int8 Linear layers on torch: argument, ``TRANSLATE_QUANTIZE`` (1, true, yes), else off."""
    if quantize is not None:
        return quantize
    return os.environ.get("TRANSLATE_QUANTIZE", "").lower() in ("1", "true", "yes")


def resolve_full_vocab(full_vocab: bool | None = None) -> bool:
    """Decode into the whole output layer, not only what the target tokenizer can write
    (``--full-vocab``): argument, ``TRANSLATE_FULL_VOCAB`` (1, true, yes), else off."""
    if full_vocab is not None:
        return full_vocab
    return os.environ.get("TRANSLATE_FULL_VOCAB", "").lower() in ("1", "true", "yes")


# Source tokens of one batch, padding included, unless an engine's precision says otherwise.
BATCH_TOKENS = 2048


def batch_tokens(value: int | None = None, default: int = BATCH_TOKENS) -> int:
    """Token budget of one batch: argument, ``TRANSLATE_BATCH_TOKENS``, else ``default``
    (``BATCH_TOKENS``, or the engine's own for its precision:
    ``engines.torch.engine.batch_defaults``)."""
    return value or int(os.environ.get("TRANSLATE_BATCH_TOKENS", default))


def threads() -> int:
    """CPU threads for the engine: ``TRANSLATE_THREADS``, else 0 (the library's default)."""
    return int(os.environ.get("TRANSLATE_THREADS", "0"))


def batch_window(value: int | None = None) -> int:
    """Model inputs gathered across documents before a round of batches: argument,
    ``TRANSLATE_BATCH_WINDOW``, else 512."""
    return value or int(os.environ.get("TRANSLATE_BATCH_WINDOW", 512))


def prefetch() -> int:
    """Documents a batch reads ahead of the model: ``TRANSLATE_PREFETCH``, else 8 (0: off)."""
    return int(os.environ.get("TRANSLATE_PREFETCH", 8))


UI_PASSWORD = "TRANSLATE_UI_PASSWORD"


def ui_password() -> str | None:
    """The workspace password from ``TRANSLATE_UI_PASSWORD`` (``None`` when unset)."""
    return os.environ.get(UI_PASSWORD)


DEFAULT_BEAMS = 4


def resolve_beams(beams: int | None = None) -> int:
    """Beam size of the workspace: argument, ``TRANSLATE_BEAMS``, else 4."""
    if beams:
        return beams
    env = os.environ.get("TRANSLATE_BEAMS", "")
    try:
        value = int(env) if env else DEFAULT_BEAMS
    except ValueError:
        raise UsageError(f"TRANSLATE_BEAMS must be a whole number, not {env!r}") from None
    if not 1 <= value <= 16:
        raise UsageError(f"TRANSLATE_BEAMS must be between 1 and 16, not {value}")
    return value


UI_SETTINGS = "TRANSLATE_UI_SETTINGS"


def ui_settings_editable(value: bool | None = None) -> bool:
    """Whether editors may change the settings that change results for everyone (model,
    engine, beam size) in the workspace: argument, ``TRANSLATE_UI_SETTINGS`` (``editable``,
    1, true, yes), else no — they are the operator's, set with ``translate ui`` options."""
    if value is not None:
        return value
    return os.environ.get(UI_SETTINGS, "").lower() in ("editable", "1", "true", "yes")
