from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FakeEngine
from translate import Translator, read_file, read_text
from translate.document import TranslatedDocument
from translate.engines.base import output_bound

ARTICLES = Path(__file__).parents[1] / "data" / "articles"


def test_alignment_and_order(fake_translator: Translator, fake_engine: FakeEngine) -> None:
    doc = fake_translator.translate_document(read_file(ARTICLES / "aktual-style.txt"))
    src = read_file(ARTICLES / "aktual-style.txt")
    assert [p.id for p in doc.paragraphs] == [b.id for b in src.blocks]
    for p, b in zip(doc.paragraphs, src.blocks, strict=True):
        assert p.source == b.source
        assert [s.id for s in p.sentences] == [f"{b.id}.s{i}" for i in range(len(b.spans))]
        for s, span in zip(p.sentences, b.spans, strict=True):
            assert s.source == b.source[span.start : span.end]
            if span.mode == "translate":
                assert s.origin == "mt"
                # The fake engine echoes the model input: each sentence got its own English.
                assert s.target.startswith(("EN(", "“EN(", "EN“")) or "EN(" in s.target
    # Copied parts come out unchanged.
    assert doc.paragraphs[-3].target == "(Ant)"
    assert doc.paragraphs[-1].target == "Nebby"
    assert doc.paragraphs[-2].target == "This article was written by:"
    assert doc.paragraphs[2].target.startswith("Jakarta, Aktual.com – EN(")
    # Copies never went to the engine.
    sent = [t for call in fake_engine.calls for t in call]
    assert "(Ant)" not in sent and "Nebby" not in sent


def test_model_sees_ascii_quotes(fake_translator: Translator, fake_engine: FakeEngine) -> None:
    doc = fake_translator.translate_document("“Ya,” kata Lavrov – lagi.")
    sent = [t for call in fake_engine.calls for t in call]
    assert sent == ['"Ya," kata Lavrov - lagi.']
    # The source's typography is restored on the English.
    assert doc.paragraphs[0].target == "EN(“Ya,” kata Lavrov – lagi.)"


def test_sentences_are_batched_by_length(
    fake_translator: Translator, fake_engine: FakeEngine
) -> None:
    text = "Satu dua tiga empat lima enam. Satu. Satu dua tiga. Satu dua."
    fake_translator.translate_document(text)
    lengths = [len(t.split()) for call in fake_engine.calls for t in call]
    assert lengths == sorted(lengths)


def test_progress_counts_sentences(fake_translator: Translator) -> None:
    calls: list[tuple[int, int]] = []
    doc = fake_translator.translate_document(
        read_file(ARTICLES / "antara-style.txt"), progress=lambda d, t: calls.append((d, t))
    )
    total = sum(len(p.sentences) for p in doc.paragraphs)
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def _long_sentence(words: int) -> str:
    clauses = []
    for i in range(0, words, 12):
        clauses.append(" ".join(f"kata{j}" for j in range(i, min(i + 12, words))))
    return (", ".join(clauses) + ".").capitalize()


def _pieces(english: str) -> list[str]:
    """The model inputs behind the fake engine's English, in output order."""
    return re.findall(r"EN\((.*?)\)(?= EN\(|$)", english)


def test_long_sentence_is_split_and_nothing_is_lost(fake_engine: FakeEngine) -> None:
    translator = Translator(engine=fake_engine, max_source_tokens=200)
    sentence = _long_sentence(400)
    doc = translator.translate_document(sentence)
    (p,) = doc.paragraphs
    (s,) = p.sentences
    units = [t for call in fake_engine.calls for t in call]
    assert len(units) >= 3
    assert all(fake_engine.count_tokens([u])[0] <= 200 for u in units)
    # Every source word reached the engine exactly once, and the English keeps their order.
    assert sorted(" ".join(units).split()) == sorted(sentence.split())
    assert " ".join(_pieces(s.target)).split() == sentence.split()


def test_long_paragraph_1500_tokens(fake_engine: FakeEngine) -> None:
    translator = Translator(engine=fake_engine, max_source_tokens=200)
    paragraph = " ".join(_long_sentence(300) for _ in range(5))  # 1,500 words
    doc = translator.translate_document(paragraph)
    units = [t for call in fake_engine.calls for t in call]
    assert all(fake_engine.count_tokens([u])[0] <= 200 for u in units)
    assert sorted(" ".join(units).split()) == sorted(paragraph.split())
    assert " ".join(_pieces(doc.paragraphs[0].target)).split() == paragraph.split()
    assert len(doc.paragraphs[0].sentences) == 5


