"""The ``consistency`` check: one source name rendered two ways in the same document.

A name kept as is in one sentence and misspelt in another (“Subianto”, “Subiyanto”), or a
translated name rendered differently (“Finance Ministry”, “Ministry of Finance”).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from translate.document import QAIssue
from translate.review.qa.base import WARNING, Check, Unit, register
from translate.review.qa.entities import entities, mask
from translate.review.qa.numbers import DAYS_EN, MONTHS_EN
from translate.review.qa.words import is_name, word_spans, wordset

# Capitalised Indonesian words that are not names (sentence openers, titles, days, months).
_NOT_NAME_ID = wordset(
    """
    menurut kata ujar namun sementara selain dalam pada saat di ke dari oleh untuk bagi kepada
    dengan bersama sedangkan adapun kemudian lalu setelah sebelum sejak hingga sampai jika bila
    karena meski tetapi sebelumnya selanjutnya bahkan juga ia dia beliau mereka kami kita saya
    ini itu para sang sebanyak sejumlah sekitar yang dan atau
    senin selasa rabu kamis jumat sabtu minggu
    januari februari maret april mei juni juli agustus september oktober november desember
    """
)
_CONNECT_EN = frozenset({"of", "and", "for", "the", "de"})
# Capitalised English words that are not parts of names.
_CALENDAR_EN = frozenset(DAYS_EN) | frozenset(MONTHS_EN)
_STOP_EN = frozenset({"the", "a", "an", "of", "and", "for", "on", "in", "de"})


def _name_words(text: str) -> list[str]:
    return [w for w, _ in word_spans(text) if is_name(w) and len(w) >= 4]


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", text) is not None


# A word as ``_words`` finds it: letter runs joined by single hyphens or apostrophes.
_JOINED = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ALNUM_RUN = re.compile(r"[^\W_]+")
# Words of more parts than this ("a-b-c-d-e") are looked up with a search, not in the index.
_MAX_PARTS = 4


class _TargetWords:
    """One English text's words, indexed once for the consistency check (which asks about
    every name of a document in every sentence): the strings ``_has_word`` finds there, and
    the distinct words by first letter, for ``_variant``."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Every run of up to _MAX_PARTS alphanumeric runs joined by single - ' ’: exactly
        # the strings of that shape that stand as whole words (_has_word) in the text.
        self.whole: set[str] = set()
        runs = [m.span() for m in _ALNUM_RUN.finditer(text)]
        first = 0  # the first run of the current joined word
        for k, (a, b) in enumerate(runs):
            if k and not (a == runs[k - 1][1] + 1 and text[a - 1] in "-'’"):
                first = k
            for f in range(max(first, k - _MAX_PARTS + 1), k + 1):
                self.whole.add(text[runs[f][0] : b])
        self.by_letter: dict[str, dict[str, str]] = {}  # first letter -> word -> lowered
        for w, _ in word_spans(text):
            wl = w.lower().removesuffix("'s").removesuffix("’s")
            self.by_letter.setdefault(wl[:1], {}).setdefault(w, wl)

    def has(self, word: str) -> bool:
        """``_has_word(text, word)``."""
        if _JOINED.fullmatch(word) and sum(word.count(c) for c in "-'’") < _MAX_PARTS:
            return word in self.whole
        return _has_word(self.text, word)


class _Index:
    """``_TargetWords`` of each unit's English, built when first needed."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self.units = units
        self.built: dict[int, _TargetWords] = {}

    def __getitem__(self, n: int) -> _TargetWords:
        if n not in self.built:
            self.built[n] = _TargetWords(self.units[n].target)
        return self.built[n]


@register
class Consistency(Check):
    """A name of the source rendered two ways across the document's sentences."""

    name = "consistency"
    severity = WARNING
    description = "One source name rendered two ways in the same document"
    order = 110
    stage = "document"

    def document(self, units: Sequence[Unit]) -> Iterator[tuple[str, QAIssue]]:
        return _consistency(units)


def _consistency(units: Sequence[Unit]) -> Iterator[tuple[str, QAIssue]]:
    seen: set[tuple[str, str, str]] = set()
    index = _Index(units)
    for pid, issue in [
        *_kept_name_variants(units, index),
        *_translated_name_variants(units, index),
    ]:
        key = (issue.sentence or pid, issue.check, issue.message)
        if key not in seen:
            seen.add(key)
            yield pid, issue


