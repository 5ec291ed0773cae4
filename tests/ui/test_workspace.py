"""What the workspace shows of a row, and its exports and imports, without Streamlit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.formats.catfiles import HOSTILE_TEXT, stored_article
from translate.document import Paragraph, QAIssue
from translate.errors import UsageError
from translate.formats.units import InteropError
from translate.review.store import Store
from translate.ui import workspace
from translate.ui.workspace import warnings


def _paragraph(*qa: QAIssue) -> Paragraph:
    return Paragraph(
        id="p1", kind="paragraph", source="Pada 1931.", target="In 1931.", mt="In 1931.", qa=qa
    )


def test_each_finding_once_per_row_errors_first() -> None:
    """The same "1931 not in the source" found in several sentences is one line that names
    them (it was repeated once per sentence), and errors come before warnings."""
    same = "the English has 1931, which is not in the source"
    row = _paragraph(
        QAIssue("length", "warning", "p1.s0", "p1.s0: the English is long"),
        QAIssue("numbers", "error", "p1.s0", f"p1.s0: {same}"),
        QAIssue("numbers", "error", "p1.s2", f"p1.s2: {same}"),
        QAIssue("numbers", "error", "p1.s2", f"p1.s2: {same}"),
        QAIssue("markup", "warning", None, "bold “x” could not be placed"),
    )
    assert warnings(row) == [
        f"error: {same} (p1.s0, p1.s2)",
        "warning: the English is long (p1.s0)",
        "warning: bold “x” could not be placed",
    ]


# --- CAT exports and imports (the same bytes as the CLI; preview, then apply) -----------------


@pytest.fixture
def stored(tmp_path: Path, fake_translator: Any) -> Iterator[tuple[Store, str]]:
    """The CAT tests' article: p2 edited by "ed", p3 approved by "ana"."""
    with stored_article(tmp_path / "s.sqlite", fake_translator, HOSTILE_TEXT, who="ed") as pair:
        yield pair


def test_cat_exports_are_the_cli_bytes_and_import_back(stored: tuple[Store, str]) -> None:
    """Each CAT export (XLIFF 1.2, XLIFF 2.0, TMX) is what `translate article --format`
    renders (``render``) for the document as it stands, and imports back unchanged."""
    from lxml import etree

    from translate.formats.registry import render

    store, doc_id = stored
    doc = store.load(doc_id)
    assert {"xliff", "xliff2", "tmx"} == workspace.CAT_EXPORTS <= set(workspace.EXPORTS)
    roots = {"xliff": ("xliff", "1.2"), "xliff2": ("xliff", "2.0"), "tmx": ("tmx", "1.4")}
    for fmt in sorted(workspace.CAT_EXPORTS):
        data, media_type, name = workspace.export(doc, fmt)
        assert data == render(doc, fmt) and "xml" in media_type
        assert name == "jembatan.en" + workspace.EXPORTS[fmt].extension
        root = etree.fromstring(data)
        assert (etree.QName(root).localname, root.get("version")) == roots[fmt]
        preview = workspace.preview_upload(store, doc_id, name, data)
        assert {u.state for u in preview.units} == {"unchanged"}, fmt
    assert workspace.EXPORTS["xliff2"].label == "XLIFF 2.0 (CAT tools)"


def test_upload_preview_then_apply_what_the_editor_accepts(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    old, _, _ = workspace.export(store.load(doc_id), "xliff")
    store.edit(doc_id, "p1.s1", "The President opened the new bridge.", who="Rina")
    store.set_status(doc_id, "p1", "approved", who="Rina")
    changed = old.replace(
        b"EN(Presiden Resmikan Jembatan di Beograd)", b"President Opens Bridge in Belgrade"
    )
    before = store.load(doc_id)
    preview = workspace.preview_upload(store, doc_id, "from-dewi.xlf", changed)
    assert store.load(doc_id) == before  # a preview writes nothing
    assert [(u.id, u.state) for u in preview.having("changed", "conflict")] == [
        ("p0.s0", "changed"),
        ("p1.s1", "conflict"),
    ]
    (conflict,) = preview.having("conflict")
    assert conflict.current == "The President opened the new bridge."
    assert "p1 was approved by Rina" in conflict.reason
    with pytest.raises(UsageError, match="not d-other"):
        workspace.apply_upload(store, "d-other", preview, set(), who="Dewi")
    report = workspace.apply_upload(store, doc_id, preview, {"p1.s1"}, who="Dewi")
    assert report.changed == ("p0.s0", "p1.s1") and report.conflicts == ()
    last = store.history(doc_id)[-1]
    assert (last.segment, last.who, last.origin) == ("p1.s1", "Dewi", "import:from-dewi.xlf")
    # Applying the same preview again: the paragraphs changed since it was made.
    again = workspace.apply_upload(store, doc_id, preview, {"p1.s1"}, who="Dewi")
    assert again.changed == () and [c.id for c in again.conflicts] == ["p0.s0", "p1.s1"]
    assert "changed after the file was previewed" in again.conflicts[0].reason


def test_a_broken_upload_is_named_by_its_own_name(stored: tuple[Store, str]) -> None:
    store, doc_id = stored
    with pytest.raises(InteropError) as caught:
        workspace.preview_upload(store, doc_id, "berita.xlf", b"<xliff")
    assert str(caught.value).startswith("berita.xlf: ") and "upload" not in str(caught.value)
