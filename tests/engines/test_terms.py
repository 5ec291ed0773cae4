"""Both backends apply a glossary term by the one rule (``terms.count``), nested ones too.

"Jakarta Timur → East Jakarta" and "DKI Jakarta → Jakarta": every "East Jakarta" also holds a
"Jakarta", so a sentence with both wants "Jakarta" once per "DKI Jakarta" *plus* once per
"East Jakarta", and no more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translate import Glossary, Translator
from translate.terms.count import count_target

GLOSSARY = Glossary.from_entries(
    [
        ("Jakarta Timur", "East Jakarta"),
        ("DKI Jakarta", "Jakarta"),
        ("PBB", "UN"),
        ("Dewan Keamanan PBB", "UN Security Council"),
        ("Bora Bora", "Bora Bora"),
    ]
)

CASES = [
    (
        "Wali Kota Jakarta Timur menemui Wakil Gubernur DKI Jakarta kemarin.",
        {"East Jakarta": 1, "Jakarta": 2},
    ),
    (
        # The torch search once wrote "Jakarta" three times on its own here, leaving no
        # room for the second "East Jakarta".
        "Banjir di Jakarta Timur membuat Wakil Gubernur DKI Jakarta menemui warga Jakarta Timur.",
        {"East Jakarta": 2, "Jakarta": 3},
    ),
    ("DKI Jakarta dan Jakarta Timur.", {"East Jakarta": 1, "Jakarta": 2}),
    ("PBB dan Dewan Keamanan PBB bersidang.", {"UN Security Council": 1, "UN": 2}),
    ("Dewan Keamanan PBB dan PBB bersidang.", {"UN Security Council": 1, "UN": 2}),
]


@pytest.fixture(scope="module", params=["torch", "ct2"])
def engines(request: pytest.FixtureRequest, tiny_model_dir: Path) -> dict[str, Any]:
    """The backend's engine as it comes, and one forced to decode to its limit."""
    if request.param == "torch":
        from translate.engines.torch.engine import MarianEngine

        return {
            "free": MarianEngine(str(tiny_model_dir), "cpu"),
            "forced": MarianEngine(str(tiny_model_dir), "cpu", force_length=True),
        }
    pytest.importorskip("ctranslate2")
    from translate.engines.ct2.convert import convert_model
    from translate.engines.ct2.engine import CT2Engine

    folder = convert_model(tiny_model_dir, to=tiny_model_dir.parent / "tiny-ct2-terms")
    return {
        "free": CT2Engine(str(folder), "cpu"),
        "forced": CT2Engine(str(folder), "cpu", force_length=True),
    }


@pytest.mark.parametrize(("text", "wanted"), CASES, ids=[str(i) for i in range(len(CASES))])
@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("mode", ["free", "forced"])
def test_nested_terms_come_out_exactly(
    engines: dict[str, Any], mode: str, beams: int, text: str, wanted: dict[str, int]
) -> None:
    doc = Translator(engine=engines[mode], beams=beams, glossary=GLOSSARY).translate_document(text)
    (paragraph,) = doc.paragraphs
    english = paragraph.sentences[0].mt
    assert {t: count_target(english, t) for t in wanted} == wanted, english
    assert paragraph.terms and all(t.applied for t in paragraph.terms)
