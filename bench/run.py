"""The benchmark harness: target tokens per second against a baseline measured in the same run.

    python bench/run.py speed [--quick] [--model DIR] [--beams 4] [--threads N]
                              [--engines naive torch ct2 raw-ct2 ...] [--full-vocab]
    python bench/run.py terms [--backend torch|ct2]
    python bench/run.py batch-memory [--counts 20 200]
    python bench/run.py long-paragraph [--sizes 10 50 190] [--beams 4]

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
# The glossary-term set: the main one, then nested and overlapping targets (kept apart because
# bench/qa_eval.py holds out terms.jsonl alone).
TERMS = [ROOT / "bench" / "data" / "terms.jsonl", ROOT / "bench" / "data" / "terms-nested.jsonl"]


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
        # README.md describes the test articles (code spans, not news prose): not an article.
        if path.suffix in (".txt", ".md") and path.name != "README.md":
            out.append((path.name, path.read_text(encoding="utf-8-sig")))
    out = out[:2] if quick else out[:6]
    # GPU mode: the set repeated, so that batches can fill the device.
    repeat = int(os.environ.get("BENCH_REPEAT", "1"))
    return [(f"{k}-{name}" if k else name, text) for k in range(repeat) for name, text in out]


def _device() -> str:
    """Where the workers run: ``BENCH_DEVICE`` (set from ``speed --device``), else the CPU."""
    return os.environ.get("BENCH_DEVICE", "cpu")


def _batch_sentences() -> int | None:
    """Most sentences per batch: the engine's default (None) unless ``--batch-sentences``
    (more to fill a GPU)."""
    value = os.environ.get("BENCH_BATCH_SENTENCES")
    return int(value) if value else None


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (one process each) -------------------------------------------------------------


def worker_naive(model_dir: str, beams: int, quick: bool) -> dict[str, Any]:
    """One ``generate`` call per paragraph, the same length-bound rule, forced to the bound."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from translate.engines.base import output_bound
    from translate.formats.readers import read_text
    from translate.text.normalize import to_model

    t0 = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    if _device() == "cuda":
        model = model.half().to("cuda")  # as our engine runs on CUDA
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
            enc = enc.to(model.device)
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


def worker_torch(model_dir: str, beams: int, quick: bool, variant: str = "") -> dict[str, Any]:
    """Our pipeline: all documents' sentences share length-sorted, token-budget batches.

    No glossary, like the baseline: this measures decoding, not the constrained search
    (``bench/run.py terms`` measures that). ``variant``: "int8" (dynamic quantisation),
    "bf16" (bfloat16 weights) or "eager" (plain attention instead of SDPA).
    """
    from translate.engines.torch.engine import MarianEngine

    t0 = time.perf_counter()
    engine = MarianEngine(
        model_dir,
        _device(),
        force_length=True,
        quantize=variant == "int8",
        dtype="bfloat16" if variant == "bf16" else None,
        max_batch_sentences=_batch_sentences(),
    )
    if variant == "eager":
        engine.model.set_attn_implementation("eager")
    load = time.perf_counter() - t0
    return {
        **_pipeline_run(engine, beams, quick),
        "load_seconds": load,
    }


def _pipeline_run(engine: Any, beams: int, quick: bool) -> dict[str, Any]:
    """Translate the benchmark texts through ``Translator`` on ``engine``, no glossary."""
    from translate import Translator
    from translate.formats.readers import read_text

    translator = Translator(engine=engine, beams=beams, glossary=None)
    docs = [
        (name, read_text(text, "md" if name.endswith(".md") else "txt"))
        for name, text in texts(quick)
    ]
    finished: dict[str, str] = {}
    t0 = time.perf_counter()
    translator.translate_documents(
        docs, lambda key, doc: finished.__setitem__(key, doc.target_text)
    )
    seconds = time.perf_counter() - t0
    assert len(finished) == len(docs)
    return {
        "outputs_sha256": _outputs(os.environ.get("BENCH_OUTPUTS_NAME", "engine"), finished),
        "batches": engine.batches,
        "target_tokens": engine.target_tokens,
        "source_tokens": engine.source_tokens,
        "seconds": seconds,
        "record": translator.record().to_dict(),  # what made the outputs, as in their meta
        "output_vocabulary": engine.output_vocabulary.describe(),
    }


def ct2_model(model_dir: str | Path) -> Path:
    """The CTranslate2 conversion of ``model_dir`` under ``models/`` (converted once): int8
    for the CPU, float16 for CUDA."""
    from translate.engines.ct2.convert import convert_model

    quantization = "float16" if _device() == "cuda" else "int8"
    folder = ROOT / "models" / f"{Path(model_dir).name}-ct2-{quantization}"
    return convert_model(str(model_dir), to=folder, quantization=quantization)


