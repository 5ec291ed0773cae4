"""Surface checks: ``empty``, ``untranslated``, ``repetition``, ``indonesian`` (words left in
the English), ``brackets`` (quotes and brackets balanced) and ``spacing``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from translate.review.qa.base import ERROR, WARNING, Finding, Pair, pair_check
from translate.review.qa.entities import entities, mask
from translate.review.qa.words import is_name, word_spans, wordset


@pair_check("empty", ERROR, order=40, stage="empty")
def empty(pair: Pair) -> list[Finding]:
    """No English for a non-empty source."""
    return [(ERROR, f"no English for a source of {len(pair.source.strip())} characters")]


# Indonesian function words (and a few very common words) that are not English words.
INDONESIAN = wordset(
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


@pair_check("indonesian", WARNING, order=70, stage="translated")
def indonesian(pair: Pair) -> list[Finding]:
    """Indonesian function words left in the English (yang, dan, untuk…).

    Indonesian function words left in the English, outside names and kept quotations."""
    source, target = pair.source, pair.target
    text = mask(target, entities(target))
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
    text = mask(text, kept)
    words = word_spans(text)
    hits: list[str] = []
    for k, (word, _) in enumerate(words):
        low = word.lower()
        if low not in INDONESIAN:
            continue
        if is_name(word):
            # Capitalised: part of a name ("Dan", "Para"), except a leftover opening word that
            # is not an English name.
            if k != 0 or low in ("dan", "di", "dari", "para", "yang", "ia"):
                continue
        else:
            # Between two capitalised words it joins a kept name: "Badan Obat dan Makanan".
            prev = words[k - 1][0] if k > 0 else ""
            nxt = words[k + 1][0] if k + 1 < len(words) else ""
            if is_name(prev) and is_name(nxt) and low in ("dan", "di", "untuk", "dari", "ke"):
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


@pair_check("untranslated", WARNING, order=50, stage="gate")
def untranslated(pair: Pair) -> list[Finding]:
    """English that is the Indonesian source (nearly) unchanged.

    English that is the source left (nearly) as is; the checks of translations then skip it."""
    source, target = pair.source, pair.target
    src, tgt = _flat(source), _flat(target)
    words = [w for w, _ in word_spans(source)]
    # Names, numbers and codes are the same in both languages: only prose can be untranslated,
    # and prose has function words or, failing those, several lowercase words.
    lower = [w for w in words if not is_name(w) and len(w) >= 3]
    if len(words) < 3 or not (any(w.lower() in INDONESIAN for w in words) or len(lower) >= 3):
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


@pair_check("repetition", WARNING, order=60)
def repetition(pair: Pair) -> list[Finding]:
    """A word or phrase looping (three times in a row, or a phrase of four words or more
    said four times).

    A decoder loop: a phrase repeated where the source does not repeat itself."""
    source, target = pair.source, pair.target
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


@pair_check("brackets", WARNING, order=80)
def brackets(pair: Pair) -> list[Finding]:
    """Quotes or brackets balanced differently from the source."""
    source, target = pair.source, pair.target
    src, tgt = _balance(source), _balance(target)
    out: list[Finding] = []
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


@pair_check("spacing", WARNING, order=100)
def spacing(pair: Pair) -> list[Finding]:
    """Doubled spaces, a space before punctuation, doubled punctuation."""
    source, target = pair.source, pair.target
    # Entities become letters, not spaces: "at https://x.id." must not read as "at  .".
    src = mask(source, entities(source), "x")
    tgt = mask(target, entities(target), "x")
    out: list[Finding] = []
    for pattern, what in _SPACING:
        m = pattern.search(tgt)
        if m and not pattern.search(src):
            a = max(0, m.start() - 15)
            context = target[a : m.end() + 15].replace("\n", " ")
            out.append((WARNING, f"{what} in the English: “…{context}…”"))
    return out
