"""Indonesian sentence splitting and cutting over-long sentences to a token budget.

Both functions return character spans ``(start, end)`` into the input rather than strings, so
callers keep exact offsets. Spans are in order, non-overlapping, non-empty and stripped; only
whitespace lies between, before and after them.

The sentence splitter is rule based and tuned on Indonesian news text: it decides, at every
whitespace gap after a token ending in ``.``, ``!``, ``?`` or an ellipsis (optionally followed by
closing quotes or brackets), whether a sentence ends there. See ``tests/data/sentences.jsonl``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence

__all__ = ["split_long", "split_sentences"]

# --- character classes ----------------------------------------------------------------------

# Closing quotes/brackets that stay with the sentence they close: `siap.”`, `(34).`, `‘x’.`
_CLOSERS = "\"'”’»›)]}"
# Opening quotes/brackets that may precede the first word of a sentence.
_OPENERS = "\"'“‘«‹([{"
# List bullets that start a new item (and so a new sentence) after terminal punctuation.
_BULLETS = "•▪◦‣·●"
# Dashes that start an item only when they begin a new line (else they are dateline dashes).
_LINE_BULLETS = "-–—*"

_TOKEN = re.compile(r"\S+")
_ELLIPSIS_END = re.compile(r"(?:\.{2,}|…)[.!?…]*$")
_NUMBER_WORD = re.compile(r"\d{1,3}")
# Dotted initials such as "B.J", "A.H", "D.C" (known degrees like "S.H" are listed below).
_DOTTED = re.compile(r"[A-Z][a-z]{0,2}(?:\.[A-Z][a-z]{0,2})+")
# Lowercase-initial words that nevertheless start sentences in news text: camel-cased brands
# (iPhone, eSIM, mRNA, iOS), hyphenated prefixes (e-KTP) and lowercase web domains.
_LOWER_STARTER = re.compile(
    r"[a-z]{1,3}[A-Z]"
    r"|[a-z]-[A-Z0-9]"
    r"|[a-z0-9][\w-]*\.(?:com|co|id|net|org|info|io|tv|news)\b"
)

# --- abbreviation lists (lowercased, without the final dot) ---------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations that precede what they qualify (names, places, numbers), so a sentence never
# ends right after them: "Jl. Merdeka", "No. 17", "dr. Rina", "s.d. Jumat", "Rp. 25.000".
_NON_FINAL = _words(
    """
    jl jln gg no kav kel kec kab prov ds kp komp
    dr drg tn ny nn sdr sdri bpk bp yth hj ir prof moh muh mr mrs ms st
    kol letkol kapt lettu letda serka sertu kopda jend letjen mayjen brigjen
    laksma marsma irjen kombes akbp kompol akp iptu ipda pol inf art czi pnb
    rp hlm tgl pkl tel telp tlp fax ref vol s.d a.n u.p c.q d.a q.q pt cv ud tbk
    """
)
# Words that are abbreviations only when a number follows: "hal. 5" (halaman), "ps. 27".
_BEFORE_NUMBER = frozenset({"hal", "ps", "psl", "bab", "ay"})
# Abbreviations that often end a sentence: a capitalised word after them starts a new one.
# Post-nominal degrees sit here too: "Andi Wijaya, S.H. Ia mewakili ...".
_FINAL_OK = _words(
    """
    dll dsb dkk dst tsb sbb dlsb etc
    s.h m.h s.e m.m m.si m.sc m.kes m.kom m.pd m.t m.a m.hum m.ak m.b.a mba ph.d
    s.pd s.kom s.sos s.t s.ip s.ked s.farm s.psi s.ag s.hum s.i.kom s.ak s.kep s.gz s.km s.p
    sp.a sp.pd sp.og sp.b sp.jp sp.m sp.s sp.kj sp.rad sp.an sp.tht
    """
)
# Words after which a single capital letter is a designator, not an initial: "vitamin C.",
# "Grup C.", "Blok F." (an initial would be followed by the rest of a name).
_DESIGNATORS = _words(
    """
    vitamin blok grup group golongan gol kelas tipe type huruf seri zona kategori poin opsi
    paket sektor gedung lantai pintu ruang kode inisial berinisial tribun gate kelompok regu tim
    """
)


def _core(word: str) -> str:
    """The word without surrounding quotes/brackets, e.g. `“dll.”` -> `dll.`."""
    return word.strip(_OPENERS + _CLOSERS)


def _starts_sentence(nxt: str, gap: str) -> bool:
    """Whether token `nxt` can begin a sentence (its shape, not its context)."""
    if nxt[0] in _BULLETS or (nxt[0] in _LINE_BULLETS and "\n" in gap and len(nxt) == 1):
        return True
    if nxt[0] in "([{":
        # A bracket after a finished sentence opens a credit or aside: "(Ant)", "(rdp/imk)".
        return True
    if nxt[0] in _OPENERS:
        # An opening quote starts a sentence unless it wraps a plain lowercase word.
        inner = nxt.lstrip(_OPENERS)
        return not inner or not inner[0].islower() or _is_lower_starter(inner)
    return nxt[0].isupper() or nxt[0].isdigit() or _is_lower_starter(nxt)


def _is_lower_starter(word: str) -> bool:
    if _LOWER_STARTER.match(word):
        return True
    # "dr. Siti Nadia ..." — a lowercase title opens many Indonesian news sentences.
    return word.rstrip(",") in ("dr.", "drg.")


class _Sentence:
    """State of the sentence being scanned: its first token and the list numbers used in it."""

    __slots__ = ("first", "markers")

    def __init__(self, first: int) -> None:
        self.first = first
        self.markers: set[int] = set()


def _is_boundary(tokens: list[str], gaps: list[str], i: int, sent: _Sentence) -> bool:
    """Whether a sentence ends after token `i` (`gaps[i]` is the whitespace after it)."""
    tok, nxt, gap = tokens[i], tokens[i + 1], gaps[i]
    body = tok.rstrip(_CLOSERS)
    if not body or body[-1] not in ".!?…":
        return False
    starts = _starts_sentence(nxt, gap)

    if body[-1] in "!?" or _ELLIPSIS_END.search(body):
        # "“Cukup!” teriak hakim" and "Tiga… dua…": a lowercase continuation is the same sentence.
        return starts

    # From here on: a single final period.
    word = _core(body[:-1])
    lower = word.lower()
    if not word:
        return starts
    if _is_list_marker(tokens, i, sent, word):
        return False
    if lower in _NON_FINAL:
        return False
    if lower in _BEFORE_NUMBER and nxt[0].isdigit():
        # "hlm"-like use only before a number: "lihat hal. 5" (but "dalam segala hal. Ia").
        return False
    if lower in _FINAL_OK:
        # "dkk. (2020)" cites a year; "S.H. M.H." stacks degrees; digits continue "dll. 30 item".
        if nxt.lstrip("([")[:1].isdigit():
            return False
        if _core(nxt).lower().rstrip(".,") in _FINAL_OK and "." in nxt:
            return False
        return starts
    if len(word) == 1 and word.isupper():
        # "S. Budiman", "M. Nuh": an initial, unless the letter designates something.
        prev = _core(tokens[i - 1]).lower() if i > 0 else ""
        return starts and prev in _DESIGNATORS
    if _DOTTED.fullmatch(word):
        # Unknown dotted initialisms ("B.J. Habibie", "D.C. (Reuters)") precede names.
        return False
    return starts


def _is_list_marker(tokens: list[str], i: int, sent: _Sentence, word: str) -> bool:
    """Whether `word.` (token `i`) is a list number such as `1.` in `1. KTP asli`."""
    tok = tokens[i]
    if tok != word + "." or not _NUMBER_WORD.fullmatch(word):
        # Letters as markers ("a. pencegahan") are followed by lowercase or are initials.
        return False
    n = int(word)
    at_start = i == sent.first
    after_colon = i > 0 and tokens[i - 1][-1] in ":;,"
    continues = n - 1 in sent.markers
    if at_start or after_colon or continues:
        sent.markers.add(n)
        return True
    return False


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, in order."""
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return []
    tokens = [m.group() for m in matches]
    gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(matches)]
    spans: list[tuple[int, int]] = []
    start = 0
    sent = _Sentence(0)
    for i in range(len(tokens) - 1):
        if _is_boundary(tokens, gaps, i, sent):
            spans.append((matches[start].start(), matches[i].end()))
            start = i + 1
            sent = _Sentence(start)
    spans.append((matches[start].start(), matches[-1].end()))
    return spans


