"""Translation engine on CTranslate2: the ``Engine`` protocol of ``engine.py``, faster on CPU.

The first use of a Hugging Face Marian checkpoint converts it once (int8 on CPU, float16 on
CUDA) into ``<home>/models/<name>-ct2-<type>/``, beside a copy of its tokenizer files; later
runs load the converted folder. Tokenisation is the same ``MarianTokenizer`` as on torch, so
sentence splitting, token counts and output bounds match the torch backend.

Differences from ``MarianEngine``, on purpose:

* **Output bound.** CTranslate2 takes one ``max_decoding_length`` per call. Each token-budget
  batch is cut into groups whose bounds (``1.5 × source tokens + 10``) lie within
  ``max(3, 10 %)`` of each other, and a group decodes to its *smallest* bound: no sentence ever
  gets more than its own bound; a longer one may get up to that slack less room.
* **Scores.** CTranslate2's beam score leaves out the end-of-sentence log-probability, so each
  returned hypothesis is rescored with ``score_batch`` (teacher-forced): ``score`` is the mean
  log-probability per token, end-of-sentence included, as on torch. CTranslate2 drops
  ``<pad>`` from the vocabulary, so its probabilities are renormalised without it (torch masks
  it instead); the two differ by ``log(1 - p(pad))``, negligible for a trained model.
* **Glossary terms.** CTranslate2 has no constrained search, so a sentence with terms is
  decoded, verified and repaired. First the best of ``max(n_best, beams, 4)`` hypotheses (the
  same beam search as without terms when beams is 4, stopped at the usual bound) that has
  every term exactly as often as wanted (token forms as on torch, and ``count_target`` on the
  text). Otherwise each missing term's tokens go at the word
  boundary where they change the model's log-probability of the next few tokens least
  (``score_batch``), one term after another, and the decoder writes the rest after the last one
  (``target_prefix``, completed terms suppressed, the best of 8 next tokens that starts a new
  word). Extra copies are cut and rewritten (one that overlaps a forced term, as "Bora Bora"
  can run on into itself, is cut after the term, the overlapping token banned). A
  continuation stops short of the sentence's limit (bound plus room for its terms) by the room
  the terms still missing need. The repairs of all
  sentences of a batch run side by side, batched; ``suppress_sequences`` is one list per call,
  so sentences whose suppressed terms conflict go to different calls. Strings are never edited
  after decoding. ``satisfied_by_nbest``, ``repaired`` and ``failed`` count the outcomes; a
  failure is reported as a missed term, as on torch. On random weights every sentence with
  terms is repaired and every decode runs to its bound: see ``bench/run.py terms --backend
  ct2``.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate import config
from translate.config import home, resolve_model
from translate.engines.torch.engine import (
    DEVICES,
    MAX_POSITIONS,
    BatchCallback,
    Hypothesis,
    encode,
    encode_checked,
    output_bound,
    plan_batches,
)
from translate.engines.torch.search import Constraint
from translate.errors import ModelLoadError, ModelNotFoundError, OutputError, UsageError
from translate.terms.count import count_target, token_forms

INSTALL_HINT = "pip install 'translate-id-en[fast]'"
QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int16", "float16", "bfloat16", "float32")
# Copied next to the converted weights so the folder is self-contained.
TOKENIZER_FILES = (
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "generation_config.json",
)
MARKER = "translate-source.json"  # what a converted folder was made from
TERM_HYPOTHESES = 4  # n-best searched for a hypothesis that already has every term
BOUND_SLACK = 0.1  # share of its bound a sentence may lose to share a decoding call
BOUND_SLACK_MIN = 3
MAX_PLACES = 8  # places scored when placing a missing term
STALE_ROUNDS = 3  # repair rounds in a row without progress before the last resort
PLACE_WINDOW = 4  # tokens after a placed term whose log-probability decides the place
ALTERNATIVES = 8  # next tokens tried after a placed term, for one that starts a new word
# Rescoring keeps a vocabulary-sized row per token: small batches bound the memory it takes.
SCORE_TOKENS = 256


class BackendNotInstalledError(UsageError):
    """The ct2 backend was asked for, but the ``ctranslate2`` package is not installed."""


def _ct2() -> Any:
    """The ``ctranslate2`` module, imported on first use (it has no type information)."""
    try:
        return importlib.import_module("ctranslate2")
    except ImportError:
        raise BackendNotInstalledError(
            f"the ct2 backend needs the ctranslate2 package: run `{INSTALL_HINT}`, "
            "or use --backend torch"
        ) from None


def _cuda_available(ct2: Any) -> bool:
    try:
        return int(ct2.get_cuda_device_count()) > 0
    except RuntimeError:  # a CPU-only build, or no driver
        return False


def default_quantization(device: str = "auto") -> str:
    """int8 on CPU, float16 on CUDA (``auto``: CUDA when CTranslate2 sees a device)."""
    if device == "auto":
        device = "cuda" if _cuda_available(_ct2()) else "cpu"
    return "float16" if device == "cuda" else "int8"


def converted_dir(model: str, quantization: str) -> Path:
    """Where a converted model lives: ``<home>/models/<name>-ct2-<quantization>``."""
    name = Path(model.rstrip("/")).name or "model"
    return home() / "models" / f"{name}-ct2-{quantization}"


def is_ct2_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` already holds a CTranslate2 model (``model.bin``)."""
    return (Path(path).expanduser() / "model.bin").is_file()


