"""Translation engines: Marian checkpoints through transformers + torch.

This is the only module that imports torch or transformers, and it does so inside functions so
that ``translate --help`` and the glossary commands start fast.

The engine sorts the sentences it is given by token length, packs them into batches by a token
budget (padding included), bounds each sentence's output at ``1.5 × source tokens + 10`` and
restores the original order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .config import resolve_model
from .errors import ModelLoadError, ModelNotFoundError, UsageError

MAX_POSITIONS = 512
DEVICES = ("auto", "cpu", "cuda")
BACKENDS = ("torch",)


def output_bound(source_tokens: int) -> int:
    """The most target tokens a sentence of ``source_tokens`` may produce."""
    return math.ceil(1.5 * source_tokens) + 10


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
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given."""
        ...


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


class MarianEngine:
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
    ) -> None:
        if device not in DEVICES:
            raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
        self.model_id = resolve_model(model)
        self.batch_tokens = batch_tokens or int(os.environ.get("TRANSLATE_BATCH_TOKENS", 2048))
        self.max_batch_sentences = max_batch_sentences
        # For benchmarks with random weights: decode every sentence to its length bound.
        self.force_length = force_length
        self._torch, self.tokenizer, self.model, self.device = _load(self.model_id, device)
        # Running totals, for benchmarks and progress: tokens in and out, batches run.
        self.source_tokens = self.target_tokens = self.batches = 0

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source tokens of each text, end-of-sentence included."""
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def translate(
        self,
        texts: Sequence[str],
        *,
        beams: int = 4,
        n_best: int = 1,
        on_batch: BatchCallback | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given."""
        if beams < 1 or n_best < 1:
            raise UsageError("beams and n_best must be at least 1")
        encoded: list[list[int]] = (
            self.tokenizer(list(texts), add_special_tokens=True)["input_ids"] if texts else []
        )
        too_long = [i for i, ids in enumerate(encoded) if len(ids) > MAX_POSITIONS]
        if too_long:
            # The pipeline splits long sentences first; reaching this is a bug, not user error.
            raise ValueError(f"{len(too_long)} input(s) exceed {MAX_POSITIONS} tokens")
        results: list[list[Hypothesis]] = [[] for _ in texts]
        lengths = [len(ids) for ids in encoded]
        for batch in plan_batches(lengths, self.batch_tokens, self.max_batch_sentences):
            hyps = self._generate([encoded[i] for i in batch], max(beams, n_best), n_best)
            for i, h in zip(batch, hyps, strict=True):
                results[i] = h
            if on_batch is not None:
                on_batch(batch, hyps)
        return results

    def _generate(self, batch: list[list[int]], beams: int, n_best: int) -> list[list[Hypothesis]]:
        torch = self._torch
        padded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt")
        input_ids = padded["input_ids"].to(self.device)
        attention_mask = padded["attention_mask"].to(self.device)
        bounds = [min(output_bound(len(ids)), MAX_POSITIONS - 1) for ids in batch]
        processor = _length_bound_processor(
            torch, bounds, beams, self.model.generation_config.eos_token_id, self.force_length
        )
        from transformers import LogitsProcessorList

        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids,
                attention_mask=attention_mask,
                num_beams=beams,
                num_return_sequences=n_best,
                max_new_tokens=max(bounds) + 1,
                logits_processor=LogitsProcessorList([processor]),
                do_sample=False,
                early_stopping=True,
            )
        sequences = out
        texts = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        pad_id = self.tokenizer.pad_token_id
        eos_id = self.model.generation_config.eos_token_id
        scores = self._scores(input_ids, attention_mask, sequences, n_best)
        generated = sequences[:, 1:]
        lengths = ((generated != pad_id) & (generated != eos_id)).sum(dim=1).tolist()
        self.batches += 1
        self.source_tokens += sum(len(ids) for ids in batch)
        # Only the best hypothesis of each sentence counts as output.
        self.target_tokens += sum(lengths[r * n_best] for r in range(len(batch)))
        return [
            [
                Hypothesis(
                    texts[r * n_best + k].strip(), scores[r * n_best + k], lengths[r * n_best + k]
                )
                for k in range(n_best)
            ]
            for r in range(len(batch))
        ]

    def _scores(
        self, input_ids: Any, attention_mask: Any, sequences: Any, n_best: int
    ) -> list[float | None]:
        """Mean log-probability per target token (end-of-sentence included) of each sequence.

        Computed by one teacher-forced pass over the chosen outputs: asking ``generate`` for
        scores would keep a vocabulary-sized tensor per beam and step (gigabytes per batch).
        """
        torch = self._torch
        pad_id = self.tokenizer.pad_token_id
        if n_best > 1:
            input_ids = input_ids.repeat_interleave(n_best, dim=0)
            attention_mask = attention_mask.repeat_interleave(n_best, dim=0)
        decoder_input = sequences[:, :-1]
        labels = sequences[:, 1:]
        mask = labels != pad_id
        results: list[float | None] = []
        # Rows in chunks, so that the logits (rows × length × vocabulary) stay small.
        vocab = self.model.config.vocab_size
        step = max(1, int(128_000_000 // max(1, labels.shape[1] * vocab)))
        with torch.inference_mode():
            for i in range(0, labels.shape[0], step):
                logits = self.model(
                    input_ids=input_ids[i : i + step],
                    attention_mask=attention_mask[i : i + step],
                    decoder_input_ids=decoder_input[i : i + step],
                ).logits.float()
                logp = torch.log_softmax(logits, dim=-1)
                picked = logp.gather(-1, labels[i : i + step].unsqueeze(-1)).squeeze(-1)
                m = mask[i : i + step]
                sums = torch.where(m, picked, torch.zeros_like(picked)).sum(dim=1)
                counts = m.sum(dim=1).clamp(min=1)
                results.extend(float(x) for x in (sums / counts).cpu())
        return results


def _length_bound_processor(
    torch: Any, bounds: list[int], beams: int, eos_id: int, force: bool
) -> Any:
    """Force end-of-sentence once a row reaches its own bound (and, if ``force``, not before)."""
    from transformers import LogitsProcessor

    bound = torch.tensor(bounds).repeat_interleave(beams)

    class LengthBound(LogitsProcessor):  # type: ignore[misc]
        def __call__(self, input_ids: Any, scores: Any) -> Any:
            generated = input_ids.shape[1] - 1  # the decoder start token is not output
            limit = bound.to(scores.device)
            stop = generated >= limit
            if force:
                early = ~stop
                scores[early, eos_id] = -math.inf
            if stop.any():
                eos_scores = scores[stop, eos_id].clone()
                scores[stop] = -math.inf
                scores[stop, eos_id] = torch.where(
                    torch.isfinite(eos_scores), eos_scores, torch.zeros_like(eos_scores)
                )
            return scores

    return LengthBound()


def _load(model_id: str, device: str) -> tuple[Any, Any, Any, str]:
    """Tokenizer and model from a folder or hub id; never runs remote code."""
    local = Path(model_id).expanduser()
    # Hub ids are "name" or "owner/name"; anything else is meant as a folder.
    looks_local = local.exists() or model_id.startswith((".", "/", "~")) or model_id.count("/") > 1
    if looks_local:
        if not local.is_dir():
            raise ModelNotFoundError(
                f"model folder {model_id} does not exist: pass --model with a folder that holds "
                "a Marian checkpoint, or run `translate model download`"
            )
        if not (local / "config.json").is_file():
            raise ModelLoadError(
                f"{model_id} holds no config.json: it is not a Hugging Face model folder"
            )
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
    threads = int(os.environ.get("TRANSLATE_THREADS", "0"))
    if threads > 0:
        # On a small shared CPU, OpenMP threads that wait for a busy core cost more than they
        # give; TRANSLATE_THREADS=1 is much faster for small models there.
        torch.set_num_threads(threads)
    dtype = torch.float16 if device == "cuda" else torch.float32
    with warnings.catch_warnings():
        # sacremoses only matters for Marian models trained with Moses pre-processing.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer, model = _from_pretrained(model_id, dtype, looks_local)
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
            from .models import hub_reachable

            if not hub_reachable():
                raise ModelNotFoundError(
                    f"model {model_id!r} is not on this machine and the hub cannot be reached: "
                    f"run `translate model download {model_id}` where the internet is "
                    "reachable, or pass --model PATH (or set TRANSLATE_MODEL) to a model folder"
                ) from None
            tokenizer = MarianTokenizer.from_pretrained(model_id)
            model = MarianMTModel.from_pretrained(model_id, dtype=dtype)
    except OSError as exc:
        if looks_local:
            raise ModelLoadError(f"{model_id}: not a usable Marian checkpoint ({exc})") from None
        raise ModelNotFoundError(
            f"model {model_id!r} could not be downloaded ({exc}): check the name, or run "
            "`translate model download` and pass --model PATH"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"{model_id}: not a usable Marian checkpoint ({exc})") from None
    return tokenizer, model