# --- cutting over-long sentences ------------------------------------------------------------

# A clause ends after `;`, `:` or `,` (closing quotes/brackets may follow) or after a spaced
# dash; cutting there keeps each piece a grammatical unit for the model.
_CLAUSE_END = re.compile(r"(?:[;:,][" + re.escape(_CLOSERS) + r"]*|(?<=\s)[-–—]{1,2})(?=\s)")
# The cutter looks this many pieces' worth of tokens ahead, no further: what lies beyond
# cannot change where the next cut goes by much (pieces are then nearly full anyway), and a
# paragraph-long "sentence" (a transcript without punctuation) is not re-counted for every
# piece, which made cutting it quadratic.
_HORIZON_PIECES = 4


def split_long(
    text: str, count_tokens: Callable[[str], int], max_tokens: int
) -> list[tuple[int, int]]:
    """Split one over-long sentence into pieces of at most max_tokens tokens each."""
    words = list(_TOKEN.finditer(text))
    if not words:
        return []
    start, end = words[0].start(), words[-1].end()
    # Cut points (exclusive piece ends), by preference: after clause punctuation, at any
    # whitespace, anywhere between characters.
    clause_cuts = [m.end() for m in _CLAUSE_END.finditer(text, start, end)]
    word_cuts = [w.end() for w in words[:-1]]
    return _Cutter(text, count_tokens, max_tokens, clause_cuts, word_cuts).cut(start, end)


