"""Local batch against Ray on this machine, same run: throughput and peak memory.

    sudo python bench/ray_batch.py [--documents 500] [--workers 2] [--backend torch]

Makes ``--documents`` article-sized documents (paragraphs of the sample article, about five
each), translates them with ``translate batch`` (local) and ``translate batch --engine ray``
(``--workers`` actors), each in its own process, with the tiny test model (random weights, so
every sentence decodes to its length bound: compare the two, not the absolute speed). Ray
runs inside a network namespace with only loopback (the only way it stays on 127.0.0.1 here;
needs root). Peak memory: the local process's maximum RSS; for Ray, the largest sum of the
RSS of every process of the run (driver, raylet, GCS, workers, actors), sampled every 0.2 s.
Appends to ``bench/results/ray-batch.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT.parent / "shared" / "samples" / "aktual-aleppo.txt"
RESULTS = ROOT / "bench" / "results" / "ray-batch.jsonl"


def corpus(folder: Path, documents: int) -> int:
    """``documents`` files of about five paragraphs each; their total paragraphs."""
    text = SAMPLE.read_text(encoding="utf-8") if SAMPLE.exists() else ""
    paragraphs = [p for p in text.split("\n\n") if p.strip()] or ["Harga beras naik."] * 8
    folder.mkdir(parents=True)
    total = 0
    for n in range(documents):
        start = (n * 3) % len(paragraphs)
        chosen = [paragraphs[(start + k) % len(paragraphs)] for k in range(5)]
        (folder / f"berita-{n:04d}.txt").write_text("\n\n".join(chosen), encoding="utf-8")
        total += len(chosen)
    return total


def tree_rss(pid: int) -> int:
    """Bytes of resident memory of ``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1]) * 1024
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the process tree, and stderr's last line."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)  # fmt: skip
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    last = [line for line in err.splitlines() if " done, " in line]
    return seconds, peak, last[-1] if last else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", default="torch", choices=["torch", "ct2"])
    args = parser.parse_args()

    from tests.tiny_model import build_tiny_marian

    work = Path(tempfile.mkdtemp(prefix="ray-batch-"))
    model = build_tiny_marian(work / "tiny-marian")
    paragraphs = corpus(work / "in", args.documents)
    env = {**os.environ, "TRANSLATE_MODEL": str(model), "TRANSLATE_HOME": str(work / "home"),
           "TRANSLATE_THREADS": "1", "TRANSLATE_BACKEND": args.backend}  # fmt: skip
    base = [sys.executable, "-m", "translate", "batch", str(work / "in"), "--format", "txt"]
    local_s, local_rss, local_line = run([*base, "-o", str(work / "local")], env)

    netns = f"bench-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", netns], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"], check=True)
        ray_s, ray_rss, ray_line = run(
            ["ip", "netns", "exec", netns, *base, "-o", str(work / "ray"), "--engine", "ray",
             "--workers", str(args.workers)],
            env,
        )  # fmt: skip
    finally:
        subprocess.run(["ip", "netns", "delete", netns], check=False)

    same = all(
        (work / "local" / p.name).read_bytes() == p.read_bytes()
        for p in (work / "ray").glob("*.txt")
    )
    rows = [
        ("local", local_s, local_rss, local_line),
        (f"ray ({args.workers} workers)", ray_s, ray_rss, ray_line),
    ]
    print(f"{args.documents} documents, {paragraphs} paragraphs, tiny model, {args.backend}; "
          f"outputs identical: {same}")  # fmt: skip
    for name, seconds, rss, line in rows:
        print(f"  {name:<18} {seconds:7.1f} s  {args.documents / seconds:6.2f} docs/s  "
              f"peak RSS {rss / 2**20:7.0f} MiB   ({line})")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write(json.dumps({
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "documents": args.documents, "paragraphs": paragraphs, "backend": args.backend,
            "workers": args.workers, "identical": same,
            "local": {"seconds": round(local_s, 1), "peak_rss_mib": round(local_rss / 2**20)},
            "ray": {"seconds": round(ray_s, 1), "peak_rss_mib": round(ray_rss / 2**20)},
            "cpus": os.cpu_count(),
        }) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
