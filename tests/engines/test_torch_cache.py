"""The preallocated self-attention cache (``engines.torch.cache``): the dynamic cache's
contents through appends, beam reorders and finished sentences, in fixed buffers."""

from __future__ import annotations

import pytest
import torch
from transformers.cache_utils import DynamicLayer

from translate.engines.torch.cache import InPlaceLayer, keep_rows, self_attention_cache


def _trace(layers: list, steps: int, seed: int = 0) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Append one position per step to each layer, then reorder the rows as a beam search
    does (rows drop from step 4 on, as sentences finish); the keys and values after each step."""
    gen = torch.Generator().manual_seed(seed)
    rows, heads, dim = 8, 2, 4
    seen = []
    for step in range(steps):
        for layer in layers:
            k = torch.randn(rows, heads, 1, dim, generator=gen)
            v = torch.randn(rows, heads, 1, dim, generator=gen)
            keys, values = layer.update(k, v)
            seen.append((keys.clone(), values.clone()))
        kept = rows if step < 4 else rows - 2
        index = torch.randint(0, rows, (kept,), generator=gen)
        for layer in layers:
            layer.reorder_cache(index)
            seen.append((layer.keys.clone(), layer.values.clone()))
        rows = kept
    return seen


@pytest.mark.parametrize("limit", [3, 8, 20], ids=["past-the-limit", "exact", "roomy"])
def test_holds_what_the_dynamic_cache_holds(limit: int) -> None:
    ours = self_attention_cache(3, limit).layers
    reference = [DynamicLayer() for _ in range(3)]
    got, want = _trace(ours, 8), _trace(reference, 8)
    assert len(got) == len(want)
    for (k, v), (rk, rv) in zip(got, want, strict=True):
        assert torch.equal(k, rk)
        assert torch.equal(v, rv)
    assert all(layer.get_seq_length() == 8 for layer in ours)


def test_steps_write_in_place_and_reorders_reuse_one_spare() -> None:
    layers = self_attention_cache(3, 16).layers
    pointers: set[int] = set()
    gen = torch.Generator().manual_seed(1)
    for _ in range(10):
        for layer in layers:
            k = torch.randn(6, 2, 1, 4, generator=gen)
            layer.update(k, k.clone())
            pointers |= {layer._key_buffer.data_ptr(), layer._value_buffer.data_ptr()}
        index = torch.randint(0, 6, (6,), generator=gen)
        for layer in layers:
            layer.reorder_cache(index)
            pointers |= {layer._key_buffer.data_ptr(), layer._value_buffer.data_ptr()}
    # Every layer's keys and values, and the one spare that reorders gather into: no buffer
    # is allocated after the first step.
    assert len(pointers) == 2 * len(layers) + 1


def test_an_empty_layer_ignores_a_reorder() -> None:
    layer = InPlaceLayer(4, self_attention_cache(1, 4).layers[0]._spare)
    layer.reorder_cache(torch.tensor([0, 0]))
    assert layer.get_seq_length() == 0


def test_buffers_hold_the_bound_and_grow_only_past_it() -> None:
    """One buffer of the bound for the whole search (reserved: only the positions written
    take memory); a bound that was off doubles it, the data kept."""
    limit = 20
    layer = self_attention_cache(1, limit).layers[0]
    seen = []
    for step in range(limit + 3):
        k = torch.full((2, 1, 1, 4), float(step))
        layer.update(k, k)
        seen.append(layer._key_buffer.shape[2])
    assert seen[:limit] == [limit] * limit
    assert seen[limit:] == [2 * limit] * 3
    assert layer.get_seq_length() == limit + 3
    assert layer.keys[0, 0, :, 0].tolist() == [float(step) for step in range(limit + 3)]


@pytest.mark.parametrize("rows", [[0, 1], [2, 0]], ids=["first-rows-as-views", "gathered"])
def test_keep_rows_of_a_cross_attention_cache(rows: list[int]) -> None:
    from transformers.cache_utils import DynamicCache

    cache = DynamicCache()
    keys = torch.arange(3 * 2 * 5 * 4, dtype=torch.float32).view(3, 2, 5, 4)
    for layer in range(2):
        cache.update(keys + layer, keys - layer, layer)
    keep_rows(cache, rows)
    for layer in range(2):
        assert torch.equal(cache.layers[layer].keys, (keys + layer)[rows])
        assert torch.equal(cache.layers[layer].values, (keys - layer)[rows])
