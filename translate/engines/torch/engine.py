"""The torch backend's engine: a Marian checkpoint through transformers + torch.

Only this package imports torch or transformers, and it does so inside functions so that
``translate --help`` and the glossary commands start fast. Batching and output bounds are
``engines.base``'s; glossary terms are enforced by the constrained search (``search.py``).
The search scores only what the target tokenizer can write (``engines.vocab``; the output
projection cut once at load, ``head.py``) unless ``--full-vocab``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from translate import config
from translate.config import resolve_model
from translate.engines.base import (
    MAX_BATCH_SENTENCES,
    MAX_POSITIONS,
    Batch,
    BatchedEngine,
    Decoded,
    Hypothesis,
    TermVocabulary,
    check_device,
    local_checkpoint,
    output_bound,
)
from translate.engines.torch.dtype import resolve_dtype
from translate.engines.torch.head import RestrictedHead
from translate.engines.torch.quantize import quantize as quantize_model
from translate.engines.torch.search import Constraint, Result, beam_search
from translate.engines.vocab import OutputVocabulary, of_tokenizer, resolve
from translate.errors import ModelLoadError, UsageError
from translate.terms.count import inside, room


class MarianEngine(BatchedEngine):
    """A Marian checkpoint (hub id or folder) on torch, loaded once per instance."""

    backend = "torch"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        device: str = "auto",
        *,
        batch_tokens: int | None = None,
        max_batch_sentences: int | None = None,
        force_length: bool = False,
        quantize: bool | None = None,
        dtype: str | None = None,
        full_vocab: bool | None = None,
    ) -> None:
        check_device(device)
        self.dtype = resolve_dtype(dtype)
        quantize = config.resolve_quantize(quantize)
        if quantize and self.dtype not in ("auto", "float32"):
            raise UsageError(f"--quantize works on float32 weights, not {self.dtype}: drop one")
        self.model_id = resolve_model(model)
        # For benchmarks with random weights: decode every sentence to its length bound.
        self.force_length = force_length
        self._torch, self.tokenizer, self.model, self.device = _load(
            self.model_id, device, self.dtype, share_encoder=True
        )
        # For the precision loaded: "auto" is float16 on CUDA.
        tokens, sentences = batch_defaults(str(self.model.dtype).removeprefix("torch."))
        self.batch_tokens = config.batch_tokens(batch_tokens, default=tokens)
        self.max_batch_sentences = max_batch_sentences or sentences
        self.quantized = bool(quantize) and self.device == "cpu"
        if self.quantized:
            self.model = quantize_model(self._torch, self.model)
        # What the search scores: the producible ids only (the head cut once, after any
        # quantisation so that the int8 rows are the full layer's), unless --full-vocab.
        size = int(self.model.config.vocab_size)
        self.full_vocab = config.resolve_full_vocab(full_vocab)
        self.output_vocabulary: OutputVocabulary = resolve(
            of_tokenizer(self.tokenizer, size), full_vocab
        )
        ids = self.output_vocabulary.ids
        self._head = (
            RestrictedHead(self._torch, self.model, ids, self.device) if ids is not None else None
        )
        self.packed = self._pack()
        self._openers: frozenset[int] | None = None
        self._restricted_glue: Any = None
        # Running totals, for benchmarks and progress: tokens in and out, batches run.
        self.source_tokens = self.target_tokens = self.batches = 0
        self.vocabulary = TermVocabulary(self.tokenizer, lambda: int(self.model.config.vocab_size))
        self._glue_mask: Any = None

    def _pack(self) -> int:
        """bfloat16 Linear layers packed once for oneDNN on a CPU (``packed.py``): how many.

        The restricted head is packed; the model's own output layer is left dense when the
        search does not use it (it shares its weight with the embeddings, so a packed copy
        would only add memory).
        """
        from translate.engines.torch.packed import PackedLinear, pack, packs

        # int8 layers are not Linear and float32 is not packed: packs says no to both.
        if not packs(self.model.dtype, self.device):
            return 0
        if self._head is None:
            return pack(self.model)
        self._head.linear = PackedLinear(self._head.linear)
        return 1 + pack(self.model, keep=(self.model.get_output_embeddings(),))

    def _decode_batch(self, batch: Batch) -> Iterator[Decoded]:
        """One call per batch; the search enforces the terms (``engines.torch.search``)."""
        terms = batch.terms if any(batch.terms) else None
        beams = max(batch.beams, batch.n_best)
        yield batch.indices, self._generate(batch.ids, beams, batch.n_best, terms)

    def _generate(
        self,
        batch: list[list[int]],
        beams: int,
        n_best: int,
        terms: Sequence[Sequence[tuple[str, int]]] | None,
    ) -> list[list[Hypothesis]]:
        torch = self._torch
        padded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt")
        input_ids = padded["input_ids"].to(self.device)
        attention_mask = padded["attention_mask"].to(self.device)
        constraints = [self._constraints(row) for row in terms] if terms and any(terms) else None
        head = self._head
        if head is not None and constraints and not self._covered(constraints):
            head = None  # a term needs a token the restriction leaves out: widen this call
        bounds = []
        for r, ids in enumerate(batch):
            # A constrained sentence gets room for its terms on top of the usual bound.
            extra = room((c.forms, c.count) for c in constraints[r]) if constraints else 0
            bounds.append(min(output_bound(len(ids)) + extra, MAX_POSITIONS - 1))
        config = self.model.config
        eos_id, pad_id = config.eos_token_id, config.pad_token_id
        glue = self._glue() if constraints else None
        if head is not None:
            # The search works in the head's indices: every id it is given is translated here.
            eos_id, pad_id = _at(head, eos_id), head.index(pad_id)  # pad: None, never written
            if constraints:
                constraints = [[self._restricted(c, head) for c in row] for row in constraints]
                glue = self._glue_restricted(head)
        results = beam_search(
            self.model,
            torch,
            input_ids,
            attention_mask,
            beams=max(beams, n_best),
            n_best=n_best,
            bounds=bounds,
            eos_id=eos_id,
            pad_id=pad_id,
            start_id=config.decoder_start_token_id,
            constraints=constraints,
            force_length=self.force_length,
            glue=glue,
            head=head,
        )
        if head is not None:
            full = head.ids
            results = [
                [Result(tuple(full[t] for t in r.tokens), r.score, r.satisfied) for r in ranked]
                for ranked in results
            ]
        flat = [r for row in results for r in row]
        texts = self.tokenizer.batch_decode(
            [list(r.tokens) for r in flat], skip_special_tokens=True
        )
        self.batches += 1
        self.source_tokens += sum(len(ids) for ids in batch)
        # Only the best hypothesis of each sentence counts as output.
        self.target_tokens += sum(len(best[0].tokens) for best in results if best)
        out: list[list[Hypothesis]] = []
        i = 0
        for ranked in results:
            out.append(
                [
                    Hypothesis(texts[i + j].strip(), r.score, len(r.tokens))
                    for j, r in enumerate(ranked)
                ]
            )
            i += len(ranked)
        return out

    def _constraints(self, row: Sequence[tuple[str, int]]) -> list[Constraint]:
        """One constraint per (target, count); a target inside another of the row ("Jakarta"
        in "East Jakarta") records how many of its copies each outer occurrence holds."""
        out = []
        for target, count in row:
            term = self.vocabulary.term(target)
            within = tuple(
                (j, n) for j, (outer, _) in enumerate(row) if (n := inside(target, outer))
            )
            out.append(Constraint(term.forms, term.glued, term.openers, count, within))
        return out

    def _covered(self, constraints: list[list[Constraint]]) -> bool:
        """Whether every token of every form of ``constraints`` can be produced."""
        vocabulary = self.output_vocabulary
        return all(
            vocabulary.covers(t for f in c.forms for t in f) for row in constraints for c in row
        )

    def _restricted(self, c: Constraint, head: RestrictedHead) -> Constraint:
        """``c`` in the head's indices (its forms are covered; openers it cannot produce go,
        as no hypothesis can hold them)."""
        forms = tuple(tuple(_at(head, t) for t in f) for f in c.forms)
        if self._openers is None:
            self._openers = frozenset(
                i for t in self.vocabulary.openers() if (i := head.index(t)) is not None
            )
        return Constraint(forms, c.glued, self._openers, c.count, c.within)

    def _glue_restricted(self, head: RestrictedHead) -> Any:
        """The glue mask (``_glue``) over the head's indices."""
        if self._restricted_glue is None:
            self._restricted_glue = self._glue()[head.to_full]
        return self._restricted_glue

    def term_forms(self, target: str) -> tuple[tuple[int, ...], ...]:
        """Every token sequence a target term can take (``terms.count.token_forms``), cached."""
        return self.vocabulary.forms(target)

    def _glue(self) -> Any:
        """Tokens that continue a word (no ``▁`` and alphanumeric): banned right after a term."""
        if self._glue_mask is None:
            mask = self.vocabulary.continues_word()
            self._glue_mask = self._torch.tensor(mask, device=self.device)
        return self._glue_mask