def _kept_name_variants(units: Sequence[Unit], index: _Index) -> Iterator[tuple[str, QAIssue]]:
    """A source name kept as is in one English sentence and spelt differently in another:
    “Subianto” in p1.s0, “Subiyanto” in p2.s0."""
    occurs: dict[str, list[int]] = {}
    for n, u in enumerate(units):
        for w in dict.fromkeys(_name_words(u.source)):
            if w.lower() not in _NOT_NAME_ID:
                occurs.setdefault(w, []).append(n)
    for name, us in occurs.items():
        if len(us) < 2:
            continue
        kept = [n for n in us if index[n].has(name)]
        if not kept:
            continue  # translated everywhere ("Jawa" → "Java"): the other check's business
        where = ", ".join(units[k].where for k in kept[:3])
        kept_set = set(kept)
        for n in us:
            if n in kept_set:
                continue
            variant = _variant(name, index[n])
            if variant is None:
                continue
            u = units[n]
            yield (
                u.paragraph,
                QAIssue(
                    "consistency",
                    WARNING,
                    u.sentence,
                    f"{u.where}: “{name}” is written “{variant}” here but “{name}” in {where}",
                ),
            )


# English endings that make a people or an adjective of a place name: "Indonesian", "Papuans",
# "Balinese", "Jakartans".
_DERIVED = ("s", "n", "ns", "an", "ans", "ese", "nese", "i", "is")
VARIANT_SIMILARITY = 0.7  # difflib ratio from which a word is a misspelling of a name


def _variant(name: str, words: _TargetWords) -> str | None:
    """A word of the English that looks like a misspelling of ``name`` (not an inflection)."""
    best: tuple[float, str] | None = None
    low = name.lower()
    derived = {low + end for end in _DERIVED}
    for w, wl in words.by_letter.get(low[:1], {}).items():  # distinct words, first seen first
        if wl == low or wl in derived:
            continue  # the same word, or "Indonesia" → "Indonesian", "Papua" → "Papuans"
        # The ratio's bound from the lengths alone (difflib's real_quick_ratio).
        if 2.0 * min(len(low), len(wl)) / (len(low) + len(wl)) < VARIANT_SIMILARITY:
            continue
        ratio = SequenceMatcher(None, low, wl).ratio()
        if ratio >= VARIANT_SIMILARITY and (best is None or ratio > best[0]):
            best = (ratio, w)
    return best[1] if best else None


@dataclass(frozen=True)
class _Phrase:
    text: str
    kept: frozenset[str]  # words also in the source sentence
    translated: tuple[str, ...]  # the other content words, lowercased, in order
    words: tuple[str, ...]  # all content words, lowercased and stemmed, in order


def _runs(text: str, joins: Callable[[str, str, str], bool]) -> list[list[str]]:
    """Runs of words separated by spaces only (punctuation ends a run); ``joins(prev, word,
    next)`` says whether a word belongs to the run."""
    words = word_spans(text)
    runs: list[list[str]] = []
    current: list[str] = []
    end = 0
    for k, (w, start) in enumerate(words):
        if current and text[end:start].strip():
            runs.append(current)
            current = []
        prev = words[k - 1][0] if k > 0 else ""
        nxt = words[k + 1][0] if k + 1 < len(words) else ""
        if joins(prev if current else "", w, nxt):
            current.append(w)
        elif current:
            runs.append(current)
            current = []
        end = start + len(w)
    if current:
        runs.append(current)
    return runs


def _phrases(u: Unit) -> list[_Phrase]:
    """Capitalised runs of the English (joined by of/and/for/the), e.g. “Ministry of Finance”."""
    text = mask(u.target, entities(u.target))
    words = word_spans(text)
    long_words = [w for w, _ in words if len(w) >= 4]
    if len(long_words) >= 3 and all(map(is_name, long_words)):
        return []  # a headline in title case: every word looks like a name
    first = words[0][1] if words else 0

    def joins(prev: str, w: str, nxt: str) -> bool:
        if w in _CALENDAR_EN:
            return False
        if not prev:  # a run starts with a capitalised word that is not just the opener
            opener = w.lower() in _STOP_EN | {"according", "at", "in", "on"}
            return is_name(w) and not (opener and text.find(w) == first)
        return is_name(w) or (w.lower() in _CONNECT_EN and is_name(nxt))

    source_words = {w for w, _ in word_spans(u.source)}
    out = []
    for run in _runs(text, joins):
        while run and run[-1].lower() in _CONNECT_EN:
            run.pop()
        clean = [w.removesuffix("'s").removesuffix("’s") for w in run]
        kept = frozenset(w for w in clean if w in source_words)
        content = [w for w in clean if w.lower() not in _STOP_EN]
        translated = tuple(w.lower() for w in content if w not in source_words)
        if translated:
            stems = tuple(_stem(w.lower()) for w in content)
            out.append(_Phrase(" ".join(clean), kept, translated, stems))
    return out


def _stem(word: str) -> str:
    return word.removesuffix("s") if len(word) > 4 else word


