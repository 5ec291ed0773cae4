"""Beam search over a Marian model, with lexical constraints (glossary terms) where asked.

One loop serves plain and constrained sentences, batched together:

* plain sentences follow standard beam search: the best ``2 × beams`` continuations of all
  beams, end-of-sentence hypotheses set aside while they rank within the beam, early stop once
  ``beams`` hypotheses are finished;
* a sentence with terms uses dynamic beam allocation (Post & Vilar 2018, as in fairseq's
  ``--constraints``): candidates are the top-k continuations, plus for every hypothesis the next
  token of each term it still owes; hypotheses are banked by how many term tokens they have met
  and the beam is shared out across banks, so partial terms survive beside fluent prefixes.
  End-of-sentence is blocked until every term is in, and a term's completing token is masked
  once its count is reached, so each term comes out exactly as often as the source has it.

With a ``head`` (``engines.torch.head.RestrictedHead``: the output projection cut to what the
target tokenizer can write), the search runs in its indices: logits, log-softmax (renormalised
over the producible tokens), top-k and every token id it is given (end-of-sentence, the terms'
forms and openers, the glue mask) are restricted indices, which the caller translates; the
decoder is fed model ids (``head.to_full``), and results come back in search indices.

The loop keeps one row per beam and sentence, reorders only the self-attention cache (beams of a
sentence share its encoder states, so the cross-attention cache never needs reordering), drops
finished sentences from the batch, and scores hypotheses as it goes (mean log-probability per
token, end-of-sentence included) at no extra cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from translate.engines.torch.topk import row_top
from translate.terms.count import TokenTerm

NEG_INF = -math.inf


@dataclass(frozen=True)
class Constraint(TokenTerm):
    """A target term (``TokenTerm``: its forms and their context) that must appear exactly
    ``count`` times.

    ``within``: (constraint index, copies) for each other term of the sentence that contains
    this one ("Jakarta" in "East Jakarta"): ``count`` includes those copies (``nested``), and
    the search keeps the rest for the outer terms still owed.
    """

    count: int = 1
    within: tuple[tuple[int, int], ...] = ()


@dataclass
class _Hyp:
    tokens: list[int]
    logp: float
    done: tuple[int, ...] = ()  # completed occurrences per constraint
    completed_now: bool = False  # the last token completed a term


class _TermIndex:
    """The sentence's term prefixes by their last token: ``by_last[t]`` lists (constraint,
    form, prefix length) whose prefix ends with ``t``. A hypothesis can only be inside or at
    the end of a term through its last token, so the per-candidate checks look there instead
    of at every term, form and prefix (a long unpunctuated piece has dozens of terms)."""

    def __init__(self, constraints: Sequence[Constraint]) -> None:
        self.longest = [c.longest for c in constraints]
        self.by_last: dict[int, list[tuple[int, int, int]]] = {}
        for ci, c in enumerate(constraints):
            for fi, form in enumerate(c.forms):
                for p in range(1, len(form) + 1):
                    self.by_last.setdefault(form[p - 1], []).append((ci, fi, p))

    def ending(self, tokens: list[int]) -> list[tuple[int, int, int]]:
        """Entries whose prefix could end ``tokens`` (same last token; still to be checked)."""
        return self.by_last.get(tokens[-1], []) if tokens else []


@dataclass
class _Sentence:
    bound: int
    constraints: tuple[Constraint, ...]
    hyps: list[_Hyp]
    finished: list[tuple[float, bool, _Hyp]] = field(default_factory=list)
    active: bool = True
    index: _TermIndex = field(init=False)
    # Per constraint: the copies it may have outside the terms that contain it.
    alone: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.index = _TermIndex(self.constraints)
        cons = self.constraints
        self.alone = tuple(c.count - sum(n * cons[j].count for j, n in c.within) for c in cons)

    def satisfied(self, hyp: _Hyp) -> bool:
        return all(d >= c.count for d, c in zip(hyp.done, self.constraints, strict=True))


@dataclass(frozen=True)
class Result:
    """One finished hypothesis: its tokens (end-of-sentence excluded), mean log-prob, and
    whether it met all of its sentence's constraints."""

    tokens: tuple[int, ...]
    score: float
    satisfied: bool


