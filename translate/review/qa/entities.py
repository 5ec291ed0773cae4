"""The ``entities`` check: URLs, e-mail addresses, web domains, hashtags and @handles kept.

``entities`` and ``mask`` also serve the other checks, which look past these (a URL's digits
are not numbers, its dots not punctuation).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from translate.review.qa.base import ERROR, WARNING, Finding, Pair, pair_check

EntityKind = Literal["URL", "e-mail", "domain", "hashtag", "handle"]
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’]+", re.IGNORECASE)
_EMAIL_LOCAL = re.compile(r"[\w.+-]")  # one character of an address's local part
_EMAIL_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")  # what follows the "@"
# What an e-mail address is; ``_email_spans`` finds its matches without its quadratic search.
_EMAIL = re.compile(rf"{_EMAIL_LOCAL.pattern}+@{_EMAIL_DOMAIN.pattern}")
_TLDS = r"(?:go\.id|co\.id|ac\.id|or\.id|sch\.id|web\.id|my\.id|com|id|org|net|info|io|tv|news)"
_DOMAIN = re.compile(rf"(?<![\w@.-])(?:[a-z0-9][a-z0-9-]*\.)+{_TLDS}(?![\w-]|\.[a-z0-9])", re.I)
_HASHTAG = re.compile(r"(?<![\w&#])#[^\W_][\w]*")
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,}")
_TRAILING = ".,;:!?)]}\"'”’"


@dataclass(frozen=True)
class Entity:
    """A URL, e-mail address, domain, hashtag or handle found at ``text[start:end]``."""

    kind: EntityKind
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What it is compared by."""
        # Domains and schemes are case-insensitive; paths, hashtags and handles are not.
        return self.text.lower() if self.kind in ("domain", "e-mail") else self.text


def entities(text: str) -> list[Entity]:
    """URLs, e-mail addresses, bare web domains, hashtags and @handles, in text order."""
    found: list[Entity] = []
    taken = bytearray(len(text))  # 1 where an entity found earlier claims the character

    finds: tuple[tuple[EntityKind, Iterable[tuple[int, int]]], ...] = (
        ("URL", (m.span() for m in _URL.finditer(text))),
        ("e-mail", _email_spans(text)),
        ("domain", (m.span() for m in _DOMAIN.finditer(text))),
        ("hashtag", (m.span() for m in _HASHTAG.finditer(text))),
        ("handle", (m.span() for m in _HANDLE.finditer(text))),
    )
    for kind, spans in finds:
        for a, b in spans:
            raw = text[a:b]
            if kind == "URL":
                # A sentence's full stop or a closing bracket is not part of the URL, unless
                # the URL opened that bracket.
                while raw and raw[-1] in _TRAILING:
                    if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
                        break
                    raw = raw[:-1]
            b = a + len(raw)
            if raw and taken.find(1, a, b) < 0:
                taken[a:b] = b"\x01" * (b - a)
                found.append(Entity(kind, raw, a, b))
    found.sort(key=lambda e: e.start)
    return found


def _email_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans ``_EMAIL.finditer`` finds, found from each "@" instead: the pattern tried at
    every character of a long word scans to the word's end each time (quadratic), while the
    local part of an address is simply the run of its characters before the "@"."""
    pos = 0  # where the previous address ended: the next cannot start before it
    at = text.find("@")
    while at >= 0:
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        start = at
        while start > pos and _EMAIL_LOCAL.match(text, start - 1):
            start -= 1
        if domain and start < at:
            yield start, domain.end()
            pos = domain.end()
            at = text.find("@", pos)
        else:
            at = text.find("@", at + 1)


def _unmatched(these: Sequence[Entity], others: Sequence[Entity]) -> list[Entity]:
    """The entities of ``these`` left over once each is paired with an equal one of ``others``."""
    available = Counter(e.key for e in others)
    out = []
    for e in these:
        if available[e.key] > 0:
            available[e.key] -= 1
        else:
            out.append(e)
    return out


def mask(text: str, spans: Iterable[Entity | tuple[int, int]], fill: str = " ") -> str:
    """The text with entities (or ``(start, end)`` spans) blanked out (same length, so
    offsets stay valid)."""
    chars = list(text)
    for span in spans:
        a, b = (span.start, span.end) if isinstance(span, Entity) else span
        chars[a:b] = fill * (b - a)
    return "".join(chars)


@pair_check("entities", ERROR, order=90, copies=True)
def entities_kept(pair: Pair) -> list[Finding]:
    """A URL, e-mail address or web domain changed or lost (a hashtag or @handle: warning).

    URLs, e-mail addresses and web domains (errors), hashtags and @handles (warnings) of the
    source, changed or lost in the English, or added to it; also on copied text."""
    return _check_entities(pair.source, pair.target)


def _check_entities(source: str, target: str) -> list[Finding]:
    src, tgt = entities(source), entities(target)
    lost = _unmatched(src, tgt)
    added = _unmatched(tgt, src)
    out: list[Finding] = []
    for e in lost:
        severity = ERROR if e.kind in ("URL", "e-mail", "domain") else WARNING
        # Pair a lost entity with an added one of the same kind: that is a change.
        other = next((a for a in added if a.kind == e.kind), None)
        if other is not None:
            added.remove(other)
            out.append((severity, f"{e.kind} {e.text} became {other.text} in the English"))
        else:
            out.append((severity, f"{e.kind} {e.text} is missing from the English"))
    for a in added:
        severity = ERROR if a.kind in ("URL", "e-mail", "domain") else WARNING
        out.append((severity, f"the English has {a.kind} {a.text}, which is not in the source"))
    return out
