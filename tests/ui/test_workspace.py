"""What the workspace shows of a row, and its exports and imports, without Streamlit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeEngine
from tests.formats.catfiles import HOSTILE_TEXT, stored_article
from translate import Glossary, Translator
from translate.document import Meta, Paragraph, QAIssue, TranslatedDocument
from translate.engines.base import Hypothesis
from translate.errors import UsageError
from translate.formats.units import InteropError
from translate.formats.writers import provenance
from translate.review.memory import Memory
from translate.review.qa import check_document
from translate.review.store import Store
from translate.ui import workspace
from translate.ui.workspace import (
    EFFORT_HELP,
    Counts,
    Retranslation,
    WorkItem,
    counts,
    document_effort_line,
    effort_line,
    findings,
    header_line,
    open_items,
    suggestions,
    translatable,
    warnings,
    work_list,
)


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


def test_suggestions_carry_the_proposed_english() -> None:
    """The suggestions of all the paragraphs, each with its English to prefill the glossary
    row the editor confirms."""
    meta = Meta(model="m", version="0", backend="torch", beams=1, glossary_sha256=None, created="")
    rows = ("Militer masuk ke Aleppo Tenggara.", "Lavrov ditemui timpalan Serbianya.")
    doc = TranslatedDocument(
        meta, tuple(Paragraph(f"p{n}", "paragraph", s, "", "") for n, s in enumerate(rows))
    )
    found = [(s.form, s.count, s.target) for s in suggestions(doc, Glossary.default())]
    assert found == [("Aleppo Tenggara", 1, "Southeast Aleppo"), ("Serbia", 1, "Serbia")]


@pytest.mark.parametrize(
    ("qa", "expected"),
    [
        pytest.param((), [], id="none"),
        pytest.param(
            (QAIssue("length", "warning", "p1.s0", "p1.s0: the English is long"),),
            [("warning", ["the English is long (p1.s0)"])],
            id="warnings-only",
        ),
        pytest.param(
            (
                QAIssue("length", "warning", "p1.s0", "p1.s0: the English is long"),
                QAIssue("numbers", "error", "p1.s0", "p1.s0: the English has 1931, not 1932"),
                QAIssue("numbers", "error", "p1.s1", "p1.s1: the English has 1931, not 1932"),
                QAIssue("terms", "error", "p1.s1", "p1.s1: glossary term AS → US missed: …"),
                QAIssue("markup", "warning", None, "bold “x” could not be placed"),
            ),
            [
                (
                    "error",
                    [
                        "the English has 1931, not 1932 (p1.s0, p1.s1)",
                        "glossary term AS → US missed: … (p1.s1)",
                    ],
                ),
                ("warning", ["the English is long (p1.s0)", "bold “x” could not be placed"]),
            ],
            id="grouped-errors-first-values-kept",
        ),
    ],
)
def test_findings_grouped_by_severity(
    qa: tuple[QAIssue, ...], expected: list[tuple[str, list[str]]]
) -> None:
    row = _paragraph(*qa)
    assert findings(row) == expected
    # warnings() is the same lines, flat, each with its severity.
    assert warnings(row) == [f"{sev}: {line}" for sev, lines in expected for line in lines]


# --- the work list and the header's counts -----------------------------------------------------

ARTICLE = """Presiden Resmikan Jembatan

Presiden tiba di Amerika Serikat. Ia disambut warga.

Harga beras naik di Amerika Serikat.

