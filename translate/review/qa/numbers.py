"""The ``numbers`` check: numbers, dates, times and weekdays compared as values.

Indonesian ``13.924``, ``2,3``, ``Rp4,9 miliar``, ``ke-14``, ``pukul 17.30``, ``(12/12)``,
``Senin`` are read into items with the keys they may match by (``n:13924``, ``t:17:30``,
``d:12-12``, ``w:0``) and matched against the items of the English (``matching``).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Literal

from translate.review.qa.base import ERROR, WARNING, Finding, Pair, pair_check
from translate.review.qa.entities import entities, mask
from translate.review.qa.matching import match
from translate.review.qa.words import WORD

ItemKind = Literal["number", "date", "time", "day"]

_MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "agust": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12,
}  # fmt: skip
MONTHS_EN = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4,
    "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11, "Nov": 11,
    "December": 12, "Dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
                "Oct.", "Nov.", "Dec.")  # fmt: skip
_DAYS_ID = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4,
            "sabtu": 5, "minggu": 6, "ahad": 6}  # fmt: skip
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MULT_ID = {"ribu": 3, "rb": 3, "juta": 6, "jt": 6, "miliar": 9, "milyar": 9, "triliun": 12}
_MULT_EN = {"thousand": 3, "million": 6, "mln": 6, "mn": 6, "billion": 9, "bn": 9,
            "trillion": 12, "tn": 12}  # fmt: skip
_MULT_WORDS_EN = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}

_RE_MONTH_ID = "|".join(sorted(_MONTHS_ID, key=len, reverse=True))
_RE_MONTH_EN = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
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
_EN_DAY = re.compile(r"\b(" + "|".join(DAYS_EN) + r")\b")

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

    kind: ItemKind
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
    return _Item("day", frozenset({f"w:{day}"}), text, DAYS_EN[day], (DAYS_EN[day],), start)


class _Scanner:
    """Finds items in a text; each character belongs to at most one item (a date's day is not
    also a number, a time's hour is not also a number)."""

    def __init__(self, text: str) -> None:
        self.entities = entities(text)
        self.text = mask(text, self.entities)
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


Scan = tuple[re.Pattern[str], Callable[[re.Match[str]], list[_Item]]]


def _scan_all(sc: _Scanner, scans: list[Scan], indonesian: bool) -> None:
    """Each pattern in turn (earlier ones claim their text first), then numbers in digits and
    in words in what is left."""
    for pattern, make in scans:
        sc.scan(pattern, make)
    _numbers(sc, indonesian=indonesian)
    _word_numbers(sc, indonesian=indonesian)


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
    words = [(m.group(), m.start()) for m in WORD.finditer(sc.text)]
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

    # In this order: a date range before its dates, a date before its bare numbers.
    scans: list[Scan] = [(_ID_DATE_RANGE, date_range), (_ID_DATE, date), (_SLASH_DATE, slash)]
    scans += [(_ID_TIME, clock), (_BARE_TIME, bare_time), (_ID_ORDINAL, ordinal), (_ID_DAY, day)]
    _scan_all(sc, scans, indonesian=True)
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
        month = MONTHS_EN[m.group(1)]
        items = [_date_items([(month, int(m.group(g)))], m.group(g), m.start(g)) for g in (2, 3)]
        return [i for i in items if i] + sc.year(m, 4) if all(items) else []

    def date(m: re.Match[str]) -> list[_Item]:
        item = _date_items([(MONTHS_EN[m.group(1)], int(m.group(2)))], m.group(0), m.start())
        return [item, *sc.year(m, 3)] if item else []

    def date_dm(m: re.Match[str]) -> list[_Item]:
        item = _date_items([(MONTHS_EN[m.group(2)], int(m.group(1)))], m.group(0), m.start())
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
        return [_day_item(DAYS_EN.index(m.group(1)), m.group(1), m.start())]

    scans: list[Scan] = [(_EN_DATE_RANGE, date_range), (_EN_DATE, date), (_EN_DATE_DM, date_dm)]
    scans += [(_SLASH_DATE, slash), (_EN_TIME, clock12), (_EN_CLOCK, clock24)]
    _scan_all(sc, [*scans, (_EN_ORDINAL, ordinal), (_EN_DAY, day)], indonesian=False)
    # "noon" and "midnight" stand for 12.00 and 00.00; soft, as they also appear without one.
    for m in re.finditer(r"\b(noon|midday|midnight)\b", sc.text, re.IGNORECASE):
        hour = 0 if m.group(1).lower() == "midnight" else 12
        sc.items.append(_time_item([hour], 0, m.group(0), m.start(), hard=False))
    return sorted(sc.items, key=lambda i: i.start)


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


@pair_check("numbers", ERROR, order=10, stage="translated")
def numbers(pair: Pair) -> list[Finding]:
    """A number, date, time or weekday of the source missing or changed (a weekday:
    warning).

    Numbers, dates, times and weekdays of the source missing or changed in the English, or
    added to it (a weekday: a warning, as "Minggu" is also "week")."""
    return _check_numbers(pair.source, pair.target)


def _check_numbers(source: str, target: str) -> list[Finding]:
    src, tgt = _source_items(source), _target_items(target)
    lost_src, lost_tgt = match(src, tgt)
    out: list[Finding] = []
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
