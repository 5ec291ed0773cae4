"""The Fine-tune panel's logic: the approved count, one background run at a time, its
states, the output folder's name and the before/after rows."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.training.synthetic import cipher_pairs, seed_memory
from translate.errors import UsageError
from translate.training.evaluate import Evaluation, Scores
from translate.training.loop import Progress
from translate.ui import finetune


def test_the_approved_count_is_the_memory_size(tmp_path: Path) -> None:
    store = seed_memory(tmp_path / "store.sqlite", cipher_pairs(40))
    assert finetune.approved_pairs(store) == len({s for s, _, _ in cipher_pairs(40)})


def test_a_run_goes_in_the_background_one_at_a_time(tmp_path: Path) -> None:
    release = threading.Event()
    seen: list[dict[str, Any]] = []

    def run(out: Path, **kwargs: Any) -> Any:
        seen.append(kwargs)
        kwargs["progress"](Progress("train", 3, 10, 2.0, 5.0, 1.4))
        release.wait(10)
        return "the report"

    job = finetune.FinetuneJob(run)
    job.start(tmp_path / "m", model="base", store=tmp_path / "s.sqlite")
    with pytest.raises(UsageError, match="already going"):
        job.start(tmp_path / "n", model="base", store=tmp_path / "s.sqlite")
    for _ in range(200):  # the thread reports its progress while the caller goes on
        if job.state().progress is not None:
            break
        threading.Event().wait(0.01)
    state = job.state()
    assert state.state == "running" and state.progress is not None and state.progress.done == 3
    release.set()
    done = job.wait(10)
    assert done.state == "done" and done.report == "the report" and done.out == tmp_path / "m"
    assert seen[0]["model"] == "base" and seen[0]["store"] == tmp_path / "s.sqlite"


def test_a_failed_run_says_why(tmp_path: Path) -> None:
    def run(out: Path, **kwargs: Any) -> Any:
        raise UsageError("the store's memory has 12 approved pairs")

    job = finetune.FinetuneJob(run)
    job.start(tmp_path / "m", model="base", store=tmp_path / "s.sqlite")
    state = job.wait(10)
    assert state.state == "failed" and "12 approved pairs" in state.error


@pytest.mark.parametrize("name", ["../elsewhere", "a/b", ".hidden"])
def test_the_new_models_name_is_a_plain_folder_name(name: str) -> None:
    with pytest.raises(UsageError, match="plain folder name"):
        finetune.output_folder("Helsinki-NLP/opus-mt-id-en", name)


def test_the_default_name_is_the_bases_and_the_date(private_home: Path) -> None:
    out = finetune.output_folder("/srv/models/opus-mt-id-en")
    assert out.parent == private_home / "models"
    assert out.name.startswith("opus-mt-id-en-newsroom-20")
    assert finetune.output_folder("x", " mine ").name == "mine"


def test_the_table_has_a_row_per_measure_and_a_column_per_set() -> None:
    before = Evaluation(Scores(30, 10.0, 30.0, -3.0, 4, 0.5), Scores(200, 5.0, 25.0, -4.0, 0, None))
    after = Evaluation(Scores(30, 20.0, 45.5, -2.0, 4, 0.75), Scores(200, 4.0, 24.0, -4.2, 0, None))
    rows = finetune.report_rows(before, after)
    assert [r[""] for r in rows] == ["BLEU", "chrF", "term accuracy", "log-prob per token"]
    assert rows[1] == {"": "chrF", "held-out": "30.0 → 45.5", "general": "25.0 → 24.0"}
    assert rows[2]["held-out"] == "50 % → 75 %" and rows[2]["general"] == "— → —"
