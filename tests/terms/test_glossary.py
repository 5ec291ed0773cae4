"""Glossary: files and validation, merging, round trips, hardened TBX, the matcher, suggestions."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from translate.errors import TranslateError, UsageError
from translate.terms.count import count_target
from translate.terms.glossary import (
    Entry,
    Glossary,
    GlossaryError,
    Match,
    Problem,
    suggest,
)

DATA = Path(__file__).parents[1] / "data"
GLOSSARIES = DATA / "glossaries"
HEADER = "source\ttarget\tcase_sensitive\tvariants\tnote\n"

# --- matching -------------------------------------------------------------------------------

ROWS: list[dict[str, Any]] = [
    {"source": "AS", "target": "US"},
    {"source": "PBB", "target": "UN"},
    {"source": "Dewan Keamanan PBB", "target": "UN Security Council"},
    {
        "source": "KPK",
        "target": "Corruption Eradication Commission (KPK)",
        "variants": "Komisi Pemberantasan Korupsi (KPK)",
    },
    {"source": "Komisi Pemberantasan Korupsi", "target": "Corruption Eradication Commission"},
    {"source": "DKI Jakarta", "target": "Jakarta"},
    {"source": "Pemprov DKI Jakarta", "target": "Jakarta Provincial Government"},
    {"source": "DPR", "target": "House of Representatives (DPR)", "variants": "DPR RI"},
    {"source": "Paus", "target": "Pope"},
    {"source": "Jerman", "target": "Germany", "case_sensitive": "false"},
    {"source": "dolar AS", "target": "US dollars", "case_sensitive": "false"},
    {"source": "UE", "target": "EU", "case_sensitive": "false"},  # acronym: stays exact
    {"source": "Soeharto", "target": "Suharto", "variants": ["Suharto", "Pak Harto"]},
    {"source": "KTP", "target": "ID card"},
    {"source": "Indonesia", "target": "Indonesia"},
    {"source": "PKI", "target": "Indonesian Communist Party (PKI)"},
    {"source": "Jokowi", "target": "Jokowi"},
    {"source": "Reformasi", "target": "Reform era"},
    {"source": "Lembaga", "target": "Institution"},
    {"source": "Lavrov", "target": "Lavrov"},
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.from_entries(ROWS, name="test")


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


# --- validation -----------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


BAD_TSV_CASES: list[tuple[str, int, str]] = [
    (HEADER + "AS\tUS\ttrue\t\tx\nJerman\t\tfalse\t\tx\n", 3, "empty target"),
    (HEADER + "\tUS\ttrue\t\tx\n", 2, "empty source"),
    (HEADER + "AS\tUS\tmaybe\t\tx\n", 2, "case_sensitive must be true or false"),
    (HEADER + "AS\tUS\ttrue\t\tx\nAS\tU.S.\ttrue\t\tx\n", 3, "at line 2"),
    (HEADER + "AS\tUS\ttrue\t\tx\nX\tY\ttrue\tAS\tx\n", 3, "conflicting duplicate"),
    (HEADER + "Jerman\tGermany\tfalse\t\tx\nJERMAN\tGerman\ttrue\t\tx\n", 3, "conflicting"),
    (HEADER + "AS\tUS\ttrue\tx\n", 2, "expected 5 tab-separated fields, found 4"),
    (HEADER + "A\t" + "B" * 201 + "\ttrue\t\tx\n", 2, "201 characters (limit 200)"),
    (HEADER + "A\x07B\tC\ttrue\t\tx\n", 2, "control character U+0007"),
    ("sumber\ttarget\n", 1, "header lacks source"),
    ("", 1, "empty file"),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD_TSV_CASES)
def test_check_reports_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = write(tmp_path, "g.tsv", content)
    errors = [p for p in Glossary.check(path) if p.severity == "error"]
    assert errors and errors[0].line == line and message in errors[0].message
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    assert str(path) in str(info.value) and f"line {line}" in str(info.value)
    assert info.value.exit_code == 2 and isinstance(info.value, TranslateError)


def test_bad_file_lists_every_problem() -> None:
    path = GLOSSARIES / "bad.tsv"
    problems = Glossary.check(path)
    assert [(p.line, p.severity) for p in problems] == [
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
        (9, "warning"),
    ]
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    assert info.value.problems == problems
    assert str(info.value) == f"{path}: line 3: empty target (and 5 more problems)"


def test_case_sensitive_is_not_a_conflict(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tsv", HEADER + "Paus\tPope\ttrue\t\tx\npaus\twhale\ttrue\t\tx\n")
    assert Glossary.check(path) == []


def test_warnings_are_kept(tmp_path: Path) -> None:
    content = "Source\tTarget\tExtra\nAS\tUS\t1\nAS\tUS\t2\nPBB\tUN\t\n"
    g = Glossary.load(write(tmp_path, "g.tsv", content))
    assert len(g) == 3
    assert [(w.line, w.severity) for w in g.warnings] == [(1, "warning"), (3, "warning")]
    assert "unknown column 'Extra'" in g.warnings[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", True), ("true", True), ("YES", True), ("1", True), ("no", False), ("0", False)],
)
def test_case_values(tmp_path: Path, value: str, expected: bool) -> None:
    g = Glossary.load(write(tmp_path, "g.tsv", f"source\ttarget\tcase_sensitive\nA\tB\t{value}\n"))
    assert g.entries[0].case_sensitive is expected


def test_bom_crlf_and_column_order(tmp_path: Path) -> None:
    content = "\ufeffNOTE\tTarget\tSource\r\nkind\tUS\tAS\r\n\r\n"
    g = Glossary.load(write(tmp_path, "g.tsv", content))
    assert g.entries == (Entry("AS", "US", note="kind"),)
    assert g.entries[0].line == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER.encode() + b"Bras\xedlia\tBrasilia\ttrue\t\tx\n",
            "is not UTF-8 (byte 0xED on line 2)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        ("source\ttarget\n".encode("utf-16"), "is UTF-16"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = write(tmp_path, "g.tsv", content)
    with pytest.raises(GlossaryError, match=re.escape(message)):
        Glossary.check(path)
    with pytest.raises(GlossaryError, match=re.escape(message)):
        Glossary.load(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such glossary file"):
        Glossary.load(tmp_path / "missing.tsv")
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        Glossary.load(write(tmp_path, "g.xlsx", "x"))


def test_malformed_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", 'source,target\nAS,US\n"PBB,UN\n')
    errors = Glossary.check(path)
    assert errors[0].severity == "error" and "malformed CSV" in errors[0].message
    path = write(tmp_path, "g2.csv", 'source,target\n"A\nB",C\n')
    assert "control character U+000A" in Glossary.check(path)[0].message


def test_from_entries_validates() -> None:
    with pytest.raises(GlossaryError, match="entry 2: empty target"):
        Glossary.from_entries([("AS", "US"), ("PBB", "")], name="mine")
    with pytest.raises(GlossaryError, match="conflicting duplicate"):
        Glossary.from_entries([Entry("AS", "US"), {"source": "X", "target": "Y", "variants": "AS"}])
    with pytest.raises(GlossaryError, match="expected an Entry"):
        Glossary.from_entries(["AS"])  # type: ignore[list-item]
    with pytest.raises(GlossaryError, match="entry 1: case_sensitive"):
        Glossary.from_entries([{"source": "A", "target": "B", "case_sensitive": "maybe"}])
    g = Glossary.from_entries([("  Dewan  Keamanan ", "UN\u00a0Security Council")])
    assert g.entries[0] == Entry("Dewan Keamanan", "UN Security Council")


# --- merge, checksum, round trips -----------------------------------------------------------


def test_merge_later_wins() -> None:
    merged = Glossary.default().merge(Glossary.load(GLOSSARIES / "house.tsv"))
    assert [m.entry.target for m in merged.find("AS dan Turki")] == ["U.S.", "Türkiye"]
    old = {o.source: (o.target, n.target) for o, n in merged.overrides}
    assert old["AS"] == ("US", "U.S.")
    assert old["Turki"] == ("Turkey", "Türkiye")
    # Only the overridden variant moved: "Türkiye" still belongs to the default's Turki row.
    assert [m.entry.target for m in merged.find("Türkiye")] == ["Turkey"]
    # The default's AS row and its KKP ministry row are gone; its Turki row keeps "Türkiye".
    assert len(merged) == len(Glossary.default()) + 3 - 2
    assert merged.name == "id-en-news+house"


def test_merge_partial_forms() -> None:
    base = Glossary.from_entries(
        [Entry("Amerika Serikat", "United States", True, ("Negeri Paman Sam",))]
    )
    house = Glossary.from_entries([("Amerika Serikat", "the United States")])
    merged = base.merge(house)
    assert merged.entries == (
        Entry("Negeri Paman Sam", "United States"),
        Entry("Amerika Serikat", "the United States"),
    )
    assert merged.overrides == ((base.entries[0], house.entries[0]),)
    same = base.merge(base)
    assert same.overrides == () and same.entries == base.entries


def test_sha256_ignores_order() -> None:
    rows = [("AS", "US"), ("PBB", "UN")]
    a, b = Glossary.from_entries(rows), Glossary.from_entries(rows[::-1])
    assert a.sha256 == b.sha256 and len(a.sha256) == 64
    assert a.sha256 != Glossary.from_entries([("AS", "U.S."), ("PBB", "UN")]).sha256


TRICKY = [
    Entry(
        "Kementerian Hukum dan HAM",
        "Law & Human Rights Ministry",
        False,
        ("Kemenkumham",),
        "a; <b>",
    ),
    Entry("Jum'at", 'Friday "holy"', True, (), 'quote " and comma, semicolon;'),
    Entry("Paus", "Pope", True, ("Sri Paus",), ""),
    Entry("Türkiye", "Türkiye", True, (), "é ü ‘curly’"),
]


@pytest.mark.parametrize("ext", ["tsv", "csv", "tbx"])
def test_round_trip(tmp_path: Path, ext: str) -> None:
    g = Glossary.from_entries(TRICKY, name="tricky")
    path = tmp_path / f"g.{ext}"
    g.save(path)
    back = Glossary.load(path)
    assert back.entries == g.entries and back.sha256 == g.sha256
    assert back.warnings == ()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_default_round_trips_through_tbx(tmp_path: Path) -> None:
    default = Glossary.default()
    path = tmp_path / "default.tbx"
    default.save(path)
    assert Glossary.load(path).entries == default.entries
    assert default.to_tsv() == (
        Path(__file__).parents[2] / "glossary" / "id-en-news.tsv"
    ).read_text(encoding="utf-8")


def test_save_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Glossary.from_entries([("A", "B")]).save(tmp_path / "g.json")


def test_csv_and_martif_samples() -> None:
    csv_g = Glossary.load(GLOSSARIES / "sample.csv")
    assert csv_g.entries[0].variants == ("Komisi Pemberantasan Korupsi (KPK)",)
    assert [e.case_sensitive for e in csv_g.entries] == [True, False, True]
    assert csv_g.entries[0].note == 'institution; "the" anti-graft body'
    tbx = Glossary.load(GLOSSARIES / "sample-martif.tbx")
    assert tbx.entries == (
        Entry("Amerika Serikat", "United States", True, ("Negeri Paman Sam",), "country"),
        Entry(
            "Kementerian Luar Negeri",
            "Foreign Ministry",
            False,
            ("Kemlu",),
            "ministry; before October 2024",
        ),
    )
    assert tbx.entries[0].line == 9
    assert "fr" in tbx.warnings[0].message


def test_tbx_problems(tmp_path: Path) -> None:
    body = '<martif><text><body><termEntry><langSet xml:lang="id"><tig><term>AS</term></tig>'
    path = write(tmp_path, "g.tbx", body + "</langSet></termEntry></body></text></martif>")
    assert "no English" in Glossary.check(path)[0].message
    path = write(tmp_path, "h.tbx", "<martif><text>")
    assert "not well-formed XML" in Glossary.check(path)[0].message
    path = write(tmp_path, "i.tbx", "<html/>")
    assert "not TBX" in Glossary.check(path)[0].message


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<martif><text><body><termEntry>
<langSet xml:lang="id"><tig><term>&i;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet>
</termEntry></body></text></martif>
"""


