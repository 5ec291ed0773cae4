"""The report of a fine-tuning run: ``finetune-report.json`` in the output folder, and a
short before/after table for the terminal."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from translate.training.evaluate import Evaluation, Scores
from translate.training.loop import FinetuneSettings

REPORT = "finetune-report.json"
SCHEMA = "translate.finetune-report/1"


@dataclass(frozen=True)
class FinetuneReport:
    """What was trained, from what, how, and what it changed (before/after, same run).

    ``base_sha256``/``model_sha256``: checksums of the weights as loaded (state dict), so a
    report names the exact base and result whatever their file format. ``data_sha256``: of
    every approved pair used (training and held out). ``duration_s`` is this invocation's
    wall time; a resumed run says from which step (``resumed_from``).
    """

    output: str
    base_model: str
    base_sha256: str
    model_sha256: str
    data_source: str
    data_sha256: str
    pairs: int
    train_pairs: int
    heldout_pairs: int
    train_documents: int
    heldout_documents: int
    skipped_long: int
    settings: FinetuneSettings
    learning_rate: float
    device: str
    precision: str
    steps: int
    resumed_from: int
    train_loss: float
    samples_per_s: float
    duration_s: float
    before: Evaluation
    after: Evaluation
    glossary_sha256: str | None
    version: str
    created: str
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON values (NaN as null)."""
        return _finite(asdict(self))  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """The report's JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    def table(self) -> str:
        """Before and after, on the held-out pairs and the guard set, as a text table."""
        sets = [("held-out", self.before.heldout, self.after.heldout)]
        if self.before.guard is not None and self.after.guard is not None:
            sets.append(("guard (general)", self.before.guard, self.after.guard))
        rows = [("", *[f"{name} ({b.pairs})" for name, b, _ in sets])]
        rows.append(("", *["before → after" for _ in sets]))
        for label, value in _METRICS:
            rows.append((label, *[f"{value(b)} → {value(a)}" for _, b, a in sets]))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        lines.append(
            f"{self.steps} steps ({'LoRA' if self.settings.lora else 'full'}, "
            f"{self.train_pairs} training pairs, {self.samples_per_s:.1f} samples/s, "
            f"{self.duration_s:.0f} s)"
        )
        return "\n".join(line.rstrip() for line in lines)


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"


_METRICS: list[tuple[str, Callable[[Scores], str]]] = [
    ("BLEU", lambda s: _number(s.bleu)),
    ("chrF", lambda s: _number(s.chrf)),
    (
        "term accuracy",
        lambda s: "—" if s.term_accuracy is None else f"{100 * s.term_accuracy:.0f} % of {s.terms}",
    ),
    ("log-prob/token", lambda s: _number(s.logprob, 3)),
]


def _finite(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
