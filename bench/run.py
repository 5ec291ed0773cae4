"""The benchmark harness: target tokens per second against a baseline measured in the same run.

    python bench/run.py speed [--quick] [--model DIR] [--beams 4] [--threads N]
    python bench/run.py batch-memory [--counts 20 200]

Model: ``../shared/models/opus-mt-id-en-arch`` (the real tokenizer and configuration) with random
weights, saved once under ``models/<name>-random/`` (git-ignored) and loaded through the same
code path as a real model. Random weights rarely emit end-of-sentence, so every engine decodes
to its length bound (1.5 × source tokens + 10 per translated unit): compare target tokens per
second, not wall time. Each engine runs in its own process so its peak memory is its own.
Every run appends its figures and configuration to ``bench/results/*.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARCH = ROOT.parent / "shared" / "models" / "opus-mt-id-en-arch"
SAMPLE = ROOT.parent / "shared" / "samples" / "aktual-aleppo.txt"
ARTICLES = ROOT / "tests" / "data" / "articles"
RESULTS = ROOT / "bench" / "results"


# --- model and texts ------------------------------------------------------------------------


def random_model(arch: Path) -> Path:
    """A folder with ``arch``'s tokenizer and config and random weights (made once, seed 0)."""
    if (arch / "model.safetensors").exists() or (arch / "pytorch_model.bin").exists():
        return arch
    folder = ROOT / "models" / f"{arch.name}-random"
    if (folder / "model.safetensors").exists():
        return folder
    import shutil

    import torch
    from transformers import MarianConfig, MarianMTModel

    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig.from_pretrained(str(arch)))
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder))
    for f in arch.iterdir():
        if f.name not in ("config.json", "README.md") and f.is_file():
            shutil.copy(f, folder / f.name)
    return folder


def texts(quick: bool) -> list[tuple[str, str]]:
    """(name, text): the sample article and five article-sized test texts (two when quick)."""
    out = []
    if SAMPLE.exists():
        out.append((SAMPLE.name, SAMPLE.read_text(encoding="utf-8-sig")))
    for path in sorted(ARTICLES.glob("*")):
        if path.suffix in (".txt", ".md"):
            out.append((path.name, path.read_text(encoding="utf-8-sig")))
    return out[:2] if quick else out[:6]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (one process each) -------------------------------------------------------------


def worker_naive(model_dir: str, beams: int, quick: bool) -> dict[str, Any]:
    """One ``generate`` call per paragraph, the same length-bound rule, forced to the bound."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from translate.engine import output_bound
    from translate.normalize import to_model
    from translate.readers import read_text

    t0 = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    load = time.perf_counter() - t0
    paragraphs = []
    for name, text in texts(quick):
        doc = read_text(text, "md" if name.endswith(".md") else "txt")
        for block in doc.blocks:
            if any(s.mode == "translate" for s in block.spans):
                paragraphs.append(to_model(block.source))
    target = 0
    t0 = time.perf_counter()
    with torch.inference_mode():
        for paragraph in paragraphs:
            enc = tokenizer(paragraph, return_tensors="pt", truncation=True, max_length=512)
            bound = min(output_bound(enc["input_ids"].shape[1]), 511)
            out = model.generate(**enc, num_beams=beams, min_new_tokens=bound, max_new_tokens=bound)
            target += int((out[0, 1:] != tokenizer.pad_token_id).sum()) - 1
    seconds = time.perf_counter() - t0
    return {
        "units": len(paragraphs),
        "target_tokens": target,
        "seconds": seconds,
        "load_seconds": load,
    }


def worker_torch(model_dir: str, beams: int, quick: bool) -> dict[str, Any]:
    """Our pipeline: all documents' sentences share length-sorted, token-budget batches."""
    from translate import Translator
    from translate.engine import MarianEngine
    from translate.readers import read_text

    t0 = time.perf_counter()
    engine = MarianEngine(model_dir, "cpu", force_length=True)
    load = time.perf_counter() - t0
    translator = Translator(engine=engine, beams=beams)
    docs = [
        (name, read_text(text, "md" if name.endswith(".md") else "txt"))
        for name, text in texts(quick)
    ]
    finished: list[str] = []
    t0 = time.perf_counter()
    translator.translate_documents(docs, lambda key, doc: finished.append(key))
    seconds = time.perf_counter() - t0
    assert len(finished) == len(docs)
    return {
        "batches": engine.batches,
        "target_tokens": engine.target_tokens,
        "source_tokens": engine.source_tokens,
        "seconds": seconds,
        "load_seconds": load,
    }