def test_run_on_text_without_punctuation(fake_engine: FakeEngine) -> None:
    translator = Translator(engine=fake_engine, max_source_tokens=50)
    text = " ".join(f"kata{i}" for i in range(500))
    doc = translator.translate_document(text)
    units = [t for call in fake_engine.calls for t in call]
    assert all(fake_engine.count_tokens([u])[0] <= 50 for u in units)
    assert " ".join(_pieces(doc.paragraphs[0].target)).split() == text.split()


def test_translate_paragraph_touches_one(fake_translator: Translator) -> None:
    doc = fake_translator.translate_document("Satu.\n\nDua.")
    from dataclasses import replace

    edited = doc.replace_paragraph(replace(doc.paragraph("p0"), target="One!", status="edited"))
    again = fake_translator.translate_paragraph(edited, "p1")
    assert again.paragraph("p0").target == "One!"
    assert again.paragraph("p1").mt == "EN(Dua.)"
    kept = fake_translator.translate_paragraph(edited, "p0")
    assert kept.paragraph("p0").target == "One!"  # an edit is never overwritten
    assert kept.paragraph("p0").status == "edited"


def test_translate_paragraph_asks_the_model_not_the_memory(
    fake_engine: FakeEngine, tmp_path: Path
) -> None:
    """A re-translation is the model's English: the memory, which holds what an editor
    approved (here this paragraph's own English), is not consulted for it."""
    from translate.review.memory import Memory

    memory = Memory(tmp_path / "memory.sqlite")
    memory.add("Dua.", "Two, as approved.")
    translator = Translator(engine=fake_engine, memory=memory)
    doc = translator.translate_document("Satu.\n\nDua.")
    assert [s.origin for s in doc.paragraph("p1").sentences] == ["memory"]
    again = translator.translate_paragraph(doc, "p1")
    assert [s.origin for s in again.paragraph("p1").sentences] == ["mt"]
    assert again.paragraph("p1").mt == "EN(Dua.)"
    assert fake_engine.calls[-1] == ["Dua."]


def test_alternatives(fake_translator: Translator) -> None:
    alts = fake_translator.alternatives("Selamat pagi.", n=3)
    assert [a for a, _ in alts] == [
        "EN(Selamat pagi.)",
        "EN(Selamat pagi.)#1",
        "EN(Selamat pagi.)#2",
    ]


def test_translate_text_and_empty(fake_translator: Translator) -> None:
    assert fake_translator.translate_text("Satu.\nDua.") == "EN(Satu.)\n\nEN(Dua.)"
    assert fake_translator.translate_text("") == ""
    assert fake_translator.translate_document("  \n").paragraphs == ()


# --- the tiny real model, through the user's code path ---------------------------------------


@pytest.mark.slow
def test_real_model_end_to_end(tiny_translator: Translator, tiny_model_dir: Path) -> None:
    doc = tiny_translator.translate_document(read_file(ARTICLES / "aktual-style.txt"))
    assert doc.meta.model == tiny_model_dir.name  # never the server's path
    assert doc.meta.backend == "torch" and doc.meta.beams == 2
    assert len(doc.paragraphs) == len(read_file(ARTICLES / "aktual-style.txt").blocks)
    for p in doc.paragraphs:
        for s in p.sentences:
            if s.origin == "mt":
                assert s.score is not None
    assert TranslatedDocument.from_dict(doc.to_dict()) == doc


@pytest.mark.slow
def test_real_model_long_sentence(tiny_translator: Translator) -> None:
    engine = tiny_translator.engine
    words = [
        "pemerintah",
        "daerah",
        "menyatakan",
        "bahwa",
        "harga",
        "beras",
        "naik",
        "tajam",
        "di",
        "pasar",
        "tradisional",
    ]
    sentence = ", ".join(" ".join(words) for _ in range(40)) + "."
    assert engine.count_tokens([sentence])[0] > 400
    doc = tiny_translator.translate_document(read_text(sentence))
    (s,) = doc.paragraphs[0].sentences
    assert s.source == sentence
    assert s.origin == "mt" and s.target
    pieces = tiny_translator.planner().split(sentence)
    assert len(pieces) >= 3
    assert all(engine.count_tokens([p])[0] <= 200 for p in pieces)
    assert all(output_bound(engine.count_tokens([p])[0]) < 512 for p in pieces)
    assert (
        "".join(pieces).split() == sentence.split() or " ".join(pieces).split() == sentence.split()
    )


