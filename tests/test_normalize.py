from __future__ import annotations

import pytest

from translate.normalize import clean_source, restore_typography, to_model


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
