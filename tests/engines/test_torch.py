from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.engines.base import output_bound, plan_batches
from translate.engines.torch.engine import MarianEngine
from translate.errors import ModelLoadError, ModelNotFoundError


@settings(deadline=None)
@given(
    st.lists(st.integers(1, 300), max_size=60),
    st.integers(300, 5000),
    st.integers(1, 64),
)
def test_plan_batches_covers_every_index_within_budget(
    lengths: list[int], budget: int, max_sentences: int
) -> None:
    batches = plan_batches(lengths, budget, max_sentences)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= max_sentences
        # A batch may exceed the budget only when it holds a single sentence.
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= budget
    # Batches go shortest first.
    assert flat == sorted(flat, key=lambda i: (lengths[i], i))


def test_output_bound() -> None:
    assert output_bound(10) == 25
    assert output_bound(200) == 310  # stays inside 512 positions


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> MarianEngine:
    return MarianEngine(str(tiny_model_dir), "cpu", batch_tokens=60)


SENTENCES = [
    "Menteri Luar Negeri Rusia mengatakan pembicaraan buntu.",
    "Halo.",
    "Tentara Suriah membuat kemajuan baru pada Senin setelah mengambil alih kawasan itu.",
    "Harga gula pasir tercatat Rp16.500 per kilogram.",
]


def test_translates_in_input_order(engine: MarianEngine) -> None:
    seen: list[list[int]] = []
    out = engine.translate(SENTENCES, beams=2, on_batch=lambda b, h: seen.append(list(b)))
    assert len(out) == len(SENTENCES)
    assert all(len(h) == 1 for h in out)
    # Several batches (the budget is small), every sentence exactly once.
    assert len(seen) > 1
    assert sorted(i for b in seen for i in b) == [0, 1, 2, 3]
    # Order restored: translating one sentence alone gives the same result.
    (alone,) = engine.translate([SENTENCES[2]], beams=2)
    assert alone[0].text == out[2][0].text


def test_output_is_bounded(engine: MarianEngine) -> None:
    counts = engine.count_tokens(SENTENCES)
    engine.force_length = True
    try:
        out = engine.translate(SENTENCES, beams=2)
    finally:
        engine.force_length = False
    # Forced to decode to the end, each sentence stops exactly at its own bound, even
    # when it shares a batch with longer ones.
    assert [h[0].tokens for h in out] == [output_bound(n) for n in counts]
    free = engine.translate(SENTENCES, beams=2)
    assert all(h[0].tokens <= output_bound(n) for n, h in zip(counts, free, strict=True))


def test_n_best_with_scores(engine: MarianEngine) -> None:
    (hyps,) = engine.translate([SENTENCES[0]], beams=4, n_best=3)
    assert len(hyps) == 3
    assert all(h.score is not None and h.score <= 0 for h in hyps)
    scores = [h.score for h in hyps]
    assert scores == sorted(scores, reverse=True)


def test_greedy_has_scores(engine: MarianEngine) -> None:
    (hyps,) = engine.translate([SENTENCES[1]], beams=1)
    assert hyps[0].score is not None and hyps[0].score <= 0


def test_missing_folder_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"does not exist.*translate model download"):
        MarianEngine(str(tmp_path / "no-such-model"))


def test_folder_without_config(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"no config\.json"):
        MarianEngine(str(tmp_path))


def test_offline_hub_id_says_how_to_get_the_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import translate.engines.download

    monkeypatch.setattr(translate.engines.download, "hub_reachable", lambda timeout=3.0: False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)
    monkeypatch.setenv("TRANSLATE_HOME", "/nonexistent-translate-home")
    with pytest.raises(ModelNotFoundError, match="translate model download"):
        MarianEngine(None, "cpu")


def test_broken_model_folder(tmp_path: Path, tiny_model_dir: Path) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    (broken / "source.spm").unlink()
    with pytest.raises(ModelLoadError, match="not a usable Marian checkpoint"):
        MarianEngine(str(broken), "cpu")


def test_quantized_engine_translates(tiny_model_dir: Path) -> None:
    import torch

    engine = MarianEngine(str(tiny_model_dir), "cpu", quantize=True)
    assert engine.quantized
    assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in engine.model.modules())
    out = engine.translate(SENTENCES, beams=2)
    assert all(h[0].score is not None for h in out)


def test_cuda_without_a_gpu_is_a_clear_error(tiny_model_dir: Path) -> None:
    import torch

    from translate.errors import UsageError

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(UsageError, match="no CUDA device"):
        MarianEngine(str(tiny_model_dir), "cuda")