def beam_search(
    model: Any,
    torch: Any,
    input_ids: Any,
    attention_mask: Any,
    *,
    beams: int,
    n_best: int,
    bounds: Sequence[int],
    eos_id: int,
    pad_id: int | None,
    start_id: int,
    constraints: Sequence[Sequence[Constraint]] | None = None,
    force_length: bool = False,
    glue: Any = None,
    head: Any = None,
) -> list[list[Result]]:
    """The ``n_best`` results of each input row, best first.

    ``bounds[i]``: the most tokens sentence ``i`` may produce before end-of-sentence is forced
    (the caller leaves room there for the terms of constrained sentences).
    ``force_length``: forbid end-of-sentence before the bound (benchmarks with random weights).
    ``glue``: a boolean vocabulary mask of tokens that continue a word; banned right after a
    term is completed, so that ``US`` cannot become ``USA``.
    ``head``: a restricted output projection (see the module notes); ``pad_id`` None when the
    search cannot produce padding anyway; ``start_id`` is a model id.
    """
    n = input_ids.shape[0]
    k = beams
    cons = [tuple(constraints[i]) if constraints else () for i in range(n)]
    sentences = [
        _Sentence(
            bound=bounds[i],
            constraints=cons[i],
            hyps=[_Hyp([], 0.0 if b == 0 else NEG_INF, (0,) * len(cons[i])) for b in range(k)],
        )
        for i in range(n)
    ]
    encoder = model.get_encoder()
    from transformers import EncoderDecoderCache
    from transformers.cache_utils import DynamicCache

    from translate.engines.torch.attention import shares_encoder
    from translate.engines.torch.cache import self_attention_cache

    # Sentences with rows in the batch, in row-block order: the longest bounds first, so that
    # the sentences that finish first (at their bound, at the latest) leave from the end and
    # the rows of the others stay where they are (engines.torch.cache moves only moved rows).
    live = sorted(range(n), key=lambda i: -bounds[i])
    with torch.inference_mode():
        if live != list(range(n)):
            order = torch.tensor(live, device=input_ids.device)
            input_ids = input_ids.index_select(0, order)
            attention_mask = attention_mask.index_select(0, order)
        enc = encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        # One encoder row per sentence when the beams share it (engines.torch.attention).
        per = 1 if shares_encoder(model) else k
        rows_enc = enc.repeat_interleave(per, dim=0) if per > 1 else enc
        rows_mask = attention_mask.repeat_interleave(per, dim=0) if per > 1 else attention_mask
        # One position per step: the start token, then at most ``bound`` tokens and the end.
        limit = max(bounds, default=0) + 2
        layers = int(model.config.decoder_layers)
        cache = EncoderDecoderCache(self_attention_cache(layers, limit), DynamicCache())
        last = torch.full((n * k, 1), start_id, dtype=torch.long, device=input_ids.device)
        step = 0
        work = None  # the float32 buffer of half-precision logits' log-probabilities
        # The decoder alone when the head is ours; the model's forward is otherwise the same.
        decoder = model if head is None else model.base_model
        while live:
            out = decoder(
                encoder_outputs=(rows_enc,),
                attention_mask=rows_mask,
                decoder_input_ids=last,
                cache=cache,
                use_cache=True,
            )
            # The model's logits, or the restricted head's on the decoder's last state.
            scored = out.logits if head is None else head(out.last_hidden_state[:, -1:, :])
            logits = scored[:, -1, :]
            logp, work = _log_probs(torch, logits, work)
            if pad_id is not None:
                logp[:, pad_id] = NEG_INF
            scores = _step_scores(torch, logp, sentences, live, k, step, eos_id, force_length, glue)
            picks = _select(torch, scores, sentences, live, k, step, eos_id)
            step += 1
            # Rows for the next step: the chosen source row of each kept beam.
            still = [s for s in live if sentences[s].active]
            if not still:
                break
            reorder, tokens = [], []
            block = {s: j for j, s in enumerate(live)}
            keep_rows: list[int] = []
            for s in still:
                for src_beam, token in picks[s]:
                    reorder.append(block[s] * k + src_beam)
                    tokens.append(token)
                keep_rows.extend(range(block[s] * per, block[s] * per + per))
            index = torch.tensor(reorder, device=input_ids.device)
            cache.self_attention_cache.reorder_cache(index)
            if len(still) < len(live):
                rows_enc, rows_mask = _keep(cache, keep_rows, rows_enc, rows_mask)
            last = torch.tensor(tokens, device=input_ids.device).unsqueeze(1)
            if head is not None:
                last = head.to_full[last]  # search indices → the model's token ids
            live = still
    return [_results(s, n_best) for s in sentences]


