"""Import in two steps: the preview of each unit, the conflict rule, and applying what was
accepted against the revisions the preview saw."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from translate.formats.exchange import (
    ImportPreview,
    apply_import,
    import_conflict,
    preview_import,
)
from translate.formats.readers import read_text
from translate.formats.xliff import to_xliff
from translate.review.store import Store

from .catfiles import HOSTILE_TEXT, NS, X1, write_file, xml

WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
MT0, MT1 = "EN(Harga naik.)", "EN(Warga protes.)"

# --- the rule: import_conflict ------------------------------------------------------------

Step = Callable[[Store, str], Any]


def _edit(segment: str, english: str, who: str = "Rina", origin: str = "") -> Step:
    return lambda store, doc_id: store.edit(doc_id, segment, english, who=who, origin=origin)


def _approve(who: str) -> Step:
    return lambda store, doc_id: store.set_status(doc_id, "p0", "approved", who=who)


def _revert(who: str) -> Step:
    return lambda store, doc_id: store.revert(doc_id, "p0", who=who)


@pytest.fixture
def one_paragraph(tmp_path: Path, fake_translator: Any) -> Iterator[tuple[Store, str]]:
    """A stored document of one translated paragraph: p0.s0 "Harga naik.", p0.s1 "Warga
    protes.", machine English EN(…)."""
    with Store(tmp_path / "s.sqlite") as store:
        document = read_text("Harga naik. Warga protes.", "txt", name="harga.txt")
        doc_id = store.create(document, fake_translator.meta(document))
        store.save_translation(doc_id, fake_translator.translate_document(store.pending(doc_id)))
        yield store, doc_id


@pytest.mark.parametrize(
    ("steps", "segment", "incoming", "expected"),
    [
        # Machine English is replaced by new work.
        ((), "p0.s1", "Residents protested.", ""),
        ((), "p0", "Prices rose. Residents protested.", ""),
        # Another sentence's edit is not this sentence's.
        ((_edit("p0.s0", "Prices rose."),), "p0.s1", "Residents protested.", ""),
        # English an earlier import wrote: the translator's next round.
        (
            (_edit("p0.s1", "People protested.", "Dewi", "import:a.xlf"),),
            "p0.s1",
            "Residents protested.",
            "",
        ),
        # An editor's English in the store.
        (
            (_edit("p0.s1", "People protested."),),
            "p0.s1",
            "Residents protested.",
            rf"p0\.s1 has an editor's English: it was edited by Rina at {WHEN}",
        ),
        (  # a paragraph edit writes its sentences too
            (_edit("p0", "Prices rose. People protested."),),
            "p0.s1",
            "Residents protested.",
            rf"p0\.s1 has an editor's English: it was edited by Rina at {WHEN}",
        ),
        # The file is older than the store: its English was the machine's, or an edit since
        # replaced or reverted.
        (
            (_edit("p0.s1", "People protested."),),
            "p0.s1",
            MT1,
            rf"the file has an older English of p0\.s1: it was edited by Rina at {WHEN} "
            "after that",
        ),
        (
            (_edit("p0.s1", "People protested."), _edit("p0.s1", "Crowds protested.", "Budi")),
            "p0.s1",
            "People protested.",
            rf"the file has an older English of p0\.s1: it was edited by Budi at {WHEN} "
            "after that",
        ),
        (
            (_edit("p0.s1", "People protested.", "Dewi", "import:a.xlf"),),
            "p0.s1",
            MT1,
            rf"the file has an older English of p0\.s1: it was imported from a\.xlf by Dewi "
            rf"at {WHEN} after that",
        ),
        (
            (_edit("p0", "Prices rose. People protested."), _revert("Budi")),
            "p0",
            "Prices rose. People protested.",
            rf"the file has an older English of p0: it was reverted by Budi at {WHEN} after that",
        ),
        # Approved: new English would withdraw the approval.
        (
            (_approve("Rina"),),
            "p0.s1",
            "Residents protested.",
            rf"p0 was approved by Rina at {WHEN}",
        ),
        (
            (_edit("p0.s1", "People protested."), _approve("Budi")),
            "p0.s1",
            MT1,
            rf"the file has an older English of p0\.s1: it was edited by Rina at {WHEN} after "
            rf"that; p0 was approved by Budi at {WHEN}",
        ),
    ],
    ids=[
        "mt-sentence",
        "mt-paragraph",
        "other-sentence-edited",
        "imported-before",
        "edited",
        "paragraph-edited",
        "stale-mt",
        "stale-edit",
        "stale-import",
        "stale-reverted",
        "approved",
        "stale-and-approved",
    ],
)
def test_import_conflict(
    one_paragraph: tuple[Store, str],
    steps: tuple[Step, ...],
    segment: str,
    incoming: str,
    expected: str,
) -> None:
    store, doc_id = one_paragraph
    for step in steps:
        step(store, doc_id)
    paragraph = store.load(doc_id).paragraph("p0")
    reason = import_conflict(paragraph, segment, incoming, store.history(doc_id, "p0"))
    if expected:
        assert re.fullmatch(expected, reason), reason
    else:
        assert reason == ""


