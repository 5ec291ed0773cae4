"""A whole backend in one file: an engine, and its registration (used by test_registry).

Importing this module is all it takes for ``Translator(backend="fake")``, ``load_engine`` and
the CLI's ``--backend fake`` to find it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from translate.engines.base import BatchCallback, Hypothesis, plan_batches
from translate.engines.registry import Backend, register_backend


class ShoutEngine:
    """Writes each source in capitals, or its ``terms`` when it has some; one token a word."""

    backend = "fake"

    def __init__(self, model: str | os.PathLike[str] | None, device: str, **options: Any) -> None:
        self.model_id = os.fspath(model) if model is not None else "shout"
        self.device = "cpu" if device == "auto" else device
        self.options = options
        self.batch_tokens = options.get("batch_tokens") or 64

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def translate(
        self,
        texts: Sequence[str],
        *,
        beams: int = 4,
        n_best: int = 1,
        on_batch: BatchCallback | None = None,
        terms: Sequence[Sequence[tuple[str, int]]] | None = None,
    ) -> list[list[Hypothesis]]:
        out: list[list[Hypothesis]] = [[] for _ in texts]
        for batch in plan_batches(self.count_tokens(texts), self.batch_tokens, 64):
            for i in batch:
                wanted = [t for t, n in (terms[i] if terms else ()) for _ in range(n)]
                text = " ".join(wanted) if wanted else texts[i].upper()
                out[i] = [Hypothesis(text, -0.5, len(text.split()))] * n_best
            if on_batch is not None:
                on_batch(batch, [out[i] for i in batch])
        return out


BACKEND = register_backend(
    Backend(
        name="fake",
        description="capitals, for tests",
        load=ShoutEngine,
        options={"shout": ("yes", "no")},
    )
)
