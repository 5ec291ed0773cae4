"""Glossary matching speed: ``Glossary.find`` against one compiled regex per entry.

Run as ``python bench/glossary_match.py`` (``--entries N``, ``--sample K``, ``--full``). Builds a
synthetic glossary of N entries (default 100,000) merged with the bundled default glossary, and
a ~4 KB article from ``tests/data/articles``. Times building the glossary (validation), building
the matcher index (first ``find``) and ``find`` itself (median of repeated runs), then the naive
approach on the same text in the same run: compile one look-around regex per form and search the
article with each. Compiling and searching 100,000 regexes takes minutes, so by default the
naive loop runs on a random sample of K entries and its time is extrapolated linearly to all
entries (``--full`` runs every entry). Prints the figures and appends them as one JSON line to
``bench/results/glossary_match.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.terms.glossary import Glossary  # noqa: E402
from translate.terms.values import Entry  # noqa: E402

ARTICLES = ROOT / "tests" / "data" / "articles"
RESULTS = ROOT / "bench" / "results" / "glossary_match.jsonl"
_SYLLABLE_TEXT = (
    "ba be bi bu da di du ga gi ja ju ka ke ki ko ku la li lu ma me mi mo mu na ni no nu "
    "pa pe pi po pu ra ri ro ru sa se si so su ta te ti to tu wa wi ya yu an ar in ur ang ung"
)
SYLLABLES = _SYLLABLE_TEXT.split()


def synthetic_entries(n: int, seed: int = 0) -> list[Entry]:
    """N entries shaped like news glossary rows: 1–4 capitalised words, ~10% acronyms,
    ~30% case-insensitive, ~20% with a variant; all forms distinct (casefolded)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    entries: list[Entry] = []

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    def fresh(make: Callable[[], str]) -> str:
        while True:
            form = make()
            if form.casefold() not in seen:
                seen.add(form.casefold())
                return form

    while len(entries) < n:
        if rng.random() < 0.1:
            source = fresh(lambda: "".join(rng.choice("BCDFGHJKLMNPRSTW") for _ in range(4)))
            case = True
        else:
            source = fresh(lambda: " ".join(word() for _ in range(rng.randint(1, 4))))
            case = rng.random() >= 0.3
        variants = (
            (fresh(lambda: " ".join(word() for _ in range(2))),) if rng.random() < 0.2 else ()
        )
        entries.append(Entry(source, f"EN {len(entries)}", case, variants, "synthetic"))
    return entries


def article(entries: list[Entry], target_chars: int = 4000, seed: int = 1) -> str:
    """Real test articles up to ~target_chars, plus a sentence naming a few synthetic terms."""
    paragraphs: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        paragraphs += path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n\n")
    text = ""
    for para in paragraphs:
        if len(text) + len(para) > target_chars - 250:
            break
        text += para + "\n\n"
    rng = random.Random(seed)
    picked = [rng.choice(entries).source for _ in range(8)]
    return text + "Menurut " + ", ".join(picked) + ", semua berjalan baik.\n"


def naive_pattern(form: str, case_sensitive: bool) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(p) for p in form.split())
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", 0 if case_sensitive else re.IGNORECASE)


def timed_naive(entries: list[Entry], text: str) -> tuple[float, float, int]:
    """Seconds to compile, seconds to search, and hits, for one regex per form."""
    t0 = time.perf_counter()
    patterns = [naive_pattern(f, e.case_sensitive) for e in entries for f in e.forms]
    t1 = time.perf_counter()
    hits = sum(1 for p in patterns for _ in p.finditer(text))
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, hits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=5_000, help="entries for the naive loop")
    ap.add_argument("--full", action="store_true", help="run the naive loop on every entry")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    default = Glossary.default()
    synthetic = synthetic_entries(args.entries)
    t0 = time.perf_counter()
    glossary = Glossary.from_entries(synthetic, name="synthetic").merge(default)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    glossary.find("")  # builds the index
    index_s = time.perf_counter() - t0

    all_entries = list(glossary.entries)
    text = article(synthetic)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        matches = glossary.find(text)
        times.append(time.perf_counter() - t0)
    find_s = statistics.median(times)

    # Reset the re module's cache so the naive loop pays for compiling, as it would in use.
    re.purge()
    if args.full or args.sample >= len(all_entries):
        sample = all_entries
    else:
        sample = random.Random(2).sample(all_entries, args.sample)
    compile_s, search_s, naive_hits = timed_naive(sample, text)
    scale = len(all_entries) / len(sample)
    naive_search_s = search_s * scale
    naive_compile_s = compile_s * scale
    extrapolated = scale != 1

    forms = sum(len(e.forms) for e in all_entries)
    note = f" (measured on {len(sample):,} entries, x{scale:.1f})" if extrapolated else ""
    print(f"glossary: {len(all_entries):,} entries, {forms:,} forms; article {len(text):,} chars")
    print(f"build (validate + merge): {build_s:.2f} s; index: {index_s:.2f} s")
    print(f"Glossary.find: {find_s * 1000:.2f} ms median of {args.repeat}, {len(matches)} matches")
    print(
        f"naive regex loop: search {naive_search_s * 1000:.0f} ms, "
        f"compile {naive_compile_s:.1f} s{note}"
    )
    print(f"ratio (naive search / find): {naive_search_s / find_s:,.0f}x")

    record = {
        "bench": "glossary_match",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "entries": len(all_entries),
        "synthetic_entries": args.entries,
        "forms": forms,
        "article_chars": len(text),
        "build_s": round(build_s, 4),
        "index_s": round(index_s, 4),
        "find_ms": round(find_s * 1000, 3),
        "find_repeat": args.repeat,
        "matches": len(matches),
        "naive_entries_measured": len(sample),
        "naive_extrapolated": extrapolated,
        "naive_search_ms": round(naive_search_s * 1000, 1),
        "naive_compile_s": round(naive_compile_s, 2),
        "naive_hits_in_sample": naive_hits,
        "ratio": round(naive_search_s / find_s, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")
    print(f"appended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
