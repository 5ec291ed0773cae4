"""Boundary precision and recall of ``split_sentences`` on the frozen test set, per phenomenon.

Run as ``python bench/segment_eval.py`` (add ``-v`` to list every wrong case). A boundary is the
end offset of a sentence that is not the last one in its case; predicted and expected boundaries
are compared exactly. Precision is over predicted boundaries (a split at a trap such as ``Jl.``
is a false positive), recall over expected ones. Always exits 0: this is a report, not a gate.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.text.segment import split_sentences  # noqa: E402

DATA = ROOT / "tests" / "data" / "sentences.jsonl"


@dataclass
class Case:
    """One test-set record with its expected spans."""

    id: str
    phenomenon: str
    text: str
    sentences: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)


def load_cases(path: Path = DATA) -> list[Case]:
    """Read the JSONL test set (skipping ``#`` comment lines) and locate each sentence."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rec = json.loads(line)
        case = Case(rec["id"], rec["phenomenon"], rec["text"], rec["sentences"])
        pos = 0
        for sentence in case.sentences:
            start = case.text.index(sentence, pos)
            case.spans.append((start, start + len(sentence)))
            pos = start + len(sentence)
        cases.append(case)
    return cases


def boundaries(spans: list[tuple[int, int]]) -> set[int]:
    """End offsets of all spans but the last."""
    return {end for _, end in spans[:-1]}


@dataclass
class Tally:
    """Boundary counts for one phenomenon."""

    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    tallies: dict[str, Tally] = {}
    wrong: list[str] = []
    for case in load_cases():
        expected = boundaries(case.spans)
        got = boundaries(split_sentences(case.text))
        tally = tallies.setdefault(case.phenomenon, Tally())
        tally.cases += 1
        tally.tp += len(expected & got)
        tally.fp += len(got - expected)
        tally.fn += len(expected - got)
        if expected != got:
            wrong.append(case.id)
            if verbose:
                print(
                    f"{case.id}: missed {sorted(expected - got)} spurious {sorted(got - expected)}"
                )
                print(f"    {case.text!r}")
    total = Tally()
    for t in tallies.values():
        total.cases += t.cases
        total.tp += t.tp
        total.fp += t.fp
        total.fn += t.fn
    header = f"{'phenomenon':<22}{'cases':>6}{'bounds':>7}{'TP':>5}{'FP':>5}{'FN':>5}"
    print(header + f"{'precision':>11}{'recall':>8}")
    print("-" * (len(header) + 19))
    for name, t in [*sorted(tallies.items()), ("OVERALL", total)]:
        if name == "OVERALL":
            print("-" * (len(header) + 19))
        print(
            f"{name:<22}{t.cases:>6}{t.tp + t.fn:>7}{t.tp:>5}{t.fp:>5}{t.fn:>5}"
            f"{t.precision():>11.3f}{t.recall():>8.3f}"
        )
    print(f"\ncases with any error: {len(wrong)}" + (f" ({', '.join(wrong)})" if wrong else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