def test_bfloat16_on_cpu(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from translate import Translator

    engine = MarianEngine(str(tiny_model_dir), "cpu", dtype="bfloat16")
    assert next(engine.model.parameters()).dtype == torch.bfloat16
    out = engine.translate(["Halo.", "Menteri Luar Negeri Rusia tiba."], beams=2, n_best=2)
    assert all(len(h) == 2 and all(x.score is not None for x in h) for h in out)
    monkeypatch.setenv("TRANSLATE_DTYPE", "bfloat16")
    assert MarianEngine(str(tiny_model_dir), "cpu").dtype == "bfloat16"
    # Recorded in manifests only when set, so that older manifests stay valid.
    assert Translator(engine=engine).signature()["dtype"] == "bfloat16"
    plain = MarianEngine(str(tiny_model_dir), "cpu", dtype="auto")
    assert "dtype" not in Translator(engine=plain).signature()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dtype": "float16", "device": "cpu"}, "float16 needs CUDA; on a CPU use bfloat16"),
        ({"dtype": "int4"}, "unknown dtype 'int4'"),
        ({"dtype": "bfloat16", "quantize": True}, "--quantize works on float32 weights"),
    ],
)
def test_dtype_usage_errors(tiny_model_dir: Path, kwargs: dict[str, object], message: str) -> None:
    from translate.errors import UsageError

    with pytest.raises(UsageError, match=message):
        MarianEngine(str(tiny_model_dir), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("device", "dtype", "loaded"),
    [("auto", None, "float16"), ("cuda", "bfloat16", "bfloat16"), ("cpu", None, "float32")],
)
def test_device_and_precision_where_cuda_is_seen(
    tiny_model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    device: str,
    dtype: str | None,
    loaded: str,
) -> None:
    import torch

    from translate.engines.torch import engine as engine_module
    from translate.engines.vocab import OutputVocabulary

    seen: dict[str, object] = {}

    class Model:
        """Stands in for the checkpoint: records where it is sent (no GPU here)."""

        def eval(self) -> Model:
            return self

        def to(self, where: str) -> Model:
            seen["device"] = where
            return self

        def set_attn_implementation(self, name: str) -> None:
            seen["attention"] = name

        class config:  # what the engine reads of a checkpoint's configuration
            vocab_size = 8

    def fake_load(model_id: str, torch_dtype: object, looks_local: bool) -> tuple[object, Model]:
        seen["dtype"] = torch_dtype
        model = Model()
        model.dtype = torch_dtype  # type: ignore[attr-defined]
        return object(), model

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(engine_module, "_from_pretrained", fake_load)
    # No tokenizer files behind the stand-in: nothing to restrict.
    monkeypatch.setattr(engine_module, "of_tokenizer", lambda t, size: OutputVocabulary(size, None))
    monkeypatch.delenv("TRANSLATE_BATCH_TOKENS", raising=False)
    quantize = device == "auto"  # asked for, but CPU-only: ignored on CUDA
    engine = MarianEngine(str(tiny_model_dir), device, dtype=dtype, quantize=quantize)
    # On CUDA: half precision by default, bfloat16 when asked.
    assert seen["dtype"] == getattr(torch, loaded)
    assert seen["device"] == engine.device == ("cpu" if device == "cpu" else "cuda")
    assert engine.quantized is False
    # The beams of a sentence share its encoder states on every device.
    assert seen["attention"] == "translate_beams"
    # Batch defaults follow the precision loaded ("auto" on CUDA is float16).
    half = loaded in ("float16", "bfloat16")
    assert (engine.batch_tokens, engine.max_batch_sentences) == ((3072, 96) if half else (2048, 64))


@pytest.mark.parametrize(
    ("dtype", "env", "asked", "expected"),
    [
        (None, None, None, (2048, 64)),
        ("bfloat16", None, None, (3072, 96)),
        ("bfloat16", "1000", None, (1000, 96)),  # TRANSLATE_BATCH_TOKENS over the default
        ("bfloat16", "1000", 500, (500, 96)),  # the argument over both
        ("float32", None, None, (2048, 64)),
    ],
)
def test_batch_defaults_follow_the_precision(
    tiny_model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    dtype: str | None,
    env: str | None,
    asked: int | None,
    expected: tuple[int, int],
) -> None:
    if env is None:
        monkeypatch.delenv("TRANSLATE_BATCH_TOKENS", raising=False)
    else:
        monkeypatch.setenv("TRANSLATE_BATCH_TOKENS", env)
    engine = MarianEngine(str(tiny_model_dir), "cpu", dtype=dtype, batch_tokens=asked)
    assert (engine.batch_tokens, engine.max_batch_sentences) == expected
