"""Import of edited targets by unit id, round trips, and hardened parsing of CAT files."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from translate.document import TranslatedDocument
from translate.errors import TranslateError
from translate.formats.exchange import ImportReport, import_file, read_targets
from translate.formats.tmx import to_tmx
from translate.formats.units import MAX_FILE_BYTES, InteropError
from translate.formats.xliff import to_xliff, to_xliff2
from translate.review.store import Store

from .catfiles import DATA, HOSTILE_TEXT, NS, X1, X2, write_file, xml

# --- round trips ----------------------------------------------------------------------------

WRITERS: dict[str, tuple[str, Callable[[TranslatedDocument], bytes]]] = {
    "xliff": ("doc.xlf", to_xliff),
    "xliff2": ("doc.xlf", to_xliff2),
    "tmx": ("doc.tmx", to_tmx),
}


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "tmx", "json"])
def test_export_then_import_changes_nothing(
    stored: tuple[Store, str], tmp_path: Path, fmt: str
) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    before, history = doc.to_dict(), store.history(doc_id)
    if fmt == "json":
        path = write_file(tmp_path, "doc.json", json.dumps(doc.to_dict()).encode())
    else:
        name, writer = WRITERS[fmt]
        path = write_file(tmp_path, name, writer(doc))
    report = import_file(store, doc_id, path, who="ed")  # JSON, XLIFF or TMX by the extension
    assert report.changed == () and report.unknown == () and report.errors == ()
    # Units: 6 in XLIFF, 5 in TMX (no dateline); JSON: every sentence of the sentence-aligned
    # paragraphs (bylines and credits too) and the paragraph unit p2.
    assert report.unchanged == {"xliff": 6, "xliff2": 6, "tmx": 5, "json": 9}[fmt]
    assert store.load(doc_id).to_dict() == before
    assert store.history(doc_id) == history


def _exported(store: Store, doc_id: str, tmp_path: Path, fmt: str) -> Path:
    """The stored document exported now, as a file of ``fmt`` (xliff, xliff2, tmx, json)."""
    doc = store.load(doc_id)
    if fmt == "json":
        return write_file(tmp_path, "doc.json", json.dumps(doc.to_dict()).encode())
    name, writer = WRITERS[fmt]
    return write_file(tmp_path, name, writer(doc))


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "tmx", "json"])
def test_a_file_older_than_an_approval_does_not_undo_it(
    stored: tuple[Store, str], tmp_path: Path, fmt: str
) -> None:
    """The user's report: a file exported before p1 was edited and approved, imported after,
    put p1 back to MT and withdrew the approval, "4 changed", no warning."""
    store, doc_id = stored
    path = _exported(store, doc_id, tmp_path, fmt)  # p1 is MT; p2 is ed's English
    mt = store.load(doc_id).paragraph("p1").sentences[1].target
    store.edit(doc_id, "p1.s1", "The President opened the new bridge.", who="Rina")
    store.set_status(doc_id, "p1", "approved", who="Rina")
    store.edit(doc_id, "p2", "Residents were delighted. They came early.", who="Rina")
    before, history = store.load(doc_id), store.history(doc_id)

    report = import_file(store, doc_id, path, who="ed")
    assert report.changed == () and report.errors == ()
    assert [c.id for c in report.conflicts] == ["p1.s1", "p2"]
    p1, p2 = report.conflicts
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.fullmatch(
        rf"the file has an older English of p1\.s1: it was edited by Rina at {when} after "
        rf"that; p1 was approved by Rina at {when}",
        p1.reason,
    ), p1.reason
    assert (p1.state, p1.current, p1.incoming) == (
        "conflict",
        "The President opened the new bridge.",
        mt,
    )
    assert re.fullmatch(rf"the file has an older English of p2: it was edited by Rina at {when} "
                        "after that", p2.reason)  # fmt: skip
    assert store.load(doc_id) == before and store.history(doc_id) == history

    report = import_file(store, doc_id, path, who="ed", overwrite=True)
    assert report.changed == report.overwritten == ("p1.s1", "p2") and report.conflicts == ()
    after = store.load(doc_id)
    assert (after.paragraph("p1").status, after.paragraph("p1").sentences[1].target) == (
        "edited",
        mt,
    )
    assert after.paragraph("p2").target == HOSTILE_TEXT
    rows = [(h.segment, h.action, h.who, h.origin) for h in store.history(doc_id)[-2:]]
    origin = f"import:{path.name}"
    assert rows == [("p1.s1", "edit", "ed", origin), ("p2", "edit", "ed", origin)]


def test_escaping_round_trips_exactly(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    for name, writer in WRITERS.values():
        data = writer(doc)
        assert b"<script>" not in data and b"]]>" not in data
        assert b"&lt;script&gt;" in data and b"&amp;amp;" in data and b"]]&gt;" in data
        targets = read_targets(write_file(tmp_path, name, data))
        assert targets["p2"] == HOSTILE_TEXT
        assert targets["p1.s1"] == doc.paragraph("p1").sentences[1].target


def test_changed_xliff_targets_become_edits_with_history(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    root = xml(to_xliff(store.load(doc_id)))
    tus = {tu.get("id"): tu for tu in root.iter(f"{{{X1}}}trans-unit")}
    tus["p1.s1"].find("x:target", NS).text = "The President opened a new bridge."
    tus["p2"].find("x:target", NS).text = "Residents were delighted & came early."
    # Whitespace reflowed by a tool is not an edit.
    tus["p1.s2"].find("x:target", NS).text = "  EN(Acara   berlangsung\nmeriah.) "
    path = write_file(tmp_path, "ed.xlf", etree.tostring(root))
    report = import_file(store, doc_id, path, "ed")
    # p2 is ed's edit made in the store: the file would overwrite it, so only when told to.
    (conflict,) = report.conflicts
    assert report == ImportReport(("p1.s1",), 4, (), (), conflicts=(conflict,))
    assert conflict.id == "p2" and conflict.reason.startswith(
        "p2 has an editor's English: it was edited by ed at "
    )
    report = import_file(store, doc_id, path, "ed", overwrite=True)
    assert report == ImportReport(("p2",), 5, (), (), overwritten=("p2",))
    doc = store.load(doc_id)
    p1 = doc.paragraph("p1")
    assert p1.status == "edited" and p1.segmentation == "sentence"
    assert p1.sentences[1].target == "The President opened a new bridge."
    assert p1.target == "Jakarta (ANTARA) - The President opened a new bridge. " + (
        "EN(Acara berlangsung meriah.)"
    )
    # Two sentences again: p2 maps one to one once more.
    assert doc.paragraph("p2").target == "Residents were delighted & came early."
    rows = [(h.segment, h.action, h.who) for h in store.history(doc_id)][-2:]
    assert rows == [("p1.s1", "edit", "ed"), ("p2", "edit", "ed")]
    # Importing the same file again changes nothing more.
    again = import_file(store, doc_id, tmp_path / "ed.xlf", "ed")
    assert again.changed == () and again.unchanged == 6
    # The translator's next round: English an import wrote is replaced without a conflict.
    tus["p2"].find("x:target", NS).text = "Residents were delighted and came early."
    path = write_file(tmp_path, "ed2.xlf", etree.tostring(root))
    assert import_file(store, doc_id, path, "ed").changed == ("p2",)


def test_changed_tmx_and_xliff2_targets_become_edits(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    root = xml(to_tmx(store.load(doc_id)))
    (tu,) = [t for t in root.iter("tu") if t.get("tuid") == "p0.s0"]
    tu.findall("tuv")[1].find("seg").text = "President Opens Bridge in Belgrade"
    report = import_file(store, doc_id, write_file(tmp_path, "ed.tmx", etree.tostring(root)))
    assert report.changed == ("p0.s0",)
    assert store.load(doc_id).paragraph("p0").target == "President Opens Bridge in Belgrade"
    root = xml(to_xliff2(store.load(doc_id)))
    (unit,) = [u for u in root.iter(f"{{{X2}}}unit") if u.get("id") == "p3.s0"]
    unit.find("x2:segment/x2:target", NS).text = "The bridge links two villages and a UN office."
    path = write_file(tmp_path, "ed2.xlf", etree.tostring(root))
    # p3 is approved: new English would withdraw the approval, so only when told to.
    report = import_file(store, doc_id, path)
    assert report.changed == () and [c.id for c in report.conflicts] == ["p3.s0"]
    assert re.fullmatch(r"p3 was approved by ana at .* UTC", report.conflicts[0].reason)
    assert store.load(doc_id).paragraph("p3").status == "approved"
    report = import_file(store, doc_id, path, overwrite=True)
    assert report.changed == report.overwritten == ("p3.s0",)
    p3 = store.load(doc_id).paragraph("p3")
    # An edit clears the approval: the new English needs approving again.
    assert (p3.status, p3.approved_by) == ("edited", "")
    assert store.history(doc_id, "p3")[-1].target == (
        "The bridge links two villages and a UN office."
    )


def test_unknown_ids_are_reported_not_guessed(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    before = store.load(doc_id).to_dict()
    root = xml(to_xliff(store.load(doc_id)))
    group = root.find(".//x:group", NS)
    for uid in ("p99.s0", "p1.s9", "P1.S1"):
        tu = etree.SubElement(group, f"{{{X1}}}trans-unit", id=uid)
        etree.SubElement(tu, f"{{{X1}}}source").text = "Presiden meresmikan jembatan baru."
        etree.SubElement(tu, f"{{{X1}}}target").text = "Something else."
    report = import_file(store, doc_id, write_file(tmp_path, "u.xlf", etree.tostring(root)))
    assert report.unknown == ("p99.s0", "p1.s9", "P1.S1")
    assert report.changed == () and report.errors == ()
    assert store.load(doc_id).to_dict() == before


def test_other_documents_file_and_stale_units_are_errors(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    before = store.load(doc_id).to_dict()
    root = xml(to_xliff(store.load(doc_id)))
    tus = {tu.get("id"): tu for tu in root.iter(f"{{{X1}}}trans-unit")}
    # Same id, another source: a file of another document. Never applied.
    tus["p1.s1"].find("x:source", NS).text = "Menteri membuka pasar."
    tus["p1.s1"].find("x:target", NS).text = "The minister opened a market."
    # A sentence of p2, which is now one paragraph unit.
    stale = etree.SubElement(tus["p2"].getparent(), f"{{{X1}}}trans-unit", id="p2.s0")
    etree.SubElement(stale, f"{{{X1}}}source").text = "Warga menyambut gembira."
    etree.SubElement(stale, f"{{{X1}}}target").text = "Residents cheered."
    report = import_file(store, doc_id, write_file(tmp_path, "o.xlf", etree.tostring(root)))
    assert report.changed == ()
    assert len(report.errors) == 2
    assert report.errors[0].startswith("p1.s1: the file's source differs")
    assert report.errors[1].startswith("p2.s0: ")
    assert store.load(doc_id).to_dict() == before


def test_import_json_by_paragraph(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    data = store.load(doc_id).to_dict()
    p1 = data["paragraphs"][1]
    p1["sentences"][2]["target"] = "The ceremony was lively."
    p1["target"] = " ".join(s["target"] for s in p1["sentences"])
    p3 = data["paragraphs"][3]
    p3["target"] = "The bridge links two villages. It also reaches a UN office."
    sentences = [{**x, "id": x["id"].replace("p3.", "p42.")} for x in p3["sentences"]]
    data["paragraphs"].append({**p3, "id": "p42", "sentences": sentences})
    path = write_file(tmp_path, "d.json", json.dumps(data).encode())
    report = import_file(store, doc_id, path, overwrite=True)  # p3 is approved
    # p1 aligned sentence by sentence (its alignment kept); p3 as a paragraph edit.
    assert report.changed == ("p1.s2", "p3") and report.unknown == ("p42",)
    assert report.overwritten == ("p3",)
    doc = store.load(doc_id)
    assert doc.paragraph("p1").segmentation == "sentence"
    assert doc.paragraph("p1").sentences[2].target == "The ceremony was lively."
    assert doc.paragraph("p3").segmentation == "paragraph"
    assert [h.segment for h in store.history(doc_id)][-2:] == ["p1.s2", "p3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not valid JSON"),
        (b'{"schema": "other/1"}', "not a translated document"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_import_json_bad_files(
    stored: tuple[Store, str], tmp_path: Path, content: bytes, message: str
) -> None:
    store, doc_id = stored
    with pytest.raises(InteropError, match=message):
        import_file(store, doc_id, write_file(tmp_path, "bad.json", content))


# --- reading other tools' files ---------------------------------------------------------------


def test_read_targets_inline_markup_and_external_doctype() -> None:
    # The DOCTYPE names an external DTD that does not exist: it is never loaded.
    targets = read_targets(DATA / "inline-markup.xlf")
    assert targets == {
        "p1.s1": "The President opened a new bridge.",
        "p1.s2": "The event was lively.",
    }


def test_read_targets_xliff2_segments_and_ignorables(tmp_path: Path) -> None:
    data = f"""<xliff xmlns="{X2}" version="2.0" srcLang="id" trgLang="en">
      <file id="f"><unit id="p1.s1">
        <segment><source>Satu.</source><target>One.</target></segment>
        <ignorable><source> </source></ignorable>
        <segment><source>Dua.</source><target>Two<cp hex="0021"/></target></segment>
      </unit><unit id="p1.s2">
        <segment><source>Tiga.</source><target>Three.</target></segment>
        <segment><source>Empat.</source></segment>
      </unit></file></xliff>"""
    assert read_targets(write_file(tmp_path, "two.xlf", data.encode())) == {"p1.s1": "One. Two!"}


def test_wrong_languages_and_conflicting_duplicates_are_refused(tmp_path: Path) -> None:
    fr = f"""<xliff xmlns="{X1}" version="1.2"><file original="a" source-language="id"
      target-language="fr" datatype="plaintext"><body/></file></xliff>"""
    with pytest.raises(InteropError, match="target language is fr"):
        read_targets(write_file(tmp_path, "fr.xlf", fr.encode()))
    tu = (
        '<tu tuid="p1.s1"><tuv xml:lang="id"><seg>A</seg></tuv>'
        '<tuv xml:lang="en"><seg>{}</seg></tuv></tu>'
    )
    dup = f'<tmx version="1.4"><header/><body>{tu.format("B")}{tu.format("C")}</body></tmx>'
    with pytest.raises(InteropError, match=r"p1\.s1 appears twice"):
        read_targets(write_file(tmp_path, "dup.tmx", dup.encode()))


def test_control_characters_are_refused_on_export(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    p3 = doc.paragraph("p3")
    bad = replace(p3, sentences=(replace(p3.sentences[0], target="Bell\x07"),))
    with pytest.raises(InteropError, match=r"p3\.s0: .*U\+0007"):
        to_xliff(doc.replace_paragraph(bad))


# --- hostile and broken files ---------------------------------------------------------------


def _refused(path: Path, store: Store, doc_id: str, secret: str = "") -> str:
    """Read the file both ways; both must refuse within a second; return the message."""
    before = store.load(doc_id).to_dict()
    messages = []
    for call in (lambda: read_targets(path), lambda: import_file(store, doc_id, path)):
        start = time.perf_counter()
        with pytest.raises(InteropError) as info:
            call()
        assert time.perf_counter() - start < 1.0
        assert isinstance(info.value, TranslateError) and info.value.exit_code == 2
        message = str(info.value)
        assert "\n" not in message
        if secret:
            assert secret not in message and secret not in repr(info.value)
        messages.append(message)
    assert store.load(doc_id).to_dict() == before
    return messages[0]


def test_billion_laughs_is_refused(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    assert "refused" in _refused(DATA / "billion-laughs.xlf", store, doc_id)
    # The same declarations in UTF-16, where a byte search for "<!ENTITY" finds nothing.
    text = (DATA / "billion-laughs.xlf").read_text().replace('"UTF-8"', '"UTF-16"')
    utf16 = write_file(tmp_path, "lol16.xlf", text.encode("utf-16"))
    assert "refused" in _refused(utf16, store, doc_id)


def _xxe_tmx(uri: str, encoding: str = "utf-8") -> str:
    return f"""<?xml version="1.0" encoding="{encoding.upper()}"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{uri}">]>
