"""The training loop: teacher forcing on token-budget batches, full or LoRA, with checkpoints.

A plain torch loop rather than transformers' ``Trainer``: what is needed here — batches by
tokens from our own planner, a checkpoint that resumes to exactly the same steps, a progress
callback, LoRA merged at the end — is a few dozen lines, while ``Trainer`` would bring
``accelerate``, its own batching and checkpoint layout, and its logging machinery.

Batches: each epoch shuffles the pairs (seeded), then groups them into length-sorted batches
within ``batch_tokens`` padded tokens (``engines.base.plan_batches``, the rule translation
uses) and shuffles the batches. The whole plan is known before the first step, so the ETA is
honest and a resumed run takes the same batches from where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
import warnings
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from translate.engines.base import plan_batches
from translate.errors import UsageError
from translate.text.normalize import to_model
from translate.training.data import Pair

FULL_LR = 5e-5  # the usual rate for fine-tuning a pretrained Marian model
LORA_LR = 5e-4  # adapters start from zero and learn with fewer parameters: a higher rate
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")  # Marian's Linears
MAX_SENTENCES = 128  # rows per batch, whatever the token budget
WARMUP = 0.05  # share of the steps with a rising learning rate
PEFT_HINT = "pip install 'translate-id-en[train]'"


@dataclass(frozen=True)
class FinetuneSettings:
    """How to fine-tune. ``max_steps``, when given, overrides ``epochs`` (as in transformers);
    ``lr`` None: 5e-5 for full fine-tuning, 5e-4 for LoRA. ``batch_tokens`` bounds memory:
    padded source or target tokens per batch. Pairs longer than ``max_length`` tokens on
    either side are left out. ``beams``: the search used for the before/after translations."""

    epochs: int = 3
    lr: float | None = None
    lora: bool = False
    lora_rank: int = 16
    max_steps: int | None = None
    valid_fraction: float = 0.1
    seed: int = 1
    batch_tokens: int = 2048
    max_length: int = 256
    checkpoint_every: int = 100
    beams: int = 4
    device: str = "auto"

    @property
    def learning_rate(self) -> float:
        """The peak learning rate: ``lr``, else the method's default."""
        if self.lr is not None:
            return self.lr
        return LORA_LR if self.lora else FULL_LR

    def check(self) -> None:
        """Refuse values out of range (``UsageError`` naming the option)."""
        problems = [
            ("--epochs", self.epochs >= 1),
            ("--lr", self.lr is None or 0 < self.lr < 1),
            ("--max-steps", self.max_steps is None or self.max_steps >= 1),
            ("--seed", self.seed >= 0),
            ("--lora-rank", self.lora_rank >= 1),
            ("batch_tokens", self.batch_tokens >= self.max_length >= 8),
            ("checkpoint_every", self.checkpoint_every >= 1),
            ("beams", self.beams >= 1),
        ]
        for name, ok in problems:
            if not ok:
                raise UsageError(f"{name} is out of range: {getattr(self, _field(name))!r}")

    def fingerprint(self) -> dict[str, Any]:
        """The settings that decide the training steps (a checkpoint must match them)."""
        kept = asdict(self)
        for free in ("checkpoint_every", "beams", "device"):
            kept.pop(free)
        return kept


