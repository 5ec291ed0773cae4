"""The CTranslate2 backend: decoding, term repair and checkpoint conversion.

Registered here without importing ctranslate2: the loader imports the engine when called,
and ``available`` only looks for the package.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from translate.engines.base import Engine
from translate.engines.ct2.convert import QUANTIZATIONS
from translate.engines.registry import Backend, register_backend


def _load(model: str | os.PathLike[str] | None, device: str, **options: Any) -> Engine:
    from translate.engines.ct2.engine import CT2Engine

    return CT2Engine(model, device, **options)


def _installed() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


BACKEND = register_backend(
    Backend(
        name="ct2",
        description="CTranslate2: int8 on CPU, float16 on GPU; needs the [fast] extra",
        load=_load,
        options={"quantization": QUANTIZATIONS, "full_vocab": ()},
        refusals={
            "quantize": "ct2 runs int8 on CPU already: drop one",
            "dtype": "ct2 converts once (translate model convert --quantization)",
        },
        available=_installed,
    )
)
