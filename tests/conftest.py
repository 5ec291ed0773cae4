"""Shared fixtures: a tiny real Marian model built once per session, and a fake engine."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from translate.engines.base import Hypothesis, plan_batches

from .tiny_model import build_tiny_marian

DATA = Path(__file__).parent / "data"

# Tiny models on a small shared CPU run far faster on one thread (see engine.py).
os.environ.setdefault("TRANSLATE_THREADS", "1")


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder: the store and memory never touch the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TRANSLATE_HOME", str(home))
    monkeypatch.delenv("TRANSLATE_STORE", raising=False)
    return home


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight Marian checkpoint saved with ``save_pretrained``."""
    return build_tiny_marian(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture(scope="session")
def tiny_translator(tiny_model_dir: Path):  # type: ignore[no-untyped-def]
    """A ``Translator`` over the tiny model, loaded once for the session."""
    from translate import Translator

    return Translator(model=str(tiny_model_dir), device="cpu", beams=2)


class FakeEngine:
    """A deterministic engine: English is ``EN(<source>)``; counts calls and tokens.

    Tokens are whitespace-separated words plus one for end-of-sentence, so tests can build
    sentences of a known token length.
    """

    model_id = "fake"
    backend = "torch"
    device = "cpu"

    def __init__(self, batch_tokens: int = 64) -> None:
        self.calls: list[list[str]] = []
        self.terms = None
        self.batch_tokens = batch_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, *, beams=4, n_best=1, on_batch=None, terms=None):  # type: ignore[no-untyped-def]
        self.terms = terms
        results: list[list[Hypothesis]] = [[] for _ in texts]
        lengths = self.count_tokens(texts)
        for batch in plan_batches(lengths, self.batch_tokens, 64):
            self.calls.append([texts[i] for i in batch])
            for i in batch:
                results[i] = [
                    Hypothesis(f"EN({texts[i]})" + ("" if k == 0 else f"#{k}"), -0.1 * (k + 1))
                    for k in range(n_best)
                ]
            if on_batch is not None:
                on_batch(batch, [results[i] for i in batch])
        return results


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def fake_translator(fake_engine: FakeEngine):  # type: ignore[no-untyped-def]
    from translate import Translator

    return Translator(engine=fake_engine, beams=2)