# A candidate name has at most this many words: a longer run of capitalised words (a title-case
# line, a list of names) gives no longer candidates, whose number grows as the run's square.
_MAX_NAME_WORDS = 8
# Each sentence is compared with the first this many sentences that share a name with it: a
# name said in every sentence of a long paragraph costs linear time, not quadratic, and a
# rendering unlike the first ones is still found.
_MAX_PEERS = 32
# A sentence's first this many capitalised phrases are compared with another's (a sentence of
# news has a handful; a paragraph-long "sentence" would make the comparison quadratic).
_MAX_PHRASES = 64


def _source_runs(text: str) -> set[tuple[str, ...]]:
    """Sub-runs of two to ``_MAX_NAME_WORDS`` capitalised source words: candidate names."""

    def joins(prev: str, w: str, nxt: str) -> bool:
        return is_name(w) and w.lower() not in _NOT_NAME_ID

    out: set[tuple[str, ...]] = set()
    for run in _runs(text, joins):
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + _MAX_NAME_WORDS) + 1):
                out.add(tuple(run[i:j]))
    return out


def _translated_name_variants(
    units: Sequence[Unit], index: _Index
) -> Iterator[tuple[str, QAIssue]]:
    """A translated source name rendered two ways: “Kementerian Keuangan” as “Finance Ministry”
    in one sentence and “Ministry of Finance” in another."""
    info = [(_source_runs(u.source), _phrases(u)[:_MAX_PHRASES]) for u in units]
    firsts: dict[tuple[str, ...], list[int]] = {}  # name -> the first units that have it
    found: list[tuple[int, int, str, QAIssue]] = []
    for b, (runs_b, phrases_b) in enumerate(info):
        peers = sorted({a for r in runs_b for a in firsts.get(r, ())})
        for r in runs_b:
            first = firsts.setdefault(r, [])
            if len(first) < _MAX_PEERS:
                first.append(b)
        ub = units[b]
        for a in peers:
            ua, (runs_a, phrases_a) = units[a], info[a]
            # Names both sources share, at least one of whose words the English translates.
            shared: list[tuple[str, ...]] = [
                r
                for r in runs_a & runs_b
                if any(not index[a].has(w) and not index[b].has(w) for w in r)
            ]
            if not shared:
                continue
            longest: tuple[str, ...] = max(shared, key=len)
            pair = _differing(_linked(phrases_a, longest), _linked(phrases_b, longest))
            if pair is None:
                continue
            pa, pb = pair
            name = " ".join(longest)
            issue = QAIssue(
                "consistency",
                WARNING,
                ub.sentence,
                f"{ub.where}: “{name}” is rendered “{pb.text}” here but “{pa.text}” in {ua.where}",
            )
            found.append((a, b, ub.paragraph, issue))
    found.sort(key=lambda f: (f[0], f[1]))  # in the order of the first sentence, then the second
    for _, _, paragraph, issue in found:
        yield paragraph, issue


def _linked(phrases: Sequence[_Phrase], name: Sequence[str]) -> list[_Phrase]:
    """The phrases that may render a source name: those with the name's kept words ("Bogor"
    of "Kabupaten Bogor"); for a name translated whole, the translated part of every phrase."""
    kept = set(name)
    with_name = [p for p in phrases if p.kept & kept]
    if with_name:
        return with_name
    return [replace(p, kept=frozenset(), words=tuple(map(_stem, p.translated))) for p in phrases]


def _contains(outer: str, inner: str) -> bool:
    return _has_word(outer, inner)


def _differing(left: Sequence[_Phrase], right: Sequence[_Phrase]) -> tuple[_Phrase, _Phrase] | None:
    """Two English phrases that look like two renderings of one name, unless some pair of
    phrases shows a common rendering.

    Different: the same words in another order (“Finance Ministry”, “Ministry of Finance”),
    translated words in common but not all (“Corruption Eradication Commission”,
    “Anti-Corruption Commission”), the same kept name with other translated words (“Bogor
    Regency”, “Bogor District”). Common: equal, one inside the other, or two or more words in
    a row in common (“Japanese Prime Minister”, “British Prime Minister”).
    """
    found: tuple[_Phrase, _Phrase] | None = None
    for p in left:
        for q in right:
            if sorted(p.words) == sorted(q.words) and p.words != q.words:
                found = found or (p, q)
                continue
            if (
                p.words == q.words
                or _contains(p.text, q.text)
                or _contains(q.text, p.text)
                or _common_run(p.words, q.words) >= 2
            ):
                return None
            tp = [_stem(w) for w in p.translated]
            tq = [_stem(w) for w in q.translated]
            shared = set(tp) & set(tq)
            if (shared and tp != tq) or (p.kept & q.kept and not shared):
                found = found or (p, q)
    return found


def _common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest run of words that ``a`` and ``b`` have in common."""
    match = SequenceMatcher(None, list(a), list(b), autojunk=False).find_longest_match()
    return match.size
