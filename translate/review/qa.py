"""Quality checks on Indonesian→English translations: what an editor should look at, and why.

``check_pair`` checks one source/English pair; ``check_document`` fills every paragraph's ``qa``
(sentence by sentence where sentences align, per paragraph where an edit merged them) and adds
the document-level ``consistency`` check; ``summary`` counts the findings.

Checks (``CHECKS``) and their severities — an *error* is very likely a wrong translation, a
*warning* is worth a look:

==============  ========  ===============================================================
check           severity  finds
==============  ========  ===============================================================
numbers         error     a number, date, time or weekday of the source missing or changed
                          (Indonesian ``13.924``/``2,3``/``Rp4,9 miliar``/``ke-14``/``pukul
                          17.30``/``(12/12)`` compared as values with the English forms);
                          a weekday missing, or one the source may not name, is a warning
terms           error     a glossary term's English missing from the English (not applied);
                warning   more copies of it than the source has terms
length          warning   English much shorter or longer than this document's usual ratio,
                          or cut off (no final punctuation where the source has one)
empty           error     no English for a non-empty source
untranslated    warning   English that is the Indonesian source (nearly) unchanged
repetition      warning   a word or phrase looping (three times in a row, or a phrase of
                          four words or more said four times)
indonesian      warning   Indonesian function words left in the English (yang, dan, untuk…)
brackets        warning   quotes or brackets balanced differently from the source
entities        error     a URL, e-mail address or web domain of the source changed or lost;
                warning   a hashtag or @handle changed or lost
spacing         warning   doubled spaces, a space before punctuation, doubled punctuation
consistency     warning   one source name rendered two ways in the same document
==============  ========  ===============================================================

This runs in the pipeline, the CLI and the UI on every document, so every check is linear (or
n log n) in the length of the text it looks at, however long: a transcript pasted as one
paragraph without punctuation is one 190 KB "sentence". Standard library, and rapidfuzz
(imported where used) for the one character-level similarity.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from translate.document import Paragraph, QAIssue, Term, TranslatedDocument
from translate.terms.count import count_target

__all__ = [
    "CHECKS",
    "ERROR",
    "WARNING",
    "check_document",
    "check_pair",
    "length_range",
    "summary",
]

CHECKS = (
    "numbers",
    "terms",
    "length",
    "empty",
    "untranslated",
    "repetition",
    "indonesian",
    "brackets",
    "entities",
    "spacing",
    "consistency",
)
ERROR = "error"
WARNING = "warning"

TermLike = Term | tuple[str, str]

# --- length ---------------------------------------------------------------------------------

# English characters per Indonesian character in news text (measured on tests/data/qa: median
# 1.0 with whitespace counted); used when a document has too few sentences to learn its own.
TYPICAL_RATIO = 0.97
# The accepted band around a document's median ratio. On the frozen correct set the extremes
# are 0.67× and 1.41× the median (terse time/number phrases, long English circumlocutions).
LOW_FACTOR, HIGH_FACTOR = 0.6, 1.7
# A learnt median outside this band means the document is unusual (all captions, lists of
# names); clamp rather than trust it.
MEDIAN_BOUNDS = (0.7, 1.4)
MIN_SENTENCES_TO_LEARN = 5
# Short sentences vary more in ratio; never flag a difference under this many characters.
LENGTH_SLACK = 12
# English that stops without final punctuation, where the source has it, and is short of the
# expected length is cut off (the decoder's length bound, or a dropped clause).
CUT_OFF_FACTOR = 0.85
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"'”’)\]]\s*$")


def length_range(pairs: Iterable[tuple[str, str]]) -> tuple[float, float]:
    """The accepted English/Indonesian character ratio for these pairs: their median ratio
    (clamped to sane bounds) × ``[LOW_FACTOR, HIGH_FACTOR]``; the typical news ratio when
    there are fewer than ``MIN_SENTENCES_TO_LEARN`` usable pairs."""
    ratios = [len(t) / len(s) for s, t in pairs if len(s.strip()) >= 20 and t.strip()]
    if len(ratios) < MIN_SENTENCES_TO_LEARN:
        median = TYPICAL_RATIO
    else:
        median = min(max(statistics.median(ratios), MEDIAN_BOUNDS[0]), MEDIAN_BOUNDS[1])
    return median * LOW_FACTOR, median * HIGH_FACTOR


# "The National Disaster Mitigation Agency (BNPB)" for the source's "BNPB": an expansion.
_EXPANSION = re.compile(r"(?:\b(?:[A-Z][\w'’-]*|of|and|for|the|on)\s+){1,10}\(([^()\s]{2,12})\)")


def _without_expansions(source: str, target: str) -> str:
    """The English with each spelt-out name that is followed by the source's own abbreviation
    in brackets reduced to that abbreviation: the length the source's abbreviation stands for."""
    bare = re.sub(r"\([^()]*\)", " ", source)  # "Badan Pusat Statistik (BPS)" spells it out too
    words = set(re.findall(r"[^\s(),.;:]+", bare))
    return _EXPANSION.sub(lambda m: m.group(1) if m.group(1) in words else m.group(0), target)


def _check_length(source: str, target: str, band: tuple[float, float]) -> list[tuple[str, str]]:
    src, tgt = len(source.strip()), len(_without_expansions(source, target).strip())
    if src == 0 or tgt == 0:
        return []
    low, high = band
    expected = low / LOW_FACTOR * src  # the document's median ratio × the source length
    ratio = tgt / src
    size = f"{len(target.strip())} characters"
    if tgt != len(target.strip()):
        size += f" ({tgt} with abbreviations not spelt out)"
    size += f" for a {src}-character source (ratio {ratio:.2f}"
    if tgt < low * src and expected - tgt > LENGTH_SLACK:
        return [
            (
                WARNING,
                f"the English is short: {size}, expected at least {low:.2f}); "
                "something may be left out",
            )
        ]
    if tgt > high * src and tgt - expected > LENGTH_SLACK:
        return [
            (WARNING, f"the English is long: {size}, expected at most {high:.2f}); it may add text")
        ]
    if (
        _TERMINAL.search(source)
        and not _TERMINAL.search(target)
        and tgt < CUT_OFF_FACTOR * expected
        and expected - tgt > LENGTH_SLACK
    ):
        end = target.strip()[-20:]
        return [
            (
                WARNING,
                f"the English seems cut off: it ends “…{end}” without final punctuation; {size})",
            )
        ]
    return []


# --- entities: URLs, e-mails, domains, hashtags, handles -------------------------------------

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
class _Entity:
    kind: str  # "URL" | "e-mail" | "domain" | "hashtag" | "handle"
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        # Domains and schemes are case-insensitive; paths, hashtags and handles are not.
        return self.text.lower() if self.kind in ("domain", "e-mail") else self.text


def _entities(text: str) -> list[_Entity]:
    """URLs, e-mail addresses, bare web domains, hashtags and @handles, in text order."""
    found: list[_Entity] = []
    taken = bytearray(len(text))  # 1 where an entity found earlier claims the character

    for kind, spans in (
        ("URL", (m.span() for m in _URL.finditer(text))),
        ("e-mail", _email_spans(text)),
        ("domain", (m.span() for m in _DOMAIN.finditer(text))),
        ("hashtag", (m.span() for m in _HASHTAG.finditer(text))),
        ("handle", (m.span() for m in _HANDLE.finditer(text))),
    ):
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
                found.append(_Entity(kind, raw, a, b))
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


