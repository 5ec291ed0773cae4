"""The CTranslate2 engine: conversion once, the Engine protocol, the pipeline, glossary terms."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from translate import Glossary, Translator
from translate.engine import MarianEngine, output_bound
from translate.engine_ct2 import (
    BOUND_SLACK,
    BOUND_SLACK_MIN,
    MARKER,
    BackendNotInstalledError,
    CT2Engine,
    convert_model,
)
from translate.errors import ModelLoadError, ModelNotFoundError, UsageError
from translate.glossary import count_target

SENTENCES = [
    "Menteri Luar Negeri Rusia mengatakan pembicaraan buntu.",
    "Halo.",
    "Tentara Suriah membuat kemajuan baru pada Senin setelah mengambil alih kawasan itu.",
    "Harga gula pasir tercatat Rp16.500 per kilogram.",
]

GLOSSARY = Glossary.from_entries(
    [
        ("Amerika Serikat", "United States"),
        ("Beograd", "Belgrade"),
        ("Damaskus", "Damascus"),
        ("Lavrov", "Lavrov"),
        ("AS", "US"),
        ("PBB", "UN"),
        ("Dewan Keamanan PBB", "UN Security Council"),
        ("Suriah", "Syria"),
        ("Rusia", "Russia"),
    ]
)

CASES = [
    ("one term", "Lavrov tiba di Beograd kemarin.", {"Belgrade": 1, "Lavrov": 1}),
    (
        "five terms",
        "Rusia, Suriah, Damaskus, Beograd dan Amerika Serikat bertemu.",
        {"Russia": 1, "Syria": 1, "Damascus": 1, "Belgrade": 1, "United States": 1},
    ),
    ("after quotes", "“Lavrov” bicara soal “Damaskus” hari ini.", {"Lavrov": 1, "Damascus": 1}),
    ("in brackets", "Perserikatan Bangsa-Bangsa (PBB) dan (AS) hadir.", {"UN": 1, "US": 1}),
    ("repeated", "Lavrov bertemu Lavrov di Beograd dan Beograd.", {"Lavrov": 2, "Belgrade": 2}),
    ("longest wins", "Dewan Keamanan PBB bersidang.", {"UN Security Council": 1}),
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


def test_tokenisation_and_term_forms_match_torch(
    engine: CT2Engine, torch_engine: MarianEngine
) -> None:
    assert engine.count_tokens(SENTENCES) == torch_engine.count_tokens(SENTENCES)
    for target in ("Lavrov", "UN Security Council", "US", "Belgrade", "United States"):
        assert engine.term_forms(target) == torch_engine.term_forms(target)


def test_translates_in_order_within_bounds_with_scores(engine: CT2Engine) -> None:
    seen: list[list[int]] = []
    out = engine.translate(SENTENCES, beams=2, on_batch=lambda b, h: seen.append(list(b)))
    assert len(seen) > 1 and sorted(i for b in seen for i in b) == [0, 1, 2, 3]
    (alone,) = engine.translate([SENTENCES[2]], beams=2)
    assert alone[0].text == out[2][0].text
    for (best,), n in zip(out, engine.count_tokens(SENTENCES), strict=True):
        assert 0 < best.tokens <= output_bound(n)
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


def test_force_length_decodes_to_the_bound(ct2_dir: Path) -> None:
    forced = CT2Engine(str(ct2_dir), "cpu", force_length=True)
    texts = [*SENTENCES, "Ya.", "Ya, ini dia."]
    out = forced.translate(texts, beams=2)
    counts = forced.count_tokens(texts)
    for (best,), n in zip(out, counts, strict=True):
        bound = output_bound(n)
        # A sentence decodes to its group's smallest bound: never over its own.
        assert bound - max(BOUND_SLACK_MIN, math.floor(BOUND_SLACK * bound)) <= best.tokens
        assert best.tokens <= bound
    # Alone, a sentence decodes exactly to its own bound.
    for text, n in zip(texts[:2], counts[:2], strict=True):
        assert forced.translate([text], beams=2)[0][0].tokens == output_bound(n)
    assert forced.target_tokens == sum(h[0].tokens for h in out) + sum(
        output_bound(n) for n in counts[:2]
    )
    assert forced.source_tokens == sum(counts) + sum(counts[:2])


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
    assert max(engine.count_tokens(translator._split(long))) <= 20
    assert len(translator._split(long)) > 1


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
    words = {w for h in engine.translate([text], beams=8, n_best=8)[0] for w in h.text.split()}
    # A word that one of the 8 hypotheses the engine will search has exactly once, in tokens
    # and in text: a term the n-best already meets.
    term = None
    (ranked,) = engine._search([source], output_bound(n), 8, 8)
    for word in sorted(words):
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