def test_import_conflict_without_history(one_paragraph: tuple[Store, str]) -> None:
    """An edit with no history row (a store from before its history): still an editor's."""
    store, doc_id = one_paragraph
    paragraph = store.edit(doc_id, "p0.s1", "People protested.")
    reason = import_conflict(paragraph, "p0.s1", "Residents protested.", ())
    assert reason == "p0.s1 has an editor's English"
    assert import_conflict(paragraph, "p0.s1", MT1, ()).startswith(
        "the file has an older English of p0.s1"
    )


# --- preview, then apply ---------------------------------------------------------------------


def _edited_file(store: Store, doc_id: str, tmp_path: Path) -> Path:
    """An XLIFF of the stored article (p2 ed's edit, p3 approved) with one unit of each state."""
    root = xml(to_xliff(store.load(doc_id)))
    tus = {tu.get("id"): tu for tu in root.iter(f"{{{X1}}}trans-unit")}
    tus["p0.s0"].find("x:target", NS).text = "President Opens Bridge in Belgrade"  # changed
    tus["p1.s1"].find("x:source", NS).text = "Menteri membuka pasar."  # another source: error
    tus["p1.s1"].find("x:target", NS).text = "The minister opened a market."
    tus["p1.s2"].find("x:target", NS).text = ""  # skipped
    tus["p2"].find("x:target", NS).text = "Residents were delighted & came early."  # ed's edit
    tus["p3.s0"].find("x:target", NS).text = "The bridge links two villages and a UN office."
    extra = etree.SubElement(tus["p3.s0"].getparent(), f"{{{X1}}}trans-unit", id="p99.s0")
    etree.SubElement(extra, f"{{{X1}}}source").text = "Tidak ada."
    etree.SubElement(extra, f"{{{X1}}}target").text = "Not there."
    return write_file(tmp_path, "berita.xlf", etree.tostring(root))


