"""Fine-tuning throughput of the real architecture: samples per second, full against LoRA,
with peak memory.

    python bench/finetune.py [--steps 20] [--warmup 3] [--batch-tokens 2048]
                             [--methods full lora] [--device cpu|cuda] [--threads N]

The model is ``../shared/models/opus-mt-id-en-arch`` (the real tokenizer and configuration)
with random weights (``MarianMTModel(config)``, seed 0): the speed of a training step does not
depend on what the weights know. The pairs are the 130 news sentences of
``bench/data/terms.jsonl`` with their reference English (real sentence lengths), batched by
the library's planner and trained by its ``Trainer`` (the code ``translate finetune`` runs),
``--warmup`` steps first, then ``--steps`` timed. Each method runs in its own process, so
its peak memory (RSS; on CUDA also the allocator's peak) is its own. Appends to
``bench/results/finetune.jsonl`` with the machine's load (``os.getloadavg``) at the start.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARCH = ROOT.parent / "shared" / "models" / "opus-mt-id-en-arch"
PAIRS = ROOT / "bench" / "data" / "terms.jsonl"
RESULTS = ROOT / "bench" / "results" / "finetune.jsonl"


def child(method: str, args: argparse.Namespace) -> dict[str, Any]:
    """Train ``warmup + steps`` steps with ``method``; time the last ``steps``."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    from translate.training.data import Pair
    from translate.training.loop import FinetuneSettings, Progress, Trainer, encode, plan_steps

    hf_logging.set_verbosity_error()
    if args.threads:
        torch.set_num_threads(args.threads)
    tokenizer = MarianTokenizer.from_pretrained(str(ARCH))
    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig.from_pretrained(str(ARCH))).to(args.device)
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    pairs = [Pair(r["text"], r["reference"], r["id"]) for r in rows]
    encoded, _ = encode(tokenizer, pairs, 256)
    total = args.warmup + args.steps
    settings = FinetuneSettings(
        lora=method == "lora",
        max_steps=total,
        batch_tokens=args.batch_tokens,
        checkpoint_every=10**9,  # no checkpoint inside the timed steps
        device=args.device,
    )
    steps = plan_steps(encoded, settings)
    trainer = Trainer(model, args.device, settings)
    trainable = sum(p.numel() for p in trainer.trainable.values())
    marks: dict[int, float] = {}

    def mark(p: Progress) -> None:
        if args.device == "cuda":
            torch.cuda.synchronize()
        marks[p.done] = time.perf_counter()

    with tempfile.TemporaryDirectory() as tmp:
        trainer.run(encoded, steps, Path(tmp) / "checkpoint.pt", "bench", progress=mark)
    timed = steps[args.warmup :]
    seconds = marks[total] - marks[args.warmup]
    samples = sum(len(b) for b in timed)
    tokens = sum(len(encoded.targets[i]) for b in timed for i in b)
    result = {
        "method": method,
        "trainable_parameters": trainable,
        "steps": len(timed),
        "samples": samples,
        "seconds": round(seconds, 2),
        "samples_per_s": round(samples / seconds, 2),
        "target_tokens_per_s": round(tokens / seconds, 1),
        "seconds_per_step": round(seconds / len(timed), 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "precision": trainer.precision,
    }
    if args.device == "cuda":
        result["peak_cuda_mib"] = round(torch.cuda.max_memory_allocated() / 2**20)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--methods", nargs="+", default=["full", "lora"], choices=["full", "lora"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args)))
        return
    load = os.getloadavg()
    results = []
    for method in args.methods:
        command = [sys.executable, __file__, "--child", method, *sys.argv[1:]]
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(
            f"{method:5} {r['samples_per_s']:7.2f} samples/s  {r['target_tokens_per_s']:8.1f} "
            f"target tokens/s  {r['seconds_per_step']:6.2f} s/step  peak RSS "
            f"{r['peak_rss_mib']} MiB  ({r['trainable_parameters']:,} trainable)",
            flush=True,
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    record = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "device": args.device,
        "cpus": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "load_at_start": [round(x, 2) for x in load],
        "load_at_end": [round(x, 2) for x in os.getloadavg()],
        "batch_tokens": args.batch_tokens,
        "warmup": args.warmup,
        "threads": args.threads,
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    print(f"load average at start {load[0]:.2f}, at end {record['load_at_end'][0]:.2f}")


if __name__ == "__main__":
    main()
