"""Shared by the glossary tests: the test data, a file writer and a small glossary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translate.terms.glossary import Glossary

DATA = Path(__file__).parents[1] / "data"
GLOSSARIES = DATA / "glossaries"
HEADER = "source\ttarget\tcase_sensitive\tvariants\tnote\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """A file `name` in `tmp_path` holding `content` (text as UTF-8)."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


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
    """A small glossary of ROWS: acronyms, case-insensitive forms, variants, nested names."""
    return Glossary.from_entries(ROWS, name="test")
