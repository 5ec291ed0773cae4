"""The exit policy: when a finished command exits 1."""

from __future__ import annotations

from tests.conftest import FakeEngine
from translate import Glossary, Translator
from translate.pipeline.outcome import Outcome, document_outcome, qa_counts


def test_nothing_to_look_at_is_exit_0() -> None:
    assert Outcome().ok and Outcome().exit_code == 0


def test_each_kind_of_problem_is_exit_1() -> None:
    for problem in (
        Outcome(failed=1),
        Outcome(qa_errors=2),
        Outcome(missed_terms=1),
        Outcome(glossary_errors=1),
    ):
        assert not problem.ok and problem.exit_code == 1


def test_outcomes_add_up() -> None:
    total = Outcome(failed=1) + Outcome(qa_errors=2) + Outcome()
    assert total == Outcome(failed=1, qa_errors=2)


def test_a_document_missing_a_term_needs_a_look(fake_engine: FakeEngine) -> None:
    # The fake engine echoes the source: "Belgrade" never appears, so the term is missed.
    glossary = Glossary.from_entries([("Beograd", "Belgrade")])
    doc = Translator(engine=fake_engine, glossary=glossary).translate_document("Ia ke Beograd.")
    outcome = document_outcome(doc)
    assert outcome.missed_terms == 1 and outcome.exit_code == 1
    assert outcome.qa_errors == qa_counts(doc)[0]