class _Cutter:
    """Greedy, balanced cutting with memoised token counts and binary search over cuts.

    Each piece costs O(log n) calls of `count_tokens`, never one per character, on at most
    `_HORIZON_PIECES` pieces' worth of text: cutting is O(n log n) in the sentence's length.
    """

    def __init__(
        self,
        text: str,
        count_tokens: Callable[[str], int],
        max_tokens: int,
        clause_cuts: list[int],
        word_cuts: list[int],
    ) -> None:
        self.text = text
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.clause_cuts = clause_cuts
        self.word_cuts = word_cuts
        self.cache: dict[tuple[int, int], int] = {}

    def count(self, a: int, b: int) -> int:
        if (a, b) not in self.cache:
            self.cache[a, b] = self.count_tokens(self.text[a:b])
        return self.cache[a, b]

    def horizon(self, p: int, end: int) -> int:
        """`end`, or a word end before it such that `[p, horizon)` has at least
        `_HORIZON_PIECES × max_tokens` tokens (the stretch doubles until it has)."""
        size = 8 * max(self.max_tokens, 1)  # characters; a token is rarely shorter than one
        while p + size < end:
            h = p + size
            k = bisect.bisect_left(self.word_cuts, h)
            if k < len(self.word_cuts) and self.word_cuts[k] < min(end, h + size):
                h = self.word_cuts[k]  # a word end, unless the text has no spaces there
            if self.count(p, h) >= _HORIZON_PIECES * self.max_tokens:
                return h
            size *= 2
        return end

    def cut(self, start: int, end: int) -> list[tuple[int, int]]:
        pieces: list[tuple[int, int]] = []
        p = start
        # A single character left over budget cannot be cut further.
        while end - p > 1:
            h = self.horizon(p, end)  # == end, or [p, h) is well over budget
            if self.count(p, h) <= self.max_tokens:
                break
            # Far from the end, pieces are full; the last stretch is shared out evenly.
            c = self.next_cut(p, h, float(self.max_tokens) if h < end else None)
            pieces.append((p, c))
            p = c
            while self.text[p].isspace():  # c < end, and text[end - 1] is not whitespace
                p += 1
        pieces.append((p, end))
        return pieces

    def next_cut(self, p: int, end: int, full: float | None = None) -> int:
        """End of the next piece starting at `p`, trying coarser cut levels first. `end` is
        where the cutter stops looking; `full`: the piece size to aim for when that is not
        the sentence's end (else an even share of `[p, end)`)."""
        clauses = _between(self.clause_cuts, p, end)
        c, target = self.choose(p, end, clauses, full)
        if c is not None and self.count(p, c) * 2 >= target:
            return c
        # No clause fits, or the only ones that fit leave a scrap ("Menurut dia,"): cut at
        # words instead; within the first clause when that clause alone is too long, so a
        # word cut does not stray past a clause end.
        limit = clauses[0] if c is None and clauses else end
        c, _ = self.choose(p, limit, _between(self.word_cuts, p, limit), _aim(limit, end, full))
        if c is not None:
            return c
        # A single whitespace-free run is too long: cut between characters.
        words = _between(self.word_cuts, p, end)
        limit = words[0] if words else end
        c, _ = self.choose(p, limit, range(p + 1, limit), _aim(limit, end, full))
        return c if c is not None else p + 1

    def choose(
        self, p: int, region_end: int, cands: Sequence[int], target: float | None = None
    ) -> tuple[int | None, float]:
        """The feasible cut in `cands` nearest `target` tokens (by default an even share of
        `[p, region_end)`), or None.

        Also returns that target piece size in tokens.
        """
        if target is None:
            total = self.count(p, region_end)
            # Aim for ceil(total / max) roughly equal pieces over the region rather than full
            # pieces followed by a scrap.
            n_pieces = max(2, -(-total // max(self.max_tokens, 1)))
            target = total / n_pieces
        if not cands or self.count(p, cands[0]) > self.max_tokens:
            return None, target
        # The largest feasible cut, by binary search (token counts grow with length).
        lo, hi = 0, len(cands) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.count(p, cands[mid]) <= self.max_tokens:
                lo = mid
            else:
                hi = mid - 1
        best = lo
        # Then the first cut that reaches the target, no further than the largest feasible.
        lo, hi = 0, best
        while lo < hi:
            mid = (lo + hi) // 2
            if self.count(p, cands[mid]) >= target:
                hi = mid
            else:
                lo = mid + 1
        # A real tokenizer's counts are only nearly monotonic: re-check the choice.
        if self.count(p, cands[lo]) > self.max_tokens:
            lo = best
        return cands[lo], target


def _aim(limit: int, end: int, full: float | None) -> float | None:
    """`full` for a region that ends where the cutter's stretch does, else None (share out)."""
    return full if limit == end else None


def _between(cuts: list[int], lo: int, hi: int) -> list[int]:
    """The sorted `cuts` strictly between `lo` and `hi`."""
    return cuts[bisect.bisect_right(cuts, lo) : bisect.bisect_left(cuts, hi)]
