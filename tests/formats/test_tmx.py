"""TMX export: structure, dates, notes and what is left out."""

from __future__ import annotations

import re

from translate import __version__
from translate.formats.tmx import to_tmx
from translate.review.store import Store

from .catfiles import HOSTILE_TEXT, LANG, xml

# --- TMX --------------------------------------------------------------------------------------


def test_tmx_structure(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    root = xml(to_tmx(doc))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {k: header.get(k) for k in header.attrib if k != "creationdate"} == {
        "creationtool": "translate",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "translate",
        "adminlang": "en",
        "srclang": "id",
        "datatype": "plaintext",
    }
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
    tus = {tu.get("tuid"): tu for tu in root.iter("tu")}
    # The carried-over dateline is no translation: not in the memory.
    assert list(tus) == ["p0.s0", "p1.s1", "p1.s2", "p2", "p3.s0"]
    for tuid, tu in tus.items():
        langs = [tuv.get(LANG) for tuv in tu.findall("tuv")]
        assert langs == ["id", "en"]
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-document"] == "jembatan.txt"
        assert props["x-status"] == doc.paragraph(tuid.split(".")[0]).status
        assert re.fullmatch(r"\d{8}T\d{6}Z", tu.get("creationdate"))
    assert tus["p2"].get("segtype") == "paragraph"
    assert tus["p1.s1"].get("segtype") is None
    assert [s.text for s in tus["p2"].iter("seg")] == [doc.paragraph("p2").source, HOSTILE_TEXT]
    approved = doc.paragraph("p3")
    stamp = approved.approved_at[:19].replace("-", "").replace(":", "") + "Z"
    assert tus["p3.s0"].get("changedate") == stamp and tus["p3.s0"].get("changeid") == "ana"
    assert tus["p1.s1"].get("changedate") is None
    assert [n.text for n in tus["p0.s0"].findall("note") if n.text.startswith("term")] == [
        "term: Presiden → President (missed)",
        "term: Beograd → Belgrade (missed)",
    ]
