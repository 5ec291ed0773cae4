"""``translate finetune`` end to end (tiny model): on TMX files and from the store, the report
read back, the refusals with exit 2, and a run killed with SIGKILL resumed with --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.training.synthetic import cipher_pairs, seed_memory, write_tmx
from translate.cli import cli
from translate.training.run import work_folder

ROOT = Path(__file__).parent.parent.parent
QUICK = ["--max-steps", "20", "--batch-tokens", "256", "--device", "cpu"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_finetune_on_tmx_files_writes_the_model_and_its_report(
    runner: CliRunner, tiny_model_dir: Path, tmp_path: Path
) -> None:
    pairs = cipher_pairs(300)
    first = write_tmx(tmp_path / "a.tmx", pairs[:150])
    second = write_tmx(tmp_path / "b.tmx", pairs[150:])
    out = tmp_path / "models" / "cipher"
    result = runner.invoke(
        cli,
        ["finetune", "--tm", str(first), str(second), "--model", str(tiny_model_dir),
         "--out", str(out), *QUICK],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((out / "finetune-report.json").read_text(encoding="utf-8"))
    assert report["steps"] == 20 and report["data_source"] == "TMX (a.tmx, b.tmx)"
    assert report["pairs"] == report["train_pairs"] + report["heldout_pairs"] >= 299
    assert report["after"]["guard"]["pairs"] == 200
    # The table and the progress are on stderr; stdout says where the model is.
    assert "held-out (" in result.stderr and "log-prob/token" in result.stderr
    assert "step 20/20" in result.stderr and "samples/s" in result.stderr
    assert f"Fine-tuned model: {out}" in result.stdout
    # Used like any model folder.
    article = tmp_path / "berita.txt"
    article.write_text("pasar itu dan tahun ini.\n", encoding="utf-8")
    translated = runner.invoke(cli, ["article", str(article), "--model", str(out)])
    assert translated.exit_code in (0, 1) and "Traceback" not in translated.output
    assert translated.stdout.strip(), translated.output


def test_finetune_from_the_store(
    runner: CliRunner,
    tiny_model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = seed_memory(tmp_path / "store.sqlite", cipher_pairs(250))
    monkeypatch.setenv("TRANSLATE_STORE", str(store))
    out = tmp_path / "from-store"
    result = runner.invoke(
        cli,
        ["finetune", "--from-store", "--model", str(tiny_model_dir), "--out", str(out), *QUICK],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "finetune-report.json").read_text(encoding="utf-8"))
    assert report["data_source"] == "the store's translation memory (store.sqlite)"
    assert report["heldout_documents"] >= 2 and report["train_documents"] >= 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tm", "{small}"], "has 150 approved pairs; fine-tuning needs at least 200"),
        (["--from-store"], "there is no store at"),
        (["--tm", "{small}", "--from-store"], "either from the store (--from-store) or as --tm"),
        (["{small}"], "TMX files go after --tm"),
    ],
)
def test_refusals_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    small = write_tmx(tmp_path / "small.tmx", cipher_pairs(150))
    args = [a.format(small=small) for a in args]
    result = runner.invoke(cli, ["finetune", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_lora_without_peft_exits_2_saying_how_to_install_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "peft", None)
    tmx = write_tmx(tmp_path / "tm.tmx", cipher_pairs(300))
    result = runner.invoke(cli, ["finetune", "--tm", str(tmx), "--out", "x", "--lora"])
    assert result.exit_code == 2 and "pip install 'translate-id-en[train]'" in result.output


def test_a_killed_run_resumes_from_its_checkpoint(
    runner: CliRunner, tiny_model_dir: Path, tmp_path: Path
) -> None:
    tmx = write_tmx(tmp_path / "tm.tmx", cipher_pairs(300))
    out = tmp_path / "killed"
    args = ["finetune", "--tm", str(tmx), "--model", str(tiny_model_dir), "--out", str(out),
            "--max-steps", "250", "--batch-tokens", "256", "--lr", "3e-3",
            "--device", "cpu"]  # fmt: skip
    env = {**os.environ, "TRANSLATE_THREADS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "translate", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    checkpoint = work_folder(out) / "checkpoint.pt"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert checkpoint.exists() and not out.exists()
    result = runner.invoke(cli, [*args, "--resume"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "finetune-report.json").read_text(encoding="utf-8"))
    assert report["steps"] == 250 and report["resumed_from"] in (100, 200)