def _log_probs(torch: Any, logits: Any, work: Any) -> tuple[Any, Any]:
    """Float32 log-probabilities of ``logits`` (rows × vocabulary), computed in place.

    Each step's logits are a fresh vocabulary-sized tensor (20 MB for 160 rows), and a fresh
    output beside it had its pages faulted in as written: the log-softmax ran at 2.5× its
    warm time in the engine. float32 logits are overwritten; half-precision ones are
    converted into ``work``, kept from step to step (the first step has the most rows), where
    a conversion and an output were two fresh buffers. Same values as
    ``torch.log_softmax(logits, dim=-1, dtype=torch.float32)``, bit for bit.
    """
    if logits.dtype == torch.float32:
        return torch.log_softmax(logits, dim=-1, out=logits), work
    rows = logits.shape[0]
    if work is None or work.shape[0] < rows:
        work = torch.empty(logits.shape, dtype=torch.float32, device=logits.device)
    into = work[:rows]
    into.copy_(logits)
    return torch.log_softmax(into, dim=-1, out=into), work


def _keep(cache: Any, rows: list[int], enc: Any, mask: Any) -> tuple[Any, Any]:
    """Only encoder ``rows`` (states, mask, cross-attention cache): views when they are the
    first ones (finished sentences at the end), else gathered."""
    from translate.engines.torch.cache import keep_rows, rows_of

    keep_rows(cache.cross_attention_cache, rows)
    return rows_of(enc, rows), rows_of(mask, rows)


def _step_scores(
    torch: Any,
    logp: Any,
    sentences: list[_Sentence],
    live: list[int],
    k: int,
    step: int,
    eos_id: int,
    force_length: bool,
    glue: Any,
) -> Any:
    """Cumulative scores (rows × vocabulary) with bounds and constraint masks applied."""
    prior = torch.tensor(
        [h.logp for s in live for h in sentences[s].hyps], device=logp.device
    ).unsqueeze(1)
    for j, s in enumerate(live):
        sent = sentences[s]
        rows = slice(j * k, j * k + k)
        if step >= sent.bound:
            # Out of room: end-of-sentence only (a constraint still owed is a miss).
            eos = logp[rows, eos_id].clone()
            logp[rows] = NEG_INF
            logp[rows, eos_id] = torch.where(torch.isfinite(eos), eos, torch.zeros_like(eos))
            continue
        if force_length:
            logp[rows, eos_id] = NEG_INF
        if sent.constraints:
            for b, hyp in enumerate(sent.hyps):
                row = j * k + b
                if not sent.satisfied(hyp):
                    logp[row, eos_id] = NEG_INF
                for banned in _banned(sent, hyp):
                    logp[row, banned] = NEG_INF
                if hyp.completed_now and glue is not None:
                    # A finished term must not run on into a longer word, unless that word is
                    # the continuation of another term still in progress.
                    keep = sorted(_next_tokens(sent, hyp))
                    saved = logp[row, keep].clone() if keep else None
                    logp[row, glue] = NEG_INF
                    if saved is not None:
                        logp[row, keep] = saved
    return logp.add_(prior)


def _completions(constraints: Sequence[Constraint], hyp: _Hyp, satisfied_only: bool) -> set[int]:
    """Tokens that would complete a term (one whose count is already reached, if asked)."""
    out = set()
    for c, done in zip(constraints, hyp.done, strict=True):
        if satisfied_only and done < c.count:
            continue
        for i, form in enumerate(c.forms):
            if c.at_end(hyp.tokens, i, len(form) - 1):
                out.add(form[-1])
    return out