def _field(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


Phase = Literal["evaluate-base", "train", "evaluate-tuned"]


@dataclass(frozen=True)
class Progress:
    """Where a fine-tuning run is: the phase, steps (or sentences, when evaluating) done of
    the total, and while training the loss (moving average), samples per second and ETA."""

    phase: Phase
    done: int
    total: int
    loss: float | None = None
    samples_per_s: float | None = None
    eta_s: float | None = None

    def line(self) -> str:
        """One line for a terminal or the workspace."""
        if self.phase != "train":
            model = "base" if self.phase == "evaluate-base" else "fine-tuned"
            return f"evaluating the {model} model: {self.done}/{self.total} sentences"
        text = f"step {self.done}/{self.total}"
        if self.loss is not None:
            text += f" · loss {self.loss:.3f}"
        if self.samples_per_s is not None:
            text += f" · {self.samples_per_s:.1f} samples/s"
        if self.eta_s is not None:
            text += f" · ETA {_clock(self.eta_s)}"
        return text


def _clock(seconds: float) -> str:
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


@dataclass(frozen=True)
class Encoded:
    """Token ids of pairs (the model's text form: ``to_model``), eos included."""

    sources: tuple[tuple[int, ...], ...]
    targets: tuple[tuple[int, ...], ...]

    def __len__(self) -> int:
        return len(self.sources)

    def lengths(self) -> list[int]:
        """The padded cost of each pair in a batch: its longer side."""
        return [max(len(s), len(t)) for s, t in zip(self.sources, self.targets, strict=True)]


def encode(tokenizer: Any, pairs: Sequence[Pair], max_length: int) -> tuple[Encoded, list[int]]:
    """The pairs as token ids (targets with ``text_target=``); the indices of those kept
    (pairs over ``max_length`` tokens on either side are left out)."""
    if not pairs:
        return Encoded((), ()), []
    batch = tokenizer(
        [to_model(p.source) for p in pairs], text_target=[to_model(p.target) for p in pairs]
    )
    kept = [
        i
        for i, (s, t) in enumerate(zip(batch["input_ids"], batch["labels"], strict=True))
        if len(s) <= max_length and len(t) <= max_length
    ]
    return (
        Encoded(
            tuple(tuple(batch["input_ids"][i]) for i in kept),
            tuple(tuple(batch["labels"][i]) for i in kept),
        ),
        kept,
    )


def plan_steps(encoded: Encoded, settings: FinetuneSettings) -> list[list[int]]:
    """Every step's batch (pair indices), epoch after epoch, decided by the seed alone."""
    lengths = encoded.lengths()
    steps: list[list[int]] = []
    epoch = 0
    while True:
        rng = random.Random(f"{settings.seed}:{epoch}")
        order = list(range(len(lengths)))
        rng.shuffle(order)
        # Ties in length break by the shuffled position: batches differ from epoch to epoch.
        batches = plan_batches([lengths[i] for i in order], settings.batch_tokens, MAX_SENTENCES)
        epoch_steps = [[order[j] for j in b] for b in batches]
        rng.shuffle(epoch_steps)
        steps.extend(epoch_steps)
        epoch += 1
        if settings.max_steps is not None:
            if len(steps) >= settings.max_steps:
                return steps[: settings.max_steps]
        elif epoch >= settings.epochs:
            return steps


def learning_rate(step: int, total: int, peak: float) -> float:
    """Linear warm-up over the first ``WARMUP`` of the steps, then linear decay to zero."""
    warm = max(1, math.ceil(total * WARMUP))
    if step < warm:
        return peak * (step + 1) / warm
    return peak * max(0.0, (total - step) / max(1, total - warm))


def batch_tensors(
    encoded: Encoded, batch: Sequence[int], pad_id: int, device: str
) -> dict[str, Any]:
    """Padded inputs, attention mask and labels (padding -100: not learnt) of a batch."""
    import torch

    sources = [encoded.sources[i] for i in batch]
    targets = [encoded.targets[i] for i in batch]
    rows, width, depth = len(batch), max(map(len, sources)), max(map(len, targets))
    input_ids = torch.full((rows, width), pad_id, dtype=torch.long)
    mask = torch.zeros((rows, width), dtype=torch.long)
    labels = torch.full((rows, depth), -100, dtype=torch.long)
    for r, (s, t) in enumerate(zip(sources, targets, strict=True)):
        input_ids[r, : len(s)] = torch.tensor(s)
        mask[r, : len(s)] = 1
        labels[r, : len(t)] = torch.tensor(t)
    return {
        "input_ids": input_ids.to(device),
        "attention_mask": mask.to(device),
        "labels": labels.to(device),
    }


def precision(torch: Any, device: str) -> str:
    """``bfloat16`` (autocast, float32 weights) on CUDA devices that support it, else
    ``float32``: the CPU trains in float32, and float16 would need loss scaling."""
    if device == "cuda" and torch.cuda.is_bf16_supported():
        return "bfloat16"
    return "float32"


def weights_sha256(model: Any) -> str:
    """A checksum of a model's weights as loaded (state dict by name), file format aside."""
    import torch

    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().to("cpu").contiguous().reshape(-1).view(torch.uint8).numpy())
    return digest.hexdigest()


def require_peft() -> Any:
    """The ``peft`` module, or a ``UsageError`` saying how to install it."""
    try:
        import peft
    except ImportError:
        raise UsageError(
            f"--lora needs the peft package: run `{PEFT_HINT}` (or fine-tune fully without --lora)"
        ) from None
    return peft


@dataclass(frozen=True)
class Trained:
    """What a training run did: the steps in all, the step it resumed from, the final
    moving-average loss, and samples per second over this run's steps."""

    steps: int
    resumed_from: int
    loss: float
    samples_per_s: float


