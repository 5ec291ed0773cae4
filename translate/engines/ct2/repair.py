"""Glossary terms on CTranslate2: verify the n-best, else repair.

CTranslate2 has no constrained search, so a sentence with terms is decoded, verified and
repaired. First the best of ``max(n_best, beams, 4)`` hypotheses (the same beam search as
without terms when beams is 4, stopped at the usual bound) that has every term exactly as often
as wanted (token forms as on torch, and ``count_target`` on the text). Otherwise each missing
term's tokens go at the word boundary where they change the model's log-probability of the
next few tokens least (``score_batch``), one term after another, and the decoder writes the
rest after the last one (``target_prefix``, completed terms suppressed, the best of 8 next
tokens that starts a new word). Extra copies are cut and rewritten (one that overlaps a forced
term, as "Bora Bora" can run on into itself, is cut after the term, the overlapping token
banned). A continuation stops short of the sentence's limit (bound plus room for its terms) by
the room the terms still missing need. The repairs of all sentences of a batch run side by
side, batched; ``suppress_sequences`` is one list per call, so sentences whose suppressed terms
conflict go to different calls. Strings are never edited after decoding.
``satisfied_by_nbest``, ``repaired`` and ``failed`` count the outcomes; a failure is reported
as a missed term, as on torch. On random weights every sentence with terms is repaired and
every decode runs to its bound: see ``bench/run.py terms --backend ct2``.

Counting follows ``terms.count`` (token spans as the torch search counts them, whole words in
text, nested targets wanted once more per outer copy), so both backends agree on what is met.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.engines.base import MAX_POSITIONS, Hypothesis, TermVocabulary
from translate.terms.count import count_target, inside, width

TERM_HYPOTHESES = 4  # n-best searched for a hypothesis that already has every term
MAX_PLACES = 8  # places scored when placing a missing term
STALE_ROUNDS = 3  # repair rounds in a row without progress before the last resort
PLACE_WINDOW = 4  # tokens after a placed term whose log-probability decides the place
ALTERNATIVES = 8  # next tokens tried after a placed term, for one that starts a new word


@dataclass(frozen=True)
class Row:
    """One input of a decoding group: its index, source pieces, bound and terms.

    ``bound`` is the usual output bound on the grid (``engines.base.call_bound``); ``limit``
    adds room for the terms, which repairs use: the first decode of a sentence with terms stops
    at ``bound``, so placed terms fit.
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

    row: Row
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


