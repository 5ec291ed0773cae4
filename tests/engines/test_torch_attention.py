"""Cross-attention shared by a sentence's beams (``engines.torch.attention``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from transformers.integrations.sdpa_attention import sdpa_attention_forward

from tests.engines.cases import SENTENCES
from translate.engines.torch.attention import BEAM_ATTENTION, beam_attention, shares_encoder
from translate.engines.torch.engine import MarianEngine


@pytest.mark.parametrize("length", [1, 3])
@pytest.mark.parametrize("masked", [False, True])
def test_grouped_queries_attend_as_with_repeated_keys(length: int, masked: bool) -> None:
    gen = torch.Generator().manual_seed(0)
    sentences, beams, heads, source, dim = 3, 4, 2, 5, 8
    query = torch.randn(sentences * beams, heads, length, dim, generator=gen)
    key = torch.randn(sentences, heads, source, dim, generator=gen)
    value = torch.randn(sentences, heads, source, dim, generator=gen)
    mask = None
    if masked:  # padding at the end of the shorter sources
        mask = torch.ones(sentences, 1, 1, source, dtype=torch.bool)
        mask[0, ..., 3:] = False
        mask[2, ..., 4:] = False
    module = SimpleNamespace(is_causal=False)
    ours, _ = beam_attention(module, query, key, value, mask, scaling=dim**-0.5)
    ref, _ = sdpa_attention_forward(
        module,
        query,
        key.repeat_interleave(beams, 0),
        value.repeat_interleave(beams, 0),
        None if mask is None else mask.repeat_interleave(beams, 0),
        scaling=dim**-0.5,
    )
    assert ours.shape == ref.shape == (sentences * beams, length, heads, dim)
    assert torch.allclose(ours, ref, atol=1e-6)


def test_same_rows_are_plain_sdpa() -> None:
    gen = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(4, 2, 3, 8, generator=gen) for _ in range(3))
    module = SimpleNamespace(is_causal=True)
    ours, _ = beam_attention(module, q, k, v, None)
    ref, _ = sdpa_attention_forward(module, q, k, v, None)
    assert torch.equal(ours, ref)


@pytest.mark.parametrize("terms", [False, True], ids=["plain", "terms"])
def test_the_search_gives_what_repeated_encoder_states_give(
    tiny_model_dir: Path, terms: bool
) -> None:
    engine = MarianEngine(str(tiny_model_dir), "cpu")
    assert shares_encoder(engine.model)
    asked = [[("Moscow", 1)], [], [("Syria", 1), ("army", 1)], [], []] if terms else None
    shared = engine.translate(SENTENCES, beams=4, n_best=2, terms=asked)
    engine.model.set_attn_implementation("sdpa")  # one encoder row per beam, as transformers
    assert not shares_encoder(engine.model)
    repeated = engine.translate(SENTENCES, beams=4, n_best=2, terms=asked)
    engine.model.set_attn_implementation(BEAM_ATTENTION)
    for ours, ref in zip(shared, repeated, strict=True):
        assert [h.text for h in ours] == [h.text for h in ref]
        for a, b in zip(ours, ref, strict=True):
            assert a.score == pytest.approx(b.score, abs=1e-5)