WORKERS = {"naive": worker_naive, "torch": worker_torch}


def run_worker(name: str, model_dir: Path, beams: int, quick: bool, threads: int) -> dict[str, Any]:
    env = {**os.environ, "TRANSLATE_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    cmd = [sys.executable, __file__, "_worker", name, str(model_dir), str(beams), str(int(quick))]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"worker {name} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["tokens_per_s"] = result["target_tokens"] / result["seconds"]
    return result


# --- commands -------------------------------------------------------------------------------


def _config(args: argparse.Namespace, model_dir: Path) -> dict[str, Any]:
    import torch

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "torch": torch.__version__,
        "model": str(model_dir),
        "beams": args.beams,
        "threads": args.threads,
        "quick": args.quick,
        "texts": [name for name, _ in texts(args.quick)],
    }


def append(result_file: str, record: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / result_file, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def cmd_speed(args: argparse.Namespace) -> None:
    model_dir = random_model(Path(args.model))
    record = _config(args, model_dir)
    engines = args.engines
    figures = {}
    for name in engines:
        figures[name] = run_worker(name, model_dir, args.beams, args.quick, args.threads)
        f = figures[name]
        print(
            f"{name:>8}: {f['target_tokens']:>6} target tokens in {f['seconds']:7.1f} s = "
            f"{f['tokens_per_s']:7.1f} tok/s, peak RSS {f['peak_rss_mb']:.0f} MB, "
            f"load {f['load_seconds']:.1f} s",
            flush=True,
        )
    base = figures.get("naive")
    if base:
        for name, f in figures.items():
            f["speedup"] = f["tokens_per_s"] / base["tokens_per_s"]
            print(f"{name:>8}: {f['speedup']:.2f}x the naive loop")
    record["figures"] = figures
    append("speed.jsonl", record)


def cmd_batch_memory(args: argparse.Namespace) -> None:
    """Peak RSS of `translate batch` for growing folders of small articles (tiny model)."""
    import tempfile

    from tests.test_batch import make_inputs
    from tests.tiny_model import build_tiny_marian

    record: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": "tiny (tests/tiny_model.py)",
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        model = build_tiny_marian(Path(tmp) / "tiny")
        for count in args.counts:
            src, out = Path(tmp) / f"in{count}", Path(tmp) / f"out{count}"
            make_inputs(src, count)
            code = (
                "import resource, sys; from translate.cli import main; sys.argv=sys.argv[1:]; "
                "\ntry:\n    main()\nfinally:\n    print('RSS', resource.getrusage("
                "resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
            )
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    code,
                    "translate",
                    "batch",
                    str(src),
                    "-o",
                    str(out),
                    "--model",
                    str(model),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "TRANSLATE_THREADS": "1"},
            )
            seconds = time.perf_counter() - t0
            rss = [ln for ln in proc.stderr.splitlines() if ln.startswith("RSS ")]
            peak = int(rss[-1].split()[1]) / 1024 if rss else float("nan")
            run = {
                "articles": count,
                "peak_rss_mb": round(peak, 1),
                "seconds": round(seconds, 1),
                "returncode": proc.returncode,
            }
            record["runs"].append(run)
            print(
                f"{count:>5} articles: peak RSS {peak:.0f} MB, {seconds:.1f} s, "
                f"exit {proc.returncode}"
            )
    append("batch_memory.jsonl", record)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        name, model_dir, beams, quick = sys.argv[2:6]
        result = WORKERS[name](model_dir, int(beams), bool(int(quick)))
        result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    speed = sub.add_parser("speed", help="target tokens/s: our engines against the naive loop")
    speed.add_argument("--quick", action="store_true", help="two texts instead of six")
    speed.add_argument("--model", default=str(ARCH), help="model folder (weights optional)")
    speed.add_argument("--beams", type=int, default=4)
    speed.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    speed.add_argument("--engines", nargs="+", default=["naive", "torch"], choices=WORKERS)
    speed.set_defaults(func=cmd_speed)
    memory = sub.add_parser("batch-memory", help="peak RSS of translate batch vs folder size")
    memory.add_argument("--counts", nargs="+", type=int, default=[20, 200])
    memory.set_defaults(func=cmd_batch_memory)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
