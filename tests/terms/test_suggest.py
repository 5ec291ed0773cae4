"""Suggestions: names and acronyms of an article that the glossary lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translate.terms.glossary import Glossary
from translate.terms.suggest import suggest

from .conftest import DATA

# The user's sample article (issue #19 item 11); the excerpts below carry what the tests need.
SAMPLE = Path("/work/shared/samples/aktual-aleppo.txt")
# Excerpts of that article, verbatim.
ALEPPO_QUOTES = (
    "“Tuhan, Suriah dan hanya Bashar”, “Dengan jiwa dan darah kami berkorban buat Suriah” dan "
    "“Tuhan melindungi militer”, itu lah slogan yang diteriakkan oleh rakyat di Aleppo, dalam "
    "dukungan buat militer."
)
ALEPPO_SERBIA = (
    "“Rekan-rekan Amerika kami, menyampaikan, setuju dengan itu,” kata Lavrov kepada wartawan "
    "pada konferensi pers dengan timpalan Serbianya pada Senin."
)
ALEPPO_NORTH = (
    "Sebelumnya dikabarkan Xinhua bahwa rakyat turun ke jalan-jalan di seluruh Kota Aleppo di "
    "Suriah Utara pada Senin malam (12/12) untuk merayakan kemenangan militer Suriah."
)
ALEPPO_SOUTHEAST = (
    "Pada Senin pagi, militer Suriah merebut kembali Permukiman Sheikh Saeed, yang strategis, "
    "dan permukiman lain di Aleppo Tenggara. Warga lokal dilaporkan mengatakan militer "
    "menguasai 99 persen Aleppo.\n\n"
    "Pada Senin malam, para pegiat juga mengatakan gerilyawan telah mundur dari Permukiman "
    "Kalasseh, permukiman utama terakhir di Aleppo Tenggara."
)
ALEPPO_OPENING = (
    "Pembicaraan Rusia dengan Amerika soal Suriah buntu.\n\n"
    "Menteri Luar Negeri Rusia Sergei Lavrov mengatakan pembicaraan dengan Amerika Serikat "
    "terkait Suriah mengalami kebuntuan."
)


def test_suggest_on_article() -> None:
    text = (DATA / "articles" / "antara-style.txt").read_text(encoding="utf-8")
    found = {s.form: s for s in suggest(text, Glossary.default())}
    assert {"Hendra Wibisono", "Budi Prasetyo", "Rina Kusumawati"} <= set(found)
    # Each count is of the phrase shown: "Menurut Budi" is "Budi", listed on its own.
    assert found["Budi Prasetyo"].count == 1
    assert found["Budi"].count == 1
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


# (text, the forms suggested with no glossary)
FORM_CASES: list[tuple[str, list[str]]] = [
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
    (
        "Macet di Jalan TB Simatupang dan Jalan Daan Mogot.",
        ["TB", "Simatupang", "Jalan Daan Mogot"],
    ),
    ("Ia ke Bosnia, lalu ke Bosnia dan Herzegovina.", ["Bosnia", "Bosnia dan Herzegovina"]),
    # compass words are never names on their own; with a name they make the phrase
    ("Angin bertiup dari Utara ke Selatan, lalu ke Barat Daya.", []),
    ("Tenggara dan Timur Laut sepi.", []),
    ("Pasukan maju ke Aleppo Tenggara dan ke Korea Utara.", ["Aleppo Tenggara", "Korea Utara"]),
]


@pytest.mark.parametrize(("text", "expected"), FORM_CASES)
def test_suggest_cases(text: str, expected: list[str]) -> None:
    assert sorted(s.form for s in suggest(text)) == sorted(expected)


# (text, the suggestions (form, count) with no glossary): each count is of the phrase shown; a
# name inside a longer suggested phrase counts there, not again on its own
COUNT_CASES: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Aleppo Tenggara dikuasai. Militer masuk ke Aleppo Tenggara dan Aleppo.",
        [("Aleppo Tenggara", 2), ("Aleppo", 1)],
    ),
    ("Menurut Budi, Budi Prasetyo benar.", [("Budi", 1), ("Budi Prasetyo", 1)]),
    (
        "Di Sulawesi Tenggara dan Nusa Tenggara Timur.",
        [("Nusa Tenggara Timur", 1), ("Sulawesi Tenggara", 1)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), COUNT_CASES)
def test_suggest_counts_the_phrase_shown(text: str, expected: list[tuple[str, int]]) -> None:
    assert sorted((s.form, s.count) for s in suggest(text)) == sorted(expected)


# (text, the forms suggested with no glossary): a capitalised word opening a sentence (or a
# quotation) is not a name when it is a known common word or also occurs in lower case
OPENER_CASES: list[tuple[str, list[str]]] = [
    # God, "yesterday", "talks", "colleagues"
    ("“Tuhan, lindungi kami,” kata warga. Mereka berdoa kepada Tuhan.", []),
    ("Kemarin Budi Hartono bertemu wartawan. Budi Hartono lalu pulang.", ["Budi Hartono"]),
    ("Pembicaraan Rusia buntu. Lalu pembicaraan dengan Rusia berlanjut.", ["Rusia"]),
    ("Rekan-rekan Amerika kami setuju.", ["Amerika"]),
    ("Warga Bora-Bora tiba.", ["Bora-Bora"]),  # a reduplicated name keeps its capital
    # a quotation opens a sentence: "Saksi" there is an opener, as after a full stop
    ("Ia berkata, “Saksi hadir di sini.”", []),
    # lower case elsewhere, but what follows never stands alone: the name is kept whole
    (
        "Pengadilan Negeri Jakarta menolak. Sidang di pengadilan itu usai.",
        ["Pengadilan Negeri Jakarta"],
    ),
    # an institution's head word is kept even when it also occurs in lower case
    (
        "Universitas Indonesia menolak. Ia kuliah di universitas Indonesia.",
        ["Universitas Indonesia", "Indonesia"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), OPENER_CASES)
def test_suggest_skips_common_openers(text: str, expected: list[str]) -> None:
    assert sorted(s.form for s in suggest(text)) == sorted(expected)


# (text, the suggestions (form, count) with no glossary): clitics written without a hyphen
# count under the name, where what is left is a name of 3+ letters
CLITIC_CASES: list[tuple[str, list[tuple[str, int]]]] = [
    ("Lavrov bertemu timpalan Serbianya di Beograd.", [("Serbia", 1), ("Beograd", 1)]),
    ("Ia dan timpalan Serbianya tiba di Serbia.", [("Serbia", 2)]),
    ("Juru bicara KPKnya menolak.", [("KPK", 1)]),
    ("Warga Kenya dan Chechnya berkumpul.", [("Kenya", 1), ("Chechnya", 1)]),  # names in -nya
    ("Kata Jokowi, Jokowilah yang memutuskan.", [("Jokowi", 2)]),
    ("Ia memuji Abdullah dan Abdul.", [("Abdullah", 1), ("Abdul", 1)]),  # Arabic -llah
    # -lah, -kah, -ku, -mu only where the name also stands alone: "Shinjuku" is a name
    ("Ia tinggal di Shinjuku.", [("Shinjuku", 1)]),
    ("Ia menyebutnya Jakartaku; Jakarta memang rumahnya.", [("Jakarta", 2)]),
    ("Ia menyebutnya Tonyaku.", [("Tonyaku", 1)]),
]


@pytest.mark.parametrize(("text", "expected"), CLITIC_CASES)
def test_suggest_counts_names_under_clitics(text: str, expected: list[tuple[str, int]]) -> None:
    assert sorted((s.form, s.count) for s in suggest(text)) == sorted(expected)


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
    # the glossary's English for the name, the compass word in front
    (
        "Ia mengunjungi Jawa Barat.",
        [{"source": "Jawa", "target": "Java"}],
        {"Jawa Barat": "West Java"},
    ),
    (
        "Perang di Suriah Utara.",
        [{"source": "Suriah", "target": "Syria"}],
        {"Suriah Utara": "North Syria"},
    ),
    (
        "Kapal di Laut Cina Selatan.",
        [{"source": "Cina", "target": "China"}],
        {"Laut Cina Selatan": "South China Sea"},
    ),
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


def test_glossary_covers_the_name_under_a_clitic(glossary: Glossary) -> None:
    # "Jokowi" is in the glossary: "Jokowinya" is covered too.
    assert suggest("Relawan Jokowinya datang.", glossary) == []


def test_compass_after_a_glossary_name(glossary: Glossary) -> None:
    (found,) = suggest("Ia lahir di Jerman Barat.", glossary)
    assert (found.form, found.target, found.count) == ("Jerman Barat", "West Germany", 1)
    assert found.rule  # says how the English was made


# (excerpt of the sample article, forms suggested with the default glossary)
SAMPLE_CASES: list[tuple[str, list[str]]] = [
    (ALEPPO_QUOTES, ["Bashar", "Aleppo"]),
    (ALEPPO_SERBIA, ["Lavrov", "Serbia"]),
    (ALEPPO_NORTH, ["Xinhua", "Kota Aleppo", "Suriah Utara"]),
    (
        ALEPPO_SOUTHEAST,
        ["Permukiman Sheikh Saeed", "Permukiman Kalasseh", "Aleppo Tenggara", "Aleppo"],
    ),
    (ALEPPO_OPENING, ["Sergei Lavrov"]),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLE_CASES)
def test_suggest_on_sample_excerpts(text: str, expected: list[str]) -> None:
    assert sorted(s.form for s in suggest(text, Glossary.default())) == sorted(expected)


def test_sample_excerpt_counts_and_english() -> None:
    found = {s.form: s for s in suggest(ALEPPO_SOUTHEAST, Glossary.default())}
    assert (found["Aleppo Tenggara"].count, found["Aleppo Tenggara"].target) == (
        2,
        "Southeast Aleppo",
    )
    assert found["Aleppo"].count == 1
    (north,) = [s for s in suggest(ALEPPO_NORTH, Glossary.default()) if s.form == "Suriah Utara"]
    assert north.target == "North Syria"


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared sample article is not here")
def test_suggest_on_sample_article() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    found = {s.form: s for s in suggest(text, Glossary.default())}
    for absent in ("Tuhan", "Utara", "Tenggara", "Serbianya"):
        assert absent not in found
    assert found["Serbia"].count == 1
    assert found["Aleppo Tenggara"].count == 2
    assert found["Aleppo"].count == text.count("Aleppo") - 2 - 1  # less the phrases, Kota Aleppo
    assert found["Suriah Utara"].target == "North Syria"
