"""The output projection cut to the producible ids (``engines.vocab``), once at load.

The model's own ``lm_head`` and ``final_logits_bias`` score all 54,796 entries of opus-mt-id-en;
``RestrictedHead`` holds only the rows of the ids the target tokenizer can write (31,991 there),
in the model's precision: a float ``Linear`` (float32 or bfloat16) sliced from the tied weight,
or, after ``--quantize``, the rows of the quantised ``lm_head``'s int8 weight with its own scale,
so each kept logit is computed exactly as the full layer computes it. The model's forward is
otherwise untouched: the search runs the decoder (``model.model``) and applies this head to the
last hidden state. Search indices are positions in ``ids``; ``to_full`` maps them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class RestrictedHead:
    """``logits = hidden @ W[ids].T + final_logits_bias[ids]``, as the model computes them.

    ``index(token)``: the search index of a model token id (None when it cannot be produced);
    ``to_full``: a tensor of the model id of each search index (decoder inputs, results).
    """

    def __init__(self, torch: Any, model: Any, ids: Sequence[int], device: str) -> None:
        self.ids = tuple(ids)
        self._index = {token: i for i, token in enumerate(self.ids)}
        rows = torch.tensor(self.ids, dtype=torch.long, device=device)
        self.to_full = rows
        head = model.get_output_embeddings()
        # Added after the product, as MarianMTModel.forward does (same rounding in bfloat16).
        bias = model.final_logits_bias.index_select(1, rows)
        # Marian checkpoints carry an all-zero bias: adding it would be a pass over every logit.
        self.bias = bias.clone() if bool(bias.any()) else None
        quantized = torch.ao.nn.quantized.dynamic.Linear
        if isinstance(head, quantized):
            weight, bias = head._packed_params._weight_bias()
            sliced = quantized(
                head.in_features, len(self.ids), bias_=bias is not None, dtype=torch.qint8
            )
            # A per-tensor int8 weight keeps its scale: the kept rows' logits are unchanged.
            sliced.set_weight_bias(
                weight.index_select(0, rows.cpu()),
                bias.index_select(0, rows.cpu()) if bias is not None else None,
            )
            self.linear = sliced
        else:
            weight = head.weight
            sliced = torch.nn.Linear(
                weight.shape[1],
                len(self.ids),
                bias=head.bias is not None,
                dtype=weight.dtype,
                device=weight.device,
            )
            with torch.no_grad():
                sliced.weight.copy_(weight.index_select(0, rows))
                if head.bias is not None:
                    sliced.bias.copy_(head.bias.index_select(0, rows))
            sliced.requires_grad_(False)
            self.linear = sliced.eval()

    def __call__(self, hidden: Any) -> Any:
        """Logits over the producible ids for decoder states ``hidden`` (…, d_model)."""
        logits = self.linear(hidden)
        return logits if self.bias is None else logits + self.bias

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, token: int) -> int | None:
        """The search index of model token ``token``; None when it cannot be produced."""
        return self._index.get(token)