def _unmatched(these: Sequence[_Entity], others: Sequence[_Entity]) -> list[_Entity]:
    """The entities of ``these`` left over once each is paired with an equal one of ``others``."""
    available = Counter(e.key for e in others)
    out = []
    for e in these:
        if available[e.key] > 0:
            available[e.key] -= 1
        else:
            out.append(e)
    return out


def _mask(text: str, spans: Iterable[_Entity | tuple[int, int]], fill: str = " ") -> str:
    """The text with entities (or ``(start, end)`` spans) blanked out (same length, so
    offsets stay valid)."""
    chars = list(text)
    for span in spans:
        a, b = (span.start, span.end) if isinstance(span, _Entity) else span
        chars[a:b] = fill * (b - a)
    return "".join(chars)


def _check_entities(source: str, target: str) -> list[tuple[str, str]]:
    src, tgt = _entities(source), _entities(target)
    lost = _unmatched(src, tgt)
    added = _unmatched(tgt, src)
    out: list[tuple[str, str]] = []
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


# --- numbers, dates, times ------------------------------------------------------------------

_MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "agust": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12,
}  # fmt: skip
_MONTHS_EN = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4,
    "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11, "Nov": 11,
    "December": 12, "Dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
                "Oct.", "Nov.", "Dec.")  # fmt: skip
_DAYS_ID = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4,
            "sabtu": 5, "minggu": 6, "ahad": 6}  # fmt: skip
_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MULT_ID = {"ribu": 3, "rb": 3, "juta": 6, "jt": 6, "miliar": 9, "milyar": 9, "triliun": 12}
_MULT_EN = {"thousand": 3, "million": 6, "mln": 6, "mn": 6, "billion": 9, "bn": 9,
            "trillion": 12, "tn": 12}  # fmt: skip
_MULT_WORDS_EN = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}

_RE_MONTH_ID = "|".join(sorted(_MONTHS_ID, key=len, reverse=True))
_RE_MONTH_EN = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"\s*(?:[-–—]|s\.d\.?|sampai|hingga)\s*"

_ID_DATE_RANGE = re.compile(
    rf"(?<![\d.,])(\d{{1,2}}){_DASH}(\d{{1,2}})\s+({_RE_MONTH_ID})\.?(?![^\W\d_])(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_ID_DATE = re.compile(
    rf"(?<![\d.,])(\d{{1,2}})\s+({_RE_MONTH_ID})\.?(?![^\W\d_])(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)
_EN_DATE_RANGE = re.compile(
    rf"\b({_RE_MONTH_EN})\.?\s+(\d{{1,2}}){_ORD}\s*(?:[-–—]|to|through|and)\s*(\d{{1,2}}){_ORD}"
    rf"(?![\d:]|\s*(?:a\.?m|p\.?m))\b(?:,?\s+(\d{{4}}))?"
)
_EN_DATE = re.compile(rf"\b({_RE_MONTH_EN})\.?\s+(\d{{1,2}}){_ORD}(?![\d:])\b(?:,?\s+(\d{{4}}))?")
_EN_DATE_DM = re.compile(
    rf"(?<![\d.,])(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_RE_MONTH_EN})\b\.?(?:,?\s+(\d{{4}}))?"
)
# "(12/12)" and "12/12/2024": day/month in Indonesian; in English either order.
_SLASH_DATE = re.compile(
    r"\((\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\)|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
)
_ID_TIME = re.compile(
    r"\b(?:pukul|pkl\.?|jam)\s+(\d{1,2})(?:[.:](\d{2}))?"
    r"(?:\s+(pagi|siang|sore|malam|dini\s+hari))?(?![\d.,]\d)",
    re.IGNORECASE,
)
# A bare "17.30": an Indonesian thousands group has three digits, so two are minutes.
_BARE_TIME = re.compile(r"(?<![\d.,])(\d{1,2})[.:](\d{2})(?![\d]|[.,]\d)")
_EN_TIME = re.compile(
    r"(?<![\d.,])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?|o'clock|o’clock)",
    re.IGNORECASE,
)
_EN_CLOCK = re.compile(r"(?<![\d.,])(\d{1,2}):(\d{2})(?!\d)")
_ID_ORDINAL = re.compile(r"\bke-?(\d+)\b", re.IGNORECASE)
_EN_ORDINAL = re.compile(r"(?<![\d.,])(\d+)(?:st|nd|rd|th)\b")
_DIGITS = re.compile(r"\d[\d.,]*\d|\d")
_ID_MULT = re.compile(r"\s*(ribu|rb|juta|jt|miliar|milyar|triliun)\b\.?", re.IGNORECASE)
# "Rp5 M", "Rp2 T": single-letter multipliers only right after a rupiah amount.
_ID_MULT_LETTER = re.compile(r"\s*([MT])\b")
_EN_MULT = re.compile(r"\s*(thousand|million|mln|mn|billion|bn|trillion|tn)\b", re.IGNORECASE)
_RUPIAH_BEFORE = re.compile(r"(?:Rp\.?|IDR)\s*$", re.IGNORECASE)
_ID_DAY = re.compile(r"\b(Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\b")
# "Minggu" is also "week": it is Sunday only in date-like company.
_MINGGU_CONTEXT = re.compile(r"\s*(?:\(|,\s*\d|(?:pagi|siang|sore|malam|dini)\b)")
_MINGGU_BEFORE = re.compile(r"(?:pada|hari|sejak|setiap|hingga|sampai|,)\s*$", re.IGNORECASE)
_EN_DAY = re.compile(r"\b(" + "|".join(_DAYS_EN) + r")\b")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

_UNITS_ID = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
             "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
             "seratus": 100, "seribu": 1000, "sejuta": 10**6, "semiliar": 10**9}  # fmt: skip
