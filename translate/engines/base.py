"""What every engine shares: the ``Engine`` protocol, output bounds, batching, checkpoints.

An engine sorts the sentences it is given by token length, packs them into batches by a token
budget (padding included), bounds each sentence's output at ``1.5 × source tokens + 10`` (plus
room for its glossary terms) and restores the original order. Nothing here imports torch,
transformers or ctranslate2.
"""

from __future__ import annotations

import bisect
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from translate.errors import ModelLoadError, ModelNotFoundError, UsageError
from translate.terms.count import Forms, TokenTerm, token_forms

MAX_POSITIONS = 512
# Most sentences in one batch (``plan_batches``), unless an engine's precision says otherwise.
MAX_BATCH_SENTENCES = 64
DEVICES = ("auto", "cpu", "cuda")


def output_bound(source_tokens: int) -> int:
    """The most target tokens a sentence of ``source_tokens`` may produce."""
    return math.ceil(1.5 * source_tokens) + 10


def _grid(start: int = 8, ratio: float = 1.25) -> tuple[int, ...]:
    values = [start]
    while values[-1] < MAX_POSITIONS - 1:
        values.append(min(MAX_POSITIONS - 1, max(values[-1] + 1, math.ceil(values[-1] * ratio))))
    return tuple(values)


# The bounds of a backend that takes one length bound per decoding call (CTranslate2's
# ``max_decoding_length``): 8, 10, 13, 17, … ×1.25 up to 511.
BOUND_GRID = _grid()


def call_bound(bound: int) -> int:
    """``bound`` rounded up to ``BOUND_GRID``: the bound a one-bound-per-call backend decodes to.

    Rounding up, never down, so no sentence gets less room than ``output_bound``; a function of
    the sentence alone, so what a sentence gets never depends on which others share its call
    (identical results however inputs are batched: one article, a batch window, a Ray worker).
    A trained model stops at its end token; the bound is the safety net, and a coarse grid
    means few calls, each batched by the backend itself.
    """
    return BOUND_GRID[bisect.bisect_left(BOUND_GRID, min(bound, MAX_POSITIONS - 1))]


@dataclass(frozen=True)
class Hypothesis:
    """One translation of a sentence, with its mean log-probability per token."""

    text: str
    score: float | None
    tokens: int = 0  # target tokens generated, end-of-sentence excluded


# Called after each batch with the input indices it covered and their hypotheses.
BatchCallback = Callable[[Sequence[int], Sequence[list[Hypothesis]]], None]


class Engine(Protocol):
    """What the pipeline needs from a translation engine."""

    model_id: str
    backend: str
    device: str

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source tokens of each text, end-of-sentence included."""
        ...

    def translate(
        self,
        texts: Sequence[str],
        *,
        beams: int = 4,
        n_best: int = 1,
        on_batch: BatchCallback | None = None,
        terms: Sequence[Sequence[tuple[str, int]]] | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given, with ``terms[i]``
        (target, count) enforced in text ``i``'s translation."""
        ...


def check_device(device: str) -> None:
    """Refuse a device name no backend knows."""
    if device not in DEVICES:
        raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")


