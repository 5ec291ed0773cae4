"""Quality checks on Indonesian→English translations: what an editor should look at, and why.

``check_pair`` checks one source/English pair; ``check_document`` fills every paragraph's ``qa``
(sentence by sentence where sentences align, per paragraph where an edit merged them) and adds
the document-level checks; ``summary`` counts the findings. An *error* is very likely a wrong
translation, a *warning* is worth a look.

The checks are the registry of ``base`` (``@register``, ``@pair_check``), filled by one
module per family: ``numbers``, ``terms``, ``length``, ``surface`` (empty, untranslated,
repetition, Indonesian words left, brackets, spacing), ``entities`` and ``consistency``.
``table()`` is the README's table of them.

This runs in the pipeline, the CLI and the UI on every document, so every check is linear (or
n log n) in the length of the text it looks at, however long: a transcript pasted as one
paragraph without punctuation is one 190 KB "sentence". Standard library, and rapidfuzz
(imported where used) for the one character-level similarity.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from dataclasses import replace

from translate.document import Paragraph, QAIssue, Term, TranslatedDocument
from translate.review.qa.base import (
    ERROR,
    WARNING,
    Check,
    Finding,
    Pair,
    TermLike,
    Unit,
    checks,
    names,
    pair_check,
    register,
)
from translate.review.qa.length import TYPICAL_RATIO, length_range

__all__ = [
    "CHECKS",
    "ERROR",
    "TYPICAL_RATIO",
    "WARNING",
    "Check",
    "Finding",
    "Pair",
    "TermLike",
    "Unit",
    "check_document",
    "check_pair",
    "check_paragraph",
    "checks",
    "length_range",
    "pair_check",
    "register",
    "summary",
    "table",
]


def _load_families() -> None:
    """Import every module of this package: each family registers its checks when imported,
    so a new family is one new module."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_load_families()

# The names of the checks registered here, in order (``checks()`` also sees later ones).
CHECKS = names()

# Sentence origins whose English is a translation (copies and house rules are carried over).
_CHECKED_ORIGINS = ("mt", "memory")


def check_pair(
    source: str,
    target: str,
    *,
    terms: Iterable[TermLike] = (),
    sentence: str | None = None,
    length_range: tuple[float, float] | None = None,
) -> list[QAIssue]:
    """The QA findings for one source/English pair (a sentence or a paragraph).

    ``terms``: glossary terms of the source, as ``Term`` or (source, English) pairs; each
    English must appear in ``target``. ``sentence`` names the pair in each message and issue.
    ``length_range``: accepted English/Indonesian character ratio (default: typical news).
    """
    pair = Pair(source, target, tuple(terms), length_range)
    return _issues(_run(pair, checks()), sentence, sentence)


def _run(pair: Pair, selected: Sequence[Check]) -> list[tuple[str, Finding]]:
    """The findings of the selected checks on a pair, by stage (see ``base.Stage``)."""
    if not pair.source.strip():
        return []
    if not pair.target.strip():
        return [(c.name, f) for c in selected if c.stage == "empty" for f in c.pair(pair)]
    found = [(c.name, f) for c in selected if c.stage == "gate" for f in c.pair(pair)]
    untranslated = bool(found)
    for c in selected:
        if c.stage == "any" or (c.stage == "translated" and not untranslated):
            found.extend((c.name, f) for f in c.pair(pair))
    return found


def _issues(
    found: Iterable[tuple[str, Finding]], sentence: str | None, where: str | None
) -> list[QAIssue]:
    prefix = f"{where}: " if where else ""
    return [QAIssue(name, sev, sentence, prefix + msg) for name, (sev, msg) in found]


def _units(p: Paragraph) -> list[Unit]:
    if p.segmentation == "paragraph" or not p.sentences:
        if not p.translated and p.sentences:
            return [Unit(p.id, None, p.source, p.target, translated=False)]
        return [_with_terms(Unit(p.id, None, p.source, p.target), p.terms, p.mt)]
    return [
        _with_terms(
            Unit(p.id, s.id, s.source, s.target, translated=s.origin in _CHECKED_ORIGINS),
            [t for t in p.terms if t.sentence == s.id],
            s.mt,
        )
        for s in p.sentences
    ]