def worker_ct2(model_dir: str, beams: int, quick: bool) -> dict[str, Any]:
    """Our pipeline on the CTranslate2 engine (int8), no glossary, like ``torch``."""
    from translate.engines.ct2.engine import CT2Engine

    folder = ct2_model(model_dir)  # converted by the parent already: only checked here
    t0 = time.perf_counter()
    engine = CT2Engine(
        str(folder), _device(), force_length=True, max_batch_sentences=_batch_sentences()
    )
    load = time.perf_counter() - t0
    run = _pipeline_run(engine, beams, quick)
    return {
        **run,
        "load_seconds": load,
        # Sentences with markup terms: verified, else repaired (ct2 has no constrained search).
        "terms_seconds": engine.term_seconds,
        "terms_tokens": engine.term_tokens,
        "terms_satisfied_by_nbest": engine.satisfied_by_nbest,
        "terms_repaired": engine.repaired,
        "terms_failed": engine.failed,
        "tokens_per_s_without_terms": (engine.target_tokens - engine.term_tokens)
        / max(1e-9, run["seconds"] - engine.term_seconds),
    }


def pipeline_units(model_dir: str, quick: bool) -> list[str]:
    """The model inputs our pipeline sends for the benchmark texts (long sentences split)."""
    from collections.abc import Sequence

    from transformers import MarianTokenizer

    from translate import Translator
    from translate.engines.base import Hypothesis
    from translate.formats.readers import read_text

    tokenizer = MarianTokenizer.from_pretrained(model_dir)

    class Recorder:
        """Counts tokens like the real engines and keeps every text it is asked for."""

        model_id, backend, device = model_dir, "ct2", "cpu"

        def __init__(self) -> None:
            self.units: list[str] = []

        def count_tokens(self, texts: Sequence[str]) -> list[int]:
            return [len(ids) for ids in tokenizer(list(texts))["input_ids"]] if texts else []

        def translate(self, texts: Sequence[str], **options: Any) -> list[list[Hypothesis]]:
            self.units += texts
            out = [[Hypothesis("", None)] for _ in texts]
            if options.get("on_batch") is not None:
                options["on_batch"](list(range(len(texts))), out)
            return out

    recorder = Recorder()
    docs = [
        (name, read_text(text, "md" if name.endswith(".md") else "txt"))
        for name, text in texts(quick)
    ]
    Translator(engine=recorder, glossary=None).translate_documents(docs, lambda k, d: None)
    return recorder.units


def worker_raw_ct2(
    model_dir: str, beams: int, quick: bool, one_call: bool = False
) -> dict[str, Any]:
    """``ctranslate2.Translator.translate_batch`` alone on the same pre-split sentences,
    batched inside by CTranslate2 by tokens. Default: one call per distinct length bound
    (CTranslate2 takes one bound per call), every sentence decoded to exactly its bound.
    ``one_call``: the plain use, one call over every unit, decoded to the largest bound (more
    tokens than the units need: compare wall time for the same units, not tokens/s)."""
    import ctranslate2
    from transformers import MarianTokenizer

    from translate import config
    from translate.engines.base import output_bound

    folder = ct2_model(model_dir)
    units = pipeline_units(model_dir, quick)
    threads = config.threads()
    t0 = time.perf_counter()
    translator = ctranslate2.Translator(
        str(folder), _device(), compute_type="default", inter_threads=1, intra_threads=threads
    )
    tokenizer = MarianTokenizer.from_pretrained(str(folder))
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    source = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(units)["input_ids"]]
    by_bound: dict[int, list[list[str]]] = {}
    for pieces in source:
        by_bound.setdefault(output_bound(len(pieces)), []).append(pieces)
    if one_call:
        by_bound = {max(by_bound): source}
    target = 0
    for bound, batch in sorted(by_bound.items()):
        results = translator.translate_batch(
            batch,
            max_batch_size=config.batch_tokens(),
            batch_type="tokens",
            beam_size=beams,
            min_decoding_length=bound,
            max_decoding_length=bound,
            max_input_length=0,
        )
        target += sum(len(r.hypotheses[0]) for r in results)
    seconds = time.perf_counter() - t0
    return {
        "units": len(units),
        "calls": len(by_bound),
        "target_tokens": target,
        "source_tokens": sum(len(p) for p in source),
        # What the units need: each decoded to its own bound.
        "needed_tokens": sum(output_bound(len(p)) for p in source),
        "seconds": seconds,
        "load_seconds": load,
    }


