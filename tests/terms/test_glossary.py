"""The Glossary: merging with overrides, the checksum, the bundled default, count_target."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.terms.count import count_target
from translate.terms.glossary import Glossary
from translate.terms.values import Entry

from .conftest import GLOSSARIES


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
