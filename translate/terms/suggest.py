"""Suggesting glossary entries: proper nouns and acronyms of an article no glossary covers.

``suggest`` reads capitalised runs and all-caps words the way an Indonesian news editor would:
sentence openers, days, months, honorifics and units are not names, nor is a common word that
opens a sentence or a quotation ("Tuhan", "Pembicaraan Rusia"); clitics and hyphenated
prefixes (``Jokowi-lah``, ``pro-Jokowi``, ``Serbianya``) are trimmed; compass words belong to
the name before them ("Aleppo Tenggara") and are never names alone; title-case lines and
all-caps headlines give nothing. Each suggestion counts exactly its own form and proposes an
English (``english``: "Southeast Aleppo") for an editor to confirm. The word lists below are
that knowledge; the matcher's headline rule is shared.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from translate.terms.matcher import LETTER_WORD, is_acronym, shouting
from translate.terms.values import Suggestion, SuggestionKind
from translate.text.segment import split_sentences

if TYPE_CHECKING:
    from translate.terms.glossary import Glossary
    from translate.terms.values import Match

__all__ = ["BARE_CLITICS", "CLITICS", "COMPASS", "HEADS", "PREFIXES", "english", "suggest"]

# Indonesian clitics and prefixes written with a hyphen around a name. A hyphen is a word
# boundary for matching, so the matcher needs no special case for them; suggest() strips them.
CLITICS = ("nya", "ku", "mu", "lah", "kah", "pun", "tah")
# Written without a hyphen ("Serbianya") they are part of the word: suggest() reads the name
# left when that is capitalised and has 3+ letters. -nya and -pun always, the others (which
# more names end in: "Shinjuku") only when the article also has the name standing alone.
BARE_CLITICS = ("nya", "pun", "lah", "kah", "ku", "mu")
_FREE_CLITICS = frozenset({"nya", "pun"})
# Names that end in a clitic's letters.
_KEEP_WHOLE = frozenset({"Chechnya", "Catalunya"})
PREFIXES = ("se", "anti", "pro", "pasca", "pra", "non", "eks", "ex", "antar", "ke")


# Compass words follow the name in Indonesian and lead it in English: "Jawa Barat" is "West
# Java", "Aleppo Tenggara" "Southeast Aleppo". "Tengah" (central) works the same way ("Jawa
# Tengah", "Afrika Tengah"). On their own they are directions, never names.
COMPASS: Mapping[str, str] = {
    "Utara": "North",
    "Selatan": "South",
    "Timur": "East",
    "Barat": "West",
    "Tenggara": "Southeast",
    "Barat Daya": "Southwest",
    "Timur Laut": "Northeast",
    "Barat Laut": "Northwest",
    "Tengah": "Central",
}
# Geographic heads whose English is a fixed pattern around the rest of the name ("Sungai
# Musi" is "Musi River"). Only patterns that hold for nearly every name; an editor confirms.
HEADS: Mapping[str, str] = {
    "Sungai": "{} River",
    "Gunung": "Mount {}",
    "Danau": "Lake {}",
    "Pulau": "{} Island",
    "Kepulauan": "{} Islands",
    "Laut": "{} Sea",
}
# Names that end in a compass word (or are two of them) but are not "name + direction".
_FIXED: Mapping[str, str] = {
    "Timur Tengah": "Middle East",
    "Timur Jauh": "Far East",
    "Nusa Tenggara": "Nusa Tenggara",
}
_COMPASS_WORDS = "|".join(sorted(COMPASS, key=len, reverse=True))
# A compass word right after a name ("Suriah| Utara"), and a form made of compass words only.
_COMPASS_AFTER = re.compile(rf" (?:{_COMPASS_WORDS})(?![^\W_])")
_ONLY_COMPASS = re.compile(rf"(?:{_COMPASS_WORDS})(?: (?:{_COMPASS_WORDS}))*")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lowercase words allowed inside a name between capitalised words: "Abdullah bin Abdul Aziz",
# "Robin van Persie", "Maria de Fatima". "al"/"el" are handled as hyphenated ("al-Azhar").
_CONNECTORS = frozenset({"bin", "binti", "van", "der", "von", "de", "da", "del", "dos"})
# "dan" only inside institution names ("Badan Pengawas Obat dan Makanan"); elsewhere it joins
# two names ("Jokowi dan Prabowo").
_DAN_HEADS = _wordset(
    """
    kementerian badan komisi dewan lembaga majelis pusat dinas balai direktorat kantor
    otoritas yayasan persatuan perhimpunan asosiasi ikatan partai universitas institut sekolah
    akademi kamar bank gabungan organisasi himpunan forum bosnia trinidad antigua
    """
)
# Capitalised words that are not names: sentence openers that a name may follow, days, months,
# honorifics, pronouns, abbreviations (Jl., Prof.). They split a capitalised run, never suggested.
_NOT_NAMES = _wordset(
    """
    menurut kata ujar namun sementara selain dalam pada saat di ke dari oleh untuk bagi kepada
    dengan bersama sedangkan adapun kemudian lalu setelah sebelum sejak hingga sampai jika bila
    apabila karena sebab meski meskipun walaupun walau tetapi tapi sebelumnya selanjutnya
    akibatnya bahkan juga ia dia beliau mereka kami kita saya aku anda ini itu hal para sang si
    seorang sebuah salah tak tidak belum sudah masih baca foto editor pewarta reporter
    copyright artikel penulis redaktur yang dan atau agar supaya bagaimana apa siapa mengapa
    kapan berdasarkan terkait mengenai tentang soal sehingga maka pun selama ada semua
    pemerintah warga petugas tuhan kemarin kini tadi besok sejumlah beberapa banyak setiap tiap
    jl jln gg no kav kel kec kab prov prof dr drs dra ir hj kh tn ny bpk rp kol jend
    senin selasa rabu kamis jumat sabtu minggu ahad
    januari februari maret april mei juni juli agustus september oktober november desember
    bapak pak ibu bu saudara saudari sdr mas mbak bang kak tuan nyonya
    """
)
# Common nouns that open sentences before a name ("Pembicaraan Rusia buntu"): at a sentence
# start they are not part of it. Elsewhere they may begin one ("harian Rakyat Merdeka").
_OPENERS = _wordset("pembicaraan perundingan rakyat masyarakat kaum sumber rekan pihak")
# Head words of institutions and places: a name that starts a sentence keeps them even when the
# article also has them in lower case ("Universitas Indonesia" and "di universitas itu").
_NAME_HEADS = (
    _DAN_HEADS
    | {h.lower() for h in HEADS}
    | _wordset(
        """
        kota kabupaten provinsi desa kecamatan teluk selat tentara angkatan kepolisian
        pengadilan mahkamah kejaksaan rumah gedung jalan istana masjid gereja stasiun bandara
        """
    )
)
# Alone, a head word is a common noun: "Jalan" before "TB Simatupang" (an acronym ends the run).
_LONE_HEADS = _NAME_HEADS - {"bosnia", "trinidad", "antigua"}
# All-caps tokens that are units, time zones or company forms rather than names.
_NOT_ACRONYMS = frozenset({"WIB", "WITA", "WIT", "UTC", "GMT", "PT", "CV", "UD", "RT", "RW", "OK"})
_ROMAN = re.compile(r"[IVX]{1,5}")
_DOMAIN = re.compile(r"\.(?:com|co|id|net|org|news|tv)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([^\W_]+)\s+$")
_WORD_CHUNK = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# What a hyphenated chunk of text is, for building names.
_Kind = Literal["name", "acronym", "connector", "dan", "other"]
# In a run, besides those: a glossary name followed by a compass word ("Suriah" in "Suriah
# Utara"), part of the phrase although the glossary covers it.
_RunKind = Literal[_Kind, "covered"]


@dataclass
class _Candidate:
    form: str
    kind: SuggestionKind
    start: int
    end: int
    count: int = 0
    mid: bool = False  # seen somewhere other than a sentence start
    words: int = 1


# An opening quotation mark (after a space, a bracket or a line start) and the letter after it.
_QUOTE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))[“\"‘«]\s*(?=[^\W\d_])", re.MULTILINE)


def _sentence_starts(text: str) -> set[int]:
    """Offsets of the first letter of every sentence (after list markers such as "1."), each
    line split separately: titles and list items end without a full stop. A quotation opens a
    sentence too: its first word is capitalised whatever it is (“Tuhan melindungi …”)."""
    starts = {m.end() for m in _QUOTE_OPEN.finditer(text)}
    offset = 0
    for line in text.split("\n"):
        for s, e in split_sentences(line):
            for k in range(s, e):
                if line[k].isalpha():
                    starts.add(offset + k)
                    break
        offset += len(line) + 1
    return starts


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like titles (mostly capitalised words, no final full stop):
    their capitals mark style, not names."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        body = line.strip().lstrip("#>*-• ").rstrip()
        words = [w for w in LETTER_WORD.findall(body) if w.lower() not in ("di", "dan", "ke")]
        if len(words) >= 3 and body[-1:] not in '.!?:;"”’)':
            capitals = sum(1 for w in words if w[0].isupper())
            if capitals * 5 >= len(words) * 3:
                spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _classify(chunk: str) -> tuple[_Kind, int]:
    """Kind of a hyphenated chunk after trimming clitics and prefixes, and how many leading
    characters were trimmed: 'name', 'acronym', 'connector', 'dan' or 'other'."""
    parts = chunk.split("-")
    trimmed = 0
    while len(parts) > 1 and parts[0].lower() in PREFIXES:
        trimmed += len(parts[0]) + 1
        parts = parts[1:]
    while len(parts) > 1 and parts[-1].lower() in CLITICS:
        parts = parts[:-1]
    word = "-".join(parts)
    lower = word.lower()
    if lower in _CONNECTORS:
        return "connector", trimmed
    if lower == "dan":
        return "dan", trimmed
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "other", trimmed
    if all(c.isupper() for c in letters):
        ok = 2 <= len(letters) <= 6 and word not in _NOT_ACRONYMS and not _ROMAN.fullmatch(word)
        return ("acronym" if ok else "other"), trimmed
    first = parts[0]
    if len(parts) == 2 and parts[1].islower() and parts[0].lower() == parts[1]:
        return "other", trimmed  # a plural, "Rekan-rekan"; a name repeats its capital
    if any(c.isdigit() for c in word):
        return "other", trimmed  # "Rp48", "Covid-19": amounts and codes, not names
    if first[:1].isupper() or (first.lower() in ("al", "el") and len(parts) > 1):
        return "name", trimmed
    return "other", trimmed


def suggest(text: str, glossary: Glossary | None = None, limit: int = 50) -> list[Suggestion]:
    """Proper-noun candidates in `text` that `glossary` does not cover, most frequent first.

    Names are maximal runs of capitalised words separated by single spaces (connectors such as
    ``bin``/``van``/``de`` inside, ``dan`` only after an institution word, ``al-``/``el-``
    names kept whole; clitics, bare or hyphenated, and hyphenated prefixes trimmed). A run
    that starts a sentence or a quotation loses a first word that is a common opener (see
    ``_opener``), and counts only if it has 2+ words or also occurs mid-sentence. Title-case
    lines give no names, nor does a head word alone ("Jalan"). Compass words alone ("Utara",
    "Barat Daya") are never names; after a name they belong to it, a name the glossary covers
    included ("Suriah Utara"). Acronyms are all-caps words of 2–6 letters, not in an all-caps
    headline. With no glossary nothing is excluded.

    Each count is of exactly the form shown: a name inside a longer suggested name counts
    there, not again on its own ("Aleppo Tenggara" ×2 and "Aleppo" ×10 are two suggestions),
    so each count is what a glossary entry of that form would match (leftmost-longest).
    """
    # The text with bare clitics blanked out (same offsets): "Serbia\0\0\0" matches a glossary
    # "Serbia", and the blank ends a name as a hyphenated clitic does.
    view = _detach_clitics(text)
    matches = glossary.find(view) if glossary is not None else []
    masked = [(m.start, m.end) for m in matches]
    # Known forms never count as headline words (see matcher.shouting).
    known: Mapping[str, int] = glossary.index.exact if glossary is not None else {}
    titles = _title_lines(text)
    starts = _sentence_starts(text)
    lowered = {w for w in LETTER_WORD.findall(text) if w[0].islower()}
    found: dict[str, _Candidate] = {}
    run: list[tuple[int, int, _RunKind]] = []  # (start, end, kind) of the current name run

    def add(kind: SuggestionKind, a: int, b: int, words: int) -> None:
        form = " ".join(text[a:b].split())
        cand = found.get(form)
        if cand is None:
            cand = found[form] = _Candidate(form, kind, a, b, words=words)
        cand.count += 1
        cand.mid = cand.mid or a not in starts

    def flush() -> None:
        while run and run[-1][2] != "name":
            run.pop()
        if run and run[0][2] == "name" and run[0][0] in starts:
            rest = next((r for r in run[1:] if r[2] in ("name", "covered")), None)
            span = (rest[0], run[-1][1]) if rest is not None else None
            if _opener(view, text[run[0][0] : run[0][1]], span, lowered):
                del run[0]
                while run and run[0][2] in ("connector", "dan"):
                    del run[0]
        if run:
            add("name", run[0][0], run[-1][1], sum(1 for r in run if r[2] in ("name", "covered")))
        run.clear()

    prev_end = 0
    covered_end = -1  # end of the glossary name just put in the run
    for m in _WORD_CHUNK.finditer(view):
        kind, trimmed = _classify(m.group())
        a, b = m.start() + trimmed, m.end()
        if kind in ("name", "acronym"):
            b = a + len(_strip_clitics(text[a:b]))
        gap = view[prev_end : m.start()]
        prev_end = m.end()
        if m.end() <= covered_end:
            continue  # the rest of that glossary name
        if not gap or gap.strip() or "\n" in gap or trimmed:
            flush()  # names are words separated by spaces only
        word = text[a:b]
        if _overlaps(masked, a, b):
            hit = _covered_name(matches, masked, a)
            if hit is not None and _COMPASS_AFTER.match(view, hit[1]):
                run.append((hit[0], hit[1], "covered"))
                covered_end = hit[1]
            else:
                flush()
            continue
        if _DOMAIN.match(view, m.end()):
            flush()
            continue
        if run and _ROMAN.fullmatch(word):
            run.append((a, b, "name"))  # "Komisi I", "Paus Leo XIV"
            continue
        if kind == "acronym":
            flush()
            if not shouting(text, a, b, known):
                add("acronym", a, b, 1)
        elif kind == "name" and word.lower() not in _NOT_NAMES:
            if _overlaps(titles, a, b) or (len(word) < 2 and not run):
                flush()  # title-case lines and lone initials give no names
                continue
            run.append((a, b, kind))
            if b != m.end():
                flush()  # a clitic closes the name: "Jokowi-lah"
        elif run and (
            kind == "connector"
            or (kind == "dan" and text[run[0][0] : run[0][1]].lower() in _DAN_HEADS)
        ):
            run.append((a, b, kind))
        else:
            flush()
    flush()

    kept = [
        c
        for c in found.values()
        if (c.kind == "acronym" or c.mid or c.words >= 2)
        and not (c.form not in _FIXED and _ONLY_COMPASS.fullmatch(c.form))
        and not (c.words == 1 and c.form.lower() in _LONE_HEADS)
    ]
    # No folding of a lone "Budi" into "Budi Prasetyo": the count is of the form shown, and
    # "Budi" alone needs its own entry to be matched (it is also the word for "virtue").
    kept.sort(key=lambda c: (-c.count, -len(c.form), c.start))
    out = []
    for c in kept[: max(limit, 0)]:
        target, rule = english(c.form, glossary) if c.kind == "name" else (c.form, "as is")
        out.append(
            Suggestion(c.form, c.count, _context(text, c.start, c.end), c.kind, target, rule)
        )
    return out


def english(form: str, glossary: Glossary | None = None) -> tuple[str, str]:
    """A proposed English for the name `form` and how it was made: ``(target, rule)``.

    A compass word moves to the front ("Korea Utara" → "North Korea"), a geographic head takes
    its English pattern ("Gunung Semeru" → "Mount Semeru"), and a part the glossary has as a
    whole takes its target ("Suriah" in "Suriah Utara" → "North Syria"); any other name stays
    as it is. The rule is ``"as is"`` or the steps, joined by ``"; "``.
    """
    rules: list[str] = []

    def render(part: str) -> str:
        fixed = _FIXED.get(part)
        if fixed is not None:
            if fixed != part:
                rules.append(f"{part} = {fixed}")
            return fixed
        words = part.split(" ")
        # The head before the compass word: "Laut Cina Selatan" is "South China Sea".
        if len(words) > 1 and words[0] in HEADS:
            pattern = HEADS[words[0]]
            rules.append(f"{words[0]} X = {pattern.format('X')}")
            return pattern.format(render(" ".join(words[1:])))
        for n in (2, 1):  # "Barat Daya" before "Daya"
            tail = " ".join(words[-n:])
            if len(words) > n and tail in COMPASS:
                rules.append(f"compass word: {tail} = {COMPASS[tail]}")
                return f"{COMPASS[tail]} {render(' '.join(words[:-n]))}"
        if part in COMPASS:  # the rest of a head: "Laut Utara" is "North Sea"
            rules.append(f"compass word: {part} = {COMPASS[part]}")
            return COMPASS[part]
        if glossary is not None and part != form:
            found = glossary.find(part)
            if len(found) == 1 and (found[0].start, found[0].end) == (0, len(part)):
                target = found[0].entry.target
                rules.append(f"glossary: {part} = {target}")
                return target
        return part

    target = render(" ".join(form.split()))
    return target, "; ".join(rules) or "as is"


def _detach_clitics(text: str) -> str:
    """`text` with the bare clitics of names replaced by NUL characters (see BARE_CLITICS)."""
    words = set(LETTER_WORD.findall(text))
    chars: list[str] | None = None
    for m in _WORD_CHUNK.finditer(text):
        start = m.start() + m.group().rfind("-") + 1  # the last part of "pro-Serbianya"
        word = text[start : m.end()]
        base = _bare_name(word, words)
        if base is not None:
            if chars is None:
                chars = list(text)
            chars[start + len(base) : m.end()] = "\0" * (len(word) - len(base))
    return "".join(chars) if chars is not None else text


def _bare_name(word: str, words: set[str]) -> str | None:
    """The name in `word` before a bare clitic ("Serbianya" → "Serbia"), or None."""
    if word in _KEEP_WHOLE or word.lower() in _NOT_NAMES:
        return None
    for clitic in BARE_CLITICS:
        base = word[: -len(clitic)]
        if not word.endswith(clitic) or len(base) < 3 or not base.isalpha():
            continue
        if not base[0].isupper() or not (base[1:].islower() or base.isupper()):
            continue  # "Serbia", "KPK"; not "McDonald" nor lower-case words
        if clitic == "lah" and base.endswith("l"):
            continue  # Arabic names in -llah: "Abdullah", "Nasrullah"
        if clitic in _FREE_CLITICS or base in words:
            return base
    return None


def _opener(text: str, word: str, rest: tuple[int, int] | None, lowered: set[str]) -> bool:
    """Whether `word`, capitalised at a sentence start before the rest of a run (`rest`, a
    span), is a common word rather than part of the name.

    A known opener is; a word the article also has in lower case is when nothing follows it
    or when what follows also occurs without it ("Pembicaraan Rusia" where "Rusia" stands
    alone elsewhere), so that "Pengadilan Negeri Jakarta" is not cut to "Negeri Jakarta".
    Head words of institutions and places never are.
    """
    low = word.lower()
    if low in _NAME_HEADS:
        return False
    if low in _OPENERS:
        return True
    if low not in lowered:
        return False
    if rest is None:
        return True
    phrase = text[rest[0] : rest[1]]
    for hit in re.finditer(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])", text):
        if hit.start() == rest[0]:
            continue
        before = _WORD_BEFORE.search(text, max(0, hit.start() - 40), hit.start())
        if before is None or before.group(1).lower() != low:
            return True
    return False


def _covered_name(
    matches: list[Match], spans: list[tuple[int, int]], a: int
) -> tuple[int, int] | None:
    """The span of the glossary match starting at `a` when it is a name (capitalised, not an
    acronym), else None."""
    k = bisect.bisect_left(spans, (a, -1))
    if k == len(spans) or spans[k][0] != a:
        return None
    form = matches[k].form
    return spans[k] if form[:1].isupper() and not is_acronym(form) else None


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) overlaps any of the sorted, non-overlapping spans."""
    k = bisect.bisect_right(spans, (a, sys.maxsize)) - 1
    if k >= 0 and spans[k][1] > a:
        return True
    return k + 1 < len(spans) and spans[k + 1][0] < b


def _strip_clitics(word: str) -> str:
    parts = word.split("-")
    while len(parts) > 1 and parts[-1].lower() in CLITICS:
        parts.pop()
    return "-".join(parts)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    """About `width` characters of text around text[start:end], on one line."""
    pad = max(10, (width - (end - start)) // 2)
    a, b = max(0, start - pad), min(len(text), end + pad)
    snippet = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + snippet + ("…" if b < len(text) else "")