FULL = "+full-vocab"  # an engine of ours run with --full-vocab (speed --full-vocab)

WORKERS = {
    "naive": worker_naive,
    "torch": worker_torch,
    "torch-int8": lambda m, b, q: worker_torch(m, b, q, "int8"),
    "torch-eager": lambda m, b, q: worker_torch(m, b, q, "eager"),
    "torch-bf16": lambda m, b, q: worker_torch(m, b, q, "bf16"),
    "ct2": worker_ct2,
    "raw-ct2": worker_raw_ct2,
    "raw-ct2-one-call": lambda m, b, q: worker_raw_ct2(m, b, q, one_call=True),
}
OURS = ("torch", "torch-int8", "torch-eager", "torch-bf16", "ct2")  # engines --full-vocab reruns


def run_worker(
    name: str,
    model_dir: Path,
    beams: int,
    quick: bool,
    threads: int,
    env_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    env = {
        **os.environ,
        "TRANSLATE_THREADS": str(threads),
        "OMP_NUM_THREADS": str(threads),
        **(env_extra or {}),
    }
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


def _outputs(name: str, translations: dict[str, str]) -> str:
    """The digest of ``translations`` (key → English), for comparing two runs on the same seed;
    with ``BENCH_OUTPUTS`` (a folder, set from ``--outputs``) also written there as
    ``<name>.json``."""
    import hashlib

    text = json.dumps(dict(sorted(translations.items())), ensure_ascii=False, indent=1)
    folder = os.environ.get("BENCH_OUTPUTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(result_file: str, record: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / result_file, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def cmd_speed(args: argparse.Namespace) -> None:
    """Target tokens/s of each engine, the naive loop first; on ``--device cuda`` (the GPU mode)
    the texts are repeated and every engine but the naive loop runs at each token budget."""
    os.environ["BENCH_DEVICE"] = args.device  # for this process (conversion) and the workers
    os.environ["BENCH_REPEAT"] = str(args.repeat)
    if args.batch_sentences:
        os.environ["BENCH_BATCH_SENTENCES"] = str(args.batch_sentences)
    if args.outputs:
        os.environ["BENCH_OUTPUTS"] = args.outputs
    model_dir = random_model(Path(args.model))
    record = _config(args, model_dir)
    record.update(device=args.device, repeat=args.repeat, batch_sentences=args.batch_sentences)
    if args.device == "cuda":
        import torch

        record["gpu"] = torch.cuda.get_device_name(0)
    engines = args.engines
    if {"ct2", "raw-ct2", "raw-ct2-one-call"} & set(engines):
        import ctranslate2

        t0 = time.perf_counter()
        record["ct2_model"] = str(ct2_model(model_dir))  # once, so that no worker times it
        record["ct2_convert_seconds"] = time.perf_counter() - t0
        record["ctranslate2"] = ctranslate2.__version__
    figures = {}
    runs = [(name, None) for name in engines if name == "naive" or not args.batch_tokens]
    runs += [(name, b) for b in args.batch_tokens or [] for name in engines if name != "naive"]
    if args.full_vocab:  # each of our engines again, right after, with the whole output layer
        runs = [r for n, b in runs for r in [(n, b), (n + FULL, b)][: 2 if n in OURS else 1]]
    for name, budget in runs:
        key = f"{name}@{budget}" if budget else name
        env = {"TRANSLATE_BATCH_TOKENS": str(budget)} if budget else {}
        if name.endswith(FULL):
            env["TRANSLATE_FULL_VOCAB"] = "1"
            name = name.removesuffix(FULL)
        env["BENCH_OUTPUTS_NAME"] = f"speed-{key}"
        if name == "naive":
            env["BENCH_REPEAT"] = "1"  # a rate: the set once is enough, and repeats take long
        figures[key] = run_worker(name, model_dir, args.beams, args.quick, args.threads, env)
        f = figures[key]
        print(
            f"{key:>16}: {f['target_tokens']:>6} target tokens in {f['seconds']:7.1f} s = "
            f"{f['tokens_per_s']:7.1f} tok/s, peak RSS {f['peak_rss_mb']:.0f} MB, "
            f"load {f['load_seconds']:.1f} s",
            flush=True,
        )
    base = figures.get("naive")
    if base:
        for name, f in figures.items():
            f["speedup"] = f["tokens_per_s"] / base["tokens_per_s"]
            print(f"{name:>16}: {f['speedup']:.2f}x the naive loop")
    for name, f in figures.items():
        # The same units, so wall time compares (the one call decodes more tokens).
        plain = figures.get(name.replace("ct2", "raw-ct2-one-call", 1))
        if name.startswith("ct2") and plain:
            f["wall_vs_raw_one_call"] = f["seconds"] / plain["seconds"]
            print(f"{name:>16}: {f['wall_vs_raw_one_call']:.2f}x the wall time of one raw call")
    for key, f in list(figures.items()):
        if FULL in key:  # the restriction's own gain, same run
            ours = figures[key.replace(FULL, "")]
            ours["vs_full_vocab"] = ours["tokens_per_s"] / f["tokens_per_s"]
            print(f"{key.replace(FULL, ''):>16}: {ours['vs_full_vocab']:.2f}x its full vocabulary")
    record["figures"] = figures
    append("speed.jsonl", record)


# Peak RSS of the child, printed on stderr when the CLI exits (however it exits).
_RSS_MAIN = (
    "import resource, sys; from translate.cli import main; sys.argv=sys.argv[1:]; "
    "\ntry:\n    main()\nfinally:\n    print('RSS', resource.getrusage("
    "resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def cmd_long_paragraph(args: argparse.Namespace) -> None:
    """`translate article` (the CLI, in a subprocess) on one paragraph without punctuation of
    each size, tiny model: seconds and peak RSS per size, and how time grows with length.

    A one-line article is run first: its time is the fixed cost (start-up, model load) that
    every run pays, so the growth is also given with it taken off.
    """
    import tempfile

    from tests.long_text import long_paragraph
    from tests.tiny_model import build_tiny_marian

    record: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "model": "tiny (tests/tiny_model.py)",
        "beams": args.beams,
        "glossary": "default",
        "threads": 1,
        "text": "tests/long_text.py long_paragraph(size, punctuation='none'), one line",
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        model = build_tiny_marian(Path(tmp) / "tiny")
        sizes = [("fixed", 0)] + [(f"{kb} KB", kb * 1000) for kb in args.sizes]
        for label, size in sizes:
            text = long_paragraph(size) if size else "Presiden meresmikan jembatan baru."
            source = Path(tmp) / f"p{size}.txt"
            source.write_text(text + "\n", encoding="utf-8")
            cmd = [sys.executable, "-c", _RSS_MAIN, "translate", "article", str(source)]
            cmd += ["-o", str(Path(tmp) / f"p{size}.en.txt"), "--model", str(model)]
            cmd += ["--beams", str(args.beams), "--no-memory"]
            env = {**os.environ, "TRANSLATE_THREADS": "1", "TRANSLATE_HOME": str(Path(tmp) / "h")}
            env["PYTHONPATH"] = str(ROOT)
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
            seconds = time.perf_counter() - t0
            rss = [ln for ln in proc.stderr.splitlines() if ln.startswith("RSS ")]
            run = {
                "size": label,
                "characters": len(text),
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(int(rss[-1].split()[1]) / 1024, 1) if rss else None,
                "returncode": proc.returncode,  # 1: finished with QA errors (random weights)
            }
            if proc.returncode not in (0, 1):
                run["stderr"] = proc.stderr[-2000:]
            record["runs"].append(run)
            print(
                f"{label:>7}: {len(text):>7} characters, {seconds:6.1f} s, peak RSS "
                f"{run['peak_rss_mb']} MB, exit {proc.returncode}",
                flush=True,
            )
    runs = record["runs"]
    fixed, first, last = runs[0], runs[1], runs[-1]
    if len(runs) > 2:
        length_ratio = last["characters"] / first["characters"]
        time_ratio = last["seconds"] / first["seconds"]
        net = (last["seconds"] - fixed["seconds"]) / max(first["seconds"] - fixed["seconds"], 1e-9)
        record.update(
            length_ratio=round(length_ratio, 2),
            time_ratio=round(time_ratio, 2),
            time_ratio_without_fixed=round(net, 2),
            goal_ratio=round(1.3 * length_ratio, 2),
            goal_met=time_ratio <= 1.3 * length_ratio and last["seconds"] < 120,
        )
        print(
            f"{last['size']} / {first['size']}: length x{length_ratio:.1f}, time x{time_ratio:.1f}"
            f" (x{net:.1f} without the {fixed['seconds']:.1f} s fixed cost); goal: time "
            f"<= x{1.3 * length_ratio:.1f} and {last['size']} < 120 s: "
            f"{'met' if record['goal_met'] else 'NOT met'}"
        )
    append("long_paragraph.jsonl", record)


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


def cmd_terms(args: argparse.Namespace) -> None:
    """Glossary enforcement: accuracy per term occurrence, and constrained vs plain time."""
    from collections import Counter

    from translate import Glossary, Translator
    from translate.engines.torch.engine import MarianEngine
    from translate.formats.readers import read_text
    from translate.terms.count import count_target, nested

    os.environ["TRANSLATE_THREADS"] = str(args.threads)
    model_dir = random_model(Path(args.model))
    random_weights = model_dir.name.endswith("-random")
    cases = [
        json.loads(line)
        for path in TERMS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    cases = cases[: args.limit] if args.limit else cases
    glossary = Glossary.default()
    engine: Any
    if args.backend == "ct2":
        from translate.engines.ct2.engine import CT2Engine

        engine = CT2Engine(str(ct2_model(model_dir)), "cpu", force_length=random_weights)
    else:
        engine = MarianEngine(str(model_dir), "cpu", force_length=random_weights)

    def run(subset: list[dict[str, Any]], g: Glossary | None) -> tuple[dict[str, Any], float, int]:
        translator = Translator(engine=engine, beams=args.beams, glossary=g)
        docs = [(c["id"], read_text(c["text"])) for c in subset]
        out: dict[str, Any] = {}
        engine.target_tokens = 0
        t0 = time.perf_counter()
        translator.translate_documents(docs, lambda key, doc: out.__setitem__(key, doc))
        return out, time.perf_counter() - t0, engine.target_tokens

    # Timed on the sentences that have terms; the negatives are checked separately.
    with_terms = [c for c in cases if c["terms"]]
    plain, plain_s, plain_tok = run(with_terms, None)
    if args.backend == "ct2":
        engine.satisfied_by_nbest = engine.repaired = engine.failed = 0
    constrained, cons_s, cons_tok = run(with_terms, glossary)
    # How the ct2 backend met the terms: verified in the n-best, else repaired.
    repairs = (
        {
            "satisfied_by_nbest": engine.satisfied_by_nbest,
            "repaired": engine.repaired,
            "failed": engine.failed,
        }
        if args.backend == "ct2"
        else {}
    )
    negative_cases = [c for c in cases if not c["terms"]]
    plain.update(run(negative_cases, None)[0])
    constrained.update(run(negative_cases, glossary)[0])
    if args.outputs:
        os.environ["BENCH_OUTPUTS"] = args.outputs
    digests = {
        name: _outputs(
            f"terms-{args.backend}-{name}", {k: doc.target_text for k, doc in docs.items()}
        )
        for name, docs in (("plain", plain), ("glossary", constrained))
    }

    occurrences = correct = extra = exact = 0
    per_category: dict[str, list[int]] = {}
    for c in with_terms:
        english = constrained[c["id"]].target_text
        # The one rule: a target inside another ("Jakarta" in "East Jakarta") is wanted once
        # more per outer copy.
        wanted: Counter[str] = Counter()
        for t in c["terms"]:
            wanted[t["target"]] += t["count"]
        wanted = nested(wanted)
        ok = True
        for target, count in wanted.items():
            found = count_target(english, target)
            occurrences += count
            correct += min(found, count)
            extra += max(0, found - count)
            ok &= found == count
        exact += ok
        per_category.setdefault(c["category"], [0, 0])
        per_category[c["category"]][0] += ok
        per_category[c["category"]][1] += 1
    negatives = [c for c in cases if not c["terms"]]
    false_triggers = sum(bool(constrained[c["id"]].paragraphs[0].terms) for c in negatives)
    unchanged = sum(
        constrained[c["id"]].target_text == plain[c["id"]].target_text for c in negatives
    )
    reported_missed = sum(doc.term_counts[2] for doc in constrained.values())
    record: dict[str, Any] = {
        **_config(args, model_dir),
        "sentences": len(cases),
        "with_terms": len(with_terms),
        "term_occurrences": occurrences,
        "term_accuracy": correct / occurrences if occurrences else None,
        "extra_copies": extra,
        "exactly_once_rate": exact / len(with_terms) if with_terms else None,
        "per_category_exact": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_category.items())},
        "false_triggers": false_triggers,
        "negatives_unchanged": f"{unchanged}/{len(negatives)}",
        "reported_missed": reported_missed,
        "post_hoc_substitutions": 0,  # the pipeline has none: terms come from the decoder
        "plain_seconds": plain_s,
        "constrained_seconds": cons_s,
        "time_ratio": cons_s / plain_s,
        "plain_tokens_per_s": plain_tok / plain_s,
        "constrained_tokens_per_s": cons_tok / cons_s,
        "random_weights": random_weights,
        "backend": args.backend,
        **repairs,
        "outputs_sha256": digests,
    }
    if not random_weights:
        record.update(_quality(cases, plain, constrained))
    for key in (
        "sentences",
        "with_terms",
        "term_occurrences",
        "term_accuracy",
        "extra_copies",
        "exactly_once_rate",
        "per_category_exact",
        "false_triggers",
        "negatives_unchanged",
        "reported_missed",
        "plain_seconds",
        "constrained_seconds",
        "time_ratio",
        "plain_tokens_per_s",
        "constrained_tokens_per_s",
        "backend",
        "satisfied_by_nbest",
        "repaired",
        "failed",
        "bleu_plain",
        "bleu_glossary",
        "chrf_plain",
        "chrf_glossary",
    ):
        if key in record:
            value = record[key]
            print(f"{key:>26}: {value:.3f}" if isinstance(value, float) else f"{key:>26}: {value}")
    if random_weights:
        print(
            "BLEU/chrF: not measured (random weights translate nothing; pass --model with a"
            " real checkpoint)"
        )
    append("terms.jsonl", record)


def _quality(
    cases: list[dict[str, Any]], plain: dict[str, Any], glossary: dict[str, Any]
) -> dict[str, Any]:
    """BLEU and chrF (sacrebleu) against the references, without and with the glossary."""
    import sacrebleu

    refs = [[c["reference"] for c in cases]]
    out = {}
    for name, docs in (("plain", plain), ("glossary", glossary)):
        hyps = [docs[c["id"]].target_text for c in cases]
        out[f"bleu_{name}"] = sacrebleu.corpus_bleu(hyps, refs).score
        out[f"chrf_{name}"] = sacrebleu.corpus_chrf(hyps, refs).score
    return out


_COMMON = [
    "yang",
    "di",
    "dan",
    "itu",
    "dengan",
    "untuk",
    "dari",
    "ini",
    "pada",
    "dalam",
    "akan",
    "tidak",
    "juga",
    "ke",
    "oleh",
    "karena",
    "telah",
    "para",
    "ia",
    "mereka",
    "kata",
    "pemerintah",
    "harga",
    "warga",
    "presiden",
    "menteri",
    "kota",
    "jakarta",
    "tahun",
    "hari",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "polisi",
    "pasar",
    "beras",
    "naik",
    "turun",
    "banjir",
    "rumah",
    "sakit",
]


def _synthetic_memory(n: int, seed: int = 0) -> list[str]:
    """Indonesian-like sentences: common function words plus a long Zipf tail of names."""
    import random

    rng = random.Random(seed)
    tail = [f"{rng.choice('bcdgjklmnprst')}{rng.choice('aiueo')}{i:x}" for i in range(20000)]
    vocab = _COMMON + tail
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    out = set()
    while len(out) < n:
        words = rng.choices(vocab, weights, k=rng.randint(6, 24))
        out.add(" ".join(words).capitalize() + ".")
    return sorted(out)


def _perturb(sentence: str, rng: Any) -> str:
    words = sentence.rstrip(".").split()
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4 and len(words) > 4:
            del words[i]
        elif op < 0.7:
            words[i] = words[i][::-1]
        else:
            words.insert(i, rng.choice(_COMMON))
    return " ".join(words) + "."


def cmd_tm(args: argparse.Namespace) -> None:
    """Translation memory lookups against a full rapidfuzz scan of all pairs, same run."""
    import random
    import tempfile

    from rapidfuzz import fuzz, process

    from translate.review.memory import Memory, MemoryEntry, normalise

    rng = random.Random(1)
    sentences = _synthetic_memory(args.pairs)
    keys = [normalise(s) for s in sentences]
    stored = rng.sample(sentences, args.queries)
    exact_q = stored
    fuzzy_q = [_perturb(s, rng) for s in rng.sample(sentences, args.queries)]
    other_q = _synthetic_memory(args.queries, seed=99)
    with tempfile.TemporaryDirectory() as tmp:
        memory = Memory(Path(tmp) / "tm.sqlite")
        t0 = time.perf_counter()
        memory.add_many(MemoryEntry(s, s.upper(), "bench") for s in sentences)
        insert_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        memory.exact("warm up")  # builds the indexes
        index_s = time.perf_counter() - t0

        def timed(fn: Any, queries: list[str]) -> tuple[float, list[Any]]:
            t = time.perf_counter()
            results = [fn(q) for q in queries]
            return (time.perf_counter() - t) / len(queries), results

        exact_s, exact_hits = timed(memory.exact, exact_q)
        scan = lambda q, cut: process.extract(  # noqa: E731
            normalise(q), keys, scorer=fuzz.ratio, score_cutoff=cut, limit=None
        )
        sample = exact_q[: max(5, args.queries // 10)]
        scan_exact_s, _ = timed(lambda q: scan(q, 100), sample)
        queries = fuzzy_q + other_q
        fuzzy_s, ours = timed(lambda q: memory.fuzzy(q, 75, limit=1000), queries)
        scan_fuzzy_s, full = timed(lambda q: scan(q, 75), queries)
        memory.close()
    want = sum(len(f) for f in full)
    got = sum(
        len({keys[i] for _, _, i in f} & {normalise(h.source) for h in o})
        for f, o in zip(full, ours, strict=True)
    )
    record = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pairs": args.pairs,
        "queries": {"exact": len(exact_q), "fuzzy": len(fuzzy_q), "unrelated": len(other_q)},
        "insert_seconds": insert_s,
        "index_seconds": index_s,
        "exact_ms": exact_s * 1000,
        "exact_found": sum(h is not None for h in exact_hits) / len(exact_q),
        "scan_ms": scan_exact_s * 1000,
        "exact_speedup": scan_exact_s / exact_s,
        "fuzzy_ms": fuzzy_s * 1000,
        "scan_fuzzy_ms": scan_fuzzy_s * 1000,
        "fuzzy_speedup": scan_fuzzy_s / fuzzy_s,
        "scan_hits": want,
        "fuzzy_recall": got / want if want else None,
    }
    for key, value in record.items():
        print(f"{key:>16}: {value:.4g}" if isinstance(value, float) else f"{key:>16}: {value}")
    append("tm.jsonl", record)


def cmd_prefetch(args: argparse.Namespace) -> None:
    """Sentences/s of `translate batch` over N articles: one document at a time, cross-document
    batching, and cross-document batching with read-ahead (same engine, same run)."""
    import tempfile

    from tests.test_batch import make_inputs

    from translate import Translator
    from translate.engines.torch.engine import MarianEngine
    from translate.formats.readers import read_file
    from translate.pipeline.batch import run_batch

    os.environ["TRANSLATE_THREADS"] = str(args.threads)
    model_dir = random_model(Path(args.model))
    engine = MarianEngine(str(model_dir), "cpu", force_length=True)
    translator = Translator(engine=engine, beams=args.beams, glossary=None)
    record: dict[str, Any] = {**_config(args, model_dir), "articles": args.articles, "modes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        make_inputs(src, args.articles)
        files = sorted(src.glob("*.txt"))
        sentences = sum(read_file(f).sentence_count for f in files)
        t0 = time.perf_counter()
        for f in files:
            translator.translate_document(read_file(f))
        record["modes"]["one-at-a-time"] = time.perf_counter() - t0
        for name, ahead in (("cross-document", "0"), ("cross-document+prefetch", "8")):
            os.environ["TRANSLATE_PREFETCH"] = ahead
            t0 = time.perf_counter()
            summary = run_batch(src, Path(tmp) / f"out-{ahead}", translator)
            record["modes"][name] = time.perf_counter() - t0
            assert summary.done == args.articles
    record["sentences"] = sentences
    for name, seconds in record["modes"].items():
        print(f"{name:>26}: {sentences / seconds:6.2f} sentences/s ({seconds:.1f} s)")
    append("prefetch.jsonl", record)


def cmd_quantize_cost(args: argparse.Namespace) -> None:
    """What int8 quantisation (or bfloat16, ``--variant bf16``) changes: log-probabilities of
    the same reference translations under the fp32 and the other model (teacher forcing)."""
    import torch

    from translate.engines.torch.engine import MarianEngine

    os.environ["TRANSLATE_THREADS"] = str(args.threads)
    model_dir = random_model(Path(args.model))
    cases = [
        json.loads(line)
        for path in TERMS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    cases = cases[: args.limit]

    def logprobs(engine: Any) -> list[float]:
        tok, model = engine.tokenizer, engine.model
        out = []
        with torch.inference_mode():
            for c in cases:
                enc = tok([c["text"]], return_tensors="pt")
                labels = tok(text_target=[c["reference"]], return_tensors="pt")["input_ids"]
                start = torch.full((1, 1), model.config.decoder_start_token_id)
                logits = model(
                    **enc, decoder_input_ids=torch.cat([start, labels[:, :-1]], 1)
                ).logits
                lp = torch.log_softmax(logits.float(), -1).gather(-1, labels.unsqueeze(-1))
                out.append(float(lp.mean()))
        return out

    fp32 = MarianEngine(str(model_dir), "cpu", quantize=False)
    if args.variant == "bf16":
        other = MarianEngine(str(model_dir), "cpu", dtype="bfloat16")
    else:
        other = MarianEngine(str(model_dir), "cpu", quantize=True)
    a, b = logprobs(fp32), logprobs(other)
    diffs = [abs(x - y) for x, y in zip(a, b, strict=True)]
    mean_a = sum(a) / len(a)
    mean_b = sum(b) / len(b)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in a)
    var_b = sum((y - mean_b) ** 2 for y in b)
    record = {
        **_config(args, model_dir),
        "variant": args.variant,
        "sentences": len(cases),
        "mean_logprob_fp32": mean_a,
        # Named by the variant (records before 2026-12-02 call bfloat16's "int8" too).
        f"mean_logprob_{args.variant}": mean_b,
        "mean_abs_diff": sum(diffs) / len(diffs),
        "max_abs_diff": max(diffs),
        "pearson": cov / (var_a * var_b) ** 0.5 if var_a and var_b else None,
        "random_weights": model_dir.name.endswith("-random"),
    }
    for key in (
        "sentences",
        "mean_logprob_fp32",
        f"mean_logprob_{args.variant}",
        "mean_abs_diff",
        "max_abs_diff",
        "pearson",
    ):
        print(f"{key:>18}: {record[key]}")
    append("quantize.jsonl", record)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        name, model_dir, beams, quick = sys.argv[2:6]
        result = WORKERS[name](model_dir, int(beams), bool(int(quick)))
        result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
        if _device() == "cuda" and "torch" in sys.modules:
            import torch

            result["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
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
    speed.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    speed.add_argument(
        "--batch-tokens", type=int, nargs="+", help="token budgets to run each engine at"
    )
    speed.add_argument("--repeat", type=int, default=1, help="the texts this many times over")
    speed.add_argument(
        "--batch-sentences", type=int, help="most sentences a batch (default: the engine's)"
    )
    speed.add_argument("--outputs", help="folder to write each engine's translations to (JSON)")
    speed.add_argument(
        "--full-vocab",
        action="store_true",
        help="also run each of our engines with the whole output layer (TRANSLATE_FULL_VOCAB=1)",
    )
    speed.set_defaults(func=cmd_speed)
    terms = sub.add_parser("terms", help="glossary enforcement accuracy and its time cost")
    terms.add_argument("--model", default=str(ARCH), help="model folder (weights optional)")
    terms.add_argument("--beams", type=int, default=4)
    terms.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    terms.add_argument("--limit", type=int, default=0, help="first N sentences only")
    terms.add_argument("--backend", choices=["torch", "ct2"], default="torch")
    terms.add_argument("--outputs", help="folder to write the translations to (JSON)")
    terms.add_argument("--quick", action="store_true", help=argparse.SUPPRESS)
    terms.set_defaults(func=cmd_terms)
    tm = sub.add_parser("tm", help="translation memory lookups vs a full rapidfuzz scan")
    tm.add_argument("--pairs", type=int, default=100_000)
    tm.add_argument("--queries", type=int, default=300)
    tm.set_defaults(func=cmd_tm)
    pre = sub.add_parser(
        "prefetch", help="batch throughput: one at a time vs cross-doc vs prefetch"
    )
    pre.add_argument("--model", default=str(ARCH))
    pre.add_argument("--beams", type=int, default=4)
    pre.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    pre.add_argument("--articles", type=int, default=20)
    pre.add_argument("--quick", action="store_true", help=argparse.SUPPRESS)
    pre.set_defaults(func=cmd_prefetch)
    qc = sub.add_parser("quantize-cost", help="log-prob change of int8 vs fp32 on references")
    qc.add_argument("--model", default=str(ARCH))
    qc.add_argument("--beams", type=int, default=4)
    qc.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    qc.add_argument("--limit", type=int, default=130)
    qc.add_argument("--variant", choices=["int8", "bf16"], default="int8")
    qc.add_argument("--quick", action="store_true", help=argparse.SUPPRESS)
    qc.set_defaults(func=cmd_quantize_cost)
    memory = sub.add_parser("batch-memory", help="peak RSS of translate batch vs folder size")
    memory.add_argument("--counts", nargs="+", type=int, default=[20, 200])
    memory.set_defaults(func=cmd_batch_memory)
    long = sub.add_parser(
        "long-paragraph", help="translate article on one long paragraph: time vs length"
    )
    long.add_argument("--sizes", nargs="+", type=int, default=[10, 50, 190], help="KB each")
    long.add_argument("--beams", type=int, default=4, help="the CLI's default")
    long.set_defaults(func=cmd_long_paragraph)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