def encode(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    """Source token ids of each text, end-of-sentence included."""
    return list(tokenizer(list(texts), add_special_tokens=True)["input_ids"]) if texts else []


def encode_checked(
    tokenizer: Any, texts: Sequence[str], beams: int, n_best: int
) -> list[list[int]]:
    """``encode``, after checking the search settings and that every input fits the model."""
    if beams < 1 or n_best < 1:
        raise UsageError("beams and n_best must be at least 1")
    encoded = encode(tokenizer, texts)
    too_long = [i for i, ids in enumerate(encoded) if len(ids) > MAX_POSITIONS]
    if too_long:
        # The pipeline splits long sentences first; reaching this is a bug, not user error.
        raise ValueError(f"{len(too_long)} input(s) exceed {MAX_POSITIONS} tokens")
    return encoded


def plan_batches(lengths: Sequence[int], batch_tokens: int, max_sentences: int) -> list[list[int]]:
    """Indices grouped into batches, shortest first, each within ``batch_tokens`` with padding.

    A batch costs ``len(batch) × longest`` tokens because every row is padded to the longest.
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # Sorted ascending, so the newcomer is the longest row of the batch.
        if current and (
            (len(current) + 1) * lengths[i] > batch_tokens or len(current) >= max_sentences
        ):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


# (input indices of one decoding call, their hypotheses), as a batch yields them.
Decoded = tuple[list[int], list[list[Hypothesis]]]


@dataclass(frozen=True)
class Batch:
    """Inputs decoded together: their indices, token ids and wanted terms, and the search."""

    indices: list[int]
    ids: list[list[int]]
    terms: list[Sequence[tuple[str, int]]]  # (target, count) pairs per input; () for none
    beams: int
    n_best: int


class BatchedEngine(ABC):
    """What both Marian backends share: counting source tokens, and translating in
    length-sorted batches within a token budget (``plan_batches``), each batch decoded by the
    backend's ``_decode_batch`` (which may split it into several calls)."""

    tokenizer: Any
    batch_tokens: int
    max_batch_sentences: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source tokens of each text, end-of-sentence included."""
        return [len(ids) for ids in encode(self.tokenizer, texts)]

    def translate(
        self,
        texts: Sequence[str],
        *,
        beams: int = 4,
        n_best: int = 1,
        on_batch: BatchCallback | None = None,
        terms: Sequence[Sequence[tuple[str, int]]] | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given; ``terms[i]``: (target,
        count) pairs text ``i``'s translation must contain exactly ``count`` times each (how
        each backend ensures it: its ``_decode_batch``)."""
        encoded = encode_checked(self.tokenizer, texts, beams, n_best)
        results: list[list[Hypothesis]] = [[] for _ in texts]
        for batch in self._plan([len(ids) for ids in encoded]):
            ids = [encoded[i] for i in batch]
            wanted = [terms[i] if terms else () for i in batch]
            for indices, hyps in self._decode_batch(Batch(batch, ids, wanted, beams, n_best)):
                for i, h in zip(indices, hyps, strict=True):
                    results[i] = h
                if on_batch is not None:
                    on_batch(indices, hyps)
        return results

    def _plan(self, lengths: Sequence[int]) -> list[list[int]]:
        """Input indices grouped into batches: ``plan_batches`` within the token budget."""
        return plan_batches(lengths, self.batch_tokens, self.max_batch_sentences)

    @abstractmethod
    def _decode_batch(self, batch: Batch) -> Iterator[Decoded]:
        """Hypotheses for the batch's inputs, call by call."""


def local_checkpoint(model_id: str) -> Path | None:
    """The folder ``model_id`` names, checked to hold a Hugging Face model; None for a hub id.

    Hub ids are "name" or "owner/name"; anything else is meant as a folder.
    """
    local = Path(model_id).expanduser()
    looks_local = local.exists() or model_id.startswith((".", "/", "~")) or model_id.count("/") > 1
    if not looks_local:
        return None
    if not local.is_dir():
        raise ModelNotFoundError(
            f"model folder {model_id} does not exist: pass --model with a folder that holds "
            "a Marian checkpoint, or run `translate model download`"
        )
    if not (local / "config.json").is_file():
        raise ModelLoadError(
            f"{model_id} holds no config.json: it is not a Hugging Face model folder"
        )
    return local


class TermVocabulary:
    """A Marian tokenizer's view of glossary targets: their token forms (cached), which tokens
    start a word, and after which a glued form may start. Both backends decide term tokens
    through this, so they agree token for token."""

    def __init__(self, tokenizer: Any, size: Callable[[], int]) -> None:
        self.tokenizer = tokenizer
        self.size = size  # vocabulary entries scanned for openers and word continuations
        self._forms: dict[str, Forms] = {}
        self._pieces: list[str] | None = None
        self._opener_ids: frozenset[int] | None = None

    def forms(self, target: str) -> Forms:
        """Every token sequence ``target`` can take (``terms.count.token_forms``), cached."""
        cached = self._forms.get(target)
        if cached is None:
            cached = self._forms[target] = token_forms(self.tokenizer, target)
        return cached

    def term(self, target: str) -> TokenTerm:
        """``target`` in tokens: its forms, which are glued, and the openers they need."""
        forms = self.forms(target)
        glued = tuple(not self.starts_word(f[0]) for f in forms)
        return TokenTerm(forms, glued, self.openers())

    def pieces(self) -> list[str]:
        """The SentencePiece piece of every token id."""
        if self._pieces is None:
            self._pieces = list(self.tokenizer.convert_ids_to_tokens(list(range(self.size()))))
        return self._pieces

    def starts_word(self, token: int) -> bool:
        """Whether ``token`` begins a new word (``▁``) or is punctuation."""
        piece = self.pieces()[token]
        return bool(piece) and (piece.startswith("▁") or not piece[0].isalnum())

    def openers(self) -> frozenset[int]:
        """Tokens after which a glued term form may start: ones ending in a quote or bracket."""
        if self._opener_ids is None:
            self._opener_ids = frozenset(
                i for i, p in enumerate(self.pieces()) if p and p[-1] in "\"'([-/" and len(p) <= 3
            )
        return self._opener_ids

    def continues_word(self) -> list[bool]:
        """Per token: whether it continues a word (no ``▁`` and alphanumeric)."""
        return [bool(p) and not p.startswith("▁") and p[0].isalnum() for p in self.pieces()]
