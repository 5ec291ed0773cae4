"""Preprocessing: the units of work in a ``Document``, before any model call decides them.

A plan says, for one document, which sentences the translation memory already answers, which
links and emphasis need their own English first (so the markup can be put back around those
words), and which pieces go to the model: one per translated sentence, or several when a
sentence is longer than ``max_source_tokens``, each with the glossary targets (and the English
of its inline marks) its translation must contain. Plans are plain frozen dataclasses, so a
distributed runner can ship them to workers and back.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from translate.document import Block, Document
from translate.review.memory import Memory, MemoryHit
from translate.terms.count import nested
from translate.terms.glossary import Glossary
from translate.text.normalize import to_model
from translate.text.segment import split_long

DEFAULT_MAX_SOURCE_TOKENS = 200

# (block index, span index) of a sentence; (block index, inline index) of a link or emphasis.
Key = tuple[int, int]
Wanted = tuple[tuple[str, int], ...]  # target text → how many times the English must have it


@dataclass(frozen=True)
class Unit:
    """A piece of one sentence that goes to the model."""

    block: int
    span: int
    text: str  # as the model sees it
    terms: Wanted = ()  # glossary targets (and inline marks' English) the English must contain


@dataclass(frozen=True)
class MarkUnit:
    """The words of one link or emphasis, translated on their own before the sentences."""

    key: Key
    text: str  # as the model sees it
    terms: Wanted = ()


@dataclass(frozen=True)
class Marks:
    """A document's inline marks inside translated sentences: code is kept as written, the
    rest goes to the model first (``todo``)."""

    kept: Mapping[Key, str] = field(default_factory=dict)
    todo: tuple[MarkUnit, ...] = ()


@dataclass(frozen=True)
class Plan:
    """One document's work: the model's units, memory hits, and the English of its marks."""

    document: Document
    units: tuple[Unit, ...]
    glossary: Glossary | None = None
    inner: Mapping[Key, str] = field(default_factory=dict)  # English of each inline mark
    remembered: Mapping[Key, MemoryHit] = field(default_factory=dict)


@dataclass(frozen=True)
class Planner:
    """Cuts documents into units; ``count_tokens`` is the engine's tokenizer count."""

    count_tokens: Callable[[Sequence[str]], list[int]]
    glossary: Glossary | None = None
    memory: Memory | None = None
    max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS

    def marks(self, document: Document) -> Marks:
        """The links and emphasis inside translated sentences that need their own English."""
        kept: dict[Key, str] = {}
        todo: list[MarkUnit] = []
        for bi, block in enumerate(document.blocks):
            translated = {
                ii
                for si, marks in marks_by_span(block).items()
                if block.spans[si].mode == "translate"
                for ii in marks
            }
            for ii, mark in enumerate(block.inline):
                text = to_model(block.source[mark.start : mark.end])
                if ii not in translated or not text:
                    continue
                if mark.kind == "code":
                    kept[(bi, ii)] = text
                else:
                    todo.append(MarkUnit((bi, ii), text, self._glossary_terms(text)))
        return Marks(kept, tuple(todo))

    def plan(self, document: Document, inner: Mapping[Key, str]) -> Plan:
        """The document's plan, given the English of its marks (``marks`` then the model)."""
        remembered = self.remembered(document.blocks)
        units = tuple(
            u for u in self.units(document.blocks, inner) if (u.block, u.span) not in remembered
        )
        return Plan(document, units, self.glossary, dict(inner), remembered)

    def remembered(self, blocks: Sequence[Block]) -> dict[Key, MemoryHit]:
        """Sentences whose exact source an editor already approved: reused, no model call.
        (Sentences with inline markup go to the model, so the markup can be placed.)"""
        if self.memory is None:
            return {}
        out = {}
        for bi, block in enumerate(blocks):
            starts = [s.start for s in block.spans]
            marked = set()  # spans in which some markup starts
            for m in block.inline:
                k = bisect.bisect_right(starts, m.start) - 1
                if k >= 0 and m.start < block.spans[k].end:
                    marked.add(k)
            for si, span in enumerate(block.spans):
                if span.mode != "translate" or si in marked:
                    continue
                hit = self.memory.exact(block.source[span.start : span.end])
                if hit is not None:
                    out[(bi, si)] = hit
        return out

    def units(self, blocks: Sequence[Block], inner: Mapping[Key, str]) -> list[Unit]:
        """The model inputs of some blocks: one per translated span, or several when long,
        each with what its translation must contain: glossary targets, and the English of
        its links and emphasis (so the markup can be put back around those words)."""
        units: list[Unit] = []
        for bi, block in enumerate(blocks):
            in_span = marks_by_span(block)
            for si, span in enumerate(block.spans):
                if span.mode != "translate":
                    continue
                text = to_model(block.source[span.start : span.end])
                marks = [
                    (mark_text(block, ii), inner[(bi, ii)])
                    for ii in in_span.get(si, ())
                    if (bi, ii) in inner
                ]
                for piece in self.split(text) if text else []:
                    wanted: Counter[str] = Counter()
                    if self.glossary is not None:
                        wanted.update(m.entry.target for m in self.glossary.find(piece))
                    wanted.update(english for source, english in marks if source in piece)
                    units.append(Unit(bi, si, piece, tuple(sorted(nested(wanted, _meets).items()))))
        return units

    def split(self, text: str) -> list[str]:
        """A model input cut into pieces of at most ``max_source_tokens`` tokens."""
        (count,) = self.count_tokens([text])
        if count <= self.max_source_tokens:
            return [text]

        def count_one(piece: str) -> int:
            return self.count_tokens([piece])[0]

        return [text[a:b] for a, b in split_long(text, count_one, self.max_source_tokens)]

    def _glossary_terms(self, text: str) -> Wanted:
        if self.glossary is None:
            return ()
        return tuple(sorted(Counter(m.entry.target for m in self.glossary.find(text)).items()))


def _meets(outer: str, inner: str) -> int:
    """How often the constrained search meets ``inner`` while it writes ``outer``.

    As plain text, not whole words (``count_target``): a target's token form also completes
    inside a longer word that starts with the same tokens, and the search then refuses a
    separate copy once the count is reached (with whole words, one of the three marks in the
    tiny model's DOCX markup test could not be placed). Real vocabularies mostly have distinct
    word tokens ("▁Europe", "▁European"), where this asks for one copy too many; once the
    search counts only forms that end a word, this rule can become ``count_target``.
    """
    return outer.count(inner)


def mark_text(block: Block, ii: int) -> str:
    """What the model sees of inline mark ``ii``'s words."""
    mark = block.inline[ii]
    return to_model(block.source[mark.start : mark.end])


def marks_by_span(block: Block) -> dict[int, list[int]]:
    """The inline marks (indices, in order) lying wholly inside each span, by span index;
    found by bisection, as a long paragraph has many sentences and many links."""
    starts = [s.start for s in block.spans]
    out: dict[int, list[int]] = {}
    for ii, mark in enumerate(block.inline):
        k = bisect.bisect_right(starts, mark.start) - 1  # spans are sorted and disjoint
        if k >= 0 and mark.end <= block.spans[k].end:
            out.setdefault(k, []).append(ii)
    return out
