"""What the CAT-file tests share: the article, namespaces, and small file helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

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
