"""The CTranslate2 engine: conversion once, the Engine protocol, the pipeline, glossary terms."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from tests.engines.cases import CASES as GLOSSARY_CASES
from tests.engines.cases import GLOSSARY
from translate import Translator
from translate.engines.base import call_bound, output_bound
from translate.engines.ct2.convert import MARKER, BackendNotInstalledError, convert_model
from translate.engines.ct2.engine import CT2Engine
from translate.engines.ct2.repair import TERM_HYPOTHESES
from translate.engines.torch.engine import MarianEngine
from translate.errors import ModelLoadError, ModelNotFoundError, UsageError
from translate.terms.count import count_target

SENTENCES = [
    "Menteri Luar Negeri Rusia mengatakan pembicaraan buntu.",
    "Halo.",
    "Tentara Suriah membuat kemajuan baru pada Senin setelah mengambil alih kawasan itu.",
    "Harga gula pasir tercatat Rp16.500 per kilogram.",
]


CASES = [
    *GLOSSARY_CASES,
    ("nested", "PBB dan Dewan Keamanan PBB bersidang.", {"UN Security Council": 1, "UN": 2}),
]


@pytest.fixture(scope="module")
def ct2_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # An explicit folder: module fixtures run before the per-test TRANSLATE_HOME is set.
    return convert_model(tiny_model_dir, to=tmp_path_factory.mktemp("ct2") / "tiny-ct2")


@pytest.fixture(scope="module")
def engine(ct2_dir: Path) -> CT2Engine:
    return CT2Engine(str(ct2_dir), "cpu", batch_tokens=60)


@pytest.fixture(scope="module")
def torch_engine(tiny_model_dir: Path) -> MarianEngine:
    return MarianEngine(str(tiny_model_dir), "cpu")


# --- conversion ----------------------------------------------------------------------------


def test_first_use_converts_once_into_home(
    tiny_model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import ctranslate2

    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path / "home"))
    first = CT2Engine(str(tiny_model_dir), "cpu")
    folder = tmp_path / "home" / "models" / "tiny-marian-ct2-int8"
    assert first.folder == folder and first.backend == "ct2"
    assert first.model_id == str(tiny_model_dir)
    for name in ("model.bin", "source.spm", "target.spm", "vocab.json", MARKER):
        assert (folder / name).is_file(), name
    assert json.loads((folder / MARKER).read_text())["quantization"] == "int8"
    err = capsys.readouterr().err
    assert err.count("converting") == 1 and "once" in err
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no leftovers

    def no_conversion(*args: object, **kwargs: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", no_conversion)
    second = CT2Engine(str(tiny_model_dir), "cpu")
    assert second.folder == folder
    assert "converting" not in capsys.readouterr().err
    assert second.translate(["Halo."])[0][0].text == first.translate(["Halo."])[0][0].text


def test_a_stale_conversion_is_redone(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = convert_model(tiny_model_dir, to=tmp_path / "m", quantization="int8")
    marker = json.loads((folder / MARKER).read_text())
    assert convert_model(tiny_model_dir, to=folder, quantization="int8") == folder
    assert capsys.readouterr().err.count("converting") == 1
    marker["files"] = {}  # as if the checkpoint had changed since
    (folder / MARKER).write_text(json.dumps(marker))
    convert_model(tiny_model_dir, to=folder, quantization="int8")
    assert capsys.readouterr().err.count("converting") == 1
    assert json.loads((folder / MARKER).read_text())["files"]


def test_loading_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelNotFoundError):
        CT2Engine(str(tmp_path / "missing"), "cpu")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError):
        CT2Engine(str(tmp_path / "empty"), "cpu")
    with pytest.raises(UsageError):
        CT2Engine(str(tmp_path / "empty"), "tpu")
    with pytest.raises(UsageError):
        convert_model(str(tmp_path / "empty"), quantization="int3")
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if not installed
    with pytest.raises(BackendNotInstalledError) as info:
        CT2Engine(str(tmp_path / "empty"), "cpu")
    assert isinstance(info.value, UsageError) and info.value.exit_code == 2
    assert "pip install 'translate-id-en[fast]'" in str(info.value)


# --- the Engine protocol -------------------------------------------------------------------


def test_tokenisation_matches_torch(engine: CT2Engine, torch_engine: MarianEngine) -> None:
    assert engine.count_tokens(SENTENCES) == torch_engine.count_tokens(SENTENCES)


def test_translates_in_order_within_bounds_with_scores(engine: CT2Engine) -> None:
    seen: list[list[int]] = []
    out = engine.translate(SENTENCES, beams=2, on_batch=lambda b, h: seen.append(list(b)))
    assert len(seen) > 1 and sorted(i for b in seen for i in b) == [0, 1, 2, 3]
    (alone,) = engine.translate([SENTENCES[2]], beams=2)
    assert alone[0].text == out[2][0].text
    for (best,), n in zip(out, engine.count_tokens(SENTENCES), strict=True):
        assert 0 < best.tokens <= call_bound(output_bound(n))
        assert best.score is not None and best.score < 0
    assert engine.translate([]) == []
    with pytest.raises(UsageError):
        engine.translate(SENTENCES, beams=0)


def test_n_best_scores_are_mean_log_probabilities(engine: CT2Engine) -> None:
    (hyps,) = engine.translate([SENTENCES[0]], beams=4, n_best=3)
    assert len(hyps) == 3
    scores = [h.score for h in hyps]
    assert all(s is not None for s in scores) and scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    # The best again, scored by hand: teacher-forced log-probs, end-of-sentence included.
    tokenizer = engine.tokenizer
    source = tokenizer.convert_ids_to_tokens(tokenizer(SENTENCES[0])["input_ids"])
    target = tokenizer.convert_ids_to_tokens(tokenizer(text_target=hyps[0].text)["input_ids"])
    if len(target) == hyps[0].tokens + 1:  # re-tokenising gave the same pieces
        (scored,) = engine.translator.score_batch([source], [target[:-1]])
        assert len(scored.log_probs) == hyps[0].tokens + 1
        mean = sum(scored.log_probs) / len(scored.log_probs)
        assert hyps[0].score == pytest.approx(mean, abs=1e-4)


def test_force_length_decodes_to_the_bound_on_the_grid(ct2_dir: Path) -> None:
    forced = CT2Engine(str(ct2_dir), "cpu", force_length=True)
    texts = [*SENTENCES, "Ya.", "Ya, ini dia."]
    out = forced.translate(texts, beams=2)
    counts = forced.count_tokens(texts)
    # Every sentence decodes to its own bound rounded up to the grid, in company or alone.
    for (best,), n in zip(out, counts, strict=True):
        assert best.tokens == call_bound(output_bound(n)) >= output_bound(n)
    for text, n in zip(texts[:2], counts[:2], strict=True):
        assert forced.translate([text], beams=2)[0][0].tokens == call_bound(output_bound(n))
    assert forced.target_tokens == sum(h[0].tokens for h in out) + sum(
        call_bound(output_bound(n)) for n in counts[:2]
    )
    assert forced.source_tokens == sum(counts) + sum(counts[:2])
    # One call per grid value, not per batch and bound.
    assert forced.batches == len({call_bound(output_bound(n)) for n in counts}) + 2


@pytest.mark.parametrize("terms", [False, True], ids=["plain", "with-terms"])
def test_a_sentence_translates_the_same_in_any_company(ct2_dir: Path, terms: bool) -> None:
    """The bound is the sentence's own, so batch mates, call sizes and token budgets do not
    change its translation: what makes local and Ray runs identical."""
    texts = [f"{s} {k}" for k in range(6) for s in SENTENCES]
    wanted = [[("Jakarta", 1)] if terms and i % 3 == 0 else [] for i in range(len(texts))]
    together = CT2Engine(str(ct2_dir), "cpu").translate(texts, beams=2, terms=wanted)
    small = CT2Engine(str(ct2_dir), "cpu", batch_tokens=64)
    apart = [
        small.translate([t], beams=2, terms=[w])[0] for t, w in zip(texts, wanted, strict=True)
    ]
    assert [h[0].text for h in together] == [h[0].text for h in apart]
    for a, b in zip(together, apart, strict=True):
        assert a[0].score == pytest.approx(b[0].score, abs=1e-5)


# --- the pipeline on ct2 -------------------------------------------------------------------


def test_pipeline_splits_long_sentences_and_keeps_alignment(engine: CT2Engine) -> None:
    translator = Translator(engine=engine, beams=2, glossary=None, max_source_tokens=20)
    long = (
        " ".join(["Harga gula pasir tercatat naik di pasar tradisional Jakarta,"] * 3) + " kemarin."
    )
    text = f"Judul berita\n\n{long} Halo.\n\nPresiden bicara di Istana Merdeka."
    doc = translator.translate_document(text)
    assert doc.meta.backend == "ct2"
    assert [p.id for p in doc.paragraphs] == ["p0", "p1", "p2"]
    assert [s.id for s in doc.paragraphs[1].sentences] == ["p1.s0", "p1.s1"]
    assert all(s.target and s.score is not None for p in doc.paragraphs for s in p.sentences)
    # The long sentence went to the model in pieces, each within the limit.
    assert max(engine.count_tokens(translator.planner().split(long))) <= 20
    assert len(translator.planner().split(long)) > 1


# --- glossary terms ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text", "wanted"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("beams", [1, 4])
def test_every_term_exactly_as_often_as_the_source_has_it(
    engine: CT2Engine, name: str, text: str, wanted: dict[str, int], beams: int
) -> None:
    before = engine.failed
    doc = Translator(engine=engine, beams=beams, glossary=GLOSSARY).translate_document(text)
    (p,) = doc.paragraphs
    english = p.sentences[0].mt
    for target, count in wanted.items():
        assert count_target(english, target) == count, (target, english)
    assert p.terms and all(t.applied for t in p.terms)
    assert engine.failed == before


@pytest.fixture(scope="module")
def forced(ct2_dir: Path) -> CT2Engine:
    # Every decode runs to its limit, as random weights of the real size do: repairs must
    # keep room for the terms still to be placed.
    return CT2Engine(str(ct2_dir), "cpu", force_length=True)


@pytest.mark.parametrize(("name", "text", "wanted"), CASES, ids=[c[0] for c in CASES])
def test_terms_fit_when_every_decode_runs_to_its_limit(
    forced: CT2Engine, name: str, text: str, wanted: dict[str, int]
) -> None:
    before = forced.failed
    doc = Translator(engine=forced, beams=2, glossary=GLOSSARY).translate_document(text)
    english = doc.paragraphs[0].sentences[0].mt
    for target, count in wanted.items():
        assert count_target(english, target) == count, (target, english)
    assert forced.failed == before


def test_a_repair_decode_leaves_room_for_the_missing_terms(forced: CT2Engine) -> None:
    text = "Rusia, Suriah dan Amerika Serikat bertemu di Beograd."
    terms = (("Russia", 1), ("Syria", 1), ("United States", 1), ("Belgrade", 1))
    (ids,) = forced.tokenizer([text])["input_ids"]
    row = forced._row(0, ids, terms)
    job = forced._start_repair(row, [])
    job.prefix = list(forced.tokenizer(text_target="Russia", add_special_tokens=False).input_ids)
    assert forced._occurrences("Russia", job.prefix)  # the prefix holds one term
    forced._continue_all([job], beams=2)
    room = sum(forced._width(t) for t in ("Syria", "United States", "Belgrade"))
    # Forced to run long, the decoder still stops where the three other terms fit.
    assert len(job.tokens) == row.limit - room
    assert job.tokens[: len(job.prefix)] == job.prefix


def test_repairs_of_several_sentences_are_batched(
    ct2_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = CT2Engine(str(ct2_dir), "cpu")  # one token-budget batch for all four
    raw = engine.translator
    prefixed_calls: list[int] = []

    def spy(*args: object, **kwargs: object) -> object:
        if kwargs.get("target_prefix") is not None:
            prefixed_calls.append(len(kwargs["target_prefix"]))  # type: ignore[arg-type]
        return raw.translate_batch(*args, **kwargs)

    monkeypatch.setattr(engine, "translator", _Proxy(raw, spy))
    # Each case twice: repairs share a call when they decode to the same limit with the same
    # terms suppressed (what keeps a repair independent of its call mates).
    texts = [text for _, text, _ in CASES[:4]] * 2
    terms = [list(wanted.items()) for _, _, wanted in CASES[:4]] * 2
    out = engine.translate(texts, beams=2, terms=terms)
    for (best,), wanted in zip(out, terms, strict=True):
        assert all(count_target(best.text, t) == n for t, n in wanted), best.text
    assert (engine.repaired, engine.failed) == (8, 0)
    assert [h[0].text for h in out[:4]] == [h[0].text for h in out[4:]]
    # Sentences are repaired side by side: some decode calls carry several of them.
    assert max(prefixed_calls) > 1, prefixed_calls
    assert len(prefixed_calls) < sum(n for wanted in terms for _, n in wanted)


def test_repaired_terms_come_from_the_decoder(
    engine: CT2Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = engine.translator
    decoded: list[tuple[list[str], bool]] = []

    def spy(*args: object, **kwargs: object) -> object:
        results = raw.translate_batch(*args, **kwargs)
        prefixed = kwargs.get("target_prefix") is not None
        decoded.extend((list(h), prefixed) for r in results for h in r.hypotheses)
        return results

    monkeypatch.setattr(engine, "translator", _Proxy(raw, spy))
    repaired = engine.repaired
    text = "Lavrov tiba di Beograd kemarin."
    (best,), _ = engine.translate(
        [text, "Halo."], beams=2, terms=[[("Belgrade", 1), ("Lavrov", 1)], []]
    )
    assert engine.repaired == repaired + 1  # random weights never say "Belgrade" on their own
    # The output is, token for token, what the decoder wrote after a forced prefix.
    written = [
        (pieces, prefixed)
        for pieces, prefixed in decoded
        if engine._texts([engine.tokenizer.convert_tokens_to_ids(pieces)])[0] == best.text
    ]
    assert written and all(prefixed for _, prefixed in written)
    source = engine.tokenizer.convert_ids_to_tokens(engine.tokenizer(text)["input_ids"])
    (scored,) = raw.score_batch([source], [written[0][0]])
    assert all(math.isfinite(x) for x in scored.log_probs)
    assert best.score == pytest.approx(sum(scored.log_probs) / len(scored.log_probs), abs=1e-4)


def test_terms_already_in_the_n_best_need_no_repair(engine: CT2Engine) -> None:
    text = SENTENCES[0]
    source = engine.tokenizer.convert_ids_to_tokens(engine.tokenizer(text)["input_ids"])
    (n,) = engine.count_tokens([text])
    wide = TERM_HYPOTHESES  # beam 4 and 4 hypotheses: the search a beam-4 translation makes
    words = {
        w for h in engine.translate([text], beams=wide, n_best=wide)[0] for w in h.text.split()
    }
    # A word that one of the hypotheses the engine will search has exactly once, in tokens
    # and in text, and the best has not: a term the n-best already meets, after the first.
    term = None
    (ranked,) = engine._search([source], output_bound(n), wide, wide)
    for word in sorted(words):
        if engine._misses([(word, 1)], ranked[0]) == 0:
            continue
        if any(engine._misses([(word, 1)], ids) == 0 for ids in ranked):
            term = word
            break
    assert term is not None
    counts = (engine.satisfied_by_nbest, engine.repaired, engine.failed)
    (hyps,) = engine.translate([text], beams=4, terms=[[(term, 1)]])
    assert count_target(hyps[0].text, term) == 1
    assert (engine.satisfied_by_nbest, engine.repaired, engine.failed) == (
        counts[0] + 1,
        counts[1],
        counts[2],
    )


def test_alternatives_keep_the_terms(engine: CT2Engine) -> None:
    translator = Translator(engine=engine, glossary=GLOSSARY)
    alternatives = translator.alternatives("Lavrov tiba di Beograd kemarin.", n=3)
    assert len(alternatives) == 3
    for english, score in alternatives:
        assert count_target(english, "Belgrade") == 1 and count_target(english, "Lavrov") == 1
        assert score is not None


class _Proxy:
    """A stand-in for ``ctranslate2.Translator`` whose ``translate_batch`` is spied on."""

    def __init__(self, inner: object, translate_batch: object) -> None:
        self._inner = inner
        self.translate_batch = translate_batch

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


# --- the backend in the API, the CLI and the workspace --------------------------------------


def test_translator_backend_ct2_loads_the_converted_model(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translator = Translator(model=str(tiny_model_dir), backend="ct2", glossary=GLOSSARY)
    assert translator.signature()["backend"] == "ct2"
    doc = translator.translate_document("Lavrov tiba di Beograd kemarin. Halo.")
    assert isinstance(translator.engine, CT2Engine)
    assert doc.meta.backend == "ct2" and doc.meta.model == tiny_model_dir.name
    assert count_target(doc.target_text, "Belgrade") == 1
    assert doc.term_counts == (2, 2, 0)
    # Converted once into TRANSLATE_HOME (the tests' private one), beside nothing else.
    from translate.config import home

    assert [p.name for p in (home() / "models").iterdir()] == [f"{tiny_model_dir.name}-ct2-int8"]
    # The environment picks the backend when the argument does not.
    monkeypatch.setenv("TRANSLATE_BACKEND", "ct2")
    assert Translator(model=str(tiny_model_dir)).backend == "ct2"
    assert Translator(model=str(tiny_model_dir), backend="torch").backend == "torch"


@pytest.mark.parametrize(
    ("kwargs", "env", "message"),
    [
        ({"backend": "ct2", "quantize": True}, None, "--quantize is for the torch backend"),
        ({"backend": "fast"}, None, "unknown backend 'fast': use one of torch, ct2"),
        ({}, "ct3", "unknown backend 'ct3'"),
    ],
)
def test_backend_usage_errors(
    kwargs: dict[str, object], env: str | None, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env:
        monkeypatch.setenv("TRANSLATE_BACKEND", env)
    with pytest.raises(UsageError, match=message):
        Translator(**kwargs)  # type: ignore[arg-type]


def test_quantize_from_the_environment_is_ignored_on_ct2(
    ct2_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_QUANTIZE", "1")
    translator = Translator(model=str(ct2_dir), backend="ct2", glossary=None)
    assert translator.translate_text("Halo.")
    assert translator.signature()["quantized"] is False


def test_cli_backend_ct2_and_model_convert(tiny_model_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    runner = CliRunner()
    out = tmp_path / "tiny-ct2"
    result = runner.invoke(cli, ["model", "convert", str(tiny_model_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "model.bin").is_file() and "Ready" in result.output
    again = runner.invoke(cli, ["model", "convert", str(tiny_model_dir), "-o", str(out)])
    assert again.exit_code == 0 and "converting" not in again.stderr  # up to date: kept

    source = tmp_path / "berita.txt"
    source.write_text("Lavrov tiba di Beograd kemarin.\n\nHalo.\n", encoding="utf-8")
    target = tmp_path / "berita.json"
    args = ["article", str(source), "--model", str(out), "--backend", "ct2", "--format", "json"]
    result = runner.invoke(cli, [*args, "-o", str(target), "--no-memory"])
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["meta"]["backend"] == "ct2"

    both = runner.invoke(cli, [*args, "--quantize"])
    assert both.exit_code == 2
    assert both.stderr.strip().splitlines() == [
        "Error: --quantize is for the torch backend; ct2 runs int8 on CPU already: drop one"
    ]


def test_cli_batch_on_ct2_records_the_backend(ct2_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(3):
        (inputs / f"a{i}.txt").write_text(f"Halo {i}.\n\nTentara Suriah tiba.\n", "utf-8")
    args = ["batch", str(inputs), "-o", str(tmp_path / "out"), "--model", str(ct2_dir)]
    first = CliRunner().invoke(cli, [*args, "--backend", "ct2", "--no-memory"])
    assert first.exit_code in (0, 1) and "3 done" in first.stderr, first.output
    manifest = (tmp_path / "out" / ".translate-manifest.jsonl").read_text(encoding="utf-8")
    assert '"backend": "ct2"' in manifest
    # Same settings: nothing is redone (the backend is part of what the manifest compares).
    rerun = CliRunner().invoke(cli, [*args, "--backend", "ct2", "--no-memory"])
    assert "0 done, 3 skipped" in rerun.stderr, rerun.output


def test_workspace_engine_follows_the_backend_setting(
    ct2_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.ui import workspace

    assert isinstance(workspace.make_engine(str(ct2_dir), "cpu", "ct2"), CT2Engine)
    monkeypatch.setenv("TRANSLATE_BACKEND", "ct2")  # what `translate ui --backend ct2` sets
    assert isinstance(workspace.make_engine(str(ct2_dir), "cpu"), CT2Engine)


def test_device_and_precision_follow_cuda(ct2_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    from translate.engines.ct2.convert import default_quantization

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert default_quantization() == "int8"
    with pytest.raises(UsageError, match="CTranslate2 sees no CUDA device"):
        CT2Engine(str(ct2_dir), "cuda")
    assert CT2Engine(str(ct2_dir), "auto").device == "cpu"
    # Where CUDA is available, conversions default to float16 (not run here: no GPU).
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    assert default_quantization() == "float16"
    assert default_quantization("cpu") == "int8"


@pytest.mark.parametrize("target", ["ha ha ha ha", "Dubai Dubai"])
def test_a_term_that_runs_on_into_itself_stays_one_copy(forced: CT2Engine, target: str) -> None:
    # A continuation that repeats the term's word would make a second, overlapping copy.
    forms = forced.term_forms(target)
    # The spaced form's tail is also its head: one more word after it overlaps a copy.
    assert any(any(f[k:] == f[: len(f) - k] for k in range(1, len(f))) for f in forms)
    (best,), _ = forced.translate(
        ["Tawa ha ha ha ha terdengar di Dubai.", "Halo."], beams=2, terms=[[(target, 1)], []]
    )
    ids = forced.tokenizer(text_target=best.text, add_special_tokens=False).input_ids
    assert count_target(best.text, target) == 1, best.text
    assert len(forced._occurrences(target, ids)) == 1, best.text


def test_an_overlapping_copy_is_cut_after_the_forced_term(forced: CT2Engine) -> None:
    target = "ha ha ha ha"
    form = next(f for f in forced.term_forms(target) if f[1:] == f[:-1])  # ▁ha × 4
    (ids,) = forced.tokenizer(["Tawa ha ha ha ha terdengar."])["input_ids"]
    row = forced._row(0, ids, ((target, 1),))
    head = forced.tokenizer(text_target="We heard", add_special_tokens=False).input_ids
    job = forced._start_repair(row, [*head, *form, form[-1]])  # the decoder wrote one more "ha"
    job.placed = [(len(head), len(head) + len(form))]
    assert len(forced._occurrences(target, job.tokens)) == 2
    prefix, placed = forced._repair_step(job)  # type: ignore[misc]
    # Not cut inside the forced term: after it, with the token that would overlap banned.
    assert prefix == [*head, *form] and placed == job.placed
    assert job.ban == [form[-1]]
    job.prefix, job.placed = prefix, placed
    forced._continue_all([job], beams=2)
    assert job.ban == [] and job.tokens[: len(prefix)] == prefix
    assert job.tokens[len(prefix)] != form[-1]


def test_a_term_written_alone_too_often_leaves_its_copy_to_the_outer_term(
    forced: CT2Engine,
) -> None:
    # "DKI Jakarta" and "Jakarta Timur": "Jakarta" twice, one of them inside "East Jakarta".
    # The decoder wrote "Jakarta" twice on its own: placing "East Jakarta" would make three,
    # so the second one alone is cut first, and the repair ends exact.
    terms = (("East Jakarta", 1), ("Jakarta", 2))
    (ids,) = forced.tokenizer(["Jakarta Timur menemui Wakil Gubernur DKI Jakarta."])["input_ids"]
    row = forced._row(0, ids, terms)
    jakarta = forced.term_forms("Jakarta")[0]
    head = forced.tokenizer(text_target="We met", add_special_tokens=False).input_ids
    job = forced._start_repair(row, [*head, *jakarta, *jakarta])
    prefix, placed = forced._repair_step(job)  # type: ignore[misc]
    assert prefix == [*head, *jakarta] and placed == []
    forced._repair_all([job], beams=2)
    assert forced._misses(terms, job.best) == 0, forced._texts([job.best])
