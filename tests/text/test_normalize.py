from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from translate.text.normalize import clean_source, clean_source_report, restore_typography, to_model


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("Ke\u0301\u200bsehatan", "Késehatan"),  # NFC, zero-width space removed
        ("pe\u00adme\u00adrin\u00adtah", "pemerintah"),  # soft hyphens
        ("\ufeffJakarta", "Jakarta"),  # BOM
        ("Rp\u00a06.450", "Rp\u00a06.450"),  # no-break space is kept in the source
        ("a\x00b\x07c\td", "abc\td"),  # control characters removed, tab kept
    ],
)
def test_clean_source(raw: str, clean: str) -> None:
    assert clean_source(raw) == clean


@pytest.mark.parametrize(
    ("sentence", "model_input"),
    [
        ("“Rekan-rekan kami,” kata Lavrov.", '"Rekan-rekan kami," kata Lavrov.'),
        ("Jakarta, Aktual.com – Menteri", "Jakarta, Aktual.com - Menteri"),
        ("‘kata’ itu — lalu", "'kata' itu - lalu"),
        ("Rp\u00a06.450\u202fjuta", "Rp 6.450 juta"),
        ("baris satu\nbaris   dua\t", "baris satu baris dua"),
        ("«Ya»", '"Ya"'),
    ],
)
def test_to_model(sentence: str, model_input: str) -> None:
    assert to_model(sentence) == model_input


@pytest.mark.parametrize(
    ("source", "english", "expected"),
    [
        ("“Ya,” katanya.", '"Yes," he said.', "“Yes,” he said."),
        ('"Ya," katanya.', '"Yes," he said.', '"Yes," he said.'),
        ("Jakarta – Menteri", "Jakarta - Minister", "Jakarta – Minister"),
        ("Itu Jum’at", "It's Friday", "It’s Friday"),
        ("“A” dan “B”", '"A" and ("B")', "“A” and (“B”)"),
    ],
)
def test_restore_typography(source: str, english: str, expected: str) -> None:
    assert restore_typography(source, english) == expected


# --- repair of mis-encoded text (cp1252/latin-1 mix-ups) -------------------------------------

ARTICLES = Path(__file__).parents[1] / "data" / "articles"
SHARED_SAMPLE = Path(__file__).parents[3] / "shared" / "samples" / "aktual-aleppo.txt"


@pytest.mark.parametrize(
    ("raw", "clean", "note"),
    [
        # C1 controls where the writer had Windows-1252 typography.
        ("Pinangranti\x96Pluit", "Pinangranti–Pluit", "repaired 1 mis-encoded character"),
        ("\x93tajam\x94", "“tajam”", "repaired 2 mis-encoded characters"),
        ("kata\x85 lalu \x91ya\x92", "kata… lalu ‘ya’", "repaired 3 mis-encoded characters"),
        # UTF-8 read as Windows-1252 (mojibake).
        ("donâ€™t", "don’t", "repaired 1 mis-encoded character"),
        ("â€œSiapâ€\x9d, kata Ani.", "“Siap”, kata Ani.", "repaired 2 mis-encoded characters"),
        ("Kafe SeÃ±or di Jakarta", "Kafe Señor di Jakarta", "repaired 1 mis-encoded character"),
    ],
)
def test_mojibake_is_repaired_and_reported(raw: str, clean: str, note: str) -> None:
    text, report = clean_source_report(raw)
    assert text == clean
    assert report.notes() == (note,)
    assert clean_source(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean", "note"),
    [
        ("\x1b[31mMerah\x1b[0m saja", "Merah saja", "removed 2 terminal escape sequences"),
        ("bel\x07 del\x7f esc\x1b", "bel del esc", "removed 3 control characters"),
        ("a\x00b\x0bc", "abc", "removed 2 control characters"),
        # C1 codes that Windows-1252 leaves undefined cannot be repaired: removed, and said so.
        ("ka\x81ta", "kata", "removed 1 control character"),
    ],
)
def test_other_controls_are_removed_with_a_note(raw: str, clean: str, note: str) -> None:
    text, report = clean_source_report(raw)
    assert text == clean
    assert report.notes() == (note,)


CORRECT = [
    "“Rekan-rekan kami,” kata Lavrov – lalu pergi — begitu.",
    "‘Ya’ katanya… «bukan»",
    "Harga Rp4,9 miliar atau Rp\u00a06.450 per kilogram, naik 2,3 persen.",
    "Pukul 17.30 WIB, Jum’at, 12/12 — ke-14 kalinya.",
    "Emoji 😀👍🏽 dan bendera 🇮🇩 tetap.",
    "Café naïve façade Señor Ö São Paulo Đà Nẵng Zürich ½ ² ³ µ © ® ™ € £ ¥ °C",
    "Ligatur ﬁ dan lebar penuh ＬＯＵＤ tidak diubah; &amp; &lt; tetap tertulis.",
    "Tanda kutip \"lurus\" dan 'tunggal' tetap; tab\tdan baris\nbaru juga.",
    "Bahasa Arab العربية, Jepang 日本語, Rusia русский, Yunani ελληνικά.",
    "SÃO PAULO, São Tomé, Ãgua; ÂNGELO.",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_passes_the_repair_unchanged(text: str) -> None:
    assert clean_source_report(text) == (text, clean_source_report("")[1])


def _article_files() -> list[Path]:
    files = sorted(p for p in ARTICLES.iterdir() if p.is_file())
    return files + ([SHARED_SAMPLE] if SHARED_SAMPLE.is_file() else [])


@pytest.mark.parametrize("path", _article_files(), ids=lambda p: p.name)
def test_every_test_article_passes_the_repair_unchanged(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    cleaned, report = clean_source_report(text)
    assert report.notes() == ()
    # Only the invisible characters clean_source always removed may differ.
    assert cleaned == unicodedata.normalize("NFC", text).translate(
        dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
    )
