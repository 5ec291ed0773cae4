"""Sentence splitter: the frozen Indonesian test set, span-contract properties, split_long."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.text.segment import split_long, split_sentences

DATA = Path(__file__).parents[1] / "data" / "sentences.jsonl"

# Test-set cases the splitter is known to get wrong: {case id: reason}. Each becomes a strict
# xfail, so fixing one makes the suite fail until it is removed from here.
KNOWN_FAILURES: dict[str, str] = {}


def _load() -> list[dict[str, Any]]:
    """Test-set records, each with `spans`: where its expected sentences lie in `text`."""
    records = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rec: dict[str, Any] = json.loads(line)
        spans, pos = [], 0
        for sentence in rec["sentences"]:
            start = rec["text"].index(sentence, pos)
            spans.append((start, start + len(sentence)))
            pos = start + len(sentence)
        rec["spans"] = spans
        records.append(rec)
    return records


CASES = _load()


def _params() -> list[Any]:
    return [
        pytest.param(
            rec,
            id=rec["id"],
            marks=(
                [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[rec["id"]])]
                if rec["id"] in KNOWN_FAILURES
                else []
            ),
        )
        for rec in CASES
    ]


def assert_span_contract(text: str, spans: list[tuple[int, int]]) -> None:
    """Ordered, non-empty, stripped spans separated (and surrounded) only by whitespace."""
    if not text.strip():
        assert spans == []
        return
    assert spans, "non-blank text must give at least one span"
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text), (pos, start, end)
        assert text[pos:start].strip() == "", f"non-whitespace gap {text[pos:start]!r}"
        piece = text[start:end]
        assert piece == piece.strip(), f"unstripped span {piece!r}"
        pos = end
    assert text[pos:].strip() == ""


# --- the frozen test set --------------------------------------------------------------------


def test_test_set_is_well_formed() -> None:
    ids = [rec["id"] for rec in CASES]
    assert len(ids) == len(set(ids))
    boundaries = sum(len(rec["sentences"]) - 1 for rec in CASES)
    assert boundaries >= 200
    per_phenomenon = Counter(rec["phenomenon"] for rec in CASES)
    assert len(per_phenomenon) >= 15 and min(per_phenomenon.values()) >= 5
    for rec in CASES:
        assert_span_contract(rec["text"], rec["spans"])


@pytest.mark.parametrize("case", _params())
def test_test_set_case(case: dict[str, Any]) -> None:
    got = split_sentences(case["text"])
    assert [case["text"][a:b] for a, b in got] == case["sentences"]


def test_test_set_boundary_recall_and_precision() -> None:
    """At least 99% of boundaries found, and as few spurious ones, over the whole set."""
    tp = fp = fn = 0
    for rec in CASES:
        expected = {end for _, end in rec["spans"][:-1]}
        got = {end for _, end in split_sentences(rec["text"])[:-1]}
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
    assert tp / (tp + fn) >= 0.99
    assert tp / (tp + fp) >= 0.99


# --- split_sentences: examples and properties -----------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t \r\n", "\u00a0\u2028"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_spans_are_offsets_into_the_original_text() -> None:
    text = "  Polisi menangkap dua pelaku.\n Keduanya sudah ditahan.  "
    assert split_sentences(text) == [(2, 30), (32, 55)]


def test_newline_alone_is_not_a_boundary() -> None:
    text = "Judul Berita Tanpa Titik\nJakarta (ANTARA) - Isi berita."
    assert split_sentences(text) == [(0, len(text))]


# Letters with Indonesian-news punctuation, quotes, brackets, digits, odd whitespace and a few
# non-Latin characters; plus whole tokens that exercise the abbreviation rules.
_ALPHABET = st.sampled_from(
    [
        *"aAbBdDiIkKsSzZ019 .,;:!?…-–—\"'“”‘’()[]/@•\n\t\r",
        *("\u00a0", "\u2028", "\x1c", "é", "ß", "İ", "ı", "ﬁ", "日", "😀", "\u0301"),
    ]
)
_TRAPS = "Jl. dr. dll. dkk. S.H. B.J. 1. 12. Rp6.450 17.30 s.d. iPhone e-KTP kompas.id (Ant) C."
_WORDS = st.sampled_from(
    [*_TRAPS.split(), "“Kami", "siap.”", "...", "…", "?!", "Ia", "yang", "—", "-", ";", "\n", "  "]
)
TEXTS = st.one_of(
    st.text(_ALPHABET, max_size=120),
    st.lists(st.one_of(_WORDS, st.text(_ALPHABET, max_size=6)), max_size=40).map(" ".join),
    st.text(max_size=80),
)


@settings(deadline=None, max_examples=400)
@given(TEXTS)
def test_split_sentences_span_contract(text: str) -> None:
    assert_span_contract(text, split_sentences(text))


_ENDS_SENTENCE = [c["text"] for c in CASES if c["text"].rstrip("\"'”’)]")[-1] in ".!?…"]


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from(_ENDS_SENTENCE), min_size=1, max_size=4), st.sampled_from(" \n"))
def test_split_sentences_is_local(texts: list[str], sep: str) -> None:
    """Cases that end a sentence split the same way when run together."""
    text = sep.join(texts)
    expected = [s for piece in texts for a, b in split_sentences(piece) for s in [piece[a:b]]]
    assert [text[a:b] for a, b in split_sentences(text)] == expected


# --- split_long ------------------------------------------------------------------------------


def fake_count(piece: str) -> int:
    """A stand-in tokenizer: words plus a quarter token per character; grows with length."""
    return len(piece.split()) + len(piece) // 4


class CountingTokenizer:
    """Wraps a token counter and records how often it is called."""

    def __init__(self, count: Callable[[str], int] = fake_count) -> None:
        self.count = count
        self.calls = 0

    def __call__(self, piece: str) -> int:
        self.calls += 1
        return self.count(piece)


@settings(deadline=None, max_examples=400)
@given(TEXTS, st.integers(min_value=1, max_value=30))
def test_split_long_span_contract_and_budget(text: str, max_tokens: int) -> None:
    tokenizer = CountingTokenizer()
    spans = split_long(text, tokenizer, max_tokens)
    assert_span_contract(text, spans)
    for a, b in spans:
        # With this counter a single character is one token, so the budget is always feasible.
        assert fake_count(text[a:b]) <= max_tokens, text[a:b]
    # O(pieces × log n) calls to the (possibly slow) tokenizer, not one per character.
    log_n = math.log2(len(text) + 2)
    assert tokenizer.calls <= 1 + len(spans) * (6 * log_n + 8)


@settings(deadline=None, max_examples=200)
@given(TEXTS, st.integers(min_value=-1, max_value=3))
def test_split_long_contract_with_impossible_budget(text: str, max_tokens: int) -> None:
    """A counter where even one character exceeds the budget still yields a valid cover."""
    spans = split_long(text, lambda s: len(s) + 5, max_tokens)
    assert_span_contract(text, spans)


def test_split_long_within_budget_returns_stripped_extent() -> None:
    text = "  Harga cabai naik, kata pedagang.\n"
    assert split_long(text, fake_count, 100) == [(2, 34)]
    assert split_long(" \n ", fake_count, 5) == []


def test_split_long_prefers_clause_punctuation() -> None:
    text = (
        "Pemerintah menyiapkan tenda dan dapur umum, relawan membagikan makanan kepada warga; "
        "sementara itu polisi mengatur lalu lintas di sekitar lokasi – dan hujan terus turun."
    )

    def words(s: str) -> int:
        return len(s.split())

    assert [text[a:b] for a, b in split_long(text, words, 12)] == [
        "Pemerintah menyiapkan tenda dan dapur umum, relawan membagikan makanan kepada warga;",
        "sementara itu polisi mengatur lalu lintas di sekitar lokasi –",
        "dan hujan terus turun.",
    ]
    # A clause over budget is cut at words inside it, evenly, not across its end.
    assert [text[a:b] for a, b in split_long(text, words, 8)] == [
        "Pemerintah menyiapkan tenda dan dapur umum,",
        "relawan membagikan makanan kepada warga;",
        "sementara itu polisi mengatur lalu",
        "lintas di sekitar lokasi –",
        "dan hujan terus turun.",
    ]


def test_split_long_balances_word_windows() -> None:
    text = " ".join(f"kata{i}" for i in range(10))
    pieces = [text[a:b] for a, b in split_long(text, lambda s: len(s.split()), 6)]
    assert [len(p.split()) for p in pieces] == [5, 5]


def test_split_long_avoids_a_leading_scrap_clause() -> None:
    text = "Menurut dia, " + " ".join(f"kata{i}" for i in range(30))
    pieces = [text[a:b] for a, b in split_long(text, lambda s: len(s.split()), 10)]
    assert all(len(p.split()) >= 6 for p in pieces)
    assert all(len(p.split()) <= 10 for p in pieces)


def test_split_long_cuts_a_long_run_by_characters() -> None:
    text = "https://example.com/" + "x" * 200
    spans = split_long(text, lambda s: len(s) // 10 + 1, 5)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all((b - a) // 10 + 1 <= 5 for a, b in spans)
    assert len(spans) <= math.ceil(len(text) / 49) + 1


def test_split_long_calls_the_tokenizer_logarithmically() -> None:
    text = " ".join(f"kata{i}," for i in range(2000))
    tokenizer = CountingTokenizer(lambda s: len(s.split()))
    spans = split_long(text, tokenizer, 100)
    assert len(spans) == 20
    assert tokenizer.calls < 20 * 40