def convert_model(
    model: str | os.PathLike[str] | None = None,
    to: str | os.PathLike[str] | None = None,
    quantization: str | None = None,
    *,
    force: bool = False,
) -> Path:
    """Convert a Marian checkpoint (hub id or folder) for CTranslate2; return the folder.

    ``to`` defaults to ``<home>/models/<name>-ct2-<quantization>``; ``quantization`` to int8
    on CPU and float16 where CUDA is available. A folder that is already converted from the
    same checkpoint is kept unless ``force``. The folder appears complete or not at all.
    """
    ct2 = _ct2()
    model_id = resolve_model(model)
    quantization = quantization or default_quantization()
    if quantization not in QUANTIZATIONS:
        raise UsageError(
            f"unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}"
        )
    source = _source_folder(model_id)
    dest = Path(to).expanduser() if to is not None else converted_dir(model_id, quantization)
    stamp = _stamp(model_id, source, quantization)
    if not force and _up_to_date(dest, stamp):
        return dest
    _convert(ct2, model_id, source, dest, quantization, stamp)
    return dest


@dataclass(frozen=True)
class _Row:
    """One input of a decoding group: its index, source pieces, bound and terms.

    ``bound`` is the usual output bound; ``limit`` adds room for the terms, which repairs
    use: the first decode of a sentence with terms stops at ``bound``, so placed terms fit.
    """

    index: int
    source: list[str]
    bound: int
    terms: tuple[tuple[str, int], ...] = ()
    room: int = 0

    @property
    def limit(self) -> int:
        return min(self.bound + self.room, MAX_POSITIONS - 1)


@dataclass
class _Repair:
    """One hypothesis being repaired: where it stands, and the closest result seen."""

    row: _Row
    terms: list[tuple[str, int]]
    tokens: list[int]
    best: list[int]
    best_miss: int
    placed: list[tuple[int, int]] = field(default_factory=list)  # forced term spans
    prefix: list[int] = field(default_factory=list)  # what this round decodes on from
    rounds: int = 0
    stale: int = 0  # rounds in a row that brought nothing
    done: bool = False
    # Tokens the next continuation must not write: they would complete an occurrence that
    # overlaps a forced term (a term like "Bora Bora" that can run on into itself).
    ban: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Placement:
    """A term a repair must place before decoding on: spans to keep, the other terms."""

    target: str
    kept: list[tuple[int, int]]
    others: tuple[str, ...]
    limit: int  # longest prefix that leaves room for the terms still missing after this one


@dataclass
class _Call:
    """Repairs decoded together: one ``translate_batch`` with one suppression list."""

    alternatives: bool
    limit: int  # what every job in the call decodes to at most
    jobs: list[_Repair] = field(default_factory=list)
    done: set[str] = field(default_factory=set)  # terms suppressed
    wanted: set[str] = field(default_factory=set)  # terms still to be written


