"""When a command that finished still exits 1: the one exit policy of the front ends.

Exit 0 means nothing needs a human. Exit 1 means the work finished but something failed or
needs a look: a file or unit that failed, a QA error, a missed glossary term, a glossary
error. (Usage and input errors exit 2 before anything finishes: ``TranslateError.exit_code``.)
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from translate.document import TranslatedDocument


@dataclass(frozen=True)
class Outcome:
    """What a finished run left for a human, counted; outcomes add up across files."""

    failed: int = 0  # files or units that could not be done
    qa_errors: int = 0
    missed_terms: int = 0
    glossary_errors: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def ok(self) -> bool:
        """Whether nothing failed and nothing needs a look."""
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def exit_code(self) -> int:
        """0 when ``ok``, else 1."""
        return 0 if self.ok else 1


def qa_counts(document: TranslatedDocument) -> tuple[int, int]:
    """Errors and warnings among a translated document's QA findings."""
    findings = [q for p in document.paragraphs for q in p.qa]
    errors = sum(q.severity == "error" for q in findings)
    return errors, len(findings) - errors


def document_outcome(document: TranslatedDocument) -> Outcome:
    """A translated (or checked) document's QA errors and missed glossary terms."""
    return Outcome(qa_errors=qa_counts(document)[0], missed_terms=document.term_counts[2])
