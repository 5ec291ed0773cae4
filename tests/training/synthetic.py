"""A small artificial language pair with a learnable mapping, for fine-tuning tests.

"Indonesian" sentences are 3–6 words drawn from half of the words the tiny tokenizer (built
by ``tests/tiny_model.py``) holds as single pieces; their "English" is the same sentence with
each word replaced through a fixed substitution cipher onto the other half. A model can learn
it from a few hundred pairs; random weights score near zero on it.
"""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

# Single-piece words of the tiny tokenizer (lower case, 4+ characters with the "▁").
_SOURCE = "akan dan dari dengan depan ini itu juga oleh pasar tahun tetap negara pokok swasta"
_TARGET = "cuaca iklim kesehatan kilogram menilai menimbun menjelang pengawas penyidik persen"
SOURCE_WORDS = [*_SOURCE.split(), "sebagai", "sejumlah", "tersebut"]
TARGET_WORDS = [*_TARGET.split(), "personel", "perusahaan", "pemerintah", "rampung", "tergenang"]
TARGET_WORDS += ["wartawan", "darurat", "independen"]
CIPHER = dict(zip(SOURCE_WORDS, TARGET_WORDS, strict=True))


def cipher_pairs(n: int, *, per_document: int = 10, seed: int = 0) -> list[tuple[str, str, str]]:
    """``n`` (source, target, document) triples, ``per_document`` to a document."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = [rng.choice(SOURCE_WORDS) for _ in range(rng.randint(3, 6))]
        source = " ".join(words)
        out.append((source, " ".join(CIPHER[w] for w in words), f"doc-{i // per_document:03d}"))
    return out


def write_tmx(path: Path, pairs: list[tuple[str, str, str]], status: str | None = None) -> Path:
    """A TMX 1.4 file of the triples, each ``<tu>`` with its document (``x-document``) and,
    when given, a review status (``x-status``) as our document exports have them."""
    units = []
    for source, target, document in pairs:
        props = f'<prop type="x-document">{escape(document)}</prop>'
        if status is not None:
            props += f'<prop type="x-status">{status}</prop>'
        units.append(
            f"<tu>{props}"
            f'<tuv xml:lang="id"><seg>{escape(source)}</seg></tuv>'
            f'<tuv xml:lang="en"><seg>{escape(target)}</seg></tuv></tu>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="test" '
        'creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="id" '
        f'datatype="plaintext"/><body>{"".join(units)}</body></tmx>\n',
        encoding="utf-8",
    )
    return path


def seed_memory(store: Path, pairs: list[tuple[str, str, str]]) -> Path:
    """A store whose translation memory holds the triples as approved units (the memory is
    what ``--from-store`` reads; ``test_data`` checks that only approvals get into it)."""
    from translate.review.memory import Memory, MemoryEntry

    with Memory(store) as memory:
        memory.add_many(MemoryEntry(s, t, d) for s, t, d in pairs)
    return store
