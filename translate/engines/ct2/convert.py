"""Converting a Marian checkpoint for CTranslate2, once.

The first use of a Hugging Face Marian checkpoint converts it (int8 on CPU, float16 on CUDA)
into ``<home>/models/<name>-ct2-<type>/``, beside a copy of its tokenizer files and a stamp of
what it was made from; later runs load the converted folder, and a changed checkpoint is
converted again. The folder appears complete or not at all (staged, then renamed).

Beside them goes ``vmap.txt``, CTranslate2's vocabulary map, which ``translate_batch(...,
use_vmap=True)`` reads: one line, an empty source n-gram (the "always candidates" entry), then
the pieces the target tokenizer can write (``engines.vocab``). CTranslate2 adds ``<unk>``, the
start and end tokens itself, and every token of a ``target_prefix`` (so forced glossary terms
are always candidates). A folder converted before has it written on first load.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from translate.config import home, resolve_model
from translate.engines.base import local_checkpoint
from translate.engines.vocab import OutputVocabulary, of_folder
from translate.errors import ModelLoadError, OutputError, UsageError
from translate.files import write_atomic

INSTALL_HINT = "pip install 'translate-id-en[fast]'"
QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int16", "float16", "bfloat16", "float32")
# Copied next to the converted weights so the folder is self-contained.
TOKENIZER_FILES = (
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "generation_config.json",
)
MARKER = "translate-source.json"  # what a converted folder was made from
VMAP = "vmap.txt"  # CTranslate2's vocabulary map: the output vocabulary (``use_vmap``)


class BackendNotInstalledError(UsageError):
    """The ct2 backend was asked for, but the ``ctranslate2`` package is not installed."""


def load_ct2() -> Any:
    """The ``ctranslate2`` module, imported on first use (it has no type information)."""
    try:
        return importlib.import_module("ctranslate2")
    except ImportError:
        raise BackendNotInstalledError(
            f"the ct2 backend needs the ctranslate2 package: run `{INSTALL_HINT}`, "
            "or use --backend torch"
        ) from None


def cuda_available(ct2: Any) -> bool:
    try:
        return int(ct2.get_cuda_device_count()) > 0
    except RuntimeError:  # a CPU-only build, or no driver
        return False


def default_quantization(device: str = "auto") -> str:
    """int8 on CPU, float16 on CUDA (``auto``: CUDA when CTranslate2 sees a device)."""
    if device == "auto":
        device = "cuda" if cuda_available(load_ct2()) else "cpu"
    return "float16" if device == "cuda" else "int8"


def converted_dir(model: str, quantization: str) -> Path:
    """Where a converted model lives: ``<home>/models/<name>-ct2-<quantization>``."""
    name = Path(model.rstrip("/")).name or "model"
    return home() / "models" / f"{name}-ct2-{quantization}"


def is_ct2_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` already holds a CTranslate2 model (``model.bin``)."""
    return (Path(path).expanduser() / "model.bin").is_file()


def convert_model(
    model: str | os.PathLike[str] | None = None,
    to: str | os.PathLike[str] | None = None,
    quantization: str | None = None,
    *,
    force: bool = False,
) -> Path:
    """Convert a Marian checkpoint (hub id or folder) for CTranslate2; return the folder.

    ``to`` defaults to ``<home>/models/<name>-ct2-<quantization>``; ``quantization`` to int8
    on CPU and float16 where CUDA is available. A folder that is already converted from the
    same checkpoint is kept unless ``force``. The folder appears complete or not at all.
    """
    ct2 = load_ct2()
    model_id = resolve_model(model)
    quantization = quantization or default_quantization()
    if quantization not in QUANTIZATIONS:
        raise UsageError(
            f"unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}"
        )
    source = _source_folder(model_id)
    dest = Path(to).expanduser() if to is not None else converted_dir(model_id, quantization)
    stamp = _stamp(model_id, source, quantization)
    if not force and _up_to_date(dest, stamp):
        return dest
    _convert(ct2, model_id, source, dest, quantization, stamp)
    return dest


