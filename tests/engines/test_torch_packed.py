from __future__ import annotations

from pathlib import Path

import pytest
import torch

from translate.engines.torch import packed
from translate.engines.torch.engine import MarianEngine
from translate.engines.torch.packed import PackedLinear, pack, packs

# Whether this CPU's torch has oneDNN's bfloat16 ops: where it has, packing must be used.
BF16 = torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()
needs_bf16 = pytest.mark.skipif(not BF16, reason="this CPU's torch has no oneDNN bfloat16")

# (in, out, input shape): the decoder's products at the row counts a batch passes through,
# the encoder's (sentences × tokens), the output layer, and a layer without bias.
SHAPES = [
    (512, 2048, (1, 1)),
    (512, 512, (37, 1)),
    (2048, 512, (64, 1)),
    (2048, 512, (96, 1)),
    (512, 512, (384, 1)),
    (512, 2048, (96, 33)),
    (64, 402, (160, 1)),
]


@needs_bf16
def test_packing_is_used_where_the_ops_exist() -> None:
    assert packs(torch.bfloat16, "cpu")
    assert not packs(torch.float32, "cpu") and not packs(torch.bfloat16, "cuda")


@needs_bf16
@pytest.mark.parametrize(("fan_in", "fan_out", "rows"), SHAPES)
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no bias"])
def test_packed_product_is_the_plain_one_within_one_rounding(
    fan_in: int, fan_out: int, rows: tuple[int, ...], bias: bool
) -> None:
    torch.manual_seed(fan_in + fan_out + rows[0])
    linear = torch.nn.Linear(fan_in, fan_out, bias=bias, dtype=torch.bfloat16)
    x = torch.randn(*rows, fan_in).to(torch.bfloat16)
    with torch.inference_mode():
        plain, got = linear(x), PackedLinear(linear)(x)
    assert got.shape == plain.shape and got.dtype == torch.bfloat16
    # Same float32 sums, rounded once: at most one bfloat16 step apart (or a hair apart near
    # zero, where the additions cancel), and nearly all equal.
    larger = torch.maximum(plain.float().abs(), got.float().abs())
    step = torch.ldexp(torch.ones_like(larger), torch.frexp(larger).exponent - 8)
    step = step.clamp_min(2**-16)
    assert bool(((got.float() - plain.float()).abs() <= step).all())
    assert (got == plain).float().mean().item() > 0.9


def test_a_packed_product_that_disagrees_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(self: PackedLinear, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(*x.shape[:-1], self.out_features, dtype=x.dtype)

    monkeypatch.setattr(PackedLinear, "forward", wrong)
    assert not packs(torch.bfloat16, "cpu")


def test_missing_ops_leave_the_plain_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object) -> None:
        raise RuntimeError("No such operator mkldnn::_reorder_linear_weight")

    monkeypatch.setattr(torch.ops.mkldnn, "_reorder_linear_weight", missing)
    assert not packs(torch.bfloat16, "cpu")


@needs_bf16
def test_pack_replaces_every_linear_but_those_kept() -> None:
    model = torch.nn.Sequential(
        torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Linear(16, 4))
    ).to(torch.bfloat16)
    kept = model[2][0]
    assert pack(model, keep=(kept,)) == 1
    assert isinstance(model[0], PackedLinear) and model[2][0] is kept
    # The dense weight is gone from the model: only the kept layer has parameters left.
    assert [p.shape for p in model.parameters()] == [(4, 16), (4,)]


@pytest.fixture(scope="module")
def split_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model with source-only pieces, so that the search uses a restricted head."""
    from tests.tiny_model import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("packed") / "split", target_vocab=350)


@pytest.fixture(scope="module")
def bf16_engines(split_dir: Path) -> dict[str, MarianEngine]:
    return {
        "restricted": MarianEngine(str(split_dir), "cpu", dtype="bfloat16"),
        "full": MarianEngine(str(split_dir), "cpu", dtype="bfloat16", full_vocab=True),
    }


@needs_bf16
def test_bfloat16_engine_packs_its_layers(bf16_engines: dict[str, MarianEngine]) -> None:
    for kind, engine in bf16_engines.items():
        layers = [m for m in engine.model.modules() if isinstance(m, torch.nn.Linear)]
        output = engine.model.get_output_embeddings()
        if kind == "restricted":
            # The search uses the restricted head: the model's own output layer stays dense
            # (its weight is the embeddings'), and the head is packed instead.
            assert layers == [output]
            assert engine._head is not None and isinstance(engine._head.linear, PackedLinear)
        else:
            assert layers == [] and isinstance(output, PackedLinear)
        # Six products per encoder layer, ten per decoder layer, and the output layer.
        config = engine.model.config
        assert engine.packed == 6 * config.encoder_layers + 10 * config.decoder_layers + 1


@needs_bf16
def test_packed_engine_translates_as_the_plain_one(
    bf16_engines: dict[str, MarianEngine], split_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.engines.test_torch import SENTENCES

    monkeypatch.setattr(packed, "packs", lambda dtype, device: False)
    plain = MarianEngine(str(split_dir), "cpu", dtype="bfloat16")
    assert plain.packed == 0
    assert not any(isinstance(m, PackedLinear) for m in plain.model.modules())
    for engine in (bf16_engines["restricted"], plain):
        engine.force_length = True  # long outputs: more steps for a rounding to matter
    try:
        got = bf16_engines["restricted"].translate(SENTENCES, beams=4, n_best=2)
        want = plain.translate(SENTENCES, beams=4, n_best=2)
    finally:
        bf16_engines["restricted"].force_length = False
    assert [[h.text for h in r] for r in got] == [[h.text for h in r] for r in want]
    for g, w in zip(got, want, strict=True):
        assert [h.score for h in g] == pytest.approx([h.score for h in w], abs=2e-2)


@pytest.mark.parametrize("options", [{}, {"quantize": True}], ids=["float32", "int8"])
def test_other_precisions_are_not_packed(tiny_model_dir: Path, options: dict[str, bool]) -> None:
    engine = MarianEngine(str(tiny_model_dir), "cpu", **options)  # type: ignore[arg-type]
    assert engine.packed == 0
    assert not any(isinstance(m, PackedLinear) for m in engine.model.modules())