_ORDINALS_ID = {"pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6,
                "ketujuh": 7, "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10}  # fmt: skip
_UNITS_EN = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
             "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
             "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
             "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_ORDINALS_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                "twelfth": 12}  # fmt: skip


@dataclass(frozen=True)
class _Item:
    """A number, date, time or weekday found in a text, with the keys it may match by."""

    kind: str  # "number" | "date" | "time" | "day"
    keys: frozenset[str]
    text: str  # as written
    canonical: str  # the value, for messages
    english: tuple[str, ...]  # how the English may write it, for messages
    start: int
    hard: bool = True  # digits; soft items (spelled-out words) only help match hard ones


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _canon(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _grouped(value: Decimal) -> str:
    """13924 → "13,924"; 7114.27 → "7,114.27"."""
    text = _canon(value)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}" if whole else "0"
    return sign + grouped + (f".{frac}" if frac else "")


def _number_item(value: Decimal, text: str, start: int, hard: bool = True) -> _Item:
    forms: list[str] = []
    for exp in (12, 9, 6):
        scaled = value / Decimal(10) ** exp
        if abs(scaled) >= 1 and scaled == scaled.quantize(Decimal("0.01")):
            forms.append(f"{_canon(scaled)} {_MULT_WORDS_EN[exp]}")
            break
    if 1800 <= value <= 2100 and value == value.to_integral_value():
        forms.append(_canon(value))  # a year: never "2,024"
    else:
        forms.append(_grouped(value))
    if abs(value) >= 1000 and value == value.to_integral_value():
        forms.append(_canon(value))
    forms = list(dict.fromkeys(forms))
    return _Item("number", frozenset({f"n:{_canon(value)}"}), text, _canon(value),
                 tuple(forms), start, hard)  # fmt: skip


def _time_item(
    hours: Sequence[int], minute: int, text: str, start: int, hard: bool = True
) -> _Item:
    valid = [h % 24 for h in hours if 0 <= h <= 24]
    keys = frozenset(f"t:{h:02d}:{minute:02d}" for h in valid)
    h = valid[0] if valid else 0
    twelve = h % 12 or 12
    meridiem = "a.m." if h < 12 else "p.m."
    short = f"{twelve} {meridiem}" if minute == 0 else f"{twelve}:{minute:02d} {meridiem}"
    return _Item("time", keys, text, f"{h:02d}:{minute:02d}", (f"{h:02d}:{minute:02d}", short),
                 start, hard)  # fmt: skip


def _date_items(pairs: Sequence[tuple[int, int]], text: str, start: int) -> _Item | None:
    """A date with one or more (month, day) readings; None if no reading is a real date."""
    valid = [(m, d) for m, d in pairs if 1 <= m <= 12 and 1 <= d <= 31]
    if not valid:
        return None
    m, d = valid[0]
    forms = (f"{_MONTH_NAMES[m - 1]} {d}", f"{d}/{m}")
    keys = frozenset(f"d:{mm:02d}-{dd:02d}" for mm, dd in valid)
    return _Item("date", keys, text, f"{m:02d}-{d:02d}", forms, start)


def _day_item(day: int, text: str, start: int) -> _Item:
    return _Item("day", frozenset({f"w:{day}"}), text, _DAYS_EN[day], (_DAYS_EN[day],), start)


class _Scanner:
    """Finds items in a text; each character belongs to at most one item (a date's day is not
    also a number, a time's hour is not also a number)."""

    def __init__(self, text: str) -> None:
        self.entities = _entities(text)
        self.text = _mask(text, self.entities)
        self.taken = bytearray(len(text))  # 1 where an item already claims the character
        self.items: list[_Item] = []

    def free(self, a: int, b: int) -> bool:
        return self.taken.find(1, a, b) < 0

    def take(self, a: int, b: int) -> None:
        self.taken[a:b] = b"\x01" * (b - a)

    def scan(self, pattern: re.Pattern[str], make: Callable[[re.Match[str]], list[_Item]]) -> None:
        for m in pattern.finditer(self.text):
            if not self.free(*m.span()):
                continue
            items = make(m)
            if items:
                self.take(*m.span())
                self.items.extend(items)

    def year(self, m: re.Match[str], group: int) -> list[_Item]:
        y = m.group(group)
        return [_number_item(Decimal(y), y, m.start(group))] if y else []


def _id_number(raw: str) -> list[Decimal]:
    """Readings of a digit run written the Indonesian way (dot thousands, comma decimals)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        value = _dec(raw.replace(".", "").replace(",", "."))
        return [value] if value is not None else []
    if re.fullmatch(r"\d+,\d+", raw):
        whole, frac = raw.split(",")
        readings = [Decimal(f"{whole}.{frac}")]
        if len(frac) == 3 and len(whole) <= 3:
            readings.append(Decimal(whole + frac))  # an English-style "1,500" in the source
        return readings
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return [Decimal(raw)]
    return []


def _en_number(raw: str) -> list[Decimal]:
    """Readings of a digit run written the English way (comma thousands, dot decimals)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        return [Decimal(raw.replace(",", ""))]
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return [Decimal(raw)]
    return []


def _english_hour_keys(raw: str) -> set[str]:
    """Clock readings of an English number: "17.30" kept from the Indonesian ("at 17.30 WIB"),
    or a bare hour ("at 7 in the morning")."""
    m = re.fullmatch(r"(\d{1,2})(?:\.(\d{2}))?", raw)
    if not m:
        return set()
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour > 24 or minute > 59 or (m.group(2) is None and hour == 0):
        return set()
    hours = [hour, hour + 12] if m.group(2) is None and 1 <= hour <= 12 else [hour]
    return {f"t:{h % 24:02d}:{minute:02d}" for h in hours}


def _ends_with(pattern: re.Pattern[str], text: str, end: int, reach: int) -> bool:
    """Whether ``pattern`` (a word of at most ``reach`` characters, then ``\\s*$``) matches just
    before ``end``. Searching ``text[:end]`` would try every earlier position, once per number."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return pattern.search(text, max(0, start - reach), end) is not None


def _split_run(raw: str) -> list[tuple[str, int]]:
    """An unreadable run ("1.516.000,5.3", "2,3,4") as its digit groups with offsets."""
    return [(m.group(), m.start()) for m in re.finditer(r"\d+", raw)]


def _numbers(sc: _Scanner, indonesian: bool) -> None:
    text = sc.text
    for m in _DIGITS.finditer(text):
        a, b = m.span()
        if not sc.free(a, b):
            continue
        raw = m.group()
        readings = _id_number(raw) if indonesian else _en_number(raw)
        if not readings:
            for part, off in _split_run(raw):
                sc.items.append(_number_item(Decimal(part), part, a + off))
            sc.take(a, b)
            continue
        end = b
        exp = 0
        mult = (_ID_MULT if indonesian else _EN_MULT).match(text, b)
        if mult:
            table = _MULT_ID if indonesian else _MULT_EN
            exp = table[mult.group(1).lower()]
            end = mult.end()
        elif indonesian and _ends_with(_RUPIAH_BEFORE, text, a, 3):
            letter = _ID_MULT_LETTER.match(text, b)
            if letter:
                exp = 9 if letter.group(1) == "M" else 12
                end = letter.end()
        scale = Decimal(10) ** exp
        values = [r * scale for r in readings]
        item = _number_item(values[0], text[a:end], a)
        keys = {f"n:{_canon(v)}" for v in values}
        if not indonesian and not exp:
            keys |= _english_hour_keys(raw)
        if len(keys) > 1:
            item = replace(item, keys=frozenset(keys))
        sc.items.append(item)
        sc.take(a, end)


def _word_numbers(sc: _Scanner, indonesian: bool) -> None:
    """Spelled-out numbers ("tiga", "dua puluh lima", "twenty-three", "three million",
    "ketiga", "third") as soft items: they may satisfy a digit on the other side, and are
    never reported themselves (words like "satu" and "one" are too often not numbers)."""
    words = [(m.group(), m.start()) for m in _WORD.finditer(sc.text)]
    i = 0
    while i < len(words):
        value, j = _parse_words(words, i, indonesian)
        if value is None:
            i += 1
            continue
        start = words[i][1]
        text = sc.text[start : words[j - 1][1] + len(words[j - 1][0])]
        sc.items.append(_number_item(Decimal(value), text, start, hard=False))
        i = j


def _parse_words(
    words: Sequence[tuple[str, int]], i: int, indonesian: bool
) -> tuple[int | None, int]:
    """The number spelled by the words starting at ``i``, and the index after them."""
    first = words[i][0].lower()
    ordinals = _ORDINALS_ID if indonesian else _ORDINALS_EN
    if first in ordinals:
        return ordinals[first], i + 1
    total = current = 0
    seen = False
    j = i
    while j < len(words):
        parts = words[j][0].lower().replace("’", "-").split("-")
        step = _word_value(parts, indonesian)
        if step is None:
            break
        kind, amount = step
        if kind == "unit":
            current += amount
        elif kind == "teen":  # "dua belas" = 12
            current = (current or 1) + 10 if current < 10 else current + 10
        elif kind == "scale" and amount < 1000:  # puluh, ratus, hundred
            current = (current or 1) * amount
        elif kind == "scale":
            total += (current or 1) * amount
            current = 0
        elif kind == "compound":  # "twenty-three", "sepuluh", "seratus"
            current += amount
        seen = True
        j += 1
    if not seen:
        return None, i
    return total + current, j


def _word_value(parts: Sequence[str], indonesian: bool) -> tuple[str, int] | None:
    if indonesian:
        word = parts[0] if len(parts) == 1 else ""
        if word in _UNITS_ID:
            value = _UNITS_ID[word]
            return ("scale", value) if value >= 1000 else ("unit", value)
        if word == "belas":
            return "teen", 10
        if word in ("puluh", "ratus"):
            return "scale", 10 if word == "puluh" else 100
        if word in ("ribu", "juta", "miliar", "milyar", "triliun"):
            return "scale", 10 ** _MULT_ID[word]
        return None
    if all(p in _UNITS_EN for p in parts) and parts:
        return "compound", sum(_UNITS_EN[p] for p in parts)
    if len(parts) == 1 and parts[0] == "hundred":
        return "scale", 100
    if len(parts) == 1 and parts[0] in ("thousand", "million", "billion", "trillion"):
        return "scale", 10 ** _MULT_EN[parts[0]]
    return None


def _source_items(text: str) -> list[_Item]:
    """Numbers, dates, times and weekdays in Indonesian text."""
    sc = _Scanner(text)

    def date_range(m: re.Match[str]) -> list[_Item]:
        month = _MONTHS_ID[m.group(3).lower()]
        items = [_date_items([(month, int(m.group(g)))], m.group(g), m.start(g)) for g in (1, 2)]
        return [i for i in items if i] + sc.year(m, 4) if all(items) else []

    def date(m: re.Match[str]) -> list[_Item]:
        item = _date_items(
            [(_MONTHS_ID[m.group(2).lower()], int(m.group(1)))], m.group(0), m.start()
        )
        return [item, *sc.year(m, 3)] if item else []

    def slash(m: re.Match[str]) -> list[_Item]:
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        item = _date_items([(int(mo), int(d))], m.group(0), m.start())
        year = [_number_item(Decimal(y), y, m.start())] if y else []
        return [item, *year] if item else []

    def clock(m: re.Match[str]) -> list[_Item]:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour > 24 or minute > 59:
            return []
        period = (m.group(3) or "").lower().split()[0] if m.group(3) else ""
        hours = _id_hours(hour, period, minutes_given=m.group(2) is not None)
        return [_time_item(hours, minute, m.group(0), m.start())]

    def bare_time(m: re.Match[str]) -> list[_Item]:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 24 or minute > 59:
            return []
        item = _time_item([hour], minute, m.group(0), m.start())
        # Or a decimal written with a dot ("2.50 meter"), which some writers do.
        alt = f"n:{_canon(Decimal(m.group(1) + '.' + m.group(2)))}"
        return [replace(item, keys=item.keys | {alt})]

    def ordinal(m: re.Match[str]) -> list[_Item]:
        return [_number_item(Decimal(m.group(1)), m.group(0), m.start())]

    def day(m: re.Match[str]) -> list[_Item]:
        name = m.group(1)
        item = _day_item(_DAYS_ID[name.lower()], name, m.start())
        if name == "Minggu" and not (
            _MINGGU_CONTEXT.match(sc.text, m.end())
            or _ends_with(_MINGGU_BEFORE, sc.text, m.start(), 6)
        ):
            return [replace(item, hard=False)]  # maybe "week": may match "Sunday", not required
        return [item]

    sc.scan(_ID_DATE_RANGE, date_range)
    sc.scan(_ID_DATE, date)
    sc.scan(_SLASH_DATE, slash)
    sc.scan(_ID_TIME, clock)
    sc.scan(_BARE_TIME, bare_time)
    sc.scan(_ID_ORDINAL, ordinal)
    sc.scan(_ID_DAY, day)
    _numbers(sc, indonesian=True)
    _word_numbers(sc, indonesian=True)
    return sorted(sc.items, key=lambda i: i.start)


def _id_hours(hour: int, period: str, minutes_given: bool) -> list[int]:
    """The 24-hour readings of an Indonesian clock hour with an optional part of the day."""
    if period in ("pagi", "dini"):
        return [0 if hour == 12 else hour]
    if period == "siang":
        return [hour if hour >= 11 else hour + 12]
    if period == "sore":
        return [hour if hour >= 12 else hour + 12]
    if period == "malam":
        return [0 if hour == 12 else hour if hour < 6 or hour > 12 else hour + 12]
    if minutes_given or hour > 12 or hour == 0:
        return [hour]
    return [hour, hour + 12]  # "pukul 7": morning or evening


def _target_items(text: str) -> list[_Item]:
    """Numbers, dates, times and weekdays in English text."""
    sc = _Scanner(text)

    def date_range(m: re.Match[str]) -> list[_Item]:
        month = _MONTHS_EN[m.group(1)]
        items = [_date_items([(month, int(m.group(g)))], m.group(g), m.start(g)) for g in (2, 3)]
        return [i for i in items if i] + sc.year(m, 4) if all(items) else []

    def date(m: re.Match[str]) -> list[_Item]:
        item = _date_items([(_MONTHS_EN[m.group(1)], int(m.group(2)))], m.group(0), m.start())
        return [item, *sc.year(m, 3)] if item else []

    def date_dm(m: re.Match[str]) -> list[_Item]:
        item = _date_items([(_MONTHS_EN[m.group(2)], int(m.group(1)))], m.group(0), m.start())
        return [item, *sc.year(m, 3)] if item else []

    def slash(m: re.Match[str]) -> list[_Item]:
        a, b, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        # Kept Indonesian order (day/month) or US order (month/day).
        item = _date_items([(int(b), int(a)), (int(a), int(b))], m.group(0), m.start())
        year = [_number_item(Decimal(y), y, m.start())] if y else []
        return [item, *year] if item else []

    def clock12(m: re.Match[str]) -> list[_Item]:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour > 12 or minute > 59 or hour == 0:
            return []
        suffix = m.group(3).lower()
        if suffix.startswith("o"):
            hours = [hour % 12, hour % 12 + 12]
        else:
            pm = suffix.startswith("p")
            hours = [(hour % 12) + (12 if pm else 0)]
        return [_time_item(hours, minute, m.group(0), m.start())]

    def clock24(m: re.Match[str]) -> list[_Item]:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 24 or minute > 59:
            return []
        hours = [hour, hour + 12] if 1 <= hour < 12 else [hour]
        return [_time_item(hours, minute, m.group(0), m.start())]

    def ordinal(m: re.Match[str]) -> list[_Item]:
        return [_number_item(Decimal(m.group(1)), m.group(0), m.start())]

    def day(m: re.Match[str]) -> list[_Item]:
        return [_day_item(_DAYS_EN.index(m.group(1)), m.group(1), m.start())]

    sc.scan(_EN_DATE_RANGE, date_range)
    sc.scan(_EN_DATE, date)
    sc.scan(_EN_DATE_DM, date_dm)
    sc.scan(_SLASH_DATE, slash)
    sc.scan(_EN_TIME, clock12)
    sc.scan(_EN_CLOCK, clock24)
    sc.scan(_EN_ORDINAL, ordinal)
    sc.scan(_EN_DAY, day)
    _numbers(sc, indonesian=False)
    _word_numbers(sc, indonesian=False)
    # "noon" and "midnight" stand for 12.00 and 00.00; soft, as they also appear without one.
    for m in re.finditer(r"\b(noon|midday|midnight)\b", sc.text, re.IGNORECASE):
        hour = 0 if m.group(1).lower() == "midnight" else 12
        sc.items.append(_time_item([hour], 0, m.group(0), m.start(), hard=False))
    return sorted(sc.items, key=lambda i: i.start)


def _match(left: Sequence[_Item], right: Sequence[_Item]) -> tuple[list[int], list[int]]:
    """Hard items on each side that nothing on the other side accounts for.

    A maximum bipartite matching of hard items to hard items first (an item may have several
    readings: "5:30" is 05:30 or 17:30), then of the leftovers to soft items; hard items of
    the right still unmatched then take the first unused soft left item with a common key.
    """
    hard_left = [i for i, item in enumerate(left) if item.hard]
    owner = _Matching(left, right, [j for j, r in enumerate(right) if r.hard])
    matched_left = {i for i in hard_left if owner.add(i)}
    soft = _Matching(left, right, [j for j, r in enumerate(right) if not r.hard])
    matched_left |= {i for i in hard_left if i not in matched_left and soft.add(i)}
    # Hard right items still unmatched may be accounted for by soft left items.
    firsts = _FirstFree([i for i, item in enumerate(left) if not item.hard], left)
    lost_right = [
        j
        for j, r in enumerate(right)
        if r.hard and j not in owner.owner and firsts.take(r.keys) is None
    ]
    lost_left = [i for i in hard_left if i not in matched_left]
    return lost_left, lost_right


class _Matching:
    """A bipartite matching of left items to the ``allowed`` right items, grown one left item
    at a time by an augmenting path (Kuhn's algorithm), so a matched item stays matched.

    Items meet through their keys (a value "n:99" links every 99 on both sides): a search
    takes a free right item of one of its keys when there is one, else walks through the
    keys, visiting each key and each right item at most once, with an explicit stack (a
    transcript with a value said a thousand times makes no deep recursion). A search that
    fails changes nothing, so what it visited stays visited until the next success.
    """

    def __init__(self, left: Sequence[_Item], right: Sequence[_Item], allowed: Sequence[int]):
        self.keys = [sorted(item.keys) for item in left]
        self.bucket: dict[str, list[int]] = {}  # key -> allowed right items with it, in order
        for j in allowed:
            for k in right[j].keys:
                self.bucket.setdefault(k, []).append(j)
        self.next_free = dict.fromkeys(self.bucket, 0)  # rights before it in the bucket are taken
        self.owner: dict[int, int] = {}  # right index -> left index
        self.seen_keys: set[str] = set()
        self.seen_rights: set[int] = set()

    def _free(self, i: int) -> int | None:
        """The first untaken right item of one of left item ``i``'s keys."""
        best = None
        for k in self.keys[i]:
            items = self.bucket.get(k)
            if items is None:
                continue
            n = self.next_free[k]
            while n < len(items) and items[n] in self.owner:
                n += 1
            self.next_free[k] = n  # matched rights never become free again
            if n < len(items) and (best is None or items[n] < best):
                best = items[n]
        return best

    def _taken(self, i: int) -> Iterator[int]:
        """Right items, all taken, reachable from left item ``i`` through unvisited keys."""
        for k in self.keys[i]:
            if k in self.seen_keys:
                continue
            self.seen_keys.add(k)
            for j in self.bucket.get(k, ()):
                if j not in self.seen_rights:
                    self.seen_rights.add(j)
                    yield j

    def add(self, i: int) -> bool:
        """Match left item ``i``, moving others along an augmenting path; False if none."""
        j = self._free(i)
        if j is not None:
            self.owner[j] = i
            return True
        came: dict[int, tuple[int, int]] = {}  # left -> (its right, the left that reached it)
        stack = [(i, self._taken(i))]
        while stack:
            node, rights = stack[-1]
            for j in rights:
                nxt = self.owner[j]
                came[nxt] = (j, node)
                free = self._free(nxt)
                if free is not None:
                    self.owner[free] = nxt
                    while nxt != i:  # each left on the path passes its right back
                        j, node = came[nxt]
                        self.owner[j] = node
                        nxt = node
                    self.seen_keys.clear()
                    self.seen_rights.clear()
                    return True
                stack.append((nxt, self._taken(nxt)))
                break
            else:
                stack.pop()
        return False


class _FirstFree:
    """The first (by index) unused item among ``candidates`` that shares a key, each used once."""

    def __init__(self, candidates: Sequence[int], items: Sequence[_Item]) -> None:
        self.bucket: dict[str, list[int]] = {}
        for i in candidates:
            for k in items[i].keys:
                self.bucket.setdefault(k, []).append(i)
        self.next = dict.fromkeys(self.bucket, 0)
        self.used: set[int] = set()

    def take(self, keys: Iterable[str]) -> int | None:
        best = None
        for k in keys:
            items = self.bucket.get(k)
            if items is None:
                continue
            n = self.next[k]
            while n < len(items) and items[n] in self.used:
                n += 1
            self.next[k] = n
            if n < len(items) and (best is None or items[n] < best):
                best = items[n]
        if best is not None:
            self.used.add(best)
        return best


def _show(item: _Item) -> str:
    """The item as written, with its value where the writing does not make it plain."""
    text = item.text.rstrip(".") if item.kind == "date" else item.text
    if item.kind == "number" and text.replace(" ", "") != item.canonical:
        return f"{text} ({item.canonical})"
    if item.kind == "time" and text != item.canonical:
        return f"{text} ({item.canonical})"
    if item.kind == "date" and text not in item.english:
        return f"{text} ({item.english[0]})"
    return text


def _check_numbers(source: str, target: str) -> list[tuple[str, str]]:
    src, tgt = _source_items(source), _target_items(target)
    lost_src, lost_tgt = _match(src, tgt)
    out: list[tuple[str, str]] = []
    extra = [tgt[j] for j in lost_tgt]
    # The unpaired extra items of each kind and of each key family ("n:", "t:"…), in order.
    by_kind: dict[str, deque[int]] = {}
    by_family: dict[str, deque[int]] = {}
    for n, e in enumerate(extra):
        by_kind.setdefault(e.kind, deque()).append(n)
        for family in dict.fromkeys(k[:2] for k in e.keys):
            by_family.setdefault(family, deque()).append(n)
    paired = [False] * len(extra)

    def first(queue: deque[int] | None) -> int | None:
        while queue and paired[queue[0]]:
            queue.popleft()
        return queue[0] if queue else None

    for i in lost_src:
        item = src[i]
        # A changed value shows as one missing and one unexpected item of the same kind, else
        # of the same family.
        x: int | None = first(by_kind.get(item.kind))
        if x is None:
            found = [first(by_family.get(k[:2])) for k in item.keys]
            x = min((f for f in found if f is not None), default=None)
        if x is not None:
            paired[x] = True
            other = extra[x]
            out.append((ERROR, f"source has {_show(item)} but the English has {_show(other)}"))
            continue
        severity = WARNING if item.kind == "day" else ERROR
        out.append(
            (
                severity,
                f"source has {_show(item)} but the English has no {'/'.join(item.english)}",
            )
        )
    # The English may say a source value twice: "Densus 88" → "Special Detachment 88 (Densus 88)".
    source_keys = {k for i in src for k in i.keys}
    extra = [e for x, e in enumerate(extra) if not paired[x] and not e.keys & source_keys]
    for item in extra:
        # A weekday the source names in a way not recognised ("Minggu" is also "week").
        severity = WARNING if item.kind == "day" else ERROR
        out.append((severity, f"the English has {_show(item)}, which is not in the source"))
    return out


# --- glossary terms -------------------------------------------------------------------------


def _term_pairs(terms: Iterable[TermLike]) -> list[tuple[str, str]]:
    return [(t.source, t.target) if isinstance(t, Term) else (t[0], t[1]) for t in terms]


def _check_terms(target: str, terms: Iterable[TermLike]) -> list[tuple[str, str]]:
    """Each term's English must occur as often as the terms that want it (whole words, case
    as in the glossary), like the pipeline's ``applied``."""
    pairs = _term_pairs(terms)
    wanted = Counter(t for _, t in pairs)
    sources: dict[str, list[str]] = {}
    for s, t in pairs:
        sources.setdefault(t, []).append(s)
    out: list[tuple[str, str]] = []
    for english, n in wanted.items():
        found = count_target(target, english)
        names = ", ".join(dict.fromkeys(sources[english]))
        if found < n:
            out.append(
                (
                    ERROR,
                    f"glossary term {names} → {english} missed: the English has it "
                    f"{found} time(s), the source {n}",
                )
            )
        elif found > n:
            out.append(
                (
                    WARNING,
                    f"glossary term {names} → {english}: the English has it {found} times, "
                    f"the source {n}",
                )
            )
    return out


# --- untranslated, Indonesian left in the English -------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Indonesian function words (and a few very common words) that are not English words.
_INDONESIAN = _wordset(
    """
    yang dan di ke dari dengan untuk tidak akan adalah bahwa tersebut telah sudah oleh pada
    dalam karena juga kata ujar ujarnya katanya termasuk kepada bagi serta sebagai atau belum
    masih sangat hanya namun tetapi tapi saat ketika sejak hingga sampai agar jika bila apabila
    maka kami kita mereka dia ia saya ini itu para lebih bisa dapat sekitar menjadi sebanyak
    mencapai pemerintah warga tahun kondisi rusak ketiga kalinya lainnya yakni yaitu secara
    setelah sebelum selama terhadap melalui menurut sedangkan sehingga bahkan kemudian
    lalu tak belum harus masing sejumlah berbagai beberapa seluruh semua tengah antara
    """
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _words(text: str) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _WORD.finditer(text)]


def _is_name(word: str) -> bool:
    return word[:1].isupper()


def _check_indonesian(source: str, target: str) -> list[tuple[str, str]]:
    text = _mask(target, _entities(target))
    # A quotation the English keeps in Indonesian (a slogan, a song title) is not a leftover.
    # (Each distinct quotation is looked up in the source once, and blanked in one pass.)
    in_source: dict[str, bool] = {}
    kept = []
    for m in _QUOTED.finditer(text):
        inner = m.group()[1:-1].strip()
        if not inner:
            continue
        if inner not in in_source:
            in_source[inner] = inner in source
        if in_source[inner]:
            kept.append(m.span())
    text = _mask(text, kept)
    words = _words(text)
    hits: list[str] = []
    for k, (word, _) in enumerate(words):
        low = word.lower()
        if low not in _INDONESIAN:
            continue
        if _is_name(word):
            # Capitalised: part of a name ("Dan", "Para"), except a leftover opening word that
            # is not an English name.
            if k != 0 or low in ("dan", "di", "dari", "para", "yang", "ia"):
                continue
        else:
            # Between two capitalised words it joins a kept name: "Badan Obat dan Makanan".
            prev = words[k - 1][0] if k > 0 else ""
            nxt = words[k + 1][0] if k + 1 < len(words) else ""
            if _is_name(prev) and _is_name(nxt) and low in ("dan", "di", "untuk", "dari", "ke"):
                continue
        hits.append(word)
    if not hits:
        return []
    shown = ", ".join(f"“{w}”" for w in dict.fromkeys(hits))
    return [(WARNING, f"Indonesian word(s) left in the English: {shown}")]


_STRAIGHT = str.maketrans("“”‘’", "\"\"''")


def _flat(text: str) -> str:
    text = text.translate(_STRAIGHT)
    return " ".join(text.casefold().split())


# English this similar to its source (characters, once flattened) is the source left as is.
UNTRANSLATED_SIMILARITY = 0.9


def _check_untranslated(source: str, target: str) -> list[tuple[str, str]]:
    src, tgt = _flat(source), _flat(target)
    words = [w for w, _ in _words(source)]
    # Names, numbers and codes are the same in both languages: only prose can be untranslated,
    # and prose has function words or, failing those, several lowercase words.
    lower = [w for w in words if not _is_name(w) and len(w) >= 3]
    if len(words) < 3 or not (any(w.lower() in _INDONESIAN for w in words) or len(lower) >= 3):
        return []
    ratio = _similarity(src, tgt, UNTRANSLATED_SIMILARITY)
    if ratio < UNTRANSLATED_SIMILARITY:
        return []
    how = (
        "is the Indonesian source unchanged"
        if ratio == 1.0
        else (f"is {ratio:.0%} the same as the Indonesian source")
    )
    return [(WARNING, f"the English {how}: “{_clip(target)}”")]


def _similarity(a: str, b: str, cutoff: float) -> float:
    """rapidfuzz's normalised Indel similarity of two texts (2 × their longest common
    subsequence / their total length, 1.0 when equal), or 0.0 if it is below ``cutoff``.

    The characters the two texts have in common, counted (linear time), bound it from above:
    that alone rejects a translation, whose letters differ in number from its source's. Only
    a near copy gets the exact, bit-parallel comparison, which rapidfuzz limits to a band of
    edits the cutoff allows.
    """
    if a == b:
        return 1.0
    total = len(a) + len(b)
    if 2 * sum((Counter(a) & Counter(b)).values()) < cutoff * total:
        return 0.0
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b, score_cutoff=cutoff))


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- repetition -----------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