def _banned(sent: _Sentence, hyp: _Hyp) -> set[int]:
    """Tokens that would complete a term once too often: one whose count is reached, or one
    inside other terms ("Jakarta" in "East Jakarta") that has all the copies it may have on
    its own, unless the token also goes on with an outer term still owed."""
    out = _completions(sent.constraints, hyp, satisfied_only=True)
    for ci, c in enumerate(sent.constraints):
        if not c.within or hyp.done[ci] >= c.count:
            continue
        alone = hyp.done[ci] - sum(n * hyp.done[j] for j, n in c.within)
        if alone < sent.alone[ci]:
            continue
        outer = _next_tokens(sent, hyp, {j for j, _ in c.within})
        for i, form in enumerate(c.forms):
            if form[-1] not in outer and c.at_end(hyp.tokens, i, len(form) - 1):
                out.add(form[-1])
    return out


def _progress(sent: _Sentence, hyp: _Hyp) -> int:
    """Term tokens met: completed occurrences (up to the count) plus the best partial form."""
    constraints, index = sent.constraints, sent.index
    met = 0
    for ci, (c, done) in enumerate(zip(constraints, hyp.done, strict=True)):
        met += min(done, c.count) * index.longest[ci]
    partial = 0
    for ci, fi, p in index.ending(hyp.tokens):
        c = constraints[ci]
        owed = hyp.done[ci] < c.count
        if partial < p < len(c.forms[fi]) and owed and c.at_end(hyp.tokens, fi, p):
            partial = p
    return met + partial


def _next_tokens(sent: _Sentence, hyp: _Hyp, only: set[int] | None = None) -> set[int]:
    """The next token of every form of every term this hypothesis still owes (of the
    constraints ``only``, when given)."""
    constraints = sent.constraints
    inside: dict[tuple[int, int], int] = {}  # (constraint, form) → longest prefix at the end
    for ci, fi, p in sent.index.ending(hyp.tokens):
        if only is not None and ci not in only:
            continue
        c = constraints[ci]
        if p < len(c.forms[fi]) and p > inside.get((ci, fi), 0) and c.at_end(hyp.tokens, fi, p):
            inside[(ci, fi)] = p
    out = set()
    for ci, (c, done) in enumerate(zip(constraints, hyp.done, strict=True)):
        if done >= c.count or (only is not None and ci not in only):
            continue
        for fi, form in enumerate(c.forms):
            at = inside.get((ci, fi))
            if at is not None:
                out.add(form[at])
            elif c.at_end(hyp.tokens, fi, 0):
                out.add(form[0])
    return out


def _extend(sent: _Sentence, hyp: _Hyp, token: int, score: float) -> _Hyp:
    tokens = [*hyp.tokens, token]
    done = list(hyp.done)
    completed = False
    counted: set[int] = set()
    for ci, fi, p in sent.index.by_last.get(token, []):
        c = sent.constraints[ci]
        if ci not in counted and p == len(c.forms[fi]) and c.at_end(tokens, fi, p):
            counted.add(ci)  # one occurrence per constraint, whichever form completed
            done[ci] += 1
            completed = True
    return _Hyp(tokens, score, tuple(done), completed)