Pewarta: Budi Santoso
"""
GLOSSARY = Glossary.from_entries([("Amerika Serikat", "United States")])


class DictEngine(FakeEngine):
    """Fixed English for some model inputs, ``EN(<source>)`` for the rest."""

    def __init__(self, english: dict[str, str]) -> None:
        super().__init__()
        self.english = english

    def translate(self, texts, *, beams=4, n_best=1, on_batch=None, terms=None):  # type: ignore[no-untyped-def]
        results = super().translate(texts, beams=beams, n_best=n_best, terms=terms)
        fixed = [
            [Hypothesis(self.english.get(t, h.text), h.score) for h in hs]
            for t, hs in zip(texts, results, strict=True)
        ]
        if on_batch is not None:
            on_batch(list(range(len(texts))), fixed)
        return fixed


@pytest.fixture
def engine() -> DictEngine:
    # The MT of p2 has the glossary term; that of p1 ("EN(…)") misses it.
    return DictEngine({"Harga beras naik di Amerika Serikat.": "Rice rose in the United States."})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.sqlite") as s:
        yield s


def _stored(store: Store, translator: Translator, text: str = ARTICLE) -> str:
    doc_id = workspace.create(store, workspace.document_from_paste(text), text, translator)
    workspace.translate_pending(store, doc_id, translator)
    return doc_id


def _checked(store: Store, doc_id: str) -> TranslatedDocument:
    """The document as the workspace shows it: QA on the English as it is now."""
    return check_document(store.load(doc_id))


def _kinds(items: list[WorkItem]) -> list[tuple[str, str]]:
    return [(i.kind, i.where) for i in items]


def test_work_list_in_document_order(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    doc = _checked(store, doc_id)
    assert [p.translated for p in doc.paragraphs] == [True, True, True, False]  # p3: a byline
    # Every score is equal, so the first sentence is "least confident"; p3 is never open.
    assert _kinds(work_list(doc)) == [
        ("unapproved", "p0"),
        ("low-confidence", "p0.s0"),
        ("unapproved", "p1"),
        ("missed-term", "p1.s0"),
        ("unapproved", "p2"),
    ]
    assert work_list(doc)[3].label.startswith("glossary term Amerika Serikat → United States")


def test_approvable_rows_have_no_error_and_no_missed_term(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    # p1 missed a term; p3 is a byline (nothing to approve); p2 is approved next.
    assert workspace.approvable(_checked(store, doc_id)) == ["p0", "p2"]
    store.set_status(doc_id, "p2", "approved")
    assert workspace.approvable(_checked(store, doc_id)) == ["p0"]


def test_missed_terms_are_counted_on_the_english_as_it_is_now(
    store: Store, engine: DictEngine
) -> None:
    """The MT of p1 missed the term and an edit fixed it; the MT of p2 had it and an edit lost
    it. The header follows the English (as the rows do), not the record made on the MT."""
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    assert counts(_checked(store, doc_id)).missed_terms == 1  # p1's MT
    store.edit(doc_id, "p1", "The president arrived in the United States. Residents greeted him.")
    store.edit(doc_id, "p2", "Rice rose in America.")
    doc = _checked(store, doc_id)
    assert doc.term_counts == (2, 1, 1)  # the record on the MT still says p1 missed it
    missed = [i for i in work_list(doc) if i.kind == "missed-term"]
    assert [i.where for i in missed] == ["p2.s0"]
    assert counts(doc).missed_terms == 1
    assert [line for line in warnings(doc.paragraph("p2")) if "glossary" in line] == [
        f"error: {missed[0].label} (p2.s0)"  # the row says the same
    ]
    assert not any("glossary" in line for line in warnings(doc.paragraph("p1")))
    assert "1 glossary term missed: Amerika Serikat → United States" in open_items(doc)


def test_counts_are_the_lengths_of_the_lists(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    store.edit(doc_id, "p2", "Rice rose in America.")
    store.set_status(doc_id, "p0", "approved", "Dewi")
    doc = _checked(store, doc_id)
    items = work_list(doc)
    c = counts(doc)
    assert c == Counts(
        paragraphs=4,
        translatable=3,
        approved=1,
        edited=1,
        draft=1,
        unapproved=2,
        missed_terms=2,
        qa_errors=0,
        low_confidence=0,  # the least confident sentence, p0.s0, is approved
    )
    assert c.translatable == len(translatable(doc)) == c.approved + c.edited + c.draft
    assert c.carried == 1
    for kind, number in [
        ("unapproved", c.unapproved),
        ("missed-term", c.missed_terms),
        ("qa-error", c.qa_errors),
        ("low-confidence", c.low_confidence),
    ]:
        assert number == sum(i.kind == kind for i in items), kind
    # The provenance of every export counts the same paragraphs.
    assert provenance(doc)["paragraphs"] == c.translatable
    assert provenance(doc)["approved"] == c.approved
    assert header_line(c) == (
        "3 translatable paragraphs (1 more carried over, nothing to translate) · 1 approved · "
        "1 edited · 1 draft · 2 glossary terms missed · 0 other QA errors · "
        "0 least confident sentences"
    )
    assert (c.approved, c.edited, c.draft, c.missed_terms) == (1, 1, 1, 2)


def test_the_gate_says_the_headers_numbers(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    store.edit(doc_id, "p0", "The 1931 bridge.")  # a number the source does not have
    doc = _checked(store, doc_id)
    c = counts(doc)
    assert c.qa_errors == 1
    assert open_items(doc) == [
        f"{c.unapproved} paragraphs not approved: p0, p1, p2",
        f"{c.missed_terms} glossary term missed: Amerika Serikat → United States",
        f"{c.qa_errors} other QA error: p0.s0",
    ]
    # Low confidence holds nothing back; approving every row leaves the QA findings only.
    for pid in ("p0", "p1", "p2"):
        store.set_status(doc_id, pid, "approved")
    doc = _checked(store, doc_id)
    assert counts(doc).low_confidence == 0
    assert open_items(doc) == [
        "1 glossary term missed: Amerika Serikat → United States",
        "1 other QA error: p0.s0",
    ]


def test_an_untranslated_paragraph_is_open(store: Store, engine: DictEngine) -> None:
    translator = Translator(engine=engine, glossary=GLOSSARY)
    doc_id = workspace.create(store, workspace.document_from_paste(ARTICLE), ARTICLE, translator)
    doc = _checked(store, doc_id)
    unapproved = [i for i in work_list(doc) if i.kind == "unapproved"]
    assert [(i.where, i.label) for i in unapproved] == [
        (p, "not translated yet") for p in ("p0", "p1", "p2")
    ]
    assert counts(doc).draft == 3


# --- post-editing effort --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mt", "target", "line"),
    [
        pytest.param("Rice rose.", "Rice rose.", "unchanged", id="untouched"),
        pytest.param(
            "Rice rose in the United States.",
            "Rice rose in America.",
            "14 characters changed (45 %) · 3 of 6 words",
            id="one-phrase",
        ),
        pytest.param("the cat", "The cat", "1 character changed (14 %) · 1 of 2 words", id="case"),
        # A short MT rewritten at length: every word is new, never more than all of them.
        pytest.param(
            "Yes.",
            "Yes, the minister said on Monday that the talks would go on next week.",
            "66 characters changed (94 %) · 14 of 14 words",
            id="short-mt-long-edit",
        ),
        # A long MT cut down to two words: TER is 850 here (edits per word of the final).
        pytest.param(
            "The minister said on Monday that the talks with the United States would go on.",
            "Talks continue.",
            "68 characters changed (87 %) · 15 of 15 words",
            id="long-mt-short-edit",
        ),
        pytest.param(
            "x" * 1000, "x" * 1000 + "y", "1 character changed (<1 %) · 1 of 1 word", id="tiny"
        ),
    ],
)
def test_effort_line(mt: str, target: str, line: str) -> None:
    assert effort_line(mt, target) == line
    assert "%" in EFFORT_HELP and "TER" in EFFORT_HELP


def test_document_effort_line(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    assert document_effort_line(store.load(doc_id)) == "unchanged"
    store.edit(doc_id, "p2", "Rice rose in America.")
    # p2's 14 characters and 3 words, out of all that went through the model (p0 to p2; the
    # byline is not counted).
    assert document_effort_line(store.load(doc_id)) == (
        "14 characters changed (12 %) · 3 of 17 words"
    )


# --- re-translation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kept", "tail"),
    [
        pytest.param("draft", False, ".", id="draft"),
        pytest.param(
            "edited", True, "; your edited English is kept — the new MT is beside it.", id="edited"
        ),
        pytest.param(
            "approved",
            True,
            "; your approved English is kept — the new MT is beside it.",
            id="approved",
        ),
    ],
)
def test_retranslate_says_what_it_did(
    store: Store, engine: DictEngine, status: str, kept: bool, tail: str
) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=None))
    if status == "edited":
        store.edit(doc_id, "p1", "The president landed.")
    elif status == "approved":
        store.set_status(doc_id, "p1", "approved", "Dewi")
    before = store.load(doc_id).paragraph("p1")
    engine.english["Presiden tiba di Amerika Serikat."] = "The president is in the United States."
    result = workspace.retranslate(
        store, doc_id, "p1", Translator(engine=engine, glossary=GLOSSARY)
    )
    assert isinstance(result, Retranslation)
    assert result.paragraph == store.load(doc_id).paragraph("p1")
    assert result.paragraph.mt == "The president is in the United States. EN(Ia disambut warga.)"
    assert result.mt_changed and result.kept is kept
    assert result.paragraph.status == status
    assert result.paragraph.target == (before.target if kept else result.paragraph.mt)
    assert [(t.source, t.target) for t in result.applied] == [("Amerika Serikat", "United States")]
    assert result.missed == ()
    assert result.message == (
        f"Re-translated p1 with the model: MT changed, 1 glossary term applied{tail}"
    )


def test_retranslate_names_the_missed_terms(store: Store, engine: DictEngine) -> None:
    doc_id = _stored(store, Translator(engine=engine, glossary=GLOSSARY))
    result = workspace.retranslate(
        store, doc_id, "p1", Translator(engine=engine, glossary=GLOSSARY)
    )
    assert not result.mt_changed and not result.kept
    assert result.message == (
        "Re-translated p1 with the model: MT unchanged, "
        "1 glossary term missed (Amerika Serikat → United States)."
    )


def test_retranslating_a_byline_keeps_it_carried_over(store: Store, engine: DictEngine) -> None:
    """ "Pewarta:" is a house-style rule: re-translating the byline sends nothing to the model."""
    translator = Translator(engine=engine, glossary=GLOSSARY)
    doc_id = _stored(store, translator)
    before = store.load(doc_id).paragraph("p3")
    calls = len(engine.calls)
    result = workspace.retranslate(store, doc_id, "p3", translator)
    assert len(engine.calls) == calls
    assert result.paragraph.target == before.target == "Reporter: Budi Santoso"
    assert [s.origin for s in result.paragraph.sentences] == [s.origin for s in before.sentences]
    assert result.message == "p3 has nothing for the model: it is carried over as it is."


def test_retranslate_uses_the_model_not_the_memory(
    store: Store, tiny_translator: Translator
) -> None:
    """p1, approved, is in the translation memory; after a glossary change, re-translating it
    must ask the model (with the new term), not hand back p1's own approved English."""
    text = "Harga beras naik.\n\nPresiden tiba di Amerika Serikat."
    engine = tiny_translator.engine
    doc_id = _stored(store, Translator(engine=engine, beams=2, glossary=None), text)
    store.set_status(doc_id, "p1", "approved", "Dewi")
    approved = store.load(doc_id).paragraph("p1")
    assert "United States" not in approved.mt
    # The glossary changes; the translator with the new one reads the same memory.
    translator = Translator(engine=engine, beams=2, glossary=GLOSSARY, memory=Memory(store.path))
    remembered = translator.translate_document(text).paragraph("p1")
    assert [s.origin for s in remembered.sentences] == ["memory"]  # what the bug handed back

    result = workspace.retranslate(store, doc_id, "p1", translator)
    p1 = result.paragraph
    assert [s.origin for s in p1.sentences] == ["mt"]
    assert "United States" in p1.mt and result.mt_changed
    assert [t.target for t in result.applied] == ["United States"]
    assert p1.status == "approved" and p1.target == approved.target and result.kept
    assert result.message.startswith("Re-translated p1 with the model: MT changed, 1 glossary")


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