def xxe(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>
<martif><text><body><termEntry>
<langSet xml:lang="id"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_hardened_xml(tmp_path: Path, encoding: str) -> None:
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-VALUE")
    for name, doc in (("laughs.tbx", LAUGHS), ("xxe.tbx", xxe(secret))):
        data = doc.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
        path = write(tmp_path, name, data.encode(encoding))
        start = time.perf_counter()
        with pytest.raises(GlossaryError, match="DOCTYPE declares entities") as info:
            Glossary.load(path)
        assert time.perf_counter() - start < 1
        assert "TOP-SECRET" not in str(info.value)
        assert "TOP-SECRET" not in repr(info.value.problems)


# --- default glossary, count_target, suggest -----------------------------------------------


def test_default_glossary() -> None:
    g = Glossary.default()
    assert g is Glossary.default()  # cached while the file is unchanged
    assert Glossary.check(Path(__file__).parents[2] / "glossary" / "id-en-news.tsv") == []
    assert len(g) >= 300 and g.name == "id-en-news" and g.warnings == ()
    assert all(e.note for e in g.entries)


@pytest.mark.parametrize(
    ("english", "target", "count"),
    [
        ("The US and the UN met. US officials said", "US", 2),
        ("USA and US-based firms", "US", 1),
        ("us and Us", "US", 0),
        (
            "the Corruption Eradication Commission (KPK) said",
            "Corruption Eradication Commission (KPK)",
            1,
        ),
        (
            "the Corruption Eradication Commission (KPK)s",
            "Corruption Eradication Commission (KPK)",
            0,
        ),
        ("the UN\nSecurity  Council", "UN Security Council", 1),
        ("the Attorney General’s Office", "Attorney General's Office", 1),
        ("anything", "", 0),
        ("Pope Francis and the pope", "Pope", 1),
    ],
)
def test_count_target(english: str, target: str, count: int) -> None:
    assert count_target(english, target) == count


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


def test_problem_str() -> None:
    assert str(Problem(3, "error", "empty target")) == "line 3: error: empty target"
    assert str(Problem(None, "warning", "x")) == "warning: x"


def test_atomic_save_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(HEADER, encoding="utf-8")
    os.chmod(path, 0o640)
    Glossary.from_entries([("A", "B")]).save(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert Glossary.load(path).entries == (Entry("A", "B"),)
