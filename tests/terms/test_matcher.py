"""The matcher: acronyms, case, clitics and prefixes, reduplication, leftmost-longest, speed."""

from __future__ import annotations

import time

import pytest

from translate.terms.glossary import Glossary
from translate.terms.values import Entry, Match

from .conftest import DATA

# (text, expected [(form as found, target)])
MATCH_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # acronyms are exact; never the word "as"
    ("AS dan PBB sepakat", [("AS", "US"), ("PBB", "UN")]),
    ("harga as roda naik", []),
    ("As roda patah", []),
    ("UE dan ue", [("UE", "EU")]),
    # word boundaries by letters and digits
    ("ASEAN dan PBB2 bertemu", []),
    ("2PBB dan PBBx dan PBBé", []),
    # all-caps headlines skip acronyms, title case does not
    ("KPK TANGKAP BUPATI KLATEN", []),
    ("SIDANG PARIPURNA DPR RI", []),
    ("KPK Tangkap Bupati Klaten", [("KPK", "Corruption Eradication Commission (KPK)")]),
    ("KPK menangkap bupati", [("KPK", "Corruption Eradication Commission (KPK)")]),
    ("Sidang DPR RI", [("DPR RI", "House of Representatives (DPR)")]),
    # case sensitivity
    ("Paus dan paus", [("Paus", "Pope")]),
    ("PAUS", []),
    (
        "jerman, JERMAN, Jerman",
        [("jerman", "Germany"), ("JERMAN", "Germany"), ("Jerman", "Germany")],
    ),
    ("Dolar AS menguat, dolar as tidak", [("Dolar AS", "US dollars")]),
    # clitics and prefixes: the match covers the name only
    ("AS-nya", [("AS", "US")]),
    ("KTP-mu hilang", [("KTP", "ID card")]),
    ("KPK-lah yang", [("KPK", "Corruption Eradication Commission (KPK)")]),
    ("Jokowi-pun datang", [("Jokowi", "Jokowi")]),
    ("se-Indonesia", [("Indonesia", "Indonesia")]),
    ("gerakan anti-PKI", [("PKI", "Indonesian Communist Party (PKI)")]),
    ("relawan pro-Jokowi", [("Jokowi", "Jokowi")]),
    ("masa pasca-Reformasi", [("Reformasi", "Reform era")]),
    # reduplication is one match over both halves
    ("PBB-PBB", [("PBB-PBB", "UN")]),
    ("Lembaga-lembaga negara", [("Lembaga-lembaga", "Institution")]),
    # leftmost-longest
    ("pejabat Pemprov DKI Jakarta", [("Pemprov DKI Jakarta", "Jakarta Provincial Government")]),
    ("warga DKI Jakarta", [("DKI Jakarta", "Jakarta")]),
    ("Dewan Keamanan PBB", [("Dewan Keamanan PBB", "UN Security Council")]),
    (
        "Komisi Pemberantasan Korupsi (KPK) memeriksa",
        [("Komisi Pemberantasan Korupsi (KPK)", "Corruption Eradication Commission (KPK)")],
    ),
    (
        "Komisi Pemberantasan Korupsi memeriksa",
        [("Komisi Pemberantasan Korupsi", "Corruption Eradication Commission")],
    ),
    (
        "Komisi Pemberantasan\nKorupsi",
        [("Komisi Pemberantasan\nKorupsi", "Corruption Eradication Commission")],
    ),
    ("Komisi Pemberantasan\n\nKorupsi", []),
    # quotes and brackets
    ("kata “Lavrov", [("Lavrov", "Lavrov")]),
    ("Amerika Serikat (AS)", [("AS", "US")]),
    ("lembaga ‘KPK’ itu", [("KPK", "Corruption Eradication Commission (KPK)")]),
    ('"PBB"', [("PBB", "UN")]),
    # variants report their entry
    ("Suharto dan Pak Harto", [("Suharto", "Suharto"), ("Pak Harto", "Suharto")]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), MATCH_CASES)
def test_find(glossary: Glossary, text: str, expected: list[tuple[str, str]]) -> None:
    matches = glossary.find(text)
    assert [(m.form, m.entry.target) for m in matches] == expected
    for m in matches:
        assert text[m.start : m.end] == m.form


def test_find_offsets_and_order(glossary: Glossary) -> None:
    text = "Menurut AS-nya, PBB dan KPK-lah."
    assert glossary.find(text) == [
        Match(glossary.entries[0], "AS", 8, 10),
        Match(glossary.entries[1], "PBB", 16, 19),
        Match(glossary.entries[3], "KPK", 24, 27),
    ]


def test_find_default_glossary_on_article() -> None:
    text = (DATA / "articles" / "antara-style.txt").read_text(encoding="utf-8")
    found = {m.form for m in Glossary.default().find(text)}
    assert {"Komisi Pemberantasan Korupsi (KPK)", "Pemprov DKI Jakarta", "KPK"} <= found
    assert "DKI Jakarta" not in found  # always inside the longer "Pemprov DKI Jakarta"


def test_find_large_glossary_is_fast() -> None:
    entries = [Entry(f"Nama{i} Lembaga", f"Name {i}") for i in range(20_000)]
    big = Glossary.from_entries([*entries, ("PBB", "UN")])
    text = "Lembaga PBB bertemu Nama123 Lembaga di Jakarta. " * 80  # ~4 KB
    big.find("")  # index
    start = time.perf_counter()
    matches = big.find(text)
    assert time.perf_counter() - start < 0.5
    assert len(matches) == 160
