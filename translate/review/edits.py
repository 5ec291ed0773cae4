"""Post-editing: an editor's English for a paragraph or a sentence, mapped back to sentence pairs.

An edited paragraph's English is split into sentences again. When the count equals the
source's, the pairs map one to one; otherwise the paragraph becomes one unit for the
translation memory, TMX and XLIFF (``segmentation = "paragraph"``).
"""

from __future__ import annotations

from dataclasses import replace

from translate.document import (
    STATUSES,
    TRANSLATED_ORIGINS,
    Inline,
    Paragraph,
    Segmentation,
    Sentence,
    join_targets,
)
from translate.errors import UsageError
from translate.text.segment import split_sentences


def edit_paragraph(paragraph: Paragraph, english: str) -> Paragraph:
    """The paragraph with the editor's English; its sentences re-aligned where possible."""
    english = english.strip()
    if english == paragraph.target:
        return paragraph
    sentences = list(paragraph.sentences)
    # Carried-over parts (a dateline, a credit) that the edit kept verbatim stay their own pairs.
    head = 0
    rest = english
    while head < len(sentences) and sentences[head].origin in ("copy", "rule"):
        fixed = sentences[head].target
        if not rest.startswith(fixed):
            break
        rest = rest[len(fixed) :].lstrip()
        head += 1
    pieces = [rest[a:b] for a, b in split_sentences(rest)]
    if len(pieces) == len(sentences) - head:
        new = sentences[:head] + [
            replace(s, target=text) for s, text in zip(sentences[head:], pieces, strict=True)
        ]
        return _edited(paragraph, english, sentences=tuple(new), segmentation="sentence")
    return _edited(paragraph, english, segmentation="paragraph")


def _edited(
    paragraph: Paragraph,
    english: str,
    *,
    sentences: tuple[Sentence, ...] | None = None,
    segmentation: Segmentation | None = None,
) -> Paragraph:
    """The paragraph with new English (and, where given, new sentences and segmentation),
    status edited (an approval no longer holds), and its inline markup moved onto the new
    words."""
    return replace(
        paragraph,
        target=english,
        target_inline=_relocate(paragraph.target, english, paragraph.target_inline),
        status="edited",
        approved_by="",
        approved_at="",
        sentences=paragraph.sentences if sentences is None else sentences,
        segmentation=segmentation or paragraph.segmentation,
    )


def _relocate(old: str, new: str, marks: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline markup moved onto an edited English: each marked phrase is looked up in the new
    text; a phrase the editor changed loses its markup (the words stay)."""
    out: list[Inline] = []
    placer = Placer(new)
    for mark in marks:
        words = old[mark.start : mark.end]
        at = placer.find(words) if words else -1
        if at >= 0:
            placer.take(at, at + len(words))
            out.append(Inline(at, at + len(words), mark.kind, mark.href))
    return tuple(out)


class Placer:
    """Marked phrases placed in an English text, each at its first occurrence that overlaps
    no phrase placed before (the rule of the pipeline and of edits).

    Occurrences a phrase skipped stay blocked (placements only grow), so the search for a
    phrase resumes where the last one for the same words stopped, and an overlap is one look
    at a mask: a paragraph with a thousand links is not a thousand-squared scan.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))  # 1 where a placed phrase lies
        self.resume: dict[str, int] = {}  # phrase -> where its next search starts

    def find(self, words: str) -> int:
        """The first free occurrence of ``words`` (not empty), or -1."""
        at = self.text.find(words, self.resume.get(words, 0))
        while at >= 0 and self.taken.find(1, at, at + len(words)) >= 0:
            at = self.text.find(words, at + 1)
        # Not found: only an occurrence reaching past the text's end could appear later.
        self.resume[words] = at + 1 if at >= 0 else max(0, len(self.text) - len(words) + 1)
        return at

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def append(self, words: str) -> int:
        """Add ``words`` at the end of the text, after a space; where they start."""
        self.text = f"{self.text} {words}".strip()
        self.taken.extend(bytes(max(0, len(self.text) - len(self.taken))))
        return len(self.text) - len(words)


def edit_segment(paragraph: Paragraph, sentence_id: str) -> str:
    """The segment that new English for one of the paragraph's sentences edits: the sentence
    (``p3.s1``) while the sentences align, else the whole paragraph (``p3``)."""
    return sentence_id if paragraph.segmentation == "sentence" else paragraph.id


def sentence_editable(paragraph: Paragraph, sentence: Sentence) -> bool:
    """Whether the sentence view may edit this sentence: its paragraph's sentences align and
    its English is a translation (copies and house-style rules are edited with the paragraph)."""
    return paragraph.segmentation == "sentence" and sentence.origin in TRANSLATED_ORIGINS


def can_revert(paragraph: Paragraph) -> bool:
    """Whether reverting to the machine translation would change the paragraph's English."""
    return paragraph.target != paragraph.mt


def edit_sentence(paragraph: Paragraph, sentence_id: str, english: str) -> Paragraph:
    """The paragraph with one sentence's English replaced (sentence view)."""
    if paragraph.segmentation != "sentence":
        raise UsageError(
            f"{paragraph.id} was edited as a whole paragraph; edit it in the paragraph view"
        )
    if sentence_id not in {s.id for s in paragraph.sentences}:
        raise UsageError(f"no sentence {sentence_id} in {paragraph.id}")
    english = english.strip()
    sentences = tuple(
        replace(s, target=english) if s.id == sentence_id else s for s in paragraph.sentences
    )
    target = join_targets(s.target for s in sentences)
    if target == paragraph.target:
        return paragraph
    return _edited(paragraph, target, sentences=sentences)


def set_status(paragraph: Paragraph, status: str, who: str = "", at: str = "") -> Paragraph:
    """The paragraph with a new review status (draft, edited, approved); an approval records
    who gave it and when, and any other status clears that."""
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    if status == "approved":
        return replace(paragraph, status=status, approved_by=who, approved_at=at)
    return replace(paragraph, status=status, approved_by="", approved_at="")


def revert(paragraph: Paragraph) -> Paragraph:
    """The paragraph back to the machine translation, as a draft."""
    return replace(
        paragraph,
        target=paragraph.mt,
        target_inline=_relocate(paragraph.target, paragraph.mt, paragraph.target_inline),
        status="draft",
        approved_by="",
        approved_at="",
        segmentation="sentence",
        sentences=tuple(replace(s, target=s.mt) for s in paragraph.sentences),
    )
