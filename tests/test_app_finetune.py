"""The workspace's Fine-tune panel, driven with AppTest on the tiny model: hidden below 200
approved pairs, then the count, a run in the background with its progress, the before/after
table, and switching the workspace's model to the new folder."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from translate.errors import UsageError
from translate.training.loop import Progress
from translate.ui import finetune

from .test_app import new_session
from .training.synthetic import cipher_pairs, seed_memory


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_model_dir: Path) -> Path:
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("TRANSLATE_STORE", str(store))
    monkeypatch.setenv("TRANSLATE_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("TRANSLATE_UI_SETTINGS", "editable")
    monkeypatch.delenv("TRANSLATE_UI_PASSWORD", raising=False)
    monkeypatch.setattr(finetune, "_JOB", finetune.FinetuneJob())  # this test's own run
    import streamlit as st

    st.cache_resource.clear()
    return store


def panel_labels(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.label for e in at.sidebar.expander]


def test_the_panel_appears_with_200_approved_pairs(env: Path) -> None:
    seed_memory(env, cipher_pairs(150))
    assert not any(label.startswith("Fine-tune") for label in panel_labels(new_session()))
    seed_memory(env, cipher_pairs(260, seed=1))
    count = finetune.approved_pairs(env)
    assert f"Fine-tune ({count} approved pairs)" in panel_labels(new_session())


def test_the_panel_shows_the_progress_of_a_running_run(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def run(out: Path, **kwargs: Any) -> Any:
        kwargs["progress"](Progress("train", 3, 10, 2.5, 40.0, 12))
        release.wait(30)
        raise UsageError("stopped by the test")

    monkeypatch.setattr(finetune, "_JOB", finetune.FinetuneJob(run))
    seed_memory(env, cipher_pairs(300))
    at = new_session()
    at.button(key="finetune_start").click()
    at.run()
    for _ in range(100):
        if finetune.job().state().progress is not None:
            break
        time.sleep(0.02)
    at.run()
    (bar,) = at.sidebar.get("progress")
    assert "step 3/10 · loss 2.500 · 40.0 samples/s · ETA 0:12" in bar.proto.text
    assert "finetune_start" not in [b.key for b in at.sidebar.button]  # one run at a time
    release.set()
    assert finetune.job().wait(10).state == "failed"
    at.run()
    assert any("stopped by the test" in e.value for e in at.sidebar.error)


def test_fine_tune_in_the_background_then_switch_the_model(env: Path, tmp_path: Path) -> None:
    seed_memory(env, cipher_pairs(300))
    at = new_session()
    at.text_input(key="finetune_name").input("tiny-newsroom")
    at.button(key="finetune_start").click()
    at.run()
    assert not at.exception, at.exception
    # The script returned while the run goes on in its thread.
    assert at.session_state.finetune_polling is True
    state = finetune.job().wait(120)
    assert state.state == "done", state.error
    at.run()
    assert not at.exception, at.exception
    (lines,) = [m.value for m in at.sidebar.markdown if "**chrF**" in m.value]
    measures = [line.split("**")[1] for line in lines.splitlines()]
    assert measures == ["BLEU", "chrF", "term accuracy", "log-prob per token"]
    assert all("held-out " in line and " → " in line for line in lines.splitlines())
    out = state.out
    assert out is not None and (out / "finetune-report.json").is_file()
    at.button(key="use_finetuned").click()
    at.run()
    assert at.text_input(key="model").value == str(out)
