"""The training plan (batches by tokens, seeded, max steps), the schedule and the settings."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from translate.errors import UsageError
from translate.training.loop import (
    Encoded,
    FinetuneSettings,
    Progress,
    learning_rate,
    plan_steps,
)


def encoded(n: int) -> Encoded:
    # Lengths 3..40 on the source side, a little longer on the target side.
    sources = tuple(tuple(range(3 + i % 38)) for i in range(n))
    targets = tuple(tuple(range(5 + i % 38)) for i in range(n))
    return Encoded(sources, targets)


def test_each_epoch_covers_every_pair_once_within_the_token_budget() -> None:
    pairs = encoded(300)
    settings = FinetuneSettings(epochs=2, batch_tokens=256, max_length=64)
    steps = plan_steps(pairs, settings)
    assert Counter(i for batch in steps for i in batch) == Counter({i: 2 for i in range(300)})
    lengths = pairs.lengths()
    assert all(len(b) * max(lengths[i] for i in b) <= 256 for b in steps)
    # The seed decides the plan, and the epochs differ from each other.
    assert plan_steps(pairs, settings) == steps
    assert plan_steps(pairs, FinetuneSettings(epochs=2, seed=2, batch_tokens=256)) != steps
    half = len(steps) // 2
    assert sorted(map(sorted, steps[:half])) != sorted(map(sorted, steps[half:]))


@pytest.mark.parametrize("max_steps", [1, 7, 500])
def test_max_steps_overrides_epochs(max_steps: int) -> None:
    steps = plan_steps(encoded(100), FinetuneSettings(epochs=1, max_steps=max_steps))
    assert len(steps) == max_steps


def test_the_learning_rate_warms_up_then_decays_to_zero() -> None:
    rates = [learning_rate(s, 100, 1e-3) for s in range(100)]
    assert rates[0] < rates[4] == pytest.approx(1e-3)  # 5 % warm-up
    assert all(a >= b for a, b in itertools.pairwise(rates[4:]))
    assert rates[-1] == pytest.approx(1e-3 / 95)


@pytest.mark.parametrize(
    ("settings", "default"),
    [
        (FinetuneSettings(), 5e-5),
        (FinetuneSettings(lora=True), 5e-4),
        (FinetuneSettings(lr=1e-3), 1e-3),
    ],
)
def test_the_default_rate_depends_on_the_method(settings: FinetuneSettings, default: float) -> None:
    assert settings.learning_rate == default


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (FinetuneSettings(epochs=0), "--epochs"),
        (FinetuneSettings(lr=0.0), "--lr"),
        (FinetuneSettings(max_steps=0), "--max-steps"),
        (FinetuneSettings(batch_tokens=100, max_length=256), "batch_tokens"),
    ],
)
def test_settings_out_of_range_are_refused(settings: FinetuneSettings, named: str) -> None:
    with pytest.raises(UsageError, match=named):
        settings.check()


def test_progress_lines_say_steps_loss_rate_and_eta() -> None:
    line = Progress("train", 40, 400, loss=2.3456, samples_per_s=12.5, eta_s=3725).line()
    assert line == "step 40/400 · loss 2.346 · 12.5 samples/s · ETA 1:02:05"
    assert Progress("evaluate-base", 3, 30).line() == "evaluating the base model: 3/30 sentences"