# --- glossary report --------------------------------------------------------------------------


def test_terms_are_reported_per_sentence(fake_engine: FakeEngine) -> None:
    from translate import Glossary

    glossary = Glossary.from_entries(
        [("Amerika Serikat", "United States"), ("Beograd", "Belgrade")]
    )
    translator = Translator(engine=fake_engine, glossary=glossary)
    doc = translator.translate_document(
        "Lavrov tiba di Beograd. Ia bicara soal Amerika Serikat dan Amerika Serikat lagi."
    )
    (p,) = doc.paragraphs
    assert [(t.source, t.target, t.sentence) for t in p.terms] == [
        ("Beograd", "Belgrade", "p0.s0"),
        ("Amerika Serikat", "United States", "p0.s1"),
        ("Amerika Serikat", "United States", "p0.s1"),
    ]
    for t in p.terms:
        assert p.source[t.start : t.end] == t.source
    # The fake engine copies the source: no target appears, every term is missed, honestly.
    assert not any(t.applied for t in p.terms)
    assert doc.term_counts == (3, 0, 3)
    assert doc.meta.glossary_sha256 == glossary.sha256


class CopyingEngine(FakeEngine):
    """English that contains a fixed text, to test when a term counts as applied."""

    def __init__(self, english: str) -> None:
        super().__init__()
        self.english = english

    def translate(self, texts, *, beams=4, n_best=1, on_batch=None, terms=None):  # type: ignore[no-untyped-def]
        results = super().translate(texts, beams=beams, n_best=n_best)
        fixed = [[type(h)(self.english, h.score) for h in hs] for hs in results]
        if on_batch is not None:
            on_batch(list(range(len(texts))), fixed)
        return fixed


@pytest.mark.parametrize(
    ("english", "applied"),
    [
        ("The United States and the United States again.", [True, True]),
        ("The United States and America again.", [False, False]),  # needed twice
        ("United States, United States, United States.", [False, False]),  # an extra copy
        ("The united states twice, united states.", [False, False]),  # case matters
    ],
)
def test_applied_needs_the_target_as_often_as_the_source(english: str, applied: list[bool]) -> None:
    from translate import Glossary

    glossary = Glossary.from_entries([("Amerika Serikat", "United States")])
    translator = Translator(engine=CopyingEngine(english), glossary=glossary)
    doc = translator.translate_document("Amerika Serikat dan Amerika Serikat lagi.")
    assert [t.applied for t in doc.paragraphs[0].terms] == applied


def test_default_glossary_and_switching_it_off(fake_engine: FakeEngine) -> None:
    from translate import DEFAULT, Glossary

    text = "Lavrov tiba di Beograd."
    with_default = Translator(engine=fake_engine).translate_document(text)
    assert [t.target for t in with_default.paragraphs[0].terms] == ["Belgrade"]
    assert with_default.meta.glossary_sha256 == Glossary.default().sha256
    without = Translator(engine=fake_engine, glossary=None).translate_document(text)
    assert without.paragraphs[0].terms == () and without.meta.glossary_sha256 is None
    per_call = Translator(engine=fake_engine, glossary=None).translate_document(
        text, glossary=DEFAULT
    )
    assert per_call.paragraphs[0].terms


def test_copied_parts_have_no_terms(fake_engine: FakeEngine) -> None:
    doc = Translator(engine=fake_engine).translate_document("Ia bicara.\n\nEditor: KPK Beograd")
    assert doc.paragraphs[1].terms == ()


def test_glossary_changes_the_batch_signature(fake_engine: FakeEngine) -> None:
    from translate import Glossary

    plain = Translator(engine=fake_engine, glossary=None).signature()
    with_terms = Translator(
        engine=fake_engine, glossary=Glossary.from_entries([("Beograd", "Belgrade")])
    ).signature()
    assert plain["glossary_sha256"] is None
    assert with_terms["glossary_sha256"] and with_terms != plain