class TermRepair(ABC):
    """The verify-and-repair half of ``CT2Engine``: what it needs from the engine is below
    (the vocabulary, the counters, and the decoding calls ``_search``, ``_scores``,
    ``_log_probs`` and ``_texts``)."""

    tokenizer: Any
    vocabulary: TermVocabulary
    satisfied_by_nbest: int
    repaired: int
    failed: int

    @abstractmethod
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
        """Token ids of the ``n_best`` hypotheses of each source (the engine's beam search)."""

    @abstractmethod
    def _scores(self, sources: list[list[str]], targets: list[list[int]]) -> list[float]:
        """Teacher-forced mean log-probability per token, end-of-sentence included."""

    @abstractmethod
    def _log_probs(self, sources: list[list[str]], targets: list[list[int]]) -> list[list[float]]:
        """Teacher-forced log-probability of each target token, then of end-of-sentence."""

    @abstractmethod
    def _texts(self, targets: list[list[int]]) -> list[str]:
        """The English of each token sequence, decoded as on torch."""

    def term_forms(self, target: str) -> tuple[tuple[int, ...], ...]:
        """Every token sequence a target term can take (``terms.count.token_forms``), cached."""
        return self.vocabulary.forms(target)

    def _decode_with_terms(
        self, group: list[Row], beams: int, n_best: int
    ) -> list[list[Hypothesis]]:
        wide = max(n_best, TERM_HYPOTHESES)
        searched: dict[int, list[list[int]]] = {}
        for rows in groups(group):
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
        row: Row,
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

    def _occurrences(self, target: str, ids: list[int]) -> list[tuple[int, int]]:
        """Token spans where a form of ``target`` completes, counted as the torch search does."""
        return self.vocabulary.term(target).spans(ids)

    def _misses(self, terms: Sequence[tuple[str, int]], ids: list[int]) -> int:
        """How far ``ids`` is from every term exactly ``count`` times, in tokens and in text."""
        (text,) = self._texts([ids])
        return sum(
            abs(len(self._occurrences(target, ids)) - count)
            + abs(count_target(text, target) - count)
            for target, count in terms
        )

    def _start_repair(self, row: Row, ids: list[int]) -> _Repair:
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
        calls: dict[tuple[object, ...], _Call] = {}
        for limit, job, done, wanted, after_term in sorted(planned, key=lambda p: p[0]):
            # suppress_sequences and a ban are one list per call, and a call decodes to one
            # limit: jobs share a call only when all three are the same for them, so a job
            # decodes the same whoever shares its call. The limit stays exact (not on the
            # grid): rounded up, it would eat the room left for the terms still missing.
            key = (after_term, limit, frozenset(done), id(job) if job.ban else None)
            call = calls.get(key)
            if call is None:
                call = calls[key] = _Call(after_term, limit)
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
            (
                h
                for h in kept
                if len(h) == len(prefix) or self.vocabulary.starts_word(h[len(prefix)])
            ),
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
        return width(self.term_forms(target))

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
        # Copies of each term inside the others ("Jakarta" in "East Jakarta"): the rest must
        # stand on their own, and no more of them than the source has on their own.
        outers = {t: [(o, k) for o in counts if (k := inside(t, o))] for t in counts}
        for target, count in terms:
            budget = count - sum(k * counts[o] for o, k in outers[target])
            alone = [
                (a, b)
                for a, b in spans[target]
                if not any(c <= a and b <= d for o, _ in outers[target] for c, d in spans[o])
            ]
            if len(alone) > budget or len(spans[target]) > count:
                # An extra copy: the decoder rewrites from its start, the term suppressed.
                cut = (alone[budget] if len(alone) > budget else spans[target][count])[0]
                inside_forced = [b for a, b in placed if a < cut < b]
                if inside_forced:
                    # It overlaps a forced term: keep that term whole, rewrite after it, and
                    # ban the tokens that would complete the overlapping copy again.
                    cut = max(inside_forced)
                    job.ban = [
                        f[-1]
                        for f in self.term_forms(target)
                        if len(f) > 1 and tokens[cut - len(f) + 1 : cut] == list(f[:-1])
                    ]
                return tokens[:cut], [s for s in placed if s[1] <= cut]
        # Terms that hold others first, then longest first: a term inside another ("UN" in
        # "UN Security Council") is missing only beyond the copies the outer ones still
        # missing will bring.
        owed = {t: max(0, n - len(spans[t])) for t, n in terms}
        holds = {t: sum(1 for i in counts if inside(i, t)) for t in counts}
        for target in sorted(counts, key=lambda t: (-holds[t], -self._width(t))):
            if owed[target] > sum(k * owed[o] for o, k in outers[target]):
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
                if end < len(tokens) and not self.vocabulary.starts_word(tokens[end]):
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
        openers = self.vocabulary.openers()

        def found(words_only: bool) -> list[tuple[int, tuple[int, ...]]]:
            out = []
            for i in range(len(tokens) + 1):
                if any(a < i < b for a, b in placed):
                    continue
                if words_only and i < len(tokens) and not self.vocabulary.starts_word(tokens[i]):
                    continue
                for form in forms:
                    if not self.vocabulary.starts_word(form[0]) and not (
                        i > 0 and tokens[i - 1] in openers
                    ):
                        continue
                    new, old = _insert(tokens, placed, i, form)
                    if len(new) > placement.limit:
                        continue
                    after, before = self._texts([new, tokens[:old]])
                    if count_target(after, target) == count_target(before, target) + 1 and all(
                        count_target(after, t) == count_target(before, t) + inside(t, target)
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


def groups(rows: list[Row]) -> list[list[Row]]:
    """Rows cut into decoding calls, one per bound (bounds are on ``BOUND_GRID``)."""
    out: dict[int, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r.bound, r.index)):
        out.setdefault(row.bound, []).append(row)
    return list(out.values())
