"""Translation engine on CTranslate2: the ``Engine`` protocol of ``engines.base``, faster on CPU.

The first use of a Hugging Face Marian checkpoint converts it once (``convert.py``); later
runs load the converted folder. Tokenisation is the same ``MarianTokenizer`` as on torch, so
sentence splitting, token counts and output bounds match the torch backend.

Differences from ``MarianEngine``, on purpose:

* **Output bound and calls.** CTranslate2 takes one ``max_decoding_length`` per call, so a
  sentence's bound (``1.5 × source tokens + 10``) is rounded up to ``engines.base.BOUND_GRID``
  (×1.25 steps, ``call_bound``) and the inputs of one ``translate`` go into one call per grid
  value (at most ``CALL_BUDGETS`` token budgets each, for progress), which CTranslate2 sorts
  and batches by ``batch_tokens`` itself. An article takes about six calls, not one per batch
  and bound; and since the bound is the sentence's own, not its batch mates', a sentence
  translates the same in any company (local runs and Ray workers give identical outputs).
* **Scores.** CTranslate2's beam score leaves out the end-of-sentence log-probability, so each
  returned hypothesis is rescored with ``score_batch`` (teacher-forced): ``score`` is the mean
  log-probability per token, end-of-sentence included, as on torch. CTranslate2 drops
  ``<pad>`` from the vocabulary, so its probabilities are renormalised without it (torch masks
  it instead); the two differ by ``log(1 - p(pad))``, negligible for a trained model.
* **Glossary terms.** CTranslate2 has no constrained search: a sentence with terms is decoded,
  verified and repaired (``repair.py``).
* **Output vocabulary.** Decoding scores only what the target tokenizer can write
  (``engines.vocab``) through CTranslate2's vocabulary map (``vmap.txt``, ``use_vmap``), unless
  ``--full-vocab``. ``score_batch`` has no such option, so the scores above stay normalised over
  the whole vocabulary (less ``<pad>``): they differ from the torch search's restricted ones by
  ``log(1 - p(left out))`` per token, nothing for a trained model.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from translate import config
from translate.config import resolve_model
from translate.engines.base import (
    MAX_BATCH_SENTENCES,
    Batch,
    BatchedEngine,
    Decoded,
    Hypothesis,
    TermVocabulary,
    call_bound,
    check_device,
    output_bound,
)
from translate.engines.ct2.convert import (
    convert_model,
    cuda_available,
    default_quantization,
    ensure_vmap,
    is_ct2_folder,
    load_ct2,
)
from translate.engines.ct2.repair import Row, TermRepair, groups
from translate.engines.vocab import OutputVocabulary, of_tokenizer, resolve
from translate.errors import ModelLoadError, UsageError
from translate.terms.count import room

# Rescoring keeps a vocabulary-sized row per token: small batches bound the memory it takes.
SCORE_TOKENS = 256
# Source tokens of one decoding call, in token budgets: CTranslate2 batches inside the call;
# the cap keeps progress coming (``on_batch``) while a large batch window is translated.
CALL_BUDGETS = 8


class CT2Engine(BatchedEngine, TermRepair):
    """A Marian checkpoint run by CTranslate2, converted on first use and loaded once."""

    backend = "ct2"

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        device: str = "auto",
        *,
        batch_tokens: int | None = None,
        max_batch_sentences: int | None = None,
        force_length: bool = False,
        quantization: str | None = None,
        full_vocab: bool | None = None,
    ) -> None:
        check_device(device)
        ct2 = load_ct2()
        cuda = cuda_available(ct2)
        if device == "cuda" and not cuda:
            raise UsageError("--device cuda was asked for, but CTranslate2 sees no CUDA device")
        if device == "auto":
            device = "cuda" if cuda else "cpu"
        self.device = device
        self.model_id = resolve_model(model)
        self.batch_tokens = config.batch_tokens(batch_tokens)
        self.max_batch_sentences = max_batch_sentences or MAX_BATCH_SENTENCES
        # For benchmarks with random weights: decode every sentence to its length bound.
        self.force_length = force_length
        if is_ct2_folder(self.model_id):
            folder = Path(self.model_id).expanduser()
        else:
            folder = convert_model(
                self.model_id, quantization=quantization or default_quantization(self.device)
            )
        self.folder = folder
        self.tokenizer = _tokenizer(folder)
        # The vocabulary map goes in before the model loads: CTranslate2 reads it then.
        self.full_vocab = config.resolve_full_vocab(full_vocab)
        restriction = resolve(of_tokenizer(self.tokenizer), full_vocab)
        self.use_vmap = restriction.restricted and ensure_vmap(folder, restriction)
        if restriction.restricted and not self.use_vmap:
            restriction = restriction.off(f"{folder} takes no vmap.txt")
        self.output_vocabulary: OutputVocabulary = restriction
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
        # Running totals, for benchmarks and progress: tokens in and out, decoding calls run,
        # and how sentences with glossary terms were satisfied.
        self.source_tokens = self.target_tokens = self.batches = 0
        self.satisfied_by_nbest = self.repaired = self.failed = 0
        # Time and best-hypothesis tokens of sentences with terms (verify and repair included).
        self.term_seconds = 0.0
        self.term_tokens = 0
        self.vocabulary = TermVocabulary(self.tokenizer, lambda: len(self.tokenizer))

    # --- the Engine protocol -----------------------------------------------------------------

    def _plan(self, lengths: Sequence[int]) -> list[list[int]]:
        """One call per bound on the grid, shortest inputs first, each at most
        ``CALL_BUDGETS`` token budgets of source tokens (see the module notes)."""
        budget = CALL_BUDGETS * self.batch_tokens
        out: list[list[int]] = []
        bound = total = 0
        # Sorted by length, so a grid value's inputs come together (bounds grow with length).
        for i in sorted(range(len(lengths)), key=lambda i: (lengths[i], i)):
            here = call_bound(output_bound(lengths[i]))
            if not out or here != bound or total + lengths[i] > budget:
                out.append([])
                bound, total = here, 0
            out[-1].append(i)
            total += lengths[i]
        return out

    def _decode_batch(self, batch: Batch) -> Iterator[Decoded]:
        """The rows without terms in one call; those with terms verified in the n-best, else
        repaired (see the module notes)."""
        beams, n_best = batch.beams, batch.n_best
        parts = zip(batch.indices, batch.ids, batch.terms, strict=True)
        rows = [self._row(i, ids, t) for i, ids, t in parts]
        plain = [r for r in rows if not r.terms]
        termed = [r for r in rows if r.terms]
        for group in groups(plain) + ([termed] if termed else []):
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
            yield [r.index for r in group], hyps

    # --- decoding ----------------------------------------------------------------------------

    def _row(self, index: int, ids: list[int], terms: Sequence[tuple[str, int]]) -> Row:
        # A sentence with terms gets room for them on top of the usual bound, as on torch.
        extra = room((self.term_forms(t), n) for t, n in terms)
        bound = call_bound(output_bound(len(ids)))
        pieces = self.tokenizer.convert_ids_to_tokens(ids)
        return Row(index, pieces, bound, tuple(terms), extra)

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
            max_batch_size=self.batch_tokens,  # CTranslate2 sorts and batches the call itself
            batch_type="tokens",
            suppress_sequences=suppress or None,
            return_alternatives=alternatives,
            return_scores=alternatives,
            use_vmap=self.use_vmap,
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

    def _decode(self, group: list[Row], beams: int, n_best: int) -> list[list[Hypothesis]]:
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
