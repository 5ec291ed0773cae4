"""Cross-attention shared by the beams of a sentence.

The beams of one sentence attend to the same encoder states. transformers' beam search repeats
those states once per beam, so every decoder layer projects, caches and reads ``beams`` copies
of each sentence's keys and values. Here the decoder gets one copy per sentence and this
attention function lays the ``beams`` queries of a sentence side by side as one sentence's
queries (a query attends alone, so the result is the same), which cuts the cross-attention's
memory traffic and cache by the beam width.

It is registered with transformers' attention interface under ``BEAM_ATTENTION`` and set on the
engine's model (``use_on``); for every other attention (the encoder's, the decoder's own) the
key rows match the query rows and it is SDPA unchanged.
"""

from __future__ import annotations

from typing import Any

BEAM_ATTENTION = "translate_beams"


def beam_attention(
    module: Any, query: Any, key: Any, value: Any, attention_mask: Any, **kwargs: Any
) -> tuple[Any, None]:
    """SDPA, with ``query`` rows grouped by sentence when ``key`` has one row per sentence."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    rows, sentences = query.shape[0], key.shape[0]
    if rows == sentences:
        out, _ = sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)
        return out, None
    beams = rows // sentences
    _, heads, length, dim = query.shape
    # (sentences × beams, heads, length, dim) → (sentences, heads, beams × length, dim)
    grouped = (
        query.view(sentences, beams, heads, length, dim)
        .transpose(1, 2)
        .reshape(sentences, heads, beams * length, dim)
    )
    out, _ = sdpa_attention_forward(module, grouped, key, value, attention_mask, **kwargs)
    # (sentences, beams × length, heads, dim) → (sentences × beams, length, heads, dim)
    return out.reshape(rows, length, heads, dim), None


def use_on(model: Any) -> None:
    """Register the function (once per process; transformers' registry is a class mapping)
    and set it as ``model``'s attention, masks built as for SDPA."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(BEAM_ATTENTION, beam_attention)
    AttentionMaskInterface.register(BEAM_ATTENTION, sdpa_mask)
    model.set_attn_implementation(BEAM_ATTENTION)


def shares_encoder(model: Any) -> bool:
    """Whether ``model`` attends with ``beam_attention`` (one encoder row per sentence)."""
    return getattr(model.config, "_attn_implementation", None) == BEAM_ATTENTION
