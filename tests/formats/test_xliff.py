"""XLIFF 1.2 and 2.0 export: structure, states, notes and OmegaT targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translate import __version__
from translate.formats.exchange import import_file
from translate.formats.units import InteropError
from translate.formats.xliff import to_xliff, to_xliff2
from translate.review.store import Store

from .catfiles import HOSTILE_TEXT, LANG, NS, X1, X2, write_file, xml

# --- XLIFF 1.2 ------------------------------------------------------------------------------


def test_xliff_structure(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    root = xml(to_xliff(store.load(doc_id)))
    assert root.tag == f"{{{X1}}}xliff" and root.get("version") == "1.2"
    (file,) = root.findall("x:file", NS)
    assert (
        file.get("original"),
        file.get("source-language"),
        file.get("target-language"),
        file.get("datatype"),
        file.get("tool-id"),
    ) == ("jembatan.txt", "id", "en", "plaintext", "translate")
    tool = file.find("x:header/x:tool", NS)
    assert (tool.get("tool-id"), tool.get("tool-name"), tool.get("tool-version")) == (
        "translate",
        "translate",
        __version__,
    )
    groups = file.findall("x:body/x:group", NS)
    assert [(g.get("id"), g.get("restype")) for g in groups] == [
        (p, "x-paragraph") for p in ("p0", "p1", "p2", "p3")
    ]
    tus = {tu.get("id"): tu for tu in file.iter(f"{{{X1}}}trans-unit")}
    assert [tu.getparent().get("id") for tu in tus.values()] == ["p0", "p1", "p1", "p1", "p2", "p3"]

    def target(tid: str) -> Any:
        return tus[tid].find("x:target", NS)

    assert target("p1.s1").get("state") == "needs-review-translation"
    assert target("p1.s1").get("state-qualifier") == "mt-suggestion"
    assert target("p2").get("state") == "translated"  # edited
    assert target("p3.s0").get("state") == "final" and tus["p3.s0"].get("approved") == "yes"
    assert tus["p1.s1"].get("approved") is None
    # The dateline is carried over: locked, final.
    assert tus["p1.s0"].get("translate") == "no" and target("p1.s0").get("state") == "final"
    # The paragraph unit after an edit that changed the sentence count.
    assert tus["p2"].get("restype") == "x-paragraph"
    assert target("p2").text == HOSTILE_TEXT
    for tu in tus.values():
        assert tu.find("x:source", NS).get(LANG) == "id"
        assert target(tu.get("id")).get(LANG) == "en"
    assert [n.text for n in tus["p3.s0"].findall("x:note", NS) if n.text.startswith("term")] == [
        "term: PBB → UN (missed)"
    ]


def test_xliff_with_source_targets_for_omegat(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    root = xml(to_xliff(doc, targets="source"))
    for tu in root.iter(f"{{{X1}}}trans-unit"):
        source, target = tu.find("x:source", NS).text, tu.find("x:target", NS)
        if tu.get("translate") == "no":
            assert target.get("state") == "final"
        else:
            assert (target.text, target.get("state")) == (source, "needs-translation")
    # Copies of the source are no translations: importing them changes nothing.
    before = doc.to_dict()
    path = write_file(tmp_path, "copy.xlf", to_xliff(doc, targets="source"))
    report = import_file(store, doc_id, path)
    assert report.changed == () and len(report.skipped) == 5
    assert store.load(doc_id).to_dict() == before
    with pytest.raises(InteropError):
        to_xliff(doc, targets="french")


# --- XLIFF 2.0 ------------------------------------------------------------------------------


def test_xliff2_structure(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    root = xml(to_xliff2(store.load(doc_id)))
    assert root.tag == f"{{{X2}}}xliff" and root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("id", "en")
    (file,) = root.findall("x2:file", NS)
    assert file.get("original") == "jembatan.txt"
    groups = file.findall("x2:group", NS)
    assert [(g.get("id"), g.get("name")) for g in groups] == [
        (f"g.{p}", p) for p in ("p0", "p1", "p2", "p3")
    ]
    ids = [el.get("id") for el in file.iter(f"{{{X2}}}group", f"{{{X2}}}unit")]
    assert len(ids) == len(set(ids))  # XLIFF 2.0: group and unit ids unique together
    found = {u.get("id"): u for u in file.iter(f"{{{X2}}}unit")}
    states = {k: u.find("x2:segment", NS).get("state") for k, u in found.items()}
    assert states == {
        "p0.s0": "translated",
        "p1.s0": "final",
        "p1.s1": "translated",
        "p1.s2": "translated",
        "p2": "reviewed",
        "p3.s0": "final",
    }
    assert found["p2"].get("type") == "translate:paragraph"
    assert found["p1.s0"].get("translate") == "no"
    assert found["p3.s0"].find("x2:segment", NS).get("subState") == "translate:approved"
    notes = found["p0.s0"].findall("x2:notes/x2:note", NS)
    assert [(n.get("category"), n.text) for n in notes if n.get("category") == "term"] == [
        ("term", "term: Presiden → President (missed)"),
        ("term", "term: Beograd → Belgrade (missed)"),
    ]
