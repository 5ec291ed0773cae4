"""What the workspace shows of a row, without Streamlit."""

from __future__ import annotations

from translate.document import Meta, Paragraph, QAIssue, TranslatedDocument
from translate.terms.glossary import Glossary
from translate.ui.workspace import suggestions, warnings


def _paragraph(*qa: QAIssue) -> Paragraph:
    return Paragraph(
        id="p1", kind="paragraph", source="Pada 1931.", target="In 1931.", mt="In 1931.", qa=qa
    )


def test_each_finding_once_per_row_errors_first() -> None:
    """The same "1931 not in the source" found in several sentences is one line that names
    them (it was repeated once per sentence), and errors come before warnings."""
    same = "the English has 1931, which is not in the source"
    row = _paragraph(
        QAIssue("length", "warning", "p1.s0", "p1.s0: the English is long"),
        QAIssue("numbers", "error", "p1.s0", f"p1.s0: {same}"),
        QAIssue("numbers", "error", "p1.s2", f"p1.s2: {same}"),
        QAIssue("numbers", "error", "p1.s2", f"p1.s2: {same}"),
        QAIssue("markup", "warning", None, "bold “x” could not be placed"),
    )
    assert warnings(row) == [
        f"error: {same} (p1.s0, p1.s2)",
        "warning: the English is long (p1.s0)",
        "warning: bold “x” could not be placed",
    ]


def test_suggestions_carry_the_proposed_english() -> None:
    """The suggestions of all the paragraphs, each with its English to prefill the glossary
    row the editor confirms."""
    meta = Meta(model="m", version="0", backend="torch", beams=1, glossary_sha256=None, created="")
    rows = ("Militer masuk ke Aleppo Tenggara.", "Lavrov ditemui timpalan Serbianya.")
    doc = TranslatedDocument(
        meta, tuple(Paragraph(f"p{n}", "paragraph", s, "", "") for n, s in enumerate(rows))
    )
    found = [(s.form, s.count, s.target) for s in suggestions(doc, Glossary.default())]
    assert found == [("Aleppo Tenggara", 1, "Southeast Aleppo"), ("Serbia", 1, "Serbia")]