def test_preview_writes_nothing_and_says_what_each_unit_would_do(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    path = _edited_file(store, doc_id, tmp_path)
    before, history, revisions = store.load(doc_id), store.history(doc_id), store.revisions(doc_id)
    preview = preview_import(store, doc_id, path)
    assert (store.load(doc_id), store.history(doc_id)) == (before, history)
    assert isinstance(preview, ImportPreview)
    assert (preview.doc_id, preview.origin, preview.revisions) == (
        doc_id,
        "import:berita.xlf",
        revisions,
    )
    assert [(u.id, u.state) for u in preview.units] == [
        ("p0.s0", "changed"),
        ("p1.s0", "unchanged"),
        ("p1.s1", "error"),
        ("p1.s2", "skipped"),
        ("p2", "conflict"),
        ("p3.s0", "conflict"),
        ("p99.s0", "unknown"),
    ]
    assert preview.counts() == {
        "unchanged": 1, "changed": 1, "conflict": 2, "unknown": 1, "skipped": 1, "error": 1
    }  # fmt: skip
    units = {u.id: u for u in preview.units}
    assert (units["p0.s0"].current, units["p0.s0"].incoming) == (
        before.paragraph("p0").target,
        "President Opens Bridge in Belgrade",
    )
    assert (units["p2"].current, units["p2"].incoming) == (
        HOSTILE_TEXT,
        "Residents were delighted & came early.",
    )
    assert units["p2"].reason.startswith("p2 has an editor's English: it was edited by ed at ")
    assert re.fullmatch(rf"p3 was approved by ana at {WHEN}", units["p3.s0"].reason)
    assert units["p1.s1"].reason.startswith("the file's source differs from the document's")
    assert [u.id for u in preview.having("conflict", "changed")] == ["p0.s0", "p2", "p3.s0"]
    # The name recorded for an upload is the upload's, not the temporary file's.
    assert preview_import(store, doc_id, path, name="from-rina.xlf").origin == (
        "import:from-rina.xlf"
    )


def test_apply_writes_the_changed_and_the_accepted_conflicts(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    preview = preview_import(store, doc_id, _edited_file(store, doc_id, tmp_path))
    report = apply_import(store, preview, accept={"p3.s0"}, who="Dewi")
    assert report.changed == ("p0.s0", "p3.s0") and report.overwritten == ("p3.s0",)
    assert [c.id for c in report.conflicts] == ["p2"]
    assert (report.unchanged, report.unknown, report.skipped) == (1, ("p99.s0",), ("p1.s2",))
    (error,) = report.errors
    assert error.startswith("p1.s1: the file's source differs")
    doc = store.load(doc_id)
    assert doc.paragraph("p0").target == "President Opens Bridge in Belgrade"
    assert doc.paragraph("p2").target == HOSTILE_TEXT  # not accepted: kept
    assert doc.paragraph("p3").status == "edited"  # accepted: the approval is withdrawn
    rows = [(h.segment, h.action, h.who, h.origin) for h in store.history(doc_id)[-2:]]
    assert rows == [
        ("p0.s0", "edit", "Dewi", "import:berita.xlf"),
        ("p3.s0", "edit", "Dewi", "import:berita.xlf"),
    ]


def test_a_change_after_the_preview_is_refused_as_a_conflict(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    """Another window edits p0 between preview and apply: p0 is not applied (its newer
    English stays) and is reported as a conflict; other paragraphs still are applied."""
    store, doc_id = stored
    root = xml(to_xliff(store.load(doc_id)))
    tus = {tu.get("id"): tu for tu in root.iter(f"{{{X1}}}trans-unit")}
    tus["p0.s0"].find("x:target", NS).text = "President Opens Bridge in Belgrade"
    tus["p1.s1"].find("x:target", NS).text = "The President opened a new bridge."
    tus["p1.s2"].find("x:target", NS).text = "The event was lively."
    preview = preview_import(store, doc_id, write_file(tmp_path, "a.xlf", etree.tostring(root)))
    assert [u.id for u in preview.having("changed")] == ["p0.s0", "p1.s1", "p1.s2"]
    store.edit(doc_id, "p0", "President Inaugurates Bridge", who="Rina")
    report = apply_import(store, preview, overwrite=True)
    # Both sentences of p1 are written against the one revision the preview saw.
    assert report.changed == ("p1.s1", "p1.s2")
    (refused,) = report.conflicts
    assert refused.id == "p0.s0" and re.fullmatch(
        rf"p0 changed after the file was previewed \(edited by Rina at {WHEN}\); "
        "nothing of it applied",
        refused.reason,
    )
    assert store.load(doc_id).paragraph("p0").target == "President Inaugurates Bridge"


def test_sentences_of_a_paragraph_edited_as_a_whole_since_are_kept(
    one_paragraph: tuple[Store, str], tmp_path: Path
) -> None:
    """A file made before p0 was rewritten as one sentence still has p0.s0 and p0.s1: neither
    can be placed any more, the preview says why, and applying keeps the editor's English."""
    store, doc_id = one_paragraph
    root = xml(to_xliff(store.load(doc_id)))
    for target in root.iter(f"{{{X1}}}target"):
        target.text = f"{target.text} (from the CAT tool)"
    path = write_file(tmp_path, "old.xlf", etree.tostring(root))
    store.edit(doc_id, "p0", "Prices rose, and residents protested.", who="Rina")
    assert store.load(doc_id).paragraph("p0").segmentation == "paragraph"
    preview = preview_import(store, doc_id, path)
    assert [(u.id, u.state) for u in preview.units] == [("p0.s0", "error"), ("p0.s1", "error")]
    assert all("edited as a whole paragraph after this file was made" in u.reason
               for u in preview.units)  # fmt: skip
    report = apply_import(store, preview, overwrite=True)
    assert report.changed == ()
    assert store.load(doc_id).paragraph("p0").target == "Prices rose, and residents protested."