def _check_repetition(source: str, target: str) -> list[tuple[str, str]]:
    tokens = [t.lower() for t in _TOKEN.findall(target)]
    src_tokens = [t.lower() for t in _TOKEN.findall(source)]
    found = _loop(tokens)
    if found is None:
        return []
    phrase, times = found
    # The source repeating itself the same way (a chant, a list) is not a decoder loop.
    if _loop(src_tokens) is not None:
        return []
    return [(WARNING, f"the English repeats “{phrase}” {times} times")]


def _loop(tokens: Sequence[str]) -> tuple[str, int] | None:
    """A phrase of 1-8 tokens said three times in a row, or one of 4+ tokens said four times
    anywhere (a paragraph may well name "the Ministry of Health" three times); the phrase and
    how many times."""
    n_tok = len(tokens)
    for n in range(1, 9):
        for i in range(n_tok - 3 * n + 1):
            gram = tokens[i : i + n]
            if n == 1 and not gram[0].isalpha():
                continue  # "1, 1, 1" scores and lists of numbers
            times = 1
            while tokens[i + times * n : i + (times + 1) * n] == gram:
                times += 1
            if times >= 3:
                return " ".join(gram), times
    for n in range(4, 9):
        grams = Counter(tuple(tokens[i : i + n]) for i in range(n_tok - n + 1))
        for gram, times in grams.items():
            if times >= 4:
                return " ".join(gram), times
    return None