def batch_defaults(dtype: str) -> tuple[int, int]:
    """Default token budget and most sentences of a batch for weights in ``dtype``.

    Half-precision weights keep half-precision activations and caches, so a batch of 3,072
    tokens takes less memory than float32's 2,048; and their matrix products (AMX or
    AVX512-BF16 on the CPU) cost about the same for 64 rows as for 256, so larger batches pay:
    3,072 tokens / 96 sentences measured 10–15 % more tokens/s in bfloat16 than 2,048 / 64,
    and 4,096 / 128 no more (``bench/run.py speed``, issue #22).
    """
    if dtype in ("bfloat16", "float16"):
        return 3072, 96
    return config.BATCH_TOKENS, MAX_BATCH_SENTENCES


def load_marian(
    model: str | os.PathLike[str] | None = None, device: str = "auto", dtype: str = "float32"
) -> tuple[Any, Any, str]:
    """Tokenizer, model (in eval mode) and device of a checkpoint, loaded exactly as the engine
    loads it: for fine-tuning (``translate.training``), which must start from the same weights."""
    check_device(device)
    _, tokenizer, loaded, device = _load(resolve_model(model), device, dtype)
    return tokenizer, loaded, device


def _at(head: RestrictedHead, token: int) -> int:
    index = head.index(token)
    if index is None:  # end-of-sentence and covered terms are in the head: a bug
        raise ValueError(f"token {token} is outside the restricted vocabulary")
    return index


