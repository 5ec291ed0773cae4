"""The torch backend's engine: a Marian checkpoint through transformers + torch.

Only this package imports torch or transformers, and it does so inside functions so that
``translate --help`` and the glossary commands start fast. Batching and output bounds are
``engines.base``'s; glossary terms are enforced by the constrained search (``search.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from translate import config
from translate.config import resolve_model
from translate.engines.base import (
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
from translate.engines.torch.quantize import quantize as quantize_model
from translate.engines.torch.search import Constraint, beam_search
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
        max_batch_sentences: int = 64,
        force_length: bool = False,
        quantize: bool | None = None,
        dtype: str | None = None,
    ) -> None:
        check_device(device)
        self.dtype = resolve_dtype(dtype)
        quantize = config.resolve_quantize(quantize)
        if quantize and self.dtype not in ("auto", "float32"):
            raise UsageError(f"--quantize works on float32 weights, not {self.dtype}: drop one")
        self.model_id = resolve_model(model)
        self.batch_tokens = config.batch_tokens(batch_tokens)
        self.max_batch_sentences = max_batch_sentences
        # For benchmarks with random weights: decode every sentence to its length bound.
        self.force_length = force_length
        self._torch, self.tokenizer, self.model, self.device = _load(
            self.model_id, device, self.dtype
        )
        self.quantized = bool(quantize) and self.device == "cpu"
        if self.quantized:
            self.model = quantize_model(self._torch, self.model)
        # Running totals, for benchmarks and progress: tokens in and out, batches run.
        self.source_tokens = self.target_tokens = self.batches = 0
        self.vocabulary = TermVocabulary(self.tokenizer, lambda: int(self.model.config.vocab_size))
        self._glue_mask: Any = None

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
        bounds = []
        for r, ids in enumerate(batch):
            # A constrained sentence gets room for its terms on top of the usual bound.
            extra = room((c.forms, c.count) for c in constraints[r]) if constraints else 0
            bounds.append(min(output_bound(len(ids)) + extra, MAX_POSITIONS - 1))
        config = self.model.config
        results = beam_search(
            self.model,
            torch,
            input_ids,
            attention_mask,
            beams=max(beams, n_best),
            n_best=n_best,
            bounds=bounds,
            eos_id=config.eos_token_id,
            pad_id=config.pad_token_id,
            start_id=config.decoder_start_token_id,
            constraints=constraints,
            force_length=self.force_length,
            glue=self._glue() if constraints else None,
        )
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

    def term_forms(self, target: str) -> tuple[tuple[int, ...], ...]:
        """Every token sequence a target term can take (``terms.count.token_forms``), cached."""
        return self.vocabulary.forms(target)

    def _glue(self) -> Any:
        """Tokens that continue a word (no ``▁`` and alphanumeric): banned right after a term."""
        if self._glue_mask is None:
            mask = self.vocabulary.continues_word()
            self._glue_mask = self._torch.tensor(mask, device=self.device)
        return self._glue_mask


def load_marian(
    model: str | os.PathLike[str] | None = None, device: str = "auto", dtype: str = "float32"
) -> tuple[Any, Any, str]:
    """Tokenizer, model (in eval mode) and device of a checkpoint, loaded exactly as the engine
    loads it: for fine-tuning (``translate.training``), which must start from the same weights."""
    check_device(device)
    _, tokenizer, loaded, device = _load(resolve_model(model), device, dtype)
    return tokenizer, loaded, device


def _load(model_id: str, device: str, dtype: str = "auto") -> tuple[Any, Any, Any, str]:
    """Tokenizer and model from a folder or hub id; never runs remote code.

    ``dtype`` ``auto``: float16 on CUDA, float32 on CPU.
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
