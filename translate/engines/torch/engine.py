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

from translate import config
from translate.config import resolve_backend, resolve_model
from translate.errors import ModelLoadError, ModelNotFoundError, UsageError
from translate.terms.count import token_forms

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
        terms: Sequence[Sequence[tuple[str, int]]] | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given, with ``terms[i]``
        (target, count) enforced in text ``i``'s translation."""
        ...


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


DTYPES = ("auto", "float32", "float16", "bfloat16")


def resolve_dtype(dtype: str | None = None) -> str:
    """Weight precision on torch: argument, ``TRANSLATE_DTYPE``, else ``auto`` (float16 on
    CUDA, float32 on CPU). ``bfloat16`` pays on CPUs with AVX512-BF16 or AMX."""
    chosen = config.resolve_dtype(dtype)
    if chosen not in DTYPES:
        raise UsageError(f"unknown dtype {chosen!r}: use one of {', '.join(DTYPES)}")
    return chosen


def check_backend_options(backend: str, quantize: bool | None, dtype: str | None) -> None:
    """Refuse torch-only options on ct2 (checked before any model loads)."""
    if backend != "ct2":
        return
    if quantize:
        raise UsageError(
            "--quantize is for the torch backend; ct2 runs int8 on CPU already: drop one"
        )
    if dtype not in (None, "auto"):
        raise UsageError(
            "--dtype is for the torch backend; ct2 converts once (translate model convert "
            "--quantization)"
        )


def load_engine(
    model: str | os.PathLike[str] | None = None,
    device: str = "auto",
    backend: str | None = None,
    *,
    batch_tokens: int | None = None,
    quantize: bool | None = None,
    dtype: str | None = None,
) -> Engine:
    """The engine for ``backend`` (argument > ``TRANSLATE_BACKEND`` > torch), loaded now.

    ``ct2`` needs the ``[fast]`` extra; it is int8 on CPU already, so ``quantize=True`` with
    it is a usage error (``TRANSLATE_QUANTIZE`` is ignored there).
    """
    chosen = resolve_backend(backend)
    check_backend_options(chosen, quantize, dtype)
    if chosen == "ct2":
        from translate.engines.ct2.engine import CT2Engine

        return CT2Engine(model, device, batch_tokens=batch_tokens)
    return MarianEngine(model, device, batch_tokens=batch_tokens, quantize=quantize, dtype=dtype)


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
        quantize: bool | None = None,
        dtype: str | None = None,
    ) -> None:
        if device not in DEVICES:
            raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
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
            self.model = _quantize(self._torch, self.model)
        # Running totals, for benchmarks and progress: tokens in and out, batches run.
        self.source_tokens = self.target_tokens = self.batches = 0
        self._forms: dict[str, tuple[tuple[int, ...], ...]] = {}
        self._glue_mask: Any = None
        self._opener_ids: frozenset[int] | None = None

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
        """The ``n_best`` translations of each text, in the order given.

        ``terms[i]``: (target, count) pairs text ``i``'s translation must contain exactly
        ``count`` times each; the decoder enforces them (see ``constraints``).
        """
        encoded = encode_checked(self.tokenizer, texts, beams, n_best)
        results: list[list[Hypothesis]] = [[] for _ in texts]
        lengths = [len(ids) for ids in encoded]
        for batch in plan_batches(lengths, self.batch_tokens, self.max_batch_sentences):
            hyps = self._generate(
                [encoded[i] for i in batch],
                max(beams, n_best),
                n_best,
                [terms[i] for i in batch] if terms else None,
            )
            for i, h in zip(batch, hyps, strict=True):
                results[i] = h
            if on_batch is not None:
                on_batch(batch, hyps)
        return results

    def _generate(
        self,
        batch: list[list[int]],
        beams: int,
        n_best: int,
        terms: Sequence[Sequence[tuple[str, int]]] | None,
    ) -> list[list[Hypothesis]]:
        from translate.engines.torch.search import Constraint, beam_search

        torch = self._torch
        padded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt")
        input_ids = padded["input_ids"].to(self.device)
        attention_mask = padded["attention_mask"].to(self.device)
        constraints = None
        if terms and any(terms):
            openers = self._openers()
            constraints = []
            for row in terms:
                cs = []
                for target, count in row:
                    forms = self.term_forms(target)
                    glued = tuple(not self._starts_word(f[0]) for f in forms)
                    cs.append(Constraint(forms, count, glued, openers))
                constraints.append(cs)
        bounds = []
        for r, ids in enumerate(batch):
            # A constrained sentence gets room for its terms on top of the usual bound.
            room = sum(c.longest * c.count for c in constraints[r]) if constraints else 0
            bounds.append(min(output_bound(len(ids)) + room, MAX_POSITIONS - 1))
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

    def term_forms(self, target: str) -> tuple[tuple[int, ...], ...]:
        """Every token sequence a target term can take (``terms.count.token_forms``), cached."""
        cached = self._forms.get(target)
        if cached is None:
            cached = self._forms[target] = token_forms(self.tokenizer, target)
        return cached

    def _starts_word(self, token: int) -> bool:
        piece = self.tokenizer.convert_ids_to_tokens(token)
        return bool(piece) and (piece.startswith("▁") or not piece[0].isalnum())

    def _openers(self) -> frozenset[int]:
        """Tokens after which a glued term form may start: ones ending in a quote or bracket."""
        if self._opener_ids is None:
            pieces = self.tokenizer.convert_ids_to_tokens(list(range(self.model.config.vocab_size)))
            self._opener_ids = frozenset(
                i for i, p in enumerate(pieces) if p and p[-1] in "\"'([-/" and len(p) <= 3
            )
        return self._opener_ids

    def _glue(self) -> Any:
        """Tokens that continue a word (no ``▁`` and alphanumeric): banned right after a term."""
        if self._glue_mask is None:
            pieces = self.tokenizer.convert_ids_to_tokens(list(range(self.model.config.vocab_size)))
            mask = [bool(p) and not p.startswith("▁") and p[0].isalnum() for p in pieces]
            self._glue_mask = self._torch.tensor(mask, device=self.device)
        return self._glue_mask


def _quantize(torch: Any, model: Any) -> Any:
    """Dynamic int8 quantisation of the Linear layers (CPU): the 512 × 54,796 output
    projection dominates decoding and runs about 10× faster in int8 with VNNI.

    ``torch.ao.quantization.quantize_dynamic`` is deprecated in favour of torchao, but torchao's
    int8 path without ``torch.compile`` measured 20× slower than fp32 here, so this stays
    until torchao's eager CPU kernels catch up.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _load(model_id: str, device: str, dtype: str = "auto") -> tuple[Any, Any, Any, str]:
    """Tokenizer and model from a folder or hub id; never runs remote code.

    ``dtype`` ``auto``: float16 on CUDA, float32 on CPU.
    """
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
    threads = config.threads()
    if threads > 0:
        # On a small shared CPU, OpenMP threads that wait for a busy core cost more than they
        # give; TRANSLATE_THREADS=1 is much faster for small models there.
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
            from translate.engines.download import hub_reachable

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
