"""The output vocabulary: the target ids a Marian checkpoint can produce, computed once.

opus-mt-id-en shares one ``vocab.json`` between its two SentencePiece models, so its output
layer scores every Indonesian piece of ``source.spm`` too, which ``target.spm`` never writes and
the model was never trained to emit. What the decoder may write is defined here, once, for both
backends: the entries of ``vocab.json`` that are pieces of ``target.spm``, plus end-of-sentence
and ``<unk>``; ``<pad>`` never. Glossary terms and markup phrases become tokens through
``target.spm`` (``terms.count.token_forms``), so their tokens are in the set; an engine still
checks (``covers``) and decodes with the full vocabulary when a constraint needs a token outside.

A restricted search renormalises over the producible tokens: its log-probabilities are those of
the full softmax plus ``-log(1 - p(left out))``, equal for a trained model that puts no mass
there. A checkpoint with separate vocabularies, or whose ``vocab.json`` holds nothing beyond
the target pieces, gets no restriction, and ``describe()`` says so. No torch here.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate import config
from translate.errors import ModelLoadError, ModelNotFoundError


@dataclass(frozen=True)
class OutputVocabulary:
    """The ids the decoder may produce, ascending (``ids``), out of ``size`` output entries.

    ``ids`` is None when there is nothing to restrict (``reason`` says why), or when the
    restriction was turned off (``--full-vocab``).
    """

    size: int
    ids: tuple[int, ...] | None
    pieces: tuple[str, ...] = ()  # the piece of each of ``ids``, in the same order
    reason: str = ""

    @property
    def restricted(self) -> bool:
        """Whether decoding scores fewer tokens than the output layer has."""
        return self.ids is not None

    def covers(self, tokens: Iterable[int]) -> bool:
        """Whether every one of ``tokens`` can be produced (always, without a restriction)."""
        if self.ids is None:
            return True
        allowed = self.allowed
        return all(t in allowed for t in tokens)

    @functools.cached_property
    def allowed(self) -> frozenset[int]:
        """``ids`` as a set (empty without a restriction)."""
        return frozenset(self.ids or ())

    def describe(self) -> str:
        """One line for ``translate model info`` and logs: what the decoder scores, and why."""
        if self.ids is None:
            return f"output vocabulary: all {self.size:,} entries ({self.reason})"
        left = self.size - len(self.ids)
        return (
            f"output vocabulary: {len(self.ids):,} of {self.size:,} entries, what target.spm "
            f"can write (end-of-sentence and <unk> included); {left:,} left out"
        )

    def off(self, why: str = "--full-vocab") -> OutputVocabulary:
        """The same checkpoint with the restriction turned off."""
        return OutputVocabulary(self.size, None, (), why if self.ids is not None else self.reason)


def producible(
    vocab: Mapping[str, int],
    target_pieces: Iterable[str],
    *,
    eos: str,
    unk: str,
    pad: str | None,
    size: int | None = None,
    separate: bool = False,
) -> OutputVocabulary:
    """The one rule: ``vocab`` entries that are ``target_pieces``, plus ``eos`` and ``unk``,
    never ``pad``. ``size``: entries of the output layer (default: ``len(vocab)``)."""
    size = size if size is not None else len(vocab)
    if separate:
        return OutputVocabulary(size, None, reason="separate vocabularies: nothing to restrict")
    wanted = set(target_pieces) | {eos, unk}
    if pad is not None:
        wanted.discard(pad)
    chosen = sorted((i, p) for p, i in vocab.items() if p in wanted and 0 <= i < size)
    if any(p != pad for p, i in vocab.items() if p not in wanted and 0 <= i < size):
        return OutputVocabulary(
            size, tuple(i for i, _ in chosen), tuple(p for _, p in chosen), reason=""
        )
    # Only <pad> is left out, and every search masks it already.
    return OutputVocabulary(size, None, reason="no source-only pieces: nothing to restrict")


def of_tokenizer(tokenizer: Any, size: int | None = None) -> OutputVocabulary:
    """The output vocabulary of a loaded ``MarianTokenizer`` (its ``vocab.json`` and
    ``target.spm``); ``size``: the model's output entries."""
    spm = tokenizer.spm_target
    pieces = (spm.id_to_piece(i) for i in range(spm.get_piece_size()))
    return producible(
        tokenizer.encoder,
        pieces,
        eos=str(tokenizer.eos_token),
        unk=str(tokenizer.unk_token),
        pad=str(tokenizer.pad_token) if tokenizer.pad_token is not None else None,
        size=size,
        separate=bool(getattr(tokenizer, "separate_vocabs", False)),
    )


def of_folder(folder: str | os.PathLike[str]) -> OutputVocabulary:
    """The output vocabulary of the tokenizer files in ``folder`` (``vocab.json``,
    ``target.spm``, ``tokenizer_config.json``, ``special_tokens_map.json``); cached per file
    version, so a checkpoint is read once."""
    path = Path(folder).expanduser().resolve()
    stamps = tuple(_stamp(path / name) for name in _FILES)
    return _of_folder(path, stamps)


_FILES = ("vocab.json", "target.spm", "tokenizer_config.json", "special_tokens_map.json")


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _of_folder(path: Path, stamps: tuple[tuple[int, int], ...]) -> OutputVocabulary:
    import sentencepiece

    settings: dict[str, Any] = {}
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            loaded = json.loads((path / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"{path / name}: cannot read it ({exc})") from None
        if isinstance(loaded, dict):
            settings.update(loaded)
    try:
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        spm = sentencepiece.SentencePieceProcessor(model_file=str(path / "target.spm"))
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelLoadError(
            f"{path}: no readable Marian tokenizer (vocab.json, target.spm): {exc}"
        ) from None
    pieces = (spm.id_to_piece(i) for i in range(spm.get_piece_size()))
    return producible(
        vocab,
        pieces,
        eos=_token(settings.get("eos_token"), "</s>"),
        unk=_token(settings.get("unk_token"), "<unk>"),
        pad=_token(settings.get("pad_token"), "<pad>"),
        separate=bool(settings.get("separate_vocabs", False)),
    )


def of_model(model: str | os.PathLike[str] | None = None) -> tuple[Path, OutputVocabulary]:
    """The tokenizer folder of a model (folder, or hub id already downloaded; never fetched)
    and its output vocabulary: what ``translate model info`` shows."""
    from translate.engines.base import local_checkpoint

    model_id = config.resolve_model(model)
    folder = local_checkpoint(model_id)
    if folder is None:
        try:
            from huggingface_hub import snapshot_download

            folder = Path(
                snapshot_download(model_id, allow_patterns=list(_FILES), local_files_only=True)
            )
        except Exception:  # the hub client raises many kinds for "not cached"
            raise ModelNotFoundError(
                f"{model_id} is not downloaded: run `translate model download {model_id}`, "
                "or pass a model folder"
            ) from None
    return folder, of_folder(folder)


def _token(value: Any, default: str) -> str:
    """A special token as tokenizer files write it: a string, or ``{"content": ...}``."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else default


def resolve(vocabulary: OutputVocabulary, full_vocab: bool | None = None) -> OutputVocabulary:
    """``vocabulary``, or the full one when asked: argument, ``TRANSLATE_FULL_VOCAB``, else
    restricted."""
    if config.resolve_full_vocab(full_vocab):
        why = "--full-vocab" if full_vocab else "TRANSLATE_FULL_VOCAB"
        return vocabulary.off(why)
    return vocabulary
