"""The decoder's own beam search: plain (equal to transformers' generate) and constrained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines.cases import CASES, GLOSSARY, SENTENCES
from translate import Glossary, Translator
from translate.engines.base import output_bound
from translate.engines.torch.engine import MarianEngine
from translate.terms.count import count_target

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path) -> MarianEngine:
    return MarianEngine(str(tiny_model_dir), "cpu")


@pytest.mark.parametrize("beams", [1, 4])
def test_plain_search_equals_transformers_generate(engine: MarianEngine, beams: int) -> None:
    ours = [h[0].text for h in engine.translate(SENTENCES, beams=beams)]
    for sentence, mine in zip(SENTENCES, ours, strict=True):
        enc = engine.tokenizer([sentence], return_tensors="pt")
        bound = output_bound(enc["input_ids"].shape[1])
        generated = engine.model.generate(
            **enc,
            num_beams=beams,
            max_new_tokens=bound + 1,  # generate counts end-of-sentence; our bound does not
            early_stopping=True,
            do_sample=False,
            renormalize_logits=False,
            length_penalty=1.0,
        )
        assert engine.tokenizer.decode(generated[0], skip_special_tokens=True).strip() == mine


def test_scores_are_mean_log_probabilities(engine: MarianEngine) -> None:
    import torch

    (hyps,) = engine.translate([SENTENCES[0]], beams=4, n_best=2)
    best = hyps[0]
    enc = engine.tokenizer([SENTENCES[0]], return_tensors="pt")
    labels = engine.tokenizer(text_target=best.text, return_tensors="pt")["input_ids"]
    # Teacher-forced log-probability of the same output, as an independent check.
    start = torch.full((1, 1), engine.model.config.decoder_start_token_id)
    with torch.inference_mode():
        logits = engine.model(**enc, decoder_input_ids=torch.cat([start, labels[:, :-1]], 1)).logits
    logp = torch.log_softmax(logits.float(), -1)
    logp[..., engine.model.config.pad_token_id] = -float("inf")  # the search never picks padding
    mean = logp.gather(-1, labels.unsqueeze(-1)).mean().item()
    if labels.shape[1] == best.tokens + 1:  # re-tokenising gave the same pieces
        assert best.score == pytest.approx(mean, abs=1e-3)
    assert hyps[0].score >= hyps[1].score


def _translate(tiny_model_dir: Path, text: str, glossary: Glossary | None, beams: int = 4):  # type: ignore[no-untyped-def]
    translator = Translator(model=str(tiny_model_dir), device="cpu", beams=beams, glossary=glossary)
    return translator.translate_document(text)


@pytest.mark.parametrize(("name", "text", "wanted"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("beams", [1, 4])
def test_every_term_exactly_as_often_as_the_source_has_it(
    tiny_model_dir: Path, name: str, text: str, wanted: dict[str, int], beams: int
) -> None:
    doc = _translate(tiny_model_dir, text, GLOSSARY, beams)
    (p,) = doc.paragraphs
    english = p.sentences[0].mt
    for target, count in wanted.items():
        assert count_target(english, target) == count, (target, english)
    assert p.terms and all(t.applied for t in p.terms)
    assert doc.term_counts[2] == 0


def test_negatives_trigger_nothing(tiny_model_dir: Path) -> None:
    # Lowercase "as", an acronym inside a word, an all-caps headline: no terms, no constraint.
    text = "Harga as roda naik di ASEAN hari ini."
    with_glossary = _translate(tiny_model_dir, text, GLOSSARY)
    without = _translate(tiny_model_dir, text, None)
    assert with_glossary.paragraphs[0].terms == ()
    assert with_glossary.paragraphs[0].mt == without.paragraphs[0].mt


def test_sentences_without_terms_are_decoded_as_before(tiny_model_dir: Path) -> None:
    text = "Lavrov tiba di Beograd. Harga gula pasir naik. Presiden bicara di Istana Merdeka."
    constrained = _translate(tiny_model_dir, text, GLOSSARY).paragraphs[0].sentences
    plain = _translate(tiny_model_dir, text, None).paragraphs[0].sentences
    assert constrained[0].mt != plain[0].mt  # the first has terms
    assert [s.mt for s in constrained[1:]] == [s.mt for s in plain[1:]]


def test_forms_cover_glued_segmentations(engine: MarianEngine) -> None:
    forms = engine.term_forms("Lavrov")
    assert len(forms) >= 2  # after a space, and glued after an opening bracket or quote
    for form in forms:
        assert engine.tokenizer.decode(list(form), skip_special_tokens=True).strip() == "Lavrov"


def test_alternatives_keep_the_terms(tiny_model_dir: Path) -> None:
    translator = Translator(model=str(tiny_model_dir), device="cpu", glossary=GLOSSARY)
    alternatives = translator.alternatives("Lavrov tiba di Beograd kemarin.", n=3)
    assert len(alternatives) == 3
    for english, score in alternatives:
        assert count_target(english, "Belgrade") == 1 and count_target(english, "Lavrov") == 1
        assert score is not None
    assert translator.alternatives("(Ant)") == []


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_log_probabilities_in_place_are_log_softmax_bit_for_bit(dtype: str) -> None:
    import torch

    from translate.engines.torch.search import _log_probs

    torch.manual_seed(0)
    work = None
    for rows in (12, 7, 12, 20):  # fewer rows reuse the buffer, more make a new one
        logits = (torch.randn(rows, 3000) * 6).to(getattr(torch, dtype))
        want = torch.log_softmax(logits, dim=-1, dtype=torch.float32)
        before = work
        got, work = _log_probs(torch, logits.clone(), work)
        assert got.dtype == torch.float32 and torch.equal(got, want)
        if dtype == "bfloat16":
            assert work is not None and got.data_ptr() == work.data_ptr()
            assert work is before or before is None or before.shape[0] < rows
        else:
            assert work is None  # float32 logits are overwritten instead
