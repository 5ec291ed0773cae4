"""The beam search's self-attention cache: written in place, reordered by the rows that moved.

transformers' ``DynamicCache`` appends each step's keys and values with ``torch.cat`` (a copy
of the whole cache, every layer, every step) and the beam reorder copies it again
(``index_select``): two full copies per step, profiled at about a fifth of int8 decoding time.
Here each layer's keys and values live in a buffer of the batch's longest bound, and a step
writes one position in place. The buffer is reserved, not filled: a buffer of that size is
fresh mapped memory, whose pages the system provides when first written, so a model that stops
early holds the positions it reached (per row and head, rounded up to a 4 KB page). Growing
the buffers 32 positions at a time instead measured a quarter more peak memory in the
benchmark (1.44 GB against 1.16 for bfloat16): every growth allocates the next size, and the
allocator keeps the freed blocks of the old sizes in the process.

Most beams continue their own hypothesis (over 80 % of rows in the benchmark), so the reorder
copies only the rows whose parent is another row, in place; when more than half moved, it
gathers the used part into one spare buffer of the same shape, shared by all layers, which
then takes the place of the layer's old buffer (that becomes the spare). At most one copy per
step, and about the memory the dynamic cache holds at its peak (every layer's cache plus one
layer's copy in flight). The search puts the sentences that finish first at the end of the
batch, so that their leaving moves no row.
"""

from __future__ import annotations

from typing import Any

from transformers.cache_utils import Cache, DynamicLayer


class _Spare:
    """The one buffer a reorder gathers into, passed from layer to layer."""

    def __init__(self) -> None:
        self.buffer: Any = None


# transformers is untyped here (Any): its cache classes are the interface the decoder calls.
class InPlaceLayer(DynamicLayer):  # type: ignore[misc]
    """One decoder layer's self-attention keys and values in buffers of ``limit`` positions
    (the batch's longest bound; reserved, so only the positions written take memory), grown
    only if a caller's bound was off. ``keys`` and ``values`` are views of the used rows and
    positions."""

    def __init__(self, limit: int, spare: _Spare) -> None:
        super().__init__()
        self.capacity = limit
        self._spare = spare
        self._length = 0
        self._rows = 0
        self._key_buffer: Any = None
        self._value_buffer: Any = None

    def lazy_initialization(self, key_states: Any, value_states: Any) -> None:
        import torch

        rows, heads, _, dim = key_states.shape
        shape = (rows, heads, self.capacity, dim)
        self.device = key_states.device
        self._key_buffer = torch.empty(shape, dtype=key_states.dtype, device=self.device)
        self._value_buffer = torch.empty(shape, dtype=value_states.dtype, device=self.device)
        self._rows = rows
        self.is_initialized = True

    def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> Any:
        """Write the new positions in place; the used part of the buffers, as views."""
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        start, added = self._length, key_states.shape[-2]
        if start + added > self.capacity:
            self._grow(start + added)
        rows = self._rows
        self._key_buffer[:rows, :, start : start + added].copy_(key_states)
        self._value_buffer[:rows, :, start : start + added].copy_(value_states)
        self._length = start + added
        self._views()
        return self.keys, self.values

    def reorder_cache(self, beam_idx: Any, moved: Any = None) -> None:
        """Rows ``beam_idx`` of the cache, in that order (fewer rows when sentences finish).

        ``moved``: the positions ``i`` where ``beam_idx[i] != i`` (``BeamCache`` finds them
        once for all layers). When they are at most half the rows, only they are copied, in
        place; otherwise every row is gathered into the spare buffer.
        """
        if not self._length:
            return
        import torch

        rows = beam_idx.shape[0]
        if moved is None:
            moved = _moved(torch, beam_idx)
        if 2 * moved.shape[0] <= rows:
            length = self._length
            sources = beam_idx.index_select(0, moved)
            for buffer in (self._key_buffer, self._value_buffer):
                used = buffer[:, :, :length]
                # Gathered before written: a row can be the source of one and moved itself.
                used.index_copy_(0, moved, used.index_select(0, sources))
        else:
            self._key_buffer = self._gather(self._key_buffer, beam_idx)
            self._value_buffer = self._gather(self._value_buffer, beam_idx)
        self._rows = rows
        self._views()

    def get_seq_length(self) -> int:
        return self._length if self.is_initialized else 0

    def _gather(self, buffer: Any, index: Any) -> Any:
        import torch

        spare = self._spare.buffer
        if spare is None or spare.shape != buffer.shape or spare.dtype != buffer.dtype:
            spare = torch.empty_like(buffer)
        length = self._length
        # Straight into the spare's used part: no temporary, and the old buffer is the next spare.
        source = buffer[: self._rows, :, :length]
        torch.index_select(source, 0, index, out=spare[: index.shape[0], :, :length])
        self._spare.buffer = buffer
        return spare

    def _grow(self, needed: int) -> None:
        """Room for ``needed`` positions, past the bound (a caller's bound was off): twice
        the capacity or more; the data is kept."""
        import torch

        capacity = max(needed, 2 * self.capacity)
        for name in ("_key_buffer", "_value_buffer"):
            old = getattr(self, name)
            rows, heads, _, dim = old.shape
            new = torch.empty((rows, heads, capacity, dim), dtype=old.dtype, device=old.device)
            new[:, :, : self._length].copy_(old[:, :, : self._length])
            setattr(self, name, new)
        self.capacity = capacity
        self._spare.buffer = None

    def _views(self) -> None:
        self.keys = self._key_buffer[: self._rows, :, : self._length]
        self.values = self._value_buffer[: self._rows, :, : self._length]


def _moved(torch: Any, index: Any) -> Any:
    """Positions ``i`` where ``index[i] != i``."""
    here = torch.arange(index.shape[0], device=index.device)
    return (index != here).nonzero().squeeze(1)


class BeamCache(Cache):  # type: ignore[misc]
    """The layers' caches, reordered together: the moved rows are found once per step."""

    def reorder_cache(self, beam_idx: Any) -> None:
        import torch

        moved = _moved(torch, beam_idx)
        for layer in self.layers:
            layer.reorder_cache(beam_idx, moved)


def rows_of(tensor: Any, rows: list[int]) -> Any:
    """``tensor``'s ``rows``, in that order: a view when they are its first rows, as when the
    finished sentences were at the end of the batch; else gathered."""
    if rows == list(range(len(rows))):
        return tensor[: len(rows)]
    import torch

    return tensor.index_select(0, torch.tensor(rows, device=tensor.device))


def keep_rows(cache: Cache, rows: list[int]) -> None:
    """Only ``rows`` of a (cross-attention) cache, in that order (``rows_of``)."""
    for layer in cache.layers:
        layer.keys, layer.values = rows_of(layer.keys, rows), rows_of(layer.values, rows)


def self_attention_cache(layers: int, limit: int) -> Cache:
    """A self-attention cache for ``layers`` decoder layers of at most ``limit`` positions
    each (more only if asked to hold more)."""
    spare = _Spare()
    return BeamCache(layers=[InPlaceLayer(limit, spare) for _ in range(layers)])