def _load(
    model_id: str, device: str, dtype: str = "auto", share_encoder: bool = False
) -> tuple[Any, Any, Any, str]:
    """Tokenizer and model from a folder or hub id; never runs remote code.

    ``dtype`` ``auto``: float16 on CUDA, float32 on CPU. ``share_encoder``: the beams of a
    sentence share its encoder states in cross-attention (``engines.torch.attention``).
    """
    local = local_checkpoint(model_id)
    looks_local = local is not None
    if local is not None:
        model_id = str(local)

    import warnings

    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    elif device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for, but torch sees no CUDA device")
    threads = config.threads()
    if threads > 0:
        torch.set_num_threads(threads)
    if dtype == "auto":
        dtype = "float16" if device == "cuda" else "float32"
    if dtype == "float16" and device != "cuda":
        raise UsageError("float16 needs CUDA; on a CPU use bfloat16 (or float32)")
    with warnings.catch_warnings():
        # sacremoses only matters for Marian models trained with Moses pre-processing.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer, model = _from_pretrained(model_id, getattr(torch, dtype), looks_local)
    model.eval()
    model.to(device)
    if share_encoder:
        from translate.engines.torch.attention import use_on

        use_on(model)
    return torch, tokenizer, model, device


def _from_pretrained(model_id: str, dtype: Any, looks_local: bool) -> tuple[Any, Any]:
    from transformers import MarianMTModel, MarianTokenizer

    try:
        try:
            # The hub cache first: no network round trip when the model is already here.
            tokenizer = MarianTokenizer.from_pretrained(model_id, local_files_only=True)
            model = MarianMTModel.from_pretrained(model_id, dtype=dtype, local_files_only=True)
        except (OSError, TypeError, ValueError):
            # Not cached (transformers raises any of these for a missing offline file).
            if looks_local:
                raise
            from translate.engines.download import hub_reachable, not_here

            if not hub_reachable():
                raise not_here(model_id) from None
            tokenizer = MarianTokenizer.from_pretrained(model_id)
            model = MarianMTModel.from_pretrained(model_id, dtype=dtype)
    except OSError as exc:
        if looks_local:
            raise ModelLoadError(f"{model_id}: not a usable Marian checkpoint ({exc})") from None
        from translate.engines.download import download_failed

        raise download_failed(model_id, str(exc)) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"{model_id}: not a usable Marian checkpoint ({exc})") from None
    return tokenizer, model
