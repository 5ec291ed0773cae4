"""What the CAT-file tests share: the article, namespaces, and small file helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lxml import etree

from translate.formats.readers import read_text
from translate.review.store import Store

DATA = Path(__file__).parents[1] / "data" / "interchange"
X1 = "urn:oasis:names:tc:xliff:document:1.2"
X2 = "urn:oasis:names:tc:xliff:document:2.0"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"x": X1, "x2": X2}

ARTICLE = """Presiden Resmikan Jembatan di Beograd

Jakarta (ANTARA) - Presiden meresmikan jembatan baru. Acara berlangsung meriah.

Warga menyambut gembira. Mereka datang sejak pagi.

Jembatan itu menghubungkan dua desa dan kantor PBB.

Pewarta: Budi Santoso

(Ant)
"""
# Three sentences for a two-sentence source: p2 becomes one paragraph unit. The text also
# carries everything XML must escape.
HOSTILE_TEXT = "Tom & Jerry <script>alert(1)</script>. Two ]]> three. Four &amp; five."


def write_file(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path/name``; the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def xml(data: bytes) -> Any:
    """The parsed root of an exported file."""
    return etree.fromstring(data)


@contextmanager
def stored_article(
    db: Path, translator: Any, p2_english: str, who: str = ""
) -> Iterator[tuple[Store, str]]:
    """``ARTICLE`` translated and stored: p2 edited to ``p2_english`` by ``who`` (three
    sentences for two: a paragraph unit), p3 approved by "ana"."""
    with Store(db) as store:
        document = read_text(ARTICLE, "txt", name="jembatan.txt")
        doc_id = store.create(document, translator.meta(document))
        store.save_translation(doc_id, translator.translate_document(store.pending(doc_id)))
        store.edit(doc_id, "p2", p2_english, who=who)
        store.set_status(doc_id, "p3", "approved", who="ana")
        yield store, doc_id
