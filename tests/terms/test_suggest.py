"""Suggestions: names and acronyms of an article that the glossary lacks."""

from __future__ import annotations

from typing import Any

import pytest

from translate.terms.glossary import Glossary
from translate.terms.suggest import suggest

from .conftest import DATA


def test_suggest_on_article() -> None:
    text = (DATA / "articles" / "antara-style.txt").read_text(encoding="utf-8")
    found = {s.form: s for s in suggest(text, Glossary.default())}
    assert {"Hendra Wibisono", "Budi Prasetyo", "Rina Kusumawati"} <= set(found)
    assert found["Budi Prasetyo"].count == 2  # "Menurut Budi" counts for the full name
    assert found["ANTARA"].kind == "acronym"
    assert "Budi Prasetyo" in found["Budi Prasetyo"].context
    assert len(found["Hendra Wibisono"].context) <= 70
    for absent in (
        "KPK",
        "Komisi Pemberantasan Korupsi",
        "Selasa",
        "Jl",
        "Prof",
        "Saksi",
        "Menurut",
    ):
        assert absent not in found
    ranked = suggest(text, Glossary.default(), limit=3)
    assert len(ranked) == 3 and ranked[0].count >= ranked[-1].count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kata dia, Badan Pengawas Obat dan Makanan memeriksa.",
            ["Badan Pengawas Obat dan Makanan"],
        ),
        ("Ia bertemu Jokowi dan Prabowo kemarin.", ["Jokowi", "Prabowo"]),
        ("Ulama itu, Abdullah bin Abdul Aziz, tiba.", ["Abdullah bin Abdul Aziz"]),
        ("Relawan pro-Jokowi-lah yang datang.", ["Jokowi"]),
        ("RAPAT BRANI DIGELAR HARI INI", []),
        ("Mereka ke Universitas al-Azhar pekan lalu.", ["Universitas al-Azhar"]),
        ("Budi datang. Ia pulang.", []),  # one word at a sentence start only
        ("Dalam rapat di Gedung Nusantara II hari ini.", ["Gedung Nusantara II"]),
        ("Harga Rp48 miliar pada Senin pukul 10.00 WIB.", []),
    ],
)
def test_suggest_cases(text: str, expected: list[str]) -> None:
    assert sorted(s.form for s in suggest(text)) == sorted(expected)


# (text, glossary rows or None, {form: proposed English})
TARGET_CASES: list[tuple[str, list[dict[str, Any]] | None, dict[str, str]]] = [
    ("Ia bertemu Lavrov dan FAO.", None, {"Lavrov": "Lavrov", "FAO": "FAO"}),
    ("Militer masuk ke Aleppo Tenggara.", None, {"Aleppo Tenggara": "Southeast Aleppo"}),
    ("Ia mengunjungi Korea Utara.", None, {"Korea Utara": "North Korea"}),
    (
        "Ia ke Papua Barat Daya dan Asia Timur Laut.",
        None,
        {"Papua Barat Daya": "Southwest Papua", "Asia Timur Laut": "Northeast Asia"},
    ),
    ("Ia ke Jawa Tengah.", None, {"Jawa Tengah": "Central Jawa"}),
    (
        "Ia ke Nusa Tenggara Timur dan Nusa Tenggara.",
        None,
        {"Nusa Tenggara Timur": "East Nusa Tenggara", "Nusa Tenggara": "Nusa Tenggara"},
    ),
    ("Ia ke Timur Tengah.", None, {"Timur Tengah": "Middle East"}),
    # geographic heads
    ("Banjir di Sungai Musi.", None, {"Sungai Musi": "Musi River"}),
    ("Ia melihat letusan Gunung Semeru.", None, {"Gunung Semeru": "Mount Semeru"}),
    (
        "Ia berwisata ke Danau Toba dan Pulau Rempang.",
        None,
        {"Danau Toba": "Lake Toba", "Pulau Rempang": "Rempang Island"},
    ),
    ("Warga Kepulauan Riau.", None, {"Kepulauan Riau": "Riau Islands"}),
]


@pytest.mark.parametrize(("text", "rows", "expected"), TARGET_CASES)
def test_suggest_proposes_english(
    text: str, rows: list[dict[str, Any]] | None, expected: dict[str, str]
) -> None:
    glossary = Glossary.from_entries(rows, name="test") if rows is not None else None
    assert {s.form: s.target for s in suggest(text, glossary)} == expected


def test_suggest_excludes_glossary(glossary: Glossary) -> None:
    text = "Menteri itu bertemu PBB dan Lavrov. Ia juga menemui FAO dan Lavrov."
    # "Menteri" only starts a sentence; PBB and Lavrov are in the glossary.
    assert [(s.form, s.kind, s.count) for s in suggest(text, glossary)] == [("FAO", "acronym", 1)]
