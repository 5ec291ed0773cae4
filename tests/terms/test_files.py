"""Glossary files: the formats registry, reading TSV and CSV, round trips, atomic saves."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from translate.errors import UsageError
from translate.terms.files import FORMATS, unknown_format
from translate.terms.glossary import Glossary
from translate.terms.values import Entry, GlossaryError

from .conftest import GLOSSARIES, HEADER, write


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


def test_atomic_save_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(HEADER, encoding="utf-8")
    os.chmod(path, 0o640)
    Glossary.from_entries([("A", "B")]).save(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert Glossary.load(path).entries == (Entry("A", "B"),)


def test_formats_registry() -> None:
    assert list(FORMATS) == ["tsv", "csv", "tbx"]
    g = Glossary.from_entries(TRICKY, name="tricky")
    assert g.to_bytes("tsv") == g.to_tsv().encode("utf-8")
    assert g.to_bytes("csv") == g.to_csv().encode("utf-8")
    assert g.to_bytes("tbx") == g.to_tbx()
    with pytest.raises(UsageError, match="use one of tsv, csv, tbx"):
        g.to_bytes("json")
    assert unknown_format(Path("g.XLSX")) == (
        "unknown glossary format '.XLSX' (use .tsv, .csv or .tbx)"
    )
    # The CLI's --to choices are the registry's names.
    from translate.cli.glossary import glossary_convert

    (to,) = [p for p in glossary_convert.params if p.name == "fmt"]
    assert list(to.type.choices) == list(FORMATS)  # type: ignore[attr-defined]
