"""Suggestions: names and acronyms of an article that the glossary lacks."""

from __future__ import annotations

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


def test_suggest_excludes_glossary(glossary: Glossary) -> None:
    text = "Menteri itu bertemu PBB dan Lavrov. Ia juga menemui FAO dan Lavrov."
    # "Menteri" only starts a sentence; PBB and Lavrov are in the glossary.
    assert [(s.form, s.kind, s.count) for s in suggest(text, glossary)] == [("FAO", "acronym", 1)]
