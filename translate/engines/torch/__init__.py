"""The transformers + torch backend: Marian checkpoints and constrained beam search.

Registered here without importing torch: the loader imports the engine when called.
"""

from __future__ import annotations

import os
from typing import Any

from translate.engines.base import Engine
from translate.engines.registry import Backend, register_backend
from translate.engines.torch.dtype import DTYPES


def _load(model: str | os.PathLike[str] | None, device: str, **options: Any) -> Engine:
    from translate.engines.torch.engine import MarianEngine

    return MarianEngine(model, device, **options)


BACKEND = register_backend(
    Backend(
        name="torch",
        description="transformers + torch: constrained beam search for glossary terms",
        load=_load,
        options={"quantize": (), "dtype": DTYPES, "full_vocab": ()},
    )
)
