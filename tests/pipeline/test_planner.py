"""The three steps on their own: planner (units of work), assembler, and the Record."""

from __future__ import annotations

import json
import pickle
from dataclasses import FrozenInstanceError, fields

import pytest

from tests.conftest import FakeEngine
from translate import Glossary, Translator, read_text
from translate.document import Meta, Record, TranslatedDocument
from translate.engines.base import Hypothesis
from translate.formats.writers import provenance
from translate.pipeline.assemble import assemble
from translate.pipeline.planner import Planner, Unit


def _words(texts: list[str]) -> list[int]:
    return [len(t.split()) + 1 for t in texts]


def test_a_plan_is_frozen_and_travels() -> None:
    planner = Planner(_words, Glossary.from_entries([("Beograd", "Belgrade")]))
    document = read_text("Lavrov tiba di Beograd. Ia bicara.\n\nEditor: Nebby")
    plan = planner.plan(document, planner.marks(document).kept)
    assert [(u.block, u.span) for u in plan.units] == [(0, 0), (0, 1)]
    assert plan.units[0].terms == (("Belgrade", 1),)
    with pytest.raises(FrozenInstanceError):
        plan.units[0].text = "x"  # type: ignore[misc]
    # Plain values only, so a distributed runner can ship a plan to a worker and back.
    back = pickle.loads(pickle.dumps(plan))
    assert (back.document, back.units, back.inner) == (plan.document, plan.units, plan.inner)
    assert back.glossary is not None and back.glossary.sha256 == planner.glossary.sha256  # type: ignore[union-attr]


def test_long_sentences_are_cut_to_the_budget() -> None:
    planner = Planner(_words, max_source_tokens=10)
    sentence = "satu dua tiga empat lima, enam tujuh delapan sembilan sepuluh, " * 3
    pieces = planner.split(sentence.strip())
    assert len(pieces) > 1 and all(n <= 10 for n in _words(pieces))


def test_nested_targets_are_wanted_once_more_per_outer() -> None:
    # A target inside another is wanted once more per outer occurrence.
    glossary = Glossary.from_entries([("Dewan Keamanan PBB", "UN Security Council"), ("PBB", "UN")])
    document = read_text("Dewan Keamanan PBB dan PBB bersidang.")
    (unit,) = Planner(_words, glossary).plan(document, {}).units
    assert dict(unit.terms) == {"UN Security Council": 1, "UN": 2}


def test_assembler_joins_pieces_and_reports_terms() -> None:
    glossary = Glossary.from_entries([("Beograd", "Belgrade")])
    document = read_text("Lavrov tiba di Beograd.")
    plan = Planner(_words, glossary).plan(document, {})
    meta = Record("m", "torch", 1, glossary.sha256, "0").meta()
    done = assemble(plan, [Hypothesis("Lavrov arrived in Belgrade.", -0.5)], meta)
    (p,) = done.paragraphs
    assert p.target == "Lavrov arrived in Belgrade." and p.sentences[0].score == -0.5
    assert [(t.target, t.applied) for t in p.terms] == [("Belgrade", True)]
    assert isinstance(plan.units[0], Unit)


def test_one_record_behind_meta_provenance_and_manifest(fake_engine: FakeEngine) -> None:
    glossary = Glossary.from_entries([("Beograd", "Belgrade")])
    translator = Translator(engine=fake_engine, beams=3, glossary=glossary)
    record = translator.record()
    assert (record.model, record.backend, record.beams) == ("fake", "torch", 3)
    assert record.glossary_sha256 == glossary.sha256 and record.precision == "auto"
    # The manifest's settings: the same fields as before the record existed.
    assert (
        translator.signature()
        == record.settings()
        == {
            "model": "fake",
            "backend": "torch",
            "beams": 3,
            "glossary_sha256": glossary.sha256,
            "max_source_tokens": 200,
            "memory": None,
            "quantized": False,
        }
    )
    doc = translator.translate_document("Lavrov tiba di Beograd.")
    data = json.loads(json.dumps(doc.to_dict()))
    assert list(data["meta"]) == [f.name for f in fields(Meta)]  # the JSON contract's keys
    assert doc.meta.record == Record(
        "fake", "torch", 3, glossary.sha256, doc.meta.version, doc.meta.created
    )
    shown = provenance(doc)
    assert {k: shown[k] for k in ("model", "version", "backend", "beams", "glossary_sha256")} == {
        "model": "fake",
        "version": doc.meta.version,
        "backend": "torch",
        "beams": 3,
        "glossary_sha256": glossary.sha256,
    }
    assert shown["translated"] == doc.meta.created
    assert TranslatedDocument.from_dict(data) == doc