class CT2Engine:
    """A Marian checkpoint run by CTranslate2, converted on first use and loaded once."""

    backend = "ct2"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        device: str = "auto",
        *,
        batch_tokens: int | None = None,
        max_batch_sentences: int = 64,
        force_length: bool = False,
        quantization: str | None = None,
    ) -> None:
        if device not in DEVICES:
            raise UsageError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
        ct2 = _ct2()
        cuda = _cuda_available(ct2)
        if device == "cuda" and not cuda:
            raise UsageError("--device cuda was asked for, but CTranslate2 sees no CUDA device")
        if device == "auto":
            device = "cuda" if cuda else "cpu"
        self.device = device
        self.model_id = resolve_model(model)
        self.batch_tokens = config.batch_tokens(batch_tokens)
        self.max_batch_sentences = max_batch_sentences
        # For benchmarks with random weights: decode every sentence to its length bound.
        self.force_length = force_length
        if is_ct2_folder(self.model_id):
            folder = Path(self.model_id).expanduser()
        else:
            folder = convert_model(
                self.model_id, quantization=quantization or default_quantization(self.device)
            )
        self.folder = folder
        threads = config.threads()
        try:
            # One batch at a time (inter_threads=1); TRANSLATE_THREADS threads inside it.
            self.translator = ct2.Translator(
                str(folder),
                device=self.device,
                compute_type="default",
                inter_threads=1,
                intra_threads=max(threads, 0),
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelLoadError(f"{folder}: CTranslate2 cannot load it ({exc})") from None
        self.tokenizer = _tokenizer(folder)
        # Running totals, for benchmarks and progress: tokens in and out, decoding calls run,
        # and how sentences with glossary terms were satisfied.
        self.source_tokens = self.target_tokens = self.batches = 0
        self.satisfied_by_nbest = self.repaired = self.failed = 0
        # Time and best-hypothesis tokens of sentences with terms (verify and repair included).
        self.term_seconds = 0.0
        self.term_tokens = 0
        self._forms: dict[str, tuple[tuple[int, ...], ...]] = {}
        self._pieces: list[str] | None = None
        self._opener_ids: frozenset[int] | None = None

    # --- the Engine protocol -----------------------------------------------------------------

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Source tokens of each text, end-of-sentence included."""
        return [len(ids) for ids in encode(self.tokenizer, texts)]

    def translate(
        self,
        texts: Sequence[str],
        *,
        beams: int = 4,
        n_best: int = 1,
        on_batch: BatchCallback | None = None,
        terms: Sequence[Sequence[tuple[str, int]]] | None = None,
    ) -> list[list[Hypothesis]]:
        """The ``n_best`` translations of each text, in the order given.

        ``terms[i]``: (target, count) pairs text ``i``'s translation must contain exactly
        ``count`` times each: verified in the n-best, else repaired (see the module notes).
        """
        encoded = encode_checked(self.tokenizer, texts, beams, n_best)
        results: list[list[Hypothesis]] = [[] for _ in texts]
        lengths = [len(ids) for ids in encoded]
        for batch in plan_batches(lengths, self.batch_tokens, self.max_batch_sentences):
            rows = [self._row(i, encoded[i], terms[i] if terms else ()) for i in batch]
            # Rows with terms go together: their n-best searches are grouped by bound, and
            # their repairs run side by side.
            termed = [r for r in rows if r.terms]
            for group in _groups([r for r in rows if not r.terms]) + ([termed] if termed else []):
                if group[0].terms:
                    started = time.perf_counter()
                    hyps = self._decode_with_terms(group, beams, n_best)
                    self.term_seconds += time.perf_counter() - started
                    self.term_tokens += sum(h[0].tokens for h in hyps if h)
                else:
                    hyps = self._decode(group, beams, n_best)
                self.batches += 1
                self.source_tokens += sum(len(r.source) for r in group)
                # Only the best hypothesis of each sentence counts as output.
                self.target_tokens += sum(h[0].tokens for h in hyps if h)
                for r, h in zip(group, hyps, strict=True):
                    results[r.index] = h
                if on_batch is not None:
                    on_batch([r.index for r in group], hyps)
        return results

    # --- decoding ----------------------------------------------------------------------------

    def _row(self, index: int, ids: list[int], terms: Sequence[tuple[str, int]]) -> _Row:
        # A sentence with terms gets room for them on top of the usual bound, as on torch.
        room = sum(max(len(f) for f in self.term_forms(t)) * n for t, n in terms)
        bound = min(output_bound(len(ids)), MAX_POSITIONS - 1)
        pieces = self.tokenizer.convert_ids_to_tokens(ids)
        return _Row(index, pieces, bound, tuple(terms), room)

    def _search(
        self,
        sources: list[list[str]],
        bound: int,
        beams: int,
        n_best: int,
        prefixes: list[list[str]] | None = None,
        suppress: list[list[str]] | None = None,
        alternatives: bool = False,
    ) -> list[list[list[int]]]:
        """Token ids of the ``n_best`` hypotheses of each source (end-of-sentence excluded).

        ``alternatives``: the ``n_best`` hypotheses start with different tokens right after
        the prefix (each continued by beam search), best first.
        """
        longest_prefix = max((len(p) for p in prefixes), default=0) if prefixes else 0
        limit = max(bound, longest_prefix)
        results = self.translator.translate_batch(
            sources,
            target_prefix=prefixes,
            beam_size=beams if alternatives else max(beams, n_best),
            num_hypotheses=n_best,
            length_penalty=1.0,  # rank by mean log-probability, as the torch search does
            max_decoding_length=limit,
            min_decoding_length=limit if self.force_length else 1,
            max_input_length=0,  # inputs are checked against MAX_POSITIONS above
            suppress_sequences=suppress or None,
            return_alternatives=alternatives,
            return_scores=alternatives,
        )
        to_ids = self.tokenizer.convert_tokens_to_ids
        out = []
        for r in results:
            ranked = list(r.hypotheses)
            if alternatives:  # they come in the order of their first token's probability
                ranked = [
                    h for _, h in sorted(zip(r.scores, ranked, strict=True), key=lambda x: -x[0])
                ]
            out.append([list(to_ids(h)) for h in ranked])
        return out

    def _scores(self, sources: list[list[str]], targets: list[list[int]]) -> list[float]:
        """Teacher-forced mean log-probability per token, end-of-sentence included."""
        return [sum(lp) / max(1, len(lp)) for lp in self._log_probs(sources, targets)]

    def _log_probs(self, sources: list[list[str]], targets: list[list[int]]) -> list[list[float]]:
        """Teacher-forced log-probability of each target token, then of end-of-sentence."""
        if not targets:
            return []
        pieces = [self.tokenizer.convert_ids_to_tokens(t) for t in targets]
        results = self.translator.score_batch(
            sources,
            pieces,
            max_batch_size=SCORE_TOKENS,
            batch_type="tokens",
            max_input_length=0,
        )
        return [list(r.log_probs) for r in results]

    def _texts(self, targets: list[list[int]]) -> list[str]:
        # The same decoding call as the torch backend, so texts are identical for equal tokens.
        decoded = self.tokenizer.batch_decode(targets, skip_special_tokens=True)
        return [t.strip() for t in decoded]

    def _decode(self, group: list[_Row], beams: int, n_best: int) -> list[list[Hypothesis]]:
        sources = [r.source for r in group]
        found = self._search(sources, group[0].bound, beams, n_best)
        flat = [ids for ranked in found for ids in ranked]
        scores = self._scores(
            [r.source for r, ranked in zip(group, found, strict=True) for _ in ranked], flat
        )
        texts = self._texts(flat)
        out: list[list[Hypothesis]] = []
        k = 0
        for ranked in found:
            hyps = [
                Hypothesis(texts[k + j], scores[k + j], len(ids)) for j, ids in enumerate(ranked)
            ]
            # Rescoring can swap near ties; keep the best-scored first, as on torch.
            out.append(sorted(hyps, key=lambda h: -(h.score or -math.inf)))
            k += len(ranked)
        return out

    def _decode_with_terms(
        self, group: list[_Row], beams: int, n_best: int
    ) -> list[list[Hypothesis]]:
        wide = max(n_best, TERM_HYPOTHESES)
        searched: dict[int, list[list[int]]] = {}
        for rows in _groups(group):
            results = self._search([r.source for r in rows], rows[0].bound, max(beams, wide), wide)
            searched.update((r.index, h) for r, h in zip(rows, results, strict=True))
        found = [searched[r.index] for r in group]
        checks = [
            [self._misses(row.terms, ids) for ids in ranked]
            for row, ranked in zip(group, found, strict=True)
        ]
        # Each sentence with fewer than n_best good hypotheses repairs its best others; the
        # repairs of every sentence run side by side, batched.
        jobs: list[list[_Repair]] = []
        for row, ranked, miss in zip(group, found, checks, strict=True):
            need = n_best - min(n_best, sum(m == 0 for m in miss))
            bad = [ids for ids, m in zip(ranked, miss, strict=True) if m][:need]
            jobs.append([self._start_repair(row, ids) for ids in bad])
        self._repair_all([job for row_jobs in jobs for job in row_jobs], beams)
        return [
            self._choose(row, ranked, miss, row_jobs, n_best)
            for row, ranked, miss, row_jobs in zip(group, found, checks, jobs, strict=True)
        ]

    def _choose(
        self,
        row: _Row,
        ranked: list[list[int]],
        checks: list[int],
        jobs: list[_Repair],
        n_best: int,
    ) -> list[Hypothesis]:
        """The n-best that meet every term, repaired ones after those that already did."""
        fixed = [job.best for job in jobs]
        good = [ids for ids, miss in zip(ranked, checks, strict=True) if miss == 0][:n_best]
        repaired: list[list[int]] = []
        partial: list[tuple[list[int], int]] = []  # repairs that got closer, not all the way
        originals = [m for m in checks if m]
        for ids, miss in zip(fixed, originals, strict=False):
            left = self._misses(row.terms, ids)
            if left == 0 and ids not in good + repaired:
                repaired.append(ids)
            elif 0 < left < miss:
                partial.append((ids, left))
        pool = good + repaired
        misses = [0] * len(pool)
        # Fillers, only shown when too few meet every term: closest first.
        for ids, miss in partial + [(i, m) for i, m in zip(ranked, checks, strict=True) if m]:
            if len(pool) < n_best + len(good) + len(repaired):
                pool.append(ids)
                misses.append(miss)
        scores = self._scores([row.source] * len(pool), pool)
        order = sorted(range(len(pool)), key=lambda i: (misses[i], -scores[i]))[:n_best]
        best_ok = misses[order[0]] == 0
        if best_ok and order[0] < len(good):
            self.satisfied_by_nbest += 1
        elif best_ok:
            self.repaired += 1
        else:
            self.failed += 1
        texts = self._texts([pool[i] for i in order])
        return [
            Hypothesis(text, scores[i], len(pool[i])) for text, i in zip(texts, order, strict=True)
        ]

    # --- glossary terms: verify and repair ---------------------------------------------------

    def _constraint(self, target: str, count: int) -> Constraint:
        forms = self.term_forms(target)
        glued = tuple(not self._starts_word(f[0]) for f in forms)
        return Constraint(forms, count, glued, self._openers())

    def _occurrences(self, target: str, ids: list[int]) -> list[tuple[int, int]]:
        """Token spans where a form of ``target`` completes, counted as the torch search does."""
        c = self._constraint(target, 1)
        out = []
        for end in range(1, len(ids) + 1):
            head = ids[:end]
            for i, form in enumerate(c.forms):
                if head[-1] == form[-1] and c.at_end(head, i, len(form)):
                    out.append((end - len(form), end))
                    break
        return out

    def _misses(self, terms: Sequence[tuple[str, int]], ids: list[int]) -> int:
        """How far ``ids`` is from every term exactly ``count`` times, in tokens and in text."""
        (text,) = self._texts([ids])
        return sum(
            abs(len(self._occurrences(target, ids)) - count)
            + abs(count_target(text, target) - count)
            for target, count in terms
        )

    def _start_repair(self, row: _Row, ids: list[int]) -> _Repair:
        # Terms the vocabulary cannot spell (``<unk>`` in every form) are left out.
        terms = [(t, n) for t, n in row.terms if self._spellable(t)]
        miss = self._misses(terms, ids)
        return _Repair(row, terms, list(ids), list(ids), miss, done=not terms or miss == 0)

    def _repair_all(self, jobs: list[_Repair], beams: int) -> None:
        """Place the missing terms, then let the decoder write the rest after the last one.

        Each round places every missing term occurrence into the job's hypothesis, one after
        another where the model minds it least (``_choose_places``; the text between them is
        what the decoder wrote before), and decodes on from the end of the last forced term
        with the complete terms suppressed. After a term the decoder's best continuation that
        starts a new word is kept (from ``ALTERNATIVES`` different next tokens), so that ``US``
        cannot run on into ``USA``. Extra copies are cut off, and the decoder rewrites from
        there with the term suppressed. Every round's placements and decodes are batched
        across jobs. The effort is bounded: at most two rounds per term occurrence, and a stop
        after ``STALE_ROUNDS`` that brought nothing. Each job keeps the closest result seen.
        """
        while True:
            placing: list[tuple[_Repair, _Placement]] = []
            ready: list[_Repair] = []
            for job in jobs:
                if job.done:
                    continue
                if job.rounds >= 2 * sum(n for _, n in job.terms) + 2:
                    job.done = True
                    continue
                job.rounds += 1
                step = self._repair_step(job)
                if step is None:
                    job.done = True
                elif isinstance(step, _Placement):
                    placing.append((job, step))
                else:
                    job.prefix, job.placed = step
                    ready.append(job)
            if not placing and not ready:
                break
            placed: set[int] = set()  # ids of jobs that placed a term this round
            while placing:
                next_round: list[tuple[_Repair, _Placement]] = []
                for (job, placement), choice in zip(
                    placing, self._choose_places(placing), strict=True
                ):
                    if choice is not None:
                        at, form = choice
                        job.tokens = [*job.tokens[:at], *form, *job.tokens[at:]]
                        job.placed = _shift(placement.kept, at, form)
                        placed.add(id(job))
                        step = self._repair_step(job)
                        if isinstance(step, _Placement):
                            next_round.append((job, step))
                            continue
                    if id(job) in placed:
                        # Decode on from the end of the last forced term.
                        job.prefix = job.tokens[: job.placed[-1][1]]
                        ready.append(job)
                    else:
                        job.done = True  # no place for a missing term
                placing = next_round
            self._continue_all(ready, beams)

    def _continue_all(self, jobs: list[_Repair], beams: int) -> None:
        """Decode on from each job's prefix, batched; keep what the decoder wrote.

        A continuation stops short of the row's limit by the room the terms the prefix still
        lacks need, so that a repair that runs long (random weights always do) leaves room to
        place them.
        """
        batches: list[_Call] = []
        planned = []
        for job in jobs:
            spans = {t: self._occurrences(t, job.prefix) for t, _ in job.terms}
            done = {t for t, n in job.terms if len(spans[t]) >= n}
            wanted = {t for t, n in job.terms if len(spans[t]) < n}
            room = sum(self._width(t) * (n - len(spans[t])) for t, n in job.terms if t in wanted)
            limit = max(len(job.prefix), job.row.limit - room)
            after_term = any(s and s[-1][1] == len(job.prefix) for s in spans.values())
            planned.append((limit, job, done, wanted, after_term))
        for limit, job, done, wanted, after_term in sorted(planned, key=lambda p: p[0]):
            # suppress_sequences is one list per call: a job joins a call whose suppressed
            # terms it does not need, and that does not need the terms it suppresses. A call
            # decodes to its first (smallest) limit, within the slack of _groups.
            call = next(
                (
                    c
                    for c in batches
                    if c.alternatives == after_term
                    and not (c.done & wanted or c.wanted & done)
                    and limit - c.limit <= max(BOUND_SLACK_MIN, math.floor(BOUND_SLACK * limit))
                ),
                None,
            )
            if call is None or job.ban or any(j.ban for j in call.jobs):
                # A job with banned tokens decodes alone: a ban is one list per call too.
                call = _Call(after_term, limit)
                batches.append(call)
            call.jobs.append(job)
            call.done |= done
            call.wanted |= wanted
        for call in batches:
            suppress = [
                self.tokenizer.convert_ids_to_tokens(list(form))
                for target in sorted(call.done)
                for form in self.term_forms(target)
            ] + [self.tokenizer.convert_ids_to_tokens([t]) for j in call.jobs for t in j.ban]
            found = self._search(
                [j.row.source for j in call.jobs],
                call.limit,
                beams,
                ALTERNATIVES if call.alternatives else 1,
                prefixes=[self.tokenizer.convert_ids_to_tokens(j.prefix) for j in call.jobs],
                suppress=suppress,
                alternatives=call.alternatives,
            )
            for job, ranked in zip(call.jobs, found, strict=True):
                self._advance(job, ranked)

    def _advance(self, job: _Repair, ranked: list[list[int]]) -> None:
        prefix = job.prefix
        job.ban = []
        kept = [h for h in ranked if h[: len(prefix)] == prefix]
        if not kept:
            job.done = True  # the decoder did not keep the prefix: give up rather than guess
            return
        # A new word (or the end) right after the term, where the decoder offers one.
        job.tokens = next(
            (h for h in kept if len(h) == len(prefix) or self._starts_word(h[len(prefix)])),
            kept[0],
        )
        miss = self._misses(job.terms, job.tokens)
        if miss < job.best_miss:
            job.best, job.best_miss, job.stale = job.tokens, miss, 0
        else:
            job.stale += 1
        job.done = miss == 0 or job.stale >= STALE_ROUNDS

    def _width(self, target: str) -> int:
        """Tokens the longest form of ``target`` takes: the room one occurrence needs."""
        return max(len(f) for f in self.term_forms(target))

    def _spellable(self, target: str) -> bool:
        unk = self.tokenizer.unk_token_id
        return any(unk not in form for form in self.term_forms(target))

    def _repair_step(
        self, job: _Repair
    ) -> tuple[list[int], list[tuple[int, int]]] | _Placement | None:
        """The next prefix to decode from (and the forced spans in it), a term to place first,
        or None when done or stuck."""
        tokens, placed, terms = job.tokens, job.placed, job.terms
        spans = {target: self._occurrences(target, tokens) for target, _ in terms}
        counts = dict(terms)
        for target, count in terms:
            if len(spans[target]) > count:
                # An extra copy: the decoder rewrites from its start, the term suppressed.
                cut = spans[target][count][0]
                inside = [b for a, b in placed if a < cut < b]
                if inside:
                    # It overlaps a forced term: keep that term whole, rewrite after it, and
                    # ban the tokens that would complete the overlapping copy again.
                    cut = max(inside)
                    job.ban = [
                        f[-1]
                        for f in self.term_forms(target)
                        if len(f) > 1 and tokens[cut - len(f) + 1 : cut] == list(f[:-1])
                    ]
                return tokens[:cut], [s for s in placed if s[1] <= cut]
        # Longest first: a term inside a longer one ("UN" in "UN Security Council") is then
        # usually met by the longer one already.
        for target in sorted(counts, key=lambda t: -max(len(f) for f in self.term_forms(t))):
            if len(spans[target]) < counts[target]:
                # Copies the decoder wrote itself are kept like placed ones (none is extra).
                kept = sorted({*placed, *(s for found in spans.values() for s in found)})
                reserve = sum(
                    self._width(t) * max(0, n - len(spans[t])) for t, n in terms
                ) - self._width(target)
                others = tuple(t for t in counts if t != target)
                return _Placement(target, kept, others, job.row.limit - reserve)
        (text,) = self._texts([tokens])
        for target, count in terms:
            if count_target(text, target) == count:
                continue
            for _, end in spans[target]:
                if end < len(tokens) and not self._starts_word(tokens[end]):
                    # The term runs on into a longer word: decode on from its end.
                    return tokens[:end], [s for s in placed if s[1] <= end]
        return None

    def _places(self, job: _Repair, placement: _Placement) -> list[tuple[int, tuple[int, ...]]]:
        """Where ``placement.target`` may go: (token index, form) pairs.

        Word boundaries where the prefix then reads one more whole-word copy of the term and
        the other terms as before (plus those inside it: "UN" in "UN Security Council"); only
        when there is none (random weights glue everything), any token boundary. Never inside
        a term already placed; a glued form only right after a quote or bracket.
        """
        tokens, placed, target = job.tokens, placement.kept, placement.target
        forms = self.term_forms(target)
        openers = self._openers()

        def found(words_only: bool) -> list[tuple[int, tuple[int, ...]]]:
            out = []
            for i in range(len(tokens) + 1):
                if any(a < i < b for a, b in placed):
                    continue
                if words_only and i < len(tokens) and not self._starts_word(tokens[i]):
                    continue
                for form in forms:
                    if not self._starts_word(form[0]) and not (i > 0 and tokens[i - 1] in openers):
                        continue
                    new, old = _insert(tokens, placed, i, form)
                    if len(new) > placement.limit:
                        continue
                    after, before = self._texts([new, tokens[:old]])
                    if count_target(after, target) == count_target(before, target) + 1 and all(
                        count_target(after, t) == count_target(before, t) + count_target(target, t)
                        for t in placement.others
                    ):
                        out.append((i, form))
            return out

        return found(words_only=True) or found(words_only=False)

    def _choose_places(
        self, requests: list[tuple[_Repair, _Placement]]
    ) -> list[tuple[int, tuple[int, ...]] | None]:
        """Where each missing term goes, where the model minds it least: (index, form).

        Each place is scored by how much the term changes the log-probability of itself plus
        the next ``PLACE_WINDOW`` tokens (teacher-forced, ``score_batch``), against those
        tokens without it: the tokens before are the same either way. ``MAX_PLACES`` places
        at most, spread evenly, so that a placement costs less than a decode; every job's
        places are scored in one batched call.
        """
        candidates = []
        for job, placement in requests:
            found = self._places(job, placement)
            if len(found) > MAX_PLACES:
                step = (len(found) - 1) / (MAX_PLACES - 1)
                found = [found[round(k * step)] for k in range(MAX_PLACES)]
            candidates.append(found)
        sources: list[list[str]] = []
        targets: list[list[int]] = []
        for (job, _), found in zip(requests, candidates, strict=True):
            if found:
                tokens = job.tokens
                sources += [job.row.source] * (len(found) + 1)
                targets.append(tokens)  # end-of-sentence last
                targets += [
                    [*tokens[:i], *form, *tokens[i : i + PLACE_WINDOW]] for i, form in found
                ]
        scored = iter(self._log_probs(sources, targets))
        out: list[tuple[int, tuple[int, ...]] | None] = []
        for (job, _), found in zip(requests, candidates, strict=True):
            if not found:
                out.append(None)
                continue
            base = next(scored)
            gains = [_gain(job.tokens, base, next(scored), i, form) for i, form in found]
            out.append(found[max(range(len(found)), key=gains.__getitem__)])
        return out

    def term_forms(self, target: str) -> tuple[tuple[int, ...], ...]:
        """Every token sequence a target term can take (as ``MarianEngine.term_forms``)."""
        cached = self._forms.get(target)
        if cached is None:
            cached = self._forms[target] = token_forms(self.tokenizer, target)
        return cached

    def _vocabulary(self) -> list[str]:
        if self._pieces is None:
            self._pieces = list(
                self.tokenizer.convert_ids_to_tokens(list(range(len(self.tokenizer))))
            )
        return self._pieces

    def _starts_word(self, token: int) -> bool:
        piece = self._vocabulary()[token]
        return bool(piece) and (piece.startswith("▁") or not piece[0].isalnum())

    def _openers(self) -> frozenset[int]:
        """Tokens after which a glued term form may start: ones ending in a quote or bracket."""
        if self._opener_ids is None:
            self._opener_ids = frozenset(
                i
                for i, p in enumerate(self._vocabulary())
                if p and p[-1] in "\"'([-/" and len(p) <= 3
            )
        return self._opener_ids


def _insert(
    tokens: list[int], placed: list[tuple[int, int]], i: int, form: tuple[int, ...]
) -> tuple[list[int], int]:
    """``form`` inserted at ``i``, cut after the last forced span; and that cut without it."""
    end = max([i + len(form)] + [b + len(form) if a >= i else b for a, b in placed])
    return [*tokens[:i], *form, *tokens[i:]][:end], end - len(form)


def _shift(placed: list[tuple[int, int]], at: int, form: tuple[int, ...]) -> list[tuple[int, int]]:
    """Forced spans after ``form`` is inserted at ``at``, the new one included."""
    moved = [(a + len(form), b + len(form)) if a >= at else (a, b) for a, b in placed]
    return sorted([*moved, (at, at + len(form))])


def _gain(
    tokens: list[int], base: list[float], window: list[float], i: int, form: tuple[int, ...]
) -> float:
    """How much ``form`` at ``i`` changes the log-probability of itself and the next
    ``PLACE_WINDOW`` tokens, against those tokens without it (``base``: end-of-sentence last)."""
    stop = i + PLACE_WINDOW
    if stop >= len(tokens):  # the window reaches the end: end-of-sentence counts too
        return sum(window[i:]) - sum(base[i:])
    return sum(window[i : stop + len(form)]) - sum(base[i:stop])


def _groups(rows: list[_Row]) -> list[list[_Row]]:
    """Rows cut into decoding groups by bound: each group decodes to its smallest bound, and no
    row loses more than ``max(3, 10 %)`` of its own bound to share the call."""
    groups: list[list[_Row]] = []
    for row in sorted(rows, key=lambda r: (r.bound, r.index)):
        low = groups[-1][0].bound if groups else 0
        if groups and row.bound - low <= max(BOUND_SLACK_MIN, math.floor(BOUND_SLACK * row.bound)):
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


# --- conversion --------------------------------------------------------------------------------


def _source_folder(model_id: str) -> Path:
    """The local folder of a checkpoint: the folder given, or the hub cache (downloading)."""
    local = Path(model_id).expanduser()
    # Hub ids are "name" or "owner/name"; anything else is meant as a folder (as engine._load).
    looks_local = local.exists() or model_id.startswith((".", "/", "~")) or model_id.count("/") > 1
    if looks_local:
        if not local.is_dir():
            raise ModelNotFoundError(
                f"model folder {model_id} does not exist: pass --model with a folder that holds "
                "a Marian checkpoint, or run `translate model download`"
            )
        if not (local / "config.json").is_file():
            raise ModelLoadError(
                f"{model_id} holds no config.json: it is not a Hugging Face model folder"
            )
        return local.resolve()
    from huggingface_hub import snapshot_download

    patterns = [*TOKENIZER_FILES, "config.json", "model.safetensors", "pytorch_model.bin"]
    try:
        cached = Path(snapshot_download(model_id, allow_patterns=patterns, local_files_only=True))
        if (cached / "model.safetensors").is_file() or (cached / "pytorch_model.bin").is_file():
            return cached
    except Exception:  # the hub client raises many kinds for "not cached"
        pass
    from translate.engines.download import hub_reachable

    if not hub_reachable():
        raise ModelNotFoundError(
            f"model {model_id!r} is not on this machine and the hub cannot be reached: "
            f"run `translate model download {model_id}` where the internet is reachable, "
            "or pass --model PATH (or set TRANSLATE_MODEL) to a model folder"
        )
    try:
        return Path(snapshot_download(model_id, allow_patterns=patterns))
    except Exception as exc:
        raise ModelNotFoundError(
            f"model {model_id!r} could not be downloaded ({type(exc).__name__}): check the "
            "name, or run `translate model download` and pass --model PATH"
        ) from None


def _stamp(model_id: str, source: Path, quantization: str) -> dict[str, Any]:
    """What decides a conversion: the checkpoint folder, its weights and config, the type."""
    files = {}
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        path = source / name
        if path.is_file():
            st = path.stat()
            files[name] = [st.st_size, st.st_mtime_ns]
    return {"model": model_id, "source": str(source), "files": files, "quantization": quantization}


def _up_to_date(dest: Path, stamp: dict[str, Any]) -> bool:
    try:
        recorded = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    keys = ("source", "files", "quantization")
    return (
        isinstance(recorded, dict)
        and all(recorded.get(k) == stamp[k] for k in keys)
        and (dest / "model.bin").is_file()
    )


def _convert(
    ct2: Any, model_id: str, source: Path, dest: Path, quantization: str, stamp: dict[str, Any]
) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    except OSError as exc:
        raise OutputError(f"{dest}: cannot create ({exc.strerror or exc})") from None
    print(
        f"converting {model_id} for CTranslate2 ({quantization}) once: {dest}",
        file=sys.stderr,
        flush=True,
    )
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        with warnings.catch_warnings():
            # sacremoses only matters for Marian models trained with Moses pre-processing.
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter = ct2.converters.TransformersConverter(str(source))
            converter.convert(str(staging), quantization=quantization, force=True)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, Exception):
            # The converter loads the checkpoint with transformers: any failure there means
            # the folder is not a Marian checkpoint CTranslate2 can take.
            raise ModelLoadError(
                f"{model_id}: cannot convert it for CTranslate2 ({type(exc).__name__}: {exc}); "
                "use --backend torch"
            ) from None
        raise
    try:
        for name in TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, staging / name)
        stamp = {**stamp, "ctranslate2": getattr(ct2, "__version__", "?")}
        (staging / MARKER).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        _replace(staging, dest)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{dest}: cannot write the converted model ({exc})") from None
        raise


def _replace(staging: Path, dest: Path) -> None:
    """Rename ``staging`` to ``dest``, moving a stale ``dest`` aside first."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
        dest.rename(old / "stale")
    try:
        staging.rename(dest)
    except OSError:
        if not (dest / "model.bin").is_file():
            raise
        # Another process finished the same conversion first: use theirs.
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _tokenizer(folder: Path) -> Any:
    """The checkpoint's own MarianTokenizer, from the files copied beside the weights."""
    if not (folder / "vocab.json").is_file() or not (folder / "source.spm").is_file():
        raise ModelLoadError(
            f"{folder} holds a CTranslate2 model but no Marian tokenizer files "
            "(source.spm, target.spm, vocab.json): convert it with `translate model convert`"
        )
    from transformers import MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        try:
            return MarianTokenizer.from_pretrained(str(folder))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelLoadError(f"{folder}: cannot load its tokenizer ({exc})") from None
