"""``TranslatorSpec``: settings as a value, and a glossary shipped by content."""

from __future__ import annotations

import pickle
from pathlib import Path

from translate.pipeline.spec import TranslatorSpec
from translate.terms.glossary import Glossary

TSV = "source\ttarget\nMenteri Luar Negeri\tForeign Minister\nAleppo\tAleppo\n"


def test_a_shipped_spec_carries_its_glossary_and_reads_no_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.tsv"
    path.write_text(TSV, encoding="utf-8")
    expected = Glossary.load(path).sha256
    spec = TranslatorSpec(glossaries=(path,), no_default_glossary=True)
    shipped = pickle.loads(pickle.dumps(spec.shipped()))  # as a Ray worker receives it
    path.unlink()  # a worker on another machine does not see the file
    glossary = shipped.glossary().glossary
    assert glossary is not None and len(glossary) == 2
    assert glossary.sha256 == expected
    # The translator built from it records the same glossary as one built from the file.
    assert shipped.build().record().glossary_sha256 == expected
    assert [m.entry.target for m in glossary.find("Menteri Luar Negeri Rusia")] == [
        "Foreign Minister"
    ]


def test_a_glossary_pickles_without_its_match_index() -> None:
    glossary = Glossary.default()
    before = len(pickle.dumps(glossary))
    glossary.find("Presiden Joko Widodo di Jakarta")  # builds the index
    assert len(pickle.dumps(glossary)) == before
    copy = pickle.loads(pickle.dumps(glossary))
    assert copy.sha256 == glossary.sha256 and copy.entries == glossary.entries
    assert copy.find("di Jakarta") == glossary.find("di Jakarta")
