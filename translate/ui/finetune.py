"""The workspace's *Fine-tune* panel, without Streamlit: how many approved pairs the store
has, one fine-tuning run per server in a background thread (never the script thread: the
workspace stays usable, and a rerun or a closed tab does not stop it), its progress, and the
report as a before/after table.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from translate.config import home
from translate.document import model_name
from translate.errors import TranslateError, UsageError
from translate.review.memory import Memory
from translate.training.data import MIN_PAIRS
from translate.training.evaluate import Evaluation, Scores
from translate.training.loop import FinetuneSettings, Progress
from translate.training.report import FinetuneReport
from translate.training.run import finetune

__all__ = ["MIN_PAIRS", "FinetuneJob", "JobState", "approved_pairs", "job", "output_folder"]

State = Literal["idle", "running", "done", "failed"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobState:
    """What the server's fine-tuning run is doing: its output folder, the last progress, and
    when finished the report or the error."""

    state: State = "idle"
    out: Path | None = None
    progress: Progress | None = None
    report: FinetuneReport | None = None
    error: str = ""


def approved_pairs(store: str | os.PathLike[str]) -> int:
    """How many approved pairs the store's translation memory holds (what training uses)."""
    with Memory(store) as memory:
        return len(memory)


def output_folder(model: str, name: str = "") -> Path:
    """Where the panel puts a new model: ``<home>/models/NAME`` (default: the base's name,
    ``-newsroom`` and the date)."""
    if not name.strip():
        name = f"{model_name(model).rstrip('/').split('/')[-1]}-newsroom-"
        name += datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    name = name.strip()
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(f"{name!r}: give a plain folder name (it goes under {home() / 'models'})")
    return home() / "models" / name


class FinetuneJob:
    """One fine-tuning run at a time, in a daemon thread; ``state`` is safe to poll."""

    def __init__(self, run: Callable[..., FinetuneReport] = finetune) -> None:
        self._run = run
        self._lock = threading.Lock()
        self._state = JobState()
        self._thread: threading.Thread | None = None

    def state(self) -> JobState:
        """The run's state now."""
        with self._lock:
            return self._state

    def start(
        self,
        out: Path,
        *,
        model: str,
        store: str | os.PathLike[str],
        settings: FinetuneSettings | None = None,
    ) -> None:
        """Start fine-tuning ``model`` on the store's approved pairs into ``out``; refused
        while a run is going (one at a time: it uses every core)."""
        with self._lock:
            if self._state.state == "running":
                raise UsageError("a fine-tuning run is already going: wait for it to finish")
            self._state = JobState("running", out)
            self._thread = threading.Thread(
                target=self._work,
                args=(out, model, store, settings),
                name="finetune",
                daemon=True,
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> JobState:
        """Wait for the run to end (for tests and scripts); return its state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.state()

    def _work(self, out: Path, model: str, store: str | os.PathLike[str], settings: Any) -> None:
        def progress(p: Progress) -> None:
            with self._lock:
                self._state = JobState("running", out, p)

        try:
            report = self._run(out, model=model, store=store, settings=settings, progress=progress)
        except TranslateError as exc:
            self._finish(JobState("failed", out, error=str(exc)))
        except Exception as exc:  # shown in the panel; the details go to the server's log
            log.exception("fine-tuning into %s failed", out)
            self._finish(JobState("failed", out, error=f"{type(exc).__name__}: {exc}"))
        else:
            self._finish(JobState("done", out, report=report))

    def _finish(self, state: JobState) -> None:
        with self._lock:
            self._state = state


_JOB = FinetuneJob()


def job() -> FinetuneJob:
    """The server's fine-tuning run (one per process, shared by every browser session)."""
    return _JOB


def report_rows(before: Evaluation, after: Evaluation) -> list[dict[str, str]]:
    """The before/after table of a report: one row per measure, a column per set holding
    "base → fine-tuned" (three narrow columns: the table sits in the sidebar)."""
    sets: list[tuple[str, Scores, Scores]] = [("held-out", before.heldout, after.heldout)]
    if before.guard is not None and after.guard is not None:
        sets.append(("general", before.guard, after.guard))
    measures: list[tuple[str, Callable[[Scores], str]]] = [
        ("BLEU", lambda s: f"{s.bleu:.1f}"),
        ("chrF", lambda s: f"{s.chrf:.1f}"),
        (
            "term accuracy",
            lambda s: "—" if s.term_accuracy is None else f"{100 * s.term_accuracy:.0f} %",
        ),
        ("log-prob per token", lambda s: f"{s.logprob:.3f}"),
    ]
    rows = []
    for label, value in measures:
        row = {"": label}
        for name, base, tuned in sets:
            row[name] = f"{value(base)} → {value(tuned)}"
        rows.append(row)
    return rows
