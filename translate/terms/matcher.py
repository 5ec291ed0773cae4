"""Finding glossary terms in Indonesian text: the token trie behind ``Glossary.find``.

Matching works on tokens: maximal runs of letters and digits (``str.isalnum``), single
punctuation characters, and whitespace runs, which match any whitespace (so wrapped lines still
match multi-word names). A hashed token trie gives leftmost-longest, non-overlapping, whole word
matches in one pass over the text, whatever the glossary size. Rules, in short:

- Any non-alphanumeric character is a word boundary, the hyphen included, so clitics and
  prefixes (``AS-nya``, ``KPK-lah``, ``se-Indonesia``, ``anti-PKI``) match the name inside and the
  match covers just the name; ``ASEAN`` does not contain ``AS``, nor ``PBB2`` ``PBB``.
- Forms may begin or end in punctuation (``Komisi Pemberantasan Korupsi (KPK)``): the boundary is
  a look-around (no letter or digit right outside the match), not ``\\b``.
- Forms are case-sensitive unless their entry says ``case_sensitive=false``. All-caps acronyms
  (``AS``, ``PBB``, ``DPR RI``) are always case-sensitive, including the acronym words inside a
  case-insensitive multi-word form, and are skipped inside an all-caps headline.
- A reduplicated form (``PBB-PBB``, ``Lembaga-lembaga``) is one match covering both halves.

The helpers on forms (``key``, ``is_acronym``, ``folds``) live here because they say what the
matcher can tell apart; validation uses them to find duplicates, suggestions to skip headlines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from translate.terms.values import Entry, Match

__all__ = ["LETTER_WORD", "Index", "folds", "is_acronym", "key", "shouting"]

# Letters-and-digits runs, whitespace runs, or one other character.
_TOKEN = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)
# A word with at least one letter (digits alone are not words here).
LETTER_WORD = re.compile(r"[^\W_]*[^\W\d_][^\W_]*")
# Acronym-shaped: uppercase letters and digits, optionally joined by - & . / or single spaces.
_ACRONYM_CHARS = re.compile(r"[^\W_]+(?:(?:[-&./]| (?=[^\W_]))[^\W_]+)*")


def key(form: str) -> str:
    """A form with whitespace runs as single spaces: what the matcher compares."""
    return " ".join(form.split())


def is_acronym(form: str) -> bool:
    """All-caps acronym: `AS`, `PBB`, `PDI-P`, `DPR RI` (2+ letters, none lowercase)."""
    letters = [c for c in form if c.isalpha()]
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and _ACRONYM_CHARS.fullmatch(form) is not None
    )


def folds(entry: Entry, form: str) -> bool:
    """Whether this form matches in any case (acronyms never do)."""
    return not entry.case_sensitive and not is_acronym(form)


@dataclass(frozen=True)
class _Form:
    """A form in the index: its entry, whether it is an acronym, and (for case-insensitive
    forms) the word tokens that must still match exactly, by position among non-space tokens."""

    entry: Entry
    text: str
    acronym: bool
    strict: tuple[tuple[int, str], ...] = ()


class Index:
    """Two hashed token tries: exact forms, and casefolded forms of case-insensitive entries.

    Each trie is one dict from every token-boundary prefix of a form's key to a form id
    (terminal) or -1 (prefix only); a walk stops at the first prefix not in the dict.
    """

    __slots__ = ("exact", "folded", "forms")

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.exact: dict[str, int] = {}
        self.folded: dict[str, int] = {}
        self.forms: list[_Form] = []
        for entry in entries:
            for form in entry.forms:
                self._add(entry, key(form))

    def _add(self, entry: Entry, form: str) -> None:
        acronym = is_acronym(form)
        tokens = _TOKEN.findall(form)
        if entry.case_sensitive or acronym:
            table, keys = self.exact, tokens
            info = _Form(entry, form, acronym)
        else:
            table, keys = self.folded, [t.casefold() for t in tokens]
            words = [t for t in tokens if not t.isspace()]
            strict = tuple((n, w) for n, w in enumerate(words) if is_acronym(w))
            info = _Form(entry, form, acronym, strict)
        prefix = ""
        for tok in keys:
            prefix += tok
            if not tok.isspace():
                table.setdefault(prefix, -1)
        if table[prefix] < 0:  # first entry wins (validation makes clashes duplicates)
            table[prefix] = len(self.forms)
            self.forms.append(info)

    def find(self, text: str) -> list[Match]:
        """The forms in `text`, leftmost-longest and non-overlapping, in order."""
        found = [m.span() for m in _TOKEN.finditer(text)]
        words = [text[a:b] for a, b in found]
        space = [w.isspace() for w in words]
        isword = [w[0].isalnum() for w in words]
        folded = [w.casefold() for w in words] if self.folded else words
        n = len(words)
        out: list[Match] = []
        i = 0
        while i < n:
            if space[i] or (not isword[i] and found[i][0] > 0 and text[found[i][0] - 1].isalnum()):
                i += 1
                continue
            best = self._longest(text, i, words, space, isword, found, folded)
            if best is None:
                i += 1
                continue
            j, info = best
            start, end = found[i][0], found[j][1]
            end = _reduplicated(text, start, end)
            out.append(Match(info.entry, text[start:end], start, end))
            i = j + 1
            while i < n and found[i][0] < end:
                i += 1
        return out

    def _longest(
        self,
        text: str,
        i: int,
        words: list[str],
        space: list[bool],
        isword: list[bool],
        found: list[tuple[int, int]],
        folded: list[str],
    ) -> tuple[int, _Form] | None:
        """The longest acceptable form starting at token i: (last token, form)."""
        candidates: list[tuple[int, int, int]] = []  # (last token, exact first, form id)
        for exact, table, keys in ((0, self.exact, words), (1, self.folded, folded)):
            if not table:
                continue
            prefix = keys[i]
            j = i
            path = [i]
            n = len(keys)
            while True:
                v = table.get(prefix)
                if v is None:
                    break
                if v >= 0:
                    end = found[j][1]
                    if (isword[j] or end == len(text) or not text[end].isalnum()) and (
                        exact == 0 or all(words[path[p]] == w for p, w in self.forms[v].strict)
                    ):
                        candidates.append((j, -exact, v))
                k = j + 1
                sep = ""
                if k < n and space[k]:
                    if words[k].count("\n") > 1:
                        break  # a name never runs across a blank line
                    k += 1
                    sep = " "
                if k >= n:
                    break
                prefix = prefix + sep + keys[k]
                j = k
                path.append(k)
        # Longest first; on a tie the case-sensitive trie wins ("Paus" over a folded "paus").
        for j, _, v in sorted(candidates, reverse=True):
            info = self.forms[v]
            if info.acronym and shouting(text, found[i][0], found[j][1], self.exact):
                continue
            return j, info
        return None


def shouting(text: str, start: int, end: int, known: Mapping[str, int]) -> bool:
    """Whether an acronym at text[start:end] sits in an all-caps headline or run.

    Looks at up to 3 words on each side within the line: all caps, at least two of them, and
    one a longer word rather than another known form (so "DPR RI" or "TNI AD" still match).
    `known` is an ``Index.exact`` table (a form maps to its id, a bare prefix to -1).
    """
    lo = max(0, start - 200)
    nl = text.rfind("\n", lo, start)
    left = text[nl + 1 if nl >= 0 else lo : start]
    hi = min(len(text), end + 200)
    nl = text.find("\n", end, hi)
    right = text[end : nl if nl >= 0 else hi]
    context = LETTER_WORD.findall(left)[-3:] + LETTER_WORD.findall(right)[:3]
    if len(context) < 2 or any(c.islower() for w in context for c in w):
        return False
    return any(sum(c.isalpha() for c in w) >= 4 and known.get(w, -1) < 0 for w in context)


def _reduplicated(text: str, start: int, end: int) -> int:
    """End of `X-X` when the match `X` is repeated after a hyphen, else `end` unchanged."""
    size = end - start
    if (
        end < len(text)
        and text[end] == "-"
        and text[start].isalnum()
        and text[end - 1].isalnum()
        and text[end + 1 : end + 1 + size].casefold() == text[start:end].casefold()
    ):
        after = end + 1 + size
        if after == len(text) or not text[after].isalnum():
            return after
    return end
