"""Inline markup shared by the writers: text cut at its marks, and which links are safe."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

from translate.document import Inline

SAFE_SCHEMES = ("http", "https", "mailto", "")


def safe_href(href: str) -> str | None:
    """The link target if it is safe to publish, else ``None``."""
    href = href.strip()
    if not href or any(ord(c) < 32 for c in href):
        return None
    scheme = urlparse(href).scheme.lower()
    return href if scheme in SAFE_SCHEMES else None


def pieces(text: str, marks: Sequence[Inline]) -> list[tuple[str, Inline | None]]:
    """``text`` cut at its markup: (piece, the mark over it or None), in order.

    Overlapping or nested marks keep the first one that starts; the others are dropped from
    the markup (never from the text).
    """
    out: list[tuple[str, Inline | None]] = []
    pos = 0
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.start < pos or mark.end > len(text) or mark.end <= mark.start:
            continue
        if mark.start > pos:
            out.append((text[pos : mark.start], None))
        out.append((text[mark.start : mark.end], mark))
        pos = mark.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out