<tmx version="1.4"><header srclang="id"/><body>
<tu tuid="p1.s1"><tuv xml:lang="id"><seg>Presiden meresmikan jembatan baru.</seg></tuv>
<tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_external_entity_is_refused_and_the_secret_stays_put(
    stored: tuple[Store, str], tmp_path: Path, encoding: str
) -> None:
    store, doc_id = stored
    secret = "TOP-SECRET-7f3a9c"
    (tmp_path / "secret.txt").write_text(secret)
    text = _xxe_tmx((tmp_path / "secret.txt").as_uri(), encoding)
    path = write_file(tmp_path, "xxe.tmx", text.encode(encoding))
    _refused(path, store, doc_id, secret)


def test_entity_from_an_external_dtd_is_never_loaded(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    secret = "TOP-SECRET-b41e"
    (tmp_path / "secret.txt").write_text(secret)
    dtd = write_file(
        tmp_path,
        "evil.dtd",
        f'<!ENTITY xxe SYSTEM "{(tmp_path / "secret.txt").as_uri()}">'.encode(),
    )
    text = f"""<?xml version="1.0"?>
<!DOCTYPE xliff SYSTEM "{dtd.as_uri()}">
<xliff xmlns="{X1}" version="1.2"><file original="a" source-language="id"
datatype="plaintext"><body><trans-unit id="p1.s1">
<source>Presiden meresmikan jembatan baru.</source><target>&xxe;</target>
</trans-unit></body></file></xliff>"""
    message = _refused(write_file(tmp_path, "dtd.xlf", text.encode()), store, doc_id, secret)
    assert "&xxe;" in message and "refused" in message


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (0.5, "not well-formed XML"),
        (0.0, "is empty"),
    ],
)
def test_truncated_and_empty_files(
    stored: tuple[Store, str], tmp_path: Path, cut: float, message: str
) -> None:
    store, doc_id = stored
    data = to_xliff(store.load(doc_id))
    path = write_file(tmp_path, "cut.xlf", data[: int(len(data) * cut)])
    assert message in _refused(path, store, doc_id)


