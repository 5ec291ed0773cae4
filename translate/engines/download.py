"""Getting models onto the machine: ``translate model download``."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from translate.config import DEFAULT_MODEL, local_model_dir
from translate.errors import ModelNotFoundError, OutputError

# What a Marian checkpoint needs; weights are chosen separately (safetensors preferred).
_TOKENIZER_AND_CONFIG = [
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "source.spm",
    "target.spm",
    "README.md",
]


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the Hugging Face hub answers a TCP connection (its client retries for minutes)."""
    import socket
    from urllib.parse import urlparse

    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = endpoint.hostname or "huggingface.co", endpoint.port or 443
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def not_here(model_id: str) -> ModelNotFoundError:
    """The error for a hub model that is not on this machine while the hub is out of reach
    (raised instead of letting the hub client retry for minutes)."""
    return ModelNotFoundError(
        f"model {model_id!r} is not on this machine and the hub cannot be reached: "
        f"run `translate model download {model_id}` where the internet is reachable, "
        "or pass --model PATH (or set TRANSLATE_MODEL) to a model folder"
    )


def download_failed(model_id: str, reason: str) -> ModelNotFoundError:
    """The error for a hub model that could not be fetched, ``reason`` saying why."""
    return ModelNotFoundError(
        f"model {model_id!r} could not be downloaded ({reason}): check the name, or run "
        "`translate model download` and pass --model PATH"
    )


def download_model(model: str = DEFAULT_MODEL, to: str | os.PathLike[str] | None = None) -> Path:
    """Download a hub model into a local folder (default ``<TRANSLATE_HOME>/models/<name>``).

    Safetensors weights are fetched when the hub has them; a checkpoint published only as
    ``pytorch_model.bin`` is converted to safetensors after download so that later loads never
    unpickle. The folder appears complete or not at all.
    """
    from huggingface_hub import list_repo_files, snapshot_download

    dest = Path(to) if to is not None else local_model_dir(model)
    if not hub_reachable():
        raise ModelNotFoundError(
            f"cannot reach the Hugging Face hub to download {model!r}: connect to the internet "
            "(or set HF_ENDPOINT to a mirror), or copy a model folder here and pass --model PATH"
        )
    try:
        files = set(list_repo_files(model))
    except Exception as exc:  # the hub client raises many kinds: offline, 404, auth
        raise ModelNotFoundError(
            f"cannot reach model {model!r} on the Hugging Face hub ({type(exc).__name__}): "
            "check the name and the network, or copy a model folder here and pass --model PATH"
        ) from None
    weights = "model.safetensors" if "model.safetensors" in files else "pytorch_model.bin"
    if weights not in files:
        raise ModelNotFoundError(f"{model!r} has neither model.safetensors nor pytorch_model.bin")
    wanted = [f for f in _TOKENIZER_AND_CONFIG if f in files] + [weights]

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    except OSError as exc:
        raise OutputError(f"{dest}: cannot create ({exc.strerror or exc})") from None
    try:
        snapshot_download(repo_id=model, local_dir=str(staging), allow_patterns=wanted)
        if weights == "pytorch_model.bin":
            _to_safetensors(staging)
        shutil.rmtree(staging / ".cache", ignore_errors=True)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError | ModelNotFoundError):
            raise ModelNotFoundError(f"downloading {model!r} failed: {exc}") from None
        raise
    return dest


def _to_safetensors(folder: Path) -> None:
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(str(folder))
    model.save_pretrained(str(folder), safe_serialization=True)
    (folder / "pytorch_model.bin").unlink(missing_ok=True)