# --- brackets and quotes --------------------------------------------------------------------

_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("“", "”"))


def _balance(text: str) -> dict[str, tuple[int, int, bool]]:
    """Per bracket kind: (openings, closings, closed before opened)."""
    out: dict[str, tuple[int, int, bool]] = {}
    for a, b in _PAIRS:
        depth, early = 0, False
        for c in text:
            if c == a:
                depth += 1
            elif c == b:
                depth -= 1
                early = early or depth < 0
        out[a] = (text.count(a), text.count(b), early)
    out['"'] = (text.count('"'), 0, False)
    return out


def _check_brackets(source: str, target: str) -> list[tuple[str, str]]:
    src, tgt = _balance(source), _balance(target)
    out: list[tuple[str, str]] = []
    # Curly and straight double quotes may replace each other; compare what is left open.
    src_open = abs(src["“"][0] - src["“"][1]) + src['"'][0] % 2
    tgt_open = abs(tgt["“"][0] - tgt["“"][1]) + tgt['"'][0] % 2
    if src_open != tgt_open:
        o, c, _ = tgt["“"]
        straight = tgt['"'][0]
        parts = []
        if o or c:
            parts.append(f"{o} opening, {c} closing")
        if straight:
            parts.append(f'{straight} straight "')
        what = "; ".join(parts) or "none"
        state = "balanced" if src_open == 0 else f"{src_open} left open"
        out.append((WARNING, f"unbalanced quotes “ ” ({what}); the source's are {state}"))
    for a, b in _PAIRS[:3]:
        so, sc, se = src[a]
        to, tc, te = tgt[a]
        if so - sc != to - tc or (te and not se):
            state = "balanced" if so == sc else f"{so} opening, {sc} closing"
            out.append(
                (WARNING, f"unbalanced {a} {b} ({to} opening, {tc} closing); the source's: {state}")
            )
    return out


