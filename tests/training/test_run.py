"""``finetune`` end to end with the tiny model on an artificial language pair (synthetic.py):
it learns (held-out loss down, chrF up), the folder loads like any model on both backends,
an interrupted run resumes to the same result, and the guard rails hold.

Random weights cannot show a real quality gain; the cipher shows that the loop, the split,
the scoring and the saved folder do what they say.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from translate.engines.registry import load_engine
from translate.errors import UsageError
from translate.training.loop import FinetuneSettings, Progress
from translate.training.report import FinetuneReport
from translate.training.run import finetune, work_folder

from .synthetic import TARGET_WORDS, cipher_pairs, write_tmx

LEARN = FinetuneSettings(
    lr=3e-3, max_steps=600, batch_tokens=256, max_length=64, beams=2, device="cpu"
)
SHORT = replace(LEARN, max_steps=30, checkpoint_every=10)


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tmx(tmp_path_factory.mktemp("tm") / "cipher.tmx", cipher_pairs(300))


@pytest.fixture(scope="module")
def tuned(
    tiny_model_dir: Path, tmx: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[FinetuneReport, Path, dict[str, str]]:
    base_before = folder_digest(tiny_model_dir)
    out = tmp_path_factory.mktemp("models") / "tiny-cipher"
    report = finetune(out, model=tiny_model_dir, tm=[tmx], settings=LEARN)
    return report, out, base_before


def test_fine_tuning_lowers_the_held_out_loss_and_raises_chrf(
    tuned: tuple[FinetuneReport, Path, dict[str, str]],
) -> None:
    report, _, _ = tuned
    before, after = report.before.heldout, report.after.heldout
    distinct = len({s for s, _, _ in cipher_pairs(300)})  # one source drawn twice
    assert report.train_pairs + report.heldout_pairs == report.pairs == distinct
    assert report.heldout_pairs == after.pairs == 30
    assert after.logprob > before.logprob + 2  # nats per token: random weights are ~ -6
    assert after.chrf > before.chrf + 10
    assert report.steps == 600 and report.resumed_from == 0
    # The guard set was scored both times (general Indonesian: nothing the cipher teaches).
    assert report.before.guard is not None and report.after.guard is not None
    assert report.before.guard.pairs == report.after.guard.pairs == 200


def test_the_report_is_in_the_folder_and_names_what_was_used(
    tuned: tuple[FinetuneReport, Path, dict[str, str]], tiny_model_dir: Path
) -> None:
    report, out, _ = tuned
    stored = json.loads((out / "finetune-report.json").read_text(encoding="utf-8"))
    assert stored == report.to_dict()
    assert stored["schema"] == "translate.finetune-report/1"
    assert stored["base_model"] == tiny_model_dir.name  # a folder by its name, not its path
    assert stored["base_sha256"] != stored["model_sha256"]
    assert stored["settings"]["seed"] == 1 and stored["settings"]["max_steps"] == 600
    assert stored["data_source"] == "TMX (cipher.tmx)" and len(stored["data_sha256"]) == 64
    assert stored["device"] == "cpu" and stored["precision"] == "float32"
    assert stored["train_documents"] + stored["heldout_documents"] == 30
    assert "held-out (30)" in report.table() and "guard (general) (200)" in report.table()


def test_the_base_model_is_not_modified(
    tuned: tuple[FinetuneReport, Path, dict[str, str]], tiny_model_dir: Path
) -> None:
    _, _, base_before = tuned
    assert folder_digest(tiny_model_dir) == base_before


@pytest.mark.parametrize("backend", ["torch", "ct2"])
def test_the_folder_loads_like_any_model_and_translates(
    tuned: tuple[FinetuneReport, Path, dict[str, str]], backend: str
) -> None:
    if backend == "ct2":
        pytest.importorskip("ctranslate2")
    _, out, _ = tuned
    assert not (out / "adapter_config.json").exists() and (out / "config.json").is_file()
    engine = load_engine(str(out), "cpu", backend)  # ct2: converted on first use
    ((best, *_),) = engine.translate(["pasar dan tahun itu"], beams=2)
    # The fine-tuned weights are the ones loaded: the output is the cipher's "English" (the
    # tiny model maps some words right, not all: chrF ~25), where random weights write noise.
    words = best.text.split()
    assert words and set(words) <= set(TARGET_WORDS), best.text


def test_an_interrupted_run_resumes_to_the_same_steps_and_weights(
    tiny_model_dir: Path, tmx: Path, tmp_path: Path
) -> None:
    whole = finetune(
        tmp_path / "whole", model=tiny_model_dir, tm=[tmx], settings=SHORT, guard=False
    )

    def interrupt(p: Progress) -> None:
        if p.phase == "train" and p.done == 17:
            raise KeyboardInterrupt  # Ctrl+C after step 17

    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        finetune(
            out, model=tiny_model_dir, tm=[tmx], settings=SHORT, guard=False, progress=interrupt
        )
    assert not out.exists() and (work_folder(out) / "checkpoint.pt").is_file()
    with pytest.raises(UsageError, match="--resume"):  # never silently started over
        finetune(out, model=tiny_model_dir, tm=[tmx], settings=SHORT, guard=False)
    with pytest.raises(UsageError, match="another run"):  # other settings: refused
        finetune(
            out,
            model=tiny_model_dir,
            tm=[tmx],
            settings=replace(SHORT, seed=2),
            guard=False,
            resume=True,
        )
    resumed = finetune(
        out, model=tiny_model_dir, tm=[tmx], settings=SHORT, guard=False, resume=True
    )
    assert resumed.steps == whole.steps == 30 and resumed.resumed_from == 17
    assert resumed.model_sha256 == whole.model_sha256  # the same weights, step for step
    assert not work_folder(out).exists()


def test_an_existing_folder_is_refused_unless_forced(
    tiny_model_dir: Path, tmx: Path, tmp_path: Path
) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    settings = replace(SHORT, max_steps=2)
    with pytest.raises(UsageError, match="exists: choose another --out, or --force"):
        finetune(out, model=tiny_model_dir, tm=[tmx], settings=settings, guard=False)
    assert (out / "keep.txt").is_file()
    finetune(out, model=tiny_model_dir, tm=[tmx], settings=settings, guard=False, force=True)
    assert not (out / "keep.txt").exists() and (out / "finetune-report.json").is_file()
    with pytest.raises(UsageError, match="is the base model"):
        finetune(tiny_model_dir, model=tiny_model_dir, tm=[tmx], settings=settings, force=True)


def test_too_few_pairs_are_refused_before_any_model_loads(tmp_path: Path) -> None:
    tmx = write_tmx(tmp_path / "small.tmx", cipher_pairs(150))
    with pytest.raises(UsageError, match="has 150 approved pairs; fine-tuning needs at least 200"):
        finetune(tmp_path / "out", model=tmp_path / "no-such-model", tm=[tmx])


def test_lora_is_merged_into_a_plain_marian_folder(
    tiny_model_dir: Path, tmx: Path, tmp_path: Path
) -> None:
    pytest.importorskip("peft")
    settings = replace(LEARN, lora=True, lora_rank=8, lr=1e-2, max_steps=100)
    out = tmp_path / "lora"
    report = finetune(out, model=tiny_model_dir, tm=[tmx], settings=settings, guard=False)
    # Adapters cannot touch the tiny model's random embeddings and output layer (frozen, as
    # LoRA leaves them), which keep its output near uniform: the loss falls a little only.
    assert report.after.heldout.logprob > report.before.heldout.logprob + 0.05
    assert report.model_sha256 != report.base_sha256  # the adapters were merged in
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "source.spm", "vocab.json"} <= names
    assert not any("adapter" in n for n in names)
    config = json.loads((out / "config.json").read_text())
    assert config["architectures"] == ["MarianMTModel"]
    # Loaded the normal way, the folder holds exactly the weights the run reported.
    from translate.engines.torch.engine import load_marian
    from translate.training.loop import weights_sha256

    assert weights_sha256(load_marian(out, "cpu")[1]) == report.model_sha256
    assert len(load_engine(str(out), "cpu", "torch").translate(["pasar itu"], beams=1)) == 1


def test_lora_without_peft_says_how_to_install_it(
    tmx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "peft", None)  # import peft → ImportError
    with pytest.raises(UsageError, match=r"pip install 'translate-id-en\[train\]'"):
        finetune(tmp_path / "out", tm=[tmx], settings=FinetuneSettings(lora=True))


def test_the_api_is_translate_finetune_loaded_on_first_use() -> None:
    import subprocess
    import sys

    import translate

    assert translate.finetune is finetune and translate.FinetuneSettings is FinetuneSettings
    # `import translate` alone loads neither the training code nor torch.
    code = (
        "import sys, translate; print('translate.training' in sys.modules, 'torch' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "False"]
