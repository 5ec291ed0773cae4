"""Postprocessing: a plan and the engine's hypotheses → paragraphs, terms, markup, QA.

Each sentence's English is its pieces joined (or the memory's, a copy, a rule's target), with
the source's typography restored and its links and emphasis placed around their English;
glossary terms are reported applied or missed by the one counting rule; the document gets its
QA findings last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from translate.document import (
    Block,
    Inline,
    Meta,
    Origin,
    Paragraph,
    QAIssue,
    Sentence,
    Term,
    TranslatedDocument,
    join_targets,
)
from translate.engines.base import Hypothesis
from translate.formats.readers import rule_target
from translate.pipeline.planner import Key, Plan, marks_by_span
from translate.review.edits import Placer
from translate.review.memory import MemoryHit
from translate.review.qa import check_document
from translate.terms.count import applied
from translate.terms.glossary import Glossary
from translate.text.normalize import restore_typography


def assemble(plan: Plan, hyps: Sequence[Hypothesis], meta: Meta) -> TranslatedDocument:
    """The checked translated document: ``hyps[k]`` is the best hypothesis of unit ``k``."""
    return check_document(TranslatedDocument(meta, tuple(paragraphs(plan, hyps))))


def paragraphs(plan: Plan, hyps: Sequence[Hypothesis]) -> list[Paragraph]:
    """The plan's blocks as translated paragraphs (not yet QA-checked)."""
    pieces: dict[Key, list[Hypothesis]] = {}
    for u, h in zip(plan.units, hyps, strict=True):
        pieces.setdefault((u.block, u.span), []).append(h)
    return [
        paragraph(bi, block, pieces, plan.glossary, plan.inner, plan.remembered)
        for bi, block in enumerate(plan.document.blocks)
    ]


def paragraph(
    bi: int,
    block: Block,
    pieces: Mapping[Key, Sequence[Hypothesis]],
    glossary: Glossary | None,
    inner: Mapping[Key, str],
    remembered: Mapping[Key, MemoryHit],
) -> Paragraph:
    """Block ``bi`` translated: its sentences from their pieces (or memory, copy, rule)."""
    sentences = []
    terms: list[Term] = []
    qa: list[QAIssue] = []
    target_inline: list[Inline] = []
    offset = 0  # where the next sentence starts in the paragraph's English
    in_span = marks_by_span(block)
    for si, span in enumerate(block.spans):
        source = block.source[span.start : span.end]
        sid = f"{block.id}.s{si}"
        score: float | None = None
        origin: Origin
        if span.mode == "copy":
            english, origin = source, "copy"
        elif span.mode == "rule":
            english, origin = rule_target(source), "rule"
        elif (bi, si) in remembered:
            english, origin = remembered[(bi, si)].target, "memory"
            if glossary is not None:
                terms.extend(sentence_terms(glossary, source, english, sid, span.start))
        else:
            hyps = pieces.get((bi, si), [])
            english = restore_typography(source, " ".join(h.text for h in hyps if h.text))
            marks = [ii for ii in in_span.get(si, ()) if (bi, ii) in inner]
            english, placed, lost = place_markup(block, bi, marks, english, inner)
            target_inline.extend(
                Inline(offset + m.start, offset + m.end, m.kind, m.href) for m in placed
            )
            qa.extend(QAIssue("markup", "warning", sid, message) for message in lost)
            scores = [h.score for h in hyps if h.score is not None]
            score = sum(scores) / len(scores) if scores else None
            origin = "mt"
            if glossary is not None:
                terms.extend(sentence_terms(glossary, source, english, sid, span.start))
        if english:
            offset += len(english) + 1  # sentences are joined by one space
        sentences.append(
            Sentence(
                id=sid,
                source=source,
                start=span.start,
                end=span.end,
                target=english,
                mt=english,
                origin=origin,
                score=score,
            )
        )
    english = join_targets(s.target for s in sentences)
    return Paragraph(
        id=block.id,
        kind=block.kind,
        source=block.source,
        target=english,
        mt=english,
        sentences=tuple(sentences),
        terms=tuple(terms),
        qa=tuple(qa),
        level=block.level,
        marker=block.marker,
        inline=block.inline,
        target_inline=tuple(target_inline),
    )


def place_markup(
    block: Block, bi: int, marks: Sequence[int], english: str, inner: Mapping[Key, str]
) -> tuple[str, list[Inline], list[str]]:
    """Find the English of each link/emphasis ``marks`` of a sentence in its translation;
    markup that cannot be placed is appended to the sentence, with a warning (never dropped)."""
    placed: list[Inline] = []
    lost: list[str] = []
    placer = Placer(english)
    for ii in marks:
        mark, words = block.inline[ii], inner[(bi, ii)]
        at = placer.find(words)
        if at < 0:
            at = placer.append(words)
            lost.append(f"{mark.kind} “{words}” could not be placed: appended at the end")
        placer.take(at, at + len(words))
        placed.append(Inline(at, at + len(words), mark.kind, mark.href))
    return placer.text, placed, lost


def sentence_terms(
    glossary: Glossary, source: str, english: str, sentence: str, offset: int
) -> list[Term]:
    """Glossary terms of one sentence: applied when the English has each target exactly as
    many times as the source has terms that want it (a missing or an extra copy is a miss)."""
    matches = glossary.find(source)
    met = applied(english, (m.entry.target for m in matches))
    return [
        Term(
            source=m.form,
            target=m.entry.target,
            sentence=sentence,
            start=offset + m.start,
            end=offset + m.end,
            applied=met[m.entry.target],
        )
        for m in matches
    ]