# --- spacing --------------------------------------------------------------------------------

_SPACING = (
    (re.compile(r"(?<=\S) {2,}(?=\S)"), "doubled space"),
    (re.compile(r"(?<=[\w)\]”’\"]) +(?=[,.;:!?](?!\.\.)(?:\s|$))"), "space before punctuation"),
    (re.compile(r"(?<![.])\.\.(?![.])|,,|;;|::|!!|\?\?|,\.|;\.|:\.|,;|\.;"), "doubled punctuation"),
)


def _check_spacing(source: str, target: str) -> list[tuple[str, str]]:
    # Entities become letters, not spaces: "at https://x.id." must not read as "at  .".
    src = _mask(source, _entities(source), "x")
    tgt = _mask(target, _entities(target), "x")
    out: list[tuple[str, str]] = []
    for pattern, what in _SPACING:
        m = pattern.search(tgt)
        if m and not pattern.search(src):
            a = max(0, m.start() - 15)
            context = target[a : m.end() + 15].replace("\n", " ")
            out.append((WARNING, f"{what} in the English: “…{context}…”"))
    return out


# --- one pair -------------------------------------------------------------------------------


def check_pair(
    source: str,
    target: str,
    *,
    terms: Iterable[TermLike] = (),
    sentence: str | None = None,
    length_range: tuple[float, float] | None = None,
) -> list[QAIssue]:
    """The QA findings for one source/English pair (a sentence or a paragraph).

    ``terms``: glossary terms of the source, as ``Term`` or (source, English) pairs; each
    English must appear in ``target``. ``sentence`` names the pair in each message and issue.
    ``length_range``: accepted English/Indonesian character ratio (default: typical news).
    """
    return _check(source, target, terms, sentence, sentence, length_range, _PAIR_CHECKS)