def _select(
    torch: Any,
    scores: Any,
    sentences: list[_Sentence],
    live: list[int],
    k: int,
    step: int,
    eos_id: int,
) -> dict[int, list[tuple[int, int]]]:
    """Choose each live sentence's next beams; returns (source beam, token) per new beam."""
    # The best 2k of a sentence's k × vocabulary scores are among its rows' best 2k each: a
    # pass per row (engines.torch.topk), then a sort of the sentence's k × 2k. Equal scores
    # (frequent in bfloat16) rank by beam, then token: the choice must not depend on the
    # vocabulary's size (restricted or full) or on the batch.
    width = min(2 * k, scores.shape[1])
    # Each row best first, equal scores by token: a stable sort of the sentence's rows laid
    # end to end then ranks equal scores by beam, then token.
    row_scores, row_tokens = row_top(torch, scores, width)
    flat = row_scores.view(len(live), k * width)
    top_scores, top_at = torch.sort(flat, dim=1, descending=True, stable=True)
    top_scores, top_at = top_scores[:, : 2 * k], top_at[:, : 2 * k]
    top_tokens = row_tokens.view(len(live), k * width).gather(1, top_at).tolist()
    top_scores, top_at = top_scores.tolist(), top_at.tolist()
    # The best continuation of every hypothesis (constrained sentences keep each line alive).
    if any(sentences[s].constraints for s in live):
        row_best, row_token = row_scores[:, 0].tolist(), row_tokens[:, 0].tolist()
    picks: dict[int, list[tuple[int, int]]] = {}
    for j, s in enumerate(live):
        sent = sentences[s]
        candidates = [
            (sc, at // width, token)
            for sc, at, token in zip(top_scores[j], top_at[j], top_tokens[j], strict=True)
            if sc > NEG_INF
        ]
        if sent.constraints:
            seen = {(b, t) for _, b, t in candidates}
            for b, hyp in enumerate(sent.hyps):
                if hyp.logp == NEG_INF:
                    continue
                best = (row_best[j * k + b], b, row_token[j * k + b])
                if best[0] > NEG_INF and (b, best[2]) not in seen:
                    seen.add((b, best[2]))
                    candidates.append(best)
                for t in _next_tokens(sent, hyp):
                    sc = float(scores[j * k + b, t])
                    if sc > NEG_INF and (b, t) not in seen:
                        seen.add((b, t))
                        candidates.append((sc, b, t))
            candidates.sort(key=lambda c: -c[0])
        chosen = _allocate(sent, candidates, k, step, eos_id)
        picks[s] = chosen
    return picks


def _allocate(
    sent: _Sentence,
    candidates: list[tuple[float, int, int]],
    k: int,
    step: int,
    eos_id: int,
) -> list[tuple[int, int]]:
    """Finish end-of-sentence candidates, keep ``k`` beams (banked when constrained)."""
    cons = sent.constraints
    nexts: list[tuple[float, int, int, _Hyp]] = []
    for rank, (sc, b, t) in enumerate(candidates):
        parent = sent.hyps[b]
        if t == eos_id:
            if rank < k:
                length = len(parent.tokens) + 1
                sent.finished.append((sc / length, sent.satisfied(parent), parent))
            continue
        nexts.append(
            (sc, b, t, _extend(sent, parent, t, sc) if cons else _Hyp([*parent.tokens, t], sc))
        )
    if len(sent.finished) >= k or not nexts:
        sent.active = False
        return []
    if cons:
        banks: dict[int, list[tuple[float, int, int, _Hyp]]] = {}
        for item in nexts:
            banks.setdefault(_progress(sent, item[3]), []).append(item)
        order = sorted(banks, reverse=True)
        kept: list[tuple[float, int, int, _Hyp]] = []
        while len(kept) < k and any(banks[m] for m in order):
            for m in order:
                if banks[m] and len(kept) < k:
                    kept.append(banks[m].pop(0))
        kept.sort(key=lambda item: -item[0])
    else:
        kept = nexts[:k]
    while len(kept) < k:  # too few live candidates: pad with dead beams
        kept.append(
            (NEG_INF, kept[0][1], kept[0][2], _Hyp(kept[0][3].tokens, NEG_INF, kept[0][3].done))
        )
    sent.hyps = [item[3] for item in kept]
    return [(item[1], item[2]) for item in kept]


def _results(sent: _Sentence, n_best: int) -> list[Result]:
    pool = list(sent.finished)
    if len(pool) < n_best:
        # Stopped without enough finished hypotheses: rank the live ones too.
        for hyp in sent.hyps:
            if hyp.logp > NEG_INF:
                pool.append((hyp.logp / max(1, len(hyp.tokens)), sent.satisfied(hyp), hyp))
    # Hypotheses that meet every constraint first, then by mean log-probability.
    pool.sort(key=lambda f: (not f[1], -f[0]))
    return [Result(tuple(h.tokens), score, ok) for score, ok, h in pool[:n_best]]
