"""What the workspace shows of a row, without Streamlit."""

from __future__ import annotations

from translate.document import Paragraph, QAIssue
from translate.ui.workspace import warnings


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