_PAIR_CHECKS = frozenset(CHECKS) - {"consistency"}


def _check(
    source: str,
    target: str,
    terms: Iterable[TermLike],
    sentence: str | None,
    where: str | None,
    band: tuple[float, float] | None,
    checks: frozenset[str],
) -> list[QAIssue]:
    found: list[tuple[str, tuple[str, str]]] = []

    def run(name: str, results: Iterable[tuple[str, str]]) -> None:
        found.extend((name, r) for r in results)

    if not source.strip():
        return []
    if not target.strip():
        if "empty" in checks:
            run("empty", [(ERROR, f"no English for a source of {len(source.strip())} characters")])
        return _issues(found, sentence, where)
    if "untranslated" in checks:
        run("untranslated", _check_untranslated(source, target))
    untranslated = bool(found)
    if "numbers" in checks and not untranslated:
        run("numbers", _check_numbers(source, target))
    if "terms" in checks:
        run("terms", _check_terms(target, terms))
    if "length" in checks and not untranslated:
        run("length", _check_length(source, target, band or length_range([])))
    if "repetition" in checks:
        run("repetition", _check_repetition(source, target))
    if "indonesian" in checks and not untranslated:
        run("indonesian", _check_indonesian(source, target))
    if "brackets" in checks:
        run("brackets", _check_brackets(source, target))
    if "entities" in checks:
        run("entities", _check_entities(source, target))
    if "spacing" in checks:
        run("spacing", _check_spacing(source, target))
    return _issues(found, sentence, where)


def _issues(
    found: Iterable[tuple[str, tuple[str, str]]], sentence: str | None, where: str | None
) -> list[QAIssue]:
    prefix = f"{where}: " if where else ""
    return [QAIssue(name, sev, sentence, prefix + msg) for name, (sev, msg) in found]