def _with_terms(unit: Unit, terms: Iterable[Term], mt: str) -> Unit:
    """Terms as the check should see them: as recorded while the English is the machine's
    (``applied`` also covers extra copies, which a count alone would not show); re-counted in
    the English once an editor has changed it, since the record is then stale."""
    terms = tuple(terms)
    if unit.target != mt:
        return replace(unit, terms=terms)
    return replace(unit, missed=tuple(t for t in terms if not t.applied))


def _check_unit(unit: Unit, band: tuple[float, float], selected: Sequence[Check]) -> list[QAIssue]:
    pair = Pair(unit.source, unit.target, unit.terms, band)
    if not unit.translated:
        copies = [c for c in selected if c.copies]
        return _issues(_run(pair, copies), unit.sentence, unit.where)
    found = _run(pair, selected)
    if unit.target.strip():  # else the empty check already says it all
        found.extend((c.name, f) for c in selected for f in c.recorded(unit))
    return _issues(found, unit.sentence, unit.where)


def check_document(document: TranslatedDocument) -> TranslatedDocument:
    """The document with every paragraph's ``qa`` recomputed by the registered checks.

    Findings of other producers (e.g. the pipeline's ``markup`` warnings) are kept; earlier
    findings of these checks are replaced. The length band is learnt from the document's own
    machine-translated sentences.
    """
    found = _check(document, None)
    return replace(document, paragraphs=tuple(found[p.id] for p in document.paragraphs))


def check_paragraph(
    document: TranslatedDocument, paragraph_id: str, *, document_wide: bool = True
) -> Paragraph:
    """One paragraph with its ``qa`` as ``check_document`` would give it, at the cost of its
    own checks (the length band and document-wide checks still see the whole document): what
    the workspace recomputes for the one row an edit changed.

    ``document_wide=False`` leaves out the checks that compare sentences across the document
    (``stage="document"``, e.g. consistency) — the costly part in a long document — and
    keeps the paragraph's earlier findings of those checks as they were."""
    if document_wide:
        return _check(document, paragraph_id)[paragraph_id]
    wide = {c.name for c in checks() if c.stage == "document"}
    fresh = _check(document, paragraph_id, document_wide=False)[paragraph_id]
    # In the order a full check gives: the others' findings and these checks', then the
    # document-wide ones (kept from before).
    return replace(
        fresh,
        qa=tuple(q for q in fresh.qa if q.check not in wide)
        + tuple(q for q in fresh.qa if q.check in wide),
    )


def _check(
    document: TranslatedDocument, only: str | None, *, document_wide: bool = True
) -> dict[str, Paragraph]:
    selected = checks()
    units = {p.id: _units(p) for p in document.paragraphs}
    band = length_range((u.source, u.target) for us in units.values() for u in us if u.translated)
    per_paragraph: dict[str, list[QAIssue]] = {
        pid: [issue for u in us for issue in _check_unit(u, band, selected)]
        for pid, us in units.items()
        if only is None or pid == only
    }
    translated = [u for us in units.values() for u in us if u.translated]
    for c in selected if document_wide else ():
        for pid, issue in c.document(translated):
            if pid in per_paragraph:
                per_paragraph[pid].append(issue)
    ours = {c.name for c in selected if document_wide or c.stage != "document"}
    return {
        p.id: replace(
            p, qa=tuple(q for q in p.qa if q.check not in ours) + tuple(per_paragraph[p.id])
        )
        for p in document.paragraphs
        if p.id in per_paragraph
    }


def summary(document: TranslatedDocument) -> dict[str, int]:
    """Counts of findings: ``errors`` and ``warnings`` in all, and ``<check>.errors`` /
    ``<check>.warnings`` for every check (zero included) and any other check present."""
    out: dict[str, int] = {"errors": 0, "warnings": 0}
    for check in names():
        out[f"{check}.errors"] = 0
        out[f"{check}.warnings"] = 0
    for p in document.paragraphs:
        for q in p.qa:
            kind = "errors" if q.severity == ERROR else "warnings"
            out[kind] += 1
            out[f"{q.check}.{kind}"] = out.get(f"{q.check}.{kind}", 0) + 1
    return out


def table() -> str:
    """The registered checks as the README's Markdown table (check, severity, what it finds)."""
    rows = ["| check | severity | finds |", "| --- | --- | --- |"]
    rows += [f"| `{c.name}` | {c.severity} | {c.description} |" for c in checks()]
    return "\n".join(rows)