def _source_folder(model_id: str) -> Path:
    """The local folder of a checkpoint: the folder given, or the hub cache (downloading)."""
    local = local_checkpoint(model_id)
    if local is not None:
        return local.resolve()
    from huggingface_hub import snapshot_download

    patterns = [*TOKENIZER_FILES, "config.json", "model.safetensors", "pytorch_model.bin"]
    try:
        cached = Path(snapshot_download(model_id, allow_patterns=patterns, local_files_only=True))
        if (cached / "model.safetensors").is_file() or (cached / "pytorch_model.bin").is_file():
            return cached
    except Exception:  # the hub client raises many kinds for "not cached"
        pass
    from translate.engines.download import download_failed, hub_reachable, not_here

    if not hub_reachable():
        raise not_here(model_id)
    try:
        return Path(snapshot_download(model_id, allow_patterns=patterns))
    except Exception as exc:
        raise download_failed(model_id, type(exc).__name__) from None


def _stamp(model_id: str, source: Path, quantization: str) -> dict[str, Any]:
    """What decides a conversion: the checkpoint folder, its weights and config, the type."""
    files = {}
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        path = source / name
        if path.is_file():
            st = path.stat()
            files[name] = [st.st_size, st.st_mtime_ns]
    return {"model": model_id, "source": str(source), "files": files, "quantization": quantization}


def _up_to_date(dest: Path, stamp: dict[str, Any]) -> bool:
    try:
        recorded = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    keys = ("source", "files", "quantization")
    return (
        isinstance(recorded, dict)
        and all(recorded.get(k) == stamp[k] for k in keys)
        and (dest / "model.bin").is_file()
    )


def _convert(
    ct2: Any, model_id: str, source: Path, dest: Path, quantization: str, stamp: dict[str, Any]
) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    except OSError as exc:
        raise OutputError(f"{dest}: cannot create ({exc.strerror or exc})") from None
    print(
        f"converting {model_id} for CTranslate2 ({quantization}) once: {dest}",
        file=sys.stderr,
        flush=True,
    )
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        with warnings.catch_warnings():
            # sacremoses only matters for Marian models trained with Moses pre-processing.
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter = ct2.converters.TransformersConverter(str(source))
            converter.convert(str(staging), quantization=quantization, force=True)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, Exception):
            # The converter loads the checkpoint with transformers: any failure there means
            # the folder is not a Marian checkpoint CTranslate2 can take.
            raise ModelLoadError(
                f"{model_id}: cannot convert it for CTranslate2 ({type(exc).__name__}: {exc}); "
                "use --backend torch"
            ) from None
        raise
    try:
        for name in TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, staging / name)
        if (staging / "vocab.json").is_file() and (staging / "target.spm").is_file():
            ensure_vmap(staging, of_folder(staging))
        stamp = {**stamp, "ctranslate2": getattr(ct2, "__version__", "?")}
        (staging / MARKER).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        _replace(staging, dest)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{dest}: cannot write the converted model ({exc})") from None
        raise


def _replace(staging: Path, dest: Path) -> None:
    """Rename ``staging`` to ``dest``, moving a stale ``dest`` aside first."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
        dest.rename(old / "stale")
    try:
        staging.rename(dest)
    except OSError:
        if not (dest / "model.bin").is_file():
            raise
        # Another process finished the same conversion first: use theirs.
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def vmap_text(vocabulary: OutputVocabulary) -> str | None:
    """``vmap.txt`` for ``vocabulary``: its pieces as the entry of the empty n-gram, which
    CTranslate2 takes as always candidates. None without a restriction, or when a piece holds
    whitespace (the file separates pieces by spaces and lines by newlines)."""
    if not vocabulary.restricted or any(
        not p or any(c.isspace() for c in p) for p in vocabulary.pieces
    ):
        return None
    return "\t" + " ".join(vocabulary.pieces) + "\n"


def ensure_vmap(folder: Path, vocabulary: OutputVocabulary) -> bool:
    """Write ``folder/vmap.txt`` for ``vocabulary`` unless it holds that already (atomically);
    whether the folder now has it. A folder that cannot be written to goes without."""
    text = vmap_text(vocabulary)
    if text is None:
        return False
    path = folder / VMAP
    try:
        if path.read_text(encoding="utf-8") == text:
            return True
    except (OSError, UnicodeDecodeError):
        pass
    try:
        write_atomic(path, text)
    except OutputError:
        return False
    return True