# --- documents ------------------------------------------------------------------------------

_CHECKED_ORIGINS = ("mt", "memory")


@dataclass
class _Unit:
    """One checked pair of a document: a sentence, or a paragraph edited as a whole."""

    paragraph: str
    sentence: str | None  # None for a paragraph unit
    source: str
    target: str
    terms: list[TermLike] = field(default_factory=list)  # re-counted in the English
    missed: list[Term] = field(default_factory=list)  # recorded by the pipeline as not applied
    translated: bool = True  # mt/memory; copies and rules only get the entities check

    @property
    def where(self) -> str:
        return self.sentence or self.paragraph


def _units(p: Paragraph) -> list[_Unit]:
    if p.segmentation == "paragraph" or not p.sentences:
        if not p.translated and p.sentences:
            return [_Unit(p.id, None, p.source, p.target, translated=False)]
        return [_with_terms(_Unit(p.id, None, p.source, p.target), p.terms, p.mt)]
    return [
        _with_terms(
            _Unit(p.id, s.id, s.source, s.target, translated=s.origin in _CHECKED_ORIGINS),
            [t for t in p.terms if t.sentence == s.id],
            s.mt,
        )
        for s in p.sentences
    ]


def _with_terms(unit: _Unit, terms: Iterable[Term], mt: str) -> _Unit:
    """Terms as the check should see them: as recorded while the English is the machine's
    (``applied`` also covers extra copies, which a count alone would not show); re-counted in
    the English once an editor has changed it, since the record is then stale."""
    for t in terms:
        if unit.target != mt:
            unit.terms.append(t)
        elif not t.applied:
            unit.missed.append(t)
    return unit


def _check_unit(unit: _Unit, band: tuple[float, float]) -> list[QAIssue]:
    if not unit.translated:
        return _check(unit.source, unit.target, (), unit.sentence, unit.where, band,
                      frozenset({"entities"}))  # fmt: skip
    issues = _check(
        unit.source, unit.target, unit.terms, unit.sentence, unit.where, band, _PAIR_CHECKS
    )
    if not unit.target.strip():
        return issues  # the empty check already says it all
    for source, english in dict.fromkeys((t.source, t.target) for t in unit.missed):
        found = count_target(unit.target, english)
        issues.append(
            QAIssue(
                "terms",
                ERROR,
                unit.sentence,
                f"{unit.where}: glossary term {source} → {english} not applied "
                f"(the English has it {found} time(s))",
            )
        )
    return issues


def check_document(document: TranslatedDocument) -> TranslatedDocument:
    """The document with every paragraph's ``qa`` recomputed by these checks.

    Findings of other producers (e.g. the pipeline's ``markup`` warnings) are kept; earlier
    findings of these checks are replaced. The length band is learnt from the document's own
    machine-translated sentences.
    """
    units = {p.id: _units(p) for p in document.paragraphs}
    band = length_range((u.source, u.target) for us in units.values() for u in us if u.translated)
    per_paragraph: dict[str, list[QAIssue]] = {
        pid: [issue for u in us for issue in _check_unit(u, band)] for pid, us in units.items()
    }
    for pid, issue in _consistency([u for us in units.values() for u in us if u.translated]):
        per_paragraph[pid].append(issue)
    paragraphs = []
    for p in document.paragraphs:
        kept = tuple(q for q in p.qa if q.check not in CHECKS)
        paragraphs.append(replace(p, qa=kept + tuple(per_paragraph[p.id])))
    return replace(document, paragraphs=tuple(paragraphs))


def summary(document: TranslatedDocument) -> dict[str, int]:
    """Counts of findings: ``errors`` and ``warnings`` in all, and ``<check>.errors`` /
    ``<check>.warnings`` for every check (zero included) and any other check present."""
    out: dict[str, int] = {"errors": 0, "warnings": 0}
    for check in CHECKS:
        out[f"{check}.errors"] = 0
        out[f"{check}.warnings"] = 0
    for p in document.paragraphs:
        for q in p.qa:
            kind = "errors" if q.severity == ERROR else "warnings"
            out[kind] += 1
            out[f"{q.check}.{kind}"] = out.get(f"{q.check}.{kind}", 0) + 1
    return out


# --- consistency ----------------------------------------------------------------------------

# Capitalised Indonesian words that are not names (sentence openers, titles, days, months).
_NOT_NAME_ID = _wordset(
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
_CALENDAR_EN = frozenset(_DAYS_EN) | frozenset(_MONTHS_EN)
_STOP_EN = frozenset({"the", "a", "an", "of", "and", "for", "on", "in", "de"})


def _name_words(text: str) -> list[str]:
    return [w for w, _ in _words(text) if _is_name(w) and len(w) >= 4]


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
        for w, _ in _words(text):
            wl = w.lower().removesuffix("'s").removesuffix("’s")
            self.by_letter.setdefault(wl[:1], {}).setdefault(w, wl)

    def has(self, word: str) -> bool:
        """``_has_word(text, word)``."""
        if _JOINED.fullmatch(word) and sum(word.count(c) for c in "-'’") < _MAX_PARTS:
            return word in self.whole
        return _has_word(self.text, word)


class _Index:
    """``_TargetWords`` of each unit's English, built when first needed."""

    def __init__(self, units: Sequence[_Unit]) -> None:
        self.units = units
        self.built: dict[int, _TargetWords] = {}

    def __getitem__(self, n: int) -> _TargetWords:
        if n not in self.built:
            self.built[n] = _TargetWords(self.units[n].target)
        return self.built[n]


def _consistency(units: Sequence[_Unit]) -> Iterator[tuple[str, QAIssue]]:
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


def _kept_name_variants(units: Sequence[_Unit], index: _Index) -> Iterator[tuple[str, QAIssue]]:
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
    words = _words(text)
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


def _phrases(u: _Unit) -> list[_Phrase]:
    """Capitalised runs of the English (joined by of/and/for/the), e.g. “Ministry of Finance”."""
    text = _mask(u.target, _entities(u.target))
    words = _words(text)
    long_words = [w for w, _ in words if len(w) >= 4]
    if len(long_words) >= 3 and all(map(_is_name, long_words)):
        return []  # a headline in title case: every word looks like a name
    first = words[0][1] if words else 0

    def joins(prev: str, w: str, nxt: str) -> bool:
        if w in _CALENDAR_EN:
            return False
        if not prev:  # a run starts with a capitalised word that is not just the opener
            opener = w.lower() in _STOP_EN | {"according", "at", "in", "on"}
            return _is_name(w) and not (opener and text.find(w) == first)
        return _is_name(w) or (w.lower() in _CONNECT_EN and _is_name(nxt))

    source_words = {w for w, _ in _words(u.source)}
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
        return _is_name(w) and w.lower() not in _NOT_NAME_ID

    out: set[tuple[str, ...]] = set()
    for run in _runs(text, joins):
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + _MAX_NAME_WORDS) + 1):
                out.add(tuple(run[i:j]))
    return out


def _translated_name_variants(
    units: Sequence[_Unit], index: _Index
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
