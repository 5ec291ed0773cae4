"""Build a tiny random-weight Marian checkpoint, shaped like opus-mt-id-en, in seconds.

It is saved with ``save_pretrained`` and loaded through the same code path as a real model.
Random weights translate nothing: tests assert alignment, order, bounds and errors, not quality.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"

_ENGLISH = """\
The Russian foreign minister said talks with the United States about Syria were deadlocked.
The army made new gains on Monday after taking over the district, leaving rebels trapped.
"God, Syria and only Bashar," people shouted in the streets of Aleppo on Monday night (12/12).
Local residents were reported as saying the military controlled 99 percent of the city.
The Corruption Eradication Commission questioned a former official of the Jakarta government.
The price was Rp6,450 per kilogram at 5:30 p.m. Western Indonesia Time, up 2.3 percent.
This article was written by: Reporter: Editor: Read also:
"""


def _corpus() -> list[str]:
    lines: list[str] = []
    for path in sorted((DATA / "articles").glob("*")):
        if path.suffix in (".txt", ".md"):
            text = path.read_text(encoding="utf-8-sig")
            lines += [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines += _ENGLISH.splitlines()
    return lines


def _spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        # Marian's own special tokens live in vocab.json, not in the SentencePiece model.
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def build_tiny_marian(
    folder: Path, *, d_model: int = 32, seed: int = 0, target_vocab: int | None = None
) -> Path:
    """Write a tiny Marian model, tokenizer and config into ``folder``; return it.

    One SentencePiece model serves both sides, unless ``target_vocab`` is given: then
    ``target.spm`` is a smaller model of its own and ``vocab.json`` holds both models' pieces,
    as opus-mt-id-en's does, so that some entries are source-only pieces (interleaved with the
    target ones: the source model's order first).
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    lines = _corpus()
    blob = _spm(lines, vocab_size=400)
    (folder / "source.spm").write_bytes(blob)
    target_blob = _spm(lines, vocab_size=target_vocab) if target_vocab else blob
    (folder / "target.spm").write_bytes(target_blob)

    pieces = []
    for model in (blob, target_blob):
        processor = spm.SentencePieceProcessor(model_proto=model)
        pieces += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="id",
        target_lang="en",
    )
    tokenizer.save_pretrained(str(folder))

    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model,
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
        static_position_embeddings=True,
        activation_function="swish",
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.max_length = 512
    model.save_pretrained(str(folder))
    return folder
