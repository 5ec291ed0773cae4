"""bfloat16 Linear layers with their weights packed once for oneDNN (CPU).

On a CPU, torch's bfloat16 ``linear`` is a oneDNN matrix product that first reorders the
weight into the kernel's blocked layout (AMX / AVX512-BF16 tiles), on every call: a decoder
step makes 48 such calls and the output layer one more, each reordering a weight that never
changes. ``PackedLinear`` reorders it once, at load, and multiplies with oneDNN's prepacked
product (the op that ``torch.compile``'s CPU freezing pass emits). Measured here (2 threads,
160 rows, the decoder's 4 beams × 40 sentences): 512 → 2,048 544 → 390 µs, 2,048 → 512 600 →
479 µs, the restricted output layer 512 → 31,991 6.8 → 4.3 ms.

The sums are the same float32 accumulations, rounded to bfloat16 at the end: most outputs are
bit-identical to ``torch.nn.functional.linear``'s, and the rest differ by one rounding step,
because the plain product picks its kernel (and so the order of the additions) by shape.
float32 is left as it is: its weights stay mapped from the checkpoint file, so packed copies
add to memory instead of replacing it (measured: 14 % faster, but 200 MB more peak memory);
and int8 (``--quantize``) is packed already.

``torch.ops.mkldnn`` is not public API; ``packs`` checks that the ops exist and that one
packed product agrees with the plain one before anything is replaced, so a torch build
without them (or without bfloat16 support) keeps the plain layers.
"""

from __future__ import annotations

from typing import Any

import torch

# The rows a decoder step multiplies (4 beams × 40 sentences): oneDNN's layout hint only; any
# number of rows gives the same result.
ROWS_HINT = 160


class PackedLinear(torch.nn.Module):  # type: ignore[misc]  # torch is untyped here
    """``linear``'s product with its weight reordered once for oneDNN (inference only)."""

    def __init__(self, linear: torch.nn.Linear, rows: int = ROWS_HINT) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        weight = linear.weight.detach()
        self.packed = torch.ops.mkldnn._reorder_linear_weight(weight, rows)
        self.bias = None if linear.bias is None else linear.bias.detach()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x @ W.T + b``, as ``torch.nn.Linear`` computes it."""
        return torch.ops.mkldnn._linear_pointwise(x, self.packed, self.bias, "none", [], "")

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, packed"


def packs(dtype: Any, device: str) -> bool:
    """Whether Linear layers of ``dtype`` on ``device`` are packed: bfloat16 on a CPU whose
    torch has oneDNN's bfloat16 ops, checked on one small product."""
    if device != "cpu" or dtype != torch.bfloat16 or not torch.backends.mkldnn.is_available():
        return False
    ops = torch.ops.mkldnn
    try:
        if not ops._is_mkldnn_bf16_supported():
            return False
        probe = torch.nn.Linear(64, 48, dtype=dtype)
        x = torch.linspace(-2, 2, 8 * 64).reshape(8, 64).to(dtype)
        with torch.inference_mode():
            plain = probe(x).float()
            packed = PackedLinear(probe, rows=8)(x).float()
    except (AttributeError, RuntimeError):
        return False
    # One bfloat16 rounding step at most (2⁻⁸ to 2⁻⁷ relative), as measured on every shape.
    return bool(torch.allclose(packed, plain, rtol=2**-7, atol=1e-3))


def pack(model: torch.nn.Module, keep: tuple[torch.nn.Module, ...] = ()) -> int:
    """Replace every ``torch.nn.Linear`` of ``model`` but those in ``keep`` by a
    ``PackedLinear``; returns how many. The dense weights are freed (``release``)."""
    count = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.Linear and not any(child is k for k in keep):
                setattr(parent, name, PackedLinear(child))
                count += 1
    release()
    return count


def release() -> None:
    """Give the freed dense weights' memory back to the system.

    They were allocated while loading, among blocks still in use, so glibc's allocator keeps
    them (about 40 MB of peak memory in the benchmark) until asked to trim; elsewhere a no-op.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        return
    if trim is not None:
        trim(0)
