"""The QA check registry: one module adds a check; the README's table is the registry's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from translate.document import Meta, Paragraph, Sentence, TranslatedDocument
from translate.review.qa import (
    CHECKS,
    WARNING,
    Check,
    Finding,
    Pair,
    base,
    check_document,
    check_pair,
    checks,
    pair_check,
    register,
    summary,
    table,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def _document(source: str, english: str) -> TranslatedDocument:
    meta = Meta("m", "0", "none", 1, None, "")
    sentence = Sentence("p0.s0", source, 0, len(source), english, english, "mt")
    return TranslatedDocument(
        meta, (Paragraph("p0", "paragraph", source, english, english, sentences=(sentence,)),)
    )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Check]:
    """A copy of the registry for one test, so that toy checks do not outlive it."""
    copy = dict(base.REGISTRY)
    monkeypatch.setattr(base, "REGISTRY", copy)
    return copy


def test_a_registered_check_runs_everywhere(registry: dict[str, Check]) -> None:
    @pair_check(
        "shouting", WARNING, "English in capitals where the source is not", order=105,
        stage="translated",
    )  # fmt: skip
    def shouting(pair: Pair) -> list[Finding]:
        if pair.target.isupper() and not pair.source.isupper():
            return [(WARNING, "the English shouts")]
        return []

    assert "shouting" in registry and [c.name for c in checks()][-2:] == ["shouting", "consistency"]
    source, english = "Warga diminta mengungsi ke tempat aman.", "RESIDENTS WERE ASKED TO LEAVE."
    assert [(q.check, q.message) for q in check_pair(source, english)] == [
        ("shouting", "the English shouts")
    ]
    checked = check_document(_document(source, english))
    assert [(q.check, q.sentence, q.message) for q in checked.paragraph("p0").qa] == [
        ("shouting", "p0.s0", "p0.s0: the English shouts")
    ]
    assert summary(checked)["shouting.warnings"] == 1
    assert "| `shouting` | warning | English in capitals where the source is not |" in table()
    # A stage is honoured: an untranslated English is not checked by "translated" checks.
    assert [q.check for q in check_pair(source.upper(), source.upper())] == ["untranslated"]


def test_a_name_is_registered_once(registry: dict[str, Check]) -> None:
    class Other(Check):
        name = "numbers"
        severity = WARNING
        description = "another numbers check"
        order = 1

    with pytest.raises(ValueError, match="numbers"):
        register(Other)


def test_checks_are_the_registry_in_order() -> None:
    assert tuple(c.name for c in checks()) == CHECKS
    assert CHECKS[0] == "numbers" and CHECKS[-1] == "consistency"
    assert len(set(CHECKS)) == len(CHECKS)
    for c in checks():
        assert c.severity in ("error", "warning") and c.description and "|" not in c.description


def test_readme_table_is_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- qa-checks:[^\n]*-->\n(.*?)\n<!-- /qa-checks -->", text, re.S)
    assert found, "README.md has no QA table between <!-- qa-checks: … --> and <!-- /qa-checks -->"
    assert found.group(1) == table(), (
        "README.md's QA table differs from the registry: replace it with the output of "
        'python -c "from translate.review.qa import table; print(table())"'
    )


def test_terms_counted_by_the_pipeline_rule() -> None:
    # "UN" inside "UN Security Council" is wanted once more per council (terms.count.nested):
    # two UNs in the English are what the two terms want, as the pipeline's `applied` says.
    terms = [("PBB", "UN"), ("Dewan Keamanan PBB", "UN Security Council")]
    source = "Dewan Keamanan PBB bertemu, kata PBB."
    assert check_pair(source, "The UN Security Council met, the UN said.", terms=terms) == []
    missed = check_pair(source, "The UN Security Council met, it said.", terms=terms)
    assert [(q.check, q.severity) for q in missed] == [("terms", "error")]