def test_not_xliff_or_tmx(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    path = write_file(tmp_path, "page.xlf", b"<html><body>hi</body></html>")
    assert "root element is <html>" in _refused(path, store, doc_id)
    missing = tmp_path / "missing.xlf"
    with pytest.raises(InteropError, match="no such file"):
        read_targets(missing)
    with pytest.raises(InteropError, match="directory"):
        read_targets(tmp_path)


def test_oversized_file_is_refused_without_reading_it(
    stored: tuple[Store, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, doc_id = stored
    path = tmp_path / "huge.xlf"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no 50 MB written

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert "refused" in _refused(path, store, doc_id)


def test_entities_past_the_byte_check_are_refused_after_parsing(
    stored: tuple[Store, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second layer: were the byte check fooled (an encoding it cannot see), the parsed
    # DOCTYPE's entities are still refused, and the parser itself never expanded them.
    store, doc_id = stored
    from translate import safexml as xmlsafe

    monkeypatch.setattr(xmlsafe, "_ENTITY_DECL", re.compile(b"(?!)"))
    monkeypatch.setattr(xmlsafe, "_INTERNAL_SUBSET", re.compile(b"(?!)"))
    secret = "TOP-SECRET-c0ffee"
    (tmp_path / "secret.txt").write_text(secret)
    path = write_file(tmp_path, "xxe.tmx", _xxe_tmx((tmp_path / "secret.txt").as_uri()).encode())
    assert "declares entities" in _refused(path, store, doc_id, secret)
    # libxml2's own amplification limit stops a billion laughs even then.
    assert "not well-formed" in _refused(DATA / "billion-laughs.xlf", store, doc_id)


def test_parser_errors_are_one_line(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    ebcdic = '<?xml version="1.0" encoding="IBM037"?><tmx version="1.4"/>'.encode("cp037")
    assert "not well-formed XML" in _refused(write_file(tmp_path, "e.tmx", ebcdic), store, doc_id)


def test_tmx_units_without_tuid_are_reported(stored: tuple[Store, str], tmp_path: Path) -> None:
    store, doc_id = stored
    tu = '<tu><tuv xml:lang="id"><seg>{0}</seg></tuv><tuv xml:lang="en"><seg>{0}!</seg></tuv></tu>'
    data = f'<tmx version="1.4"><header/><body>{tu.format("A")}{tu.format("B")}</body></tmx>'
    path = write_file(tmp_path, "anon.tmx", data.encode())
    assert read_targets(path) == {}
    report = import_file(store, doc_id, path)
    assert report.changed == () and report.errors == (
        "2 units without an id (TMX tuid) cannot be matched; ignored",
    )


# --- inline elements a reader does not know, and implausible targets --------------------------


def test_unknown_inline_elements_keep_their_text(tmp_path: Path) -> None:
    xliff = f"""<xliff xmlns="{X1}" version="1.2"><file source-language="id" target-language="en">
<body><trans-unit id="p1.s1"><source>Jembatan baru.</source>
<target>The <unknown>new</unknown> <o:b xmlns:o="urn:other">bridge<ph id="1">&lt;b/&gt;</ph></o:b>.
<bpt id="2">&lt;i&gt;</bpt>Open<ept id="2">&lt;/i&gt;</ept><it pos="open">x</it></target>
</trans-unit></body></file></xliff>"""
    tmx = """<tmx version="1.4"><header srclang="id"/><body><tu tuid="p1.s1">
<tuv xml:lang="id"><seg>Jembatan baru.</seg></tuv>
<tuv xml:lang="en"><seg>The <span>new</span> bridge<ut>&lt;br&gt;</ut>.</seg></tuv>
</tu></body></tmx>"""
    xliff2 = f"""<xliff xmlns="{X2}" version="2.0" srcLang="id" trgLang="en"><file id="f">
<unit id="p1.s1"><segment><source>Jembatan baru.</source>
<target>The <foo>new</foo> bridge<ph id="1"/><sc id="2"/>.<ec startRef="2"/></target>
</segment></unit></file></xliff>"""
    assert read_targets(write_file(tmp_path, "a.xlf", xliff.encode())) == {
        "p1.s1": "The new bridge.\nOpen"
    }
    assert read_targets(write_file(tmp_path, "a.tmx", tmx.encode())) == {"p1.s1": "The new bridge."}
    assert read_targets(write_file(tmp_path, "b.xlf", xliff2.encode())) == {
        "p1.s1": "The new bridge."
    }


def test_implausibly_long_target_is_applied_with_a_warning(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    root = xml(to_xliff(store.load(doc_id)))
    tus = {tu.get("id"): tu for tu in root.iter(f"{{{X1}}}trans-unit")}
    source = tus["p1.s1"].find("x:source", NS).text
    long_target = "The President opened a new bridge. " * 12
    tus["p1.s1"].find("x:target", NS).text = long_target
    tus["p1.s2"].find("x:target", NS).text = "The event was lively, very lively indeed."  # 1.6×
    report = import_file(store, doc_id, write_file(tmp_path, "ed.xlf", etree.tostring(root)), "ed")
    assert report.changed == ("p1.s1", "p1.s2")
    assert report.errors == ()
    (warning,) = report.warnings
    ratio = round(len(long_target.strip()) / len(source))
    assert warning.startswith(f"p1.s1: the target is {ratio}× as long as its source")
    # The CLI prints it and still exits 0: a warning, not a failure.
    from click.testing import CliRunner

    from translate.cli import cli

    tus["p1.s1"].find("x:target", NS).text = long_target + "Again."
    path = write_file(tmp_path, "ed2.xlf", etree.tostring(root))
    result = CliRunner().invoke(
        cli, ["import", str(path), "--document", doc_id], env={"TRANSLATE_STORE": str(store.path)}
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"^warning: p1\.s1: the target is 1\d× as long as its source", result.stderr)