class Trainer:
    """A model being fine-tuned (its trainable parameters: all, or LoRA adapters) with its
    optimizer; ``run`` trains, ``merged`` gives a plain Marian model back."""

    def __init__(self, model: Any, device: str, settings: FinetuneSettings) -> None:
        import torch

        self.torch = torch
        self.settings = settings
        self.device = device
        self.precision = precision(torch, device)
        torch.manual_seed(settings.seed)  # LoRA's initial weights and dropout
        if settings.lora:
            peft = require_peft()
            config = peft.LoraConfig(
                task_type=peft.TaskType.SEQ_2_SEQ_LM,
                r=settings.lora_rank,
                lora_alpha=2 * settings.lora_rank,
                lora_dropout=0.05,
                target_modules=list(LORA_TARGETS),
            )
            with warnings.catch_warnings():
                # peft asks transformers 5 a deprecated question; nothing for our users to do.
                warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing")
                model = peft.get_peft_model(model, config)
        self.model = model
        self.trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
        self.optimizer = torch.optim.AdamW(
            self.trainable.values(), lr=settings.learning_rate, weight_decay=0.0
        )
        config = model.config
        self.pad_id = int(config.pad_token_id)

    def autocast(self) -> AbstractContextManager[Any]:
        if self.precision == "bfloat16":
            autocast: AbstractContextManager[Any] = self.torch.autocast(
                device_type="cuda", dtype=self.torch.bfloat16
            )
            return autocast
        return nullcontext()

    def run(
        self,
        encoded: Encoded,
        steps: Sequence[Sequence[int]],
        checkpoint: Path,
        fingerprint: str,
        *,
        resume: bool = False,
        progress: Callable[[Progress], None] | None = None,
    ) -> Trained:
        """Train on ``steps`` from the checkpoint's step (``resume``) or the first; save a
        checkpoint every ``checkpoint_every`` steps, after the last, and when interrupted
        (Ctrl+C, or any error from a step or from ``progress``: saved, then re-raised)."""
        torch = self.torch
        start, average = self.load(checkpoint, fingerprint) if resume else (0, None)
        total = len(steps)
        self.model.train()
        began = time.perf_counter()
        samples = 0
        done = start
        try:
            for step in range(start, total):
                batch = batch_tensors(encoded, steps[step], self.pad_id, self.device)
                for group in self.optimizer.param_groups:
                    group["lr"] = learning_rate(step, total, self.settings.learning_rate)
                with self.autocast():
                    loss = self.model(**batch).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.trainable.values(), 1.0)
                self.optimizer.step()
                self.optimizer.zero_grad(set_to_none=True)
                done = step + 1
                value = float(loss.detach())
                average = value if average is None else 0.9 * average + 0.1 * value
                samples += len(steps[step])
                # The last step too: a failure while saving or scoring then redoes no step.
                if done % self.settings.checkpoint_every == 0 or done == total:
                    self.save(checkpoint, fingerprint, done, average)
                if progress is not None:
                    elapsed = time.perf_counter() - began
                    rate = samples / elapsed if elapsed > 0 else None
                    eta = elapsed / (done - start) * (total - done)
                    progress(Progress("train", done, total, average, rate, eta))
        except BaseException:
            if done > start:  # the state after `done` whole steps
                self.save(checkpoint, fingerprint, done, average)
            raise
        self.model.eval()
        elapsed = time.perf_counter() - began
        return Trained(
            total,
            start,
            float("nan") if average is None else average,
            samples / elapsed if elapsed > 0 else 0.0,
        )

    def save(self, path: Path, fingerprint: str, step: int, average: float | None) -> None:
        """The trainable weights, optimizer and random state after ``step`` steps, written
        whole or not at all."""
        torch = self.torch
        state = {
            "fingerprint": fingerprint,
            "step": step,
            "average": average,
            "weights": {n: p.detach() for n, p in self.trainable.items()},
            "optimizer": self.optimizer.state_dict(),
            "rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if self.device == "cuda" else [],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)

    def load(self, path: Path, fingerprint: str) -> tuple[int, float | None]:
        """Restore a checkpoint of this same run; return its step and moving-average loss."""
        torch = self.torch
        try:
            state = torch.load(path, map_location=self.device, weights_only=True)
        except FileNotFoundError:
            raise UsageError(
                f"nothing to resume: no checkpoint in {path.parent}; run without --resume"
            ) from None
        except Exception as exc:  # torch raises many kinds for a damaged file
            raise UsageError(
                f"{path}: the checkpoint cannot be read ({type(exc).__name__}); "
                "use --force to start over"
            ) from None
        if state.get("fingerprint") != fingerprint:
            raise UsageError(
                f"the checkpoint in {path.parent} is from another run (other data, base model "
                "or settings): run the same command with --resume, or use --force to start over"
            )
        with torch.no_grad():
            for name, value in state["weights"].items():
                self.trainable[name].copy_(value)
        self.optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])
        if state["cuda_rng"]:
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        return int(state["step"]), state["average"]

    def merged(self) -> Any:
        """A plain Marian model: LoRA adapters merged into the weights (``merge_and_unload``)."""
        model = self.model.merge_and_unload() if self.settings.lora else self.model
        model.eval()
        return model


def reference_logprob(model: Any, encoded: Encoded, device: str, batch_tokens: int) -> float:
    """Mean log-probability per reference token (teacher forcing, end of sentence included):
    how likely the model finds the approved English."""
    import torch

    if not len(encoded):
        return float("nan")
    pad_id = int(model.config.pad_token_id)
    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for batch in plan_batches(encoded.lengths(), batch_tokens, MAX_SENTENCES):
            tensors = batch_tensors(encoded, batch, pad_id, device)
            logits = model(**tensors).logits.float()
            labels = tensors["labels"]
            nll = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]),
                labels.reshape(-1),
                ignore_index=-100,
                reduction="sum",
            )
            total -= float(nll)
            count += int((labels != -100).sum())
    return total / count


def checkpoint_fingerprint(**parts: Any) -> str:
    """One checksum of what decides a run's steps (data, base weights, settings)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
