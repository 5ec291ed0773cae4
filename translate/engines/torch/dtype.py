"""Weight precision on torch: ``--dtype`` / ``TRANSLATE_DTYPE``."""

from __future__ import annotations

from translate import config
from translate.errors import UsageError

DTYPES = ("auto", "float32", "float16", "bfloat16")


def resolve_dtype(dtype: str | None = None) -> str:
    """Weight precision on torch: argument, ``TRANSLATE_DTYPE``, else ``auto`` (float16 on
    CUDA, float32 on CPU). ``bfloat16`` pays on CPUs with AVX512-BF16 or AMX."""
    chosen = config.resolve_dtype(dtype)
    if chosen not in DTYPES:
        raise UsageError(f"unknown dtype {chosen!r}: use one of {', '.join(DTYPES)}")
    return chosen
