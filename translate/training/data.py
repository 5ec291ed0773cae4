"""What fine-tuning learns from: approved pairs, from the store or from TMX files, and their
split into training and held-out pairs by document.

Only approved translations are training data. From the store, that is the translation
memory: every approved unit goes into it when its paragraph is approved (``Store.set_status``),
one pair per normalised source, the newest approval winning; drafts and edits that were never
approved are not in it. From a TMX file, every unit with a source and a target, except those
our own document exports mark as not approved (``x-status`` draft or edited).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from translate.errors import UsageError
from translate.review.memory import Memory, normalise

MIN_PAIRS = 200  # fewer approved pairs than this teach the model nothing it can keep


class TooFewPairsError(UsageError):
    """Fewer approved pairs than fine-tuning needs; ``count`` is how many there are."""

    def __init__(self, count: int, where: str) -> None:
        self.count = count
        super().__init__(
            f"{where} has {count} approved pairs; fine-tuning needs at least {MIN_PAIRS}: "
            "approve more translations in the workspace, or add a TMX file with --tm"
        )


@dataclass(frozen=True)
class Pair:
    """An approved Indonesian sentence (or paragraph) and its English, with the document it
    comes from (pairs of one document stay on one side of the split)."""

    source: str
    target: str
    document: str


@dataclass(frozen=True)
class Split:
    """Training and held-out pairs; no document (and no source) is on both sides."""

    train: tuple[Pair, ...]
    heldout: tuple[Pair, ...]

    @property
    def documents(self) -> tuple[int, int]:
        """How many documents each side has."""
        return len({p.document for p in self.train}), len({p.document for p in self.heldout})


def from_store(path: str | os.PathLike[str] | None = None) -> list[Pair]:
    """The approved pairs of a store: its translation memory (newest approval per source)."""
    with Memory(path) as memory:
        hits = memory.pairs()
    # A pair without a document (a memory seeded by hand) is its own group.
    return [Pair(h.source, h.target, h.document or f"pair:{normalise(h.source)}") for h in hits]


def from_tmx(paths: Iterable[str | os.PathLike[str]]) -> list[Pair]:
    """The approved pairs of TMX files; a later unit with the same source wins.

    A unit's document is its ``x-document`` property (our exports have it), else the unit is
    its own group: a plain TM says nothing about which units belong together.
    """
    from translate.formats.exchange import read_units

    pairs: list[Pair] = []
    for path in paths:
        path = Path(path)
        for n, unit in enumerate(read_units(path, "id", "en")):
            if not (unit.source and unit.target and unit.source.strip() and unit.target.strip()):
                continue
            if unit.prop("x-status") not in (None, "approved"):
                continue  # a draft or an unapproved edit of one of our document exports
            document = unit.prop("x-document")
            group = f"{path.name}:{document}" if document else f"{path.name}#{n}"
            pairs.append(Pair(unit.source.strip(), unit.target.strip(), group))
    return unique(pairs)


def unique(pairs: Iterable[Pair]) -> list[Pair]:
    """One pair per normalised source, the last one winning (the same sentence must not be
    learnt from and held out at once)."""
    by_source = {normalise(p.source): p for p in pairs}
    return sorted(by_source.values(), key=lambda p: (p.document, p.source))


def require_enough(pairs: Sequence[Pair], where: str) -> None:
    """Refuse fewer than ``MIN_PAIRS`` pairs (``TooFewPairsError``, with the count)."""
    if len(pairs) < MIN_PAIRS:
        raise TooFewPairsError(len(pairs), where)


def split(pairs: Sequence[Pair], fraction: float = 0.1, seed: int = 1) -> Split:
    """Hold out about ``fraction`` of the pairs, whole documents at a time, chosen by ``seed``.

    Documents are taken in a seeded random order until the held-out share is reached; a
    document larger than that share (a whole imported TM, say) cannot be held out whole, so
    its pairs are split one by one instead.
    """
    if not 0 < fraction < 1:
        raise UsageError(f"--valid-fraction must be between 0 and 1, not {fraction}")
    want = max(1, round(len(pairs) * fraction))
    groups: dict[str, list[Pair]] = {}
    for p in pairs:
        groups.setdefault(p.document, []).append(p)
    units: list[list[Pair]] = []
    for document in sorted(groups):
        members = groups[document]
        units.extend([[p] for p in members] if len(members) > want else [members])
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    heldout: list[Pair] = []
    chosen = set()
    for i in order:
        if len(heldout) >= want:
            break
        if len(heldout) + len(units[i]) <= want * 1.5:  # close to the share, never far over
            heldout.extend(units[i])
            chosen.add(i)
    train = [p for i, unit in enumerate(units) if i not in chosen for p in unit]
    return Split(tuple(train), tuple(heldout))


def data_sha256(pairs: Iterable[Pair]) -> str:
    """A checksum of the pairs (sources, targets, documents), whatever their order."""
    lines = sorted(json.dumps([p.source, p.target, p.document], ensure_ascii=False) for p in pairs)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def guard_pairs() -> list[Pair]:
    """The out-of-domain guard set: 200 short general Indonesian–English pairs (everyday
    life, not news), written for this project, to show that fine-tuning did not make the
    model forget general language."""
    text = files("translate.training").joinpath("data/guard.tsv").read_text(encoding="utf-8")
    pairs = []
    for n, line in enumerate(text.splitlines()):
        if line.strip() and not line.startswith("#"):
            source, target = line.split("\t")
            pairs.append(Pair(source.strip(), target.strip(), f"guard#{n}"))
    return pairs
