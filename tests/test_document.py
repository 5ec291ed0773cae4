from __future__ import annotations

import json

import pytest

from translate.document import (
    SCHEMA,
    Meta,
    Paragraph,
    QAIssue,
    Sentence,
    Term,
    TranslatedDocument,
)


def _doc() -> TranslatedDocument:
    s0 = Sentence("p0.s0", "Halo dunia.", 0, 11, "Hello world.", "Hello world.", "mt", -0.25)
    s1 = Sentence("p0.s1", "(Ant)", 12, 17, "(Ant)", "(Ant)", "copy", None)
    p0 = Paragraph(
        "p0",
        "paragraph",
        "Halo dunia. (Ant)",
        "Hello world. (Ant)",
        "Hello world. (Ant)",
        "edited",
        (s0, s1),
        (Term("dunia", "world", "p0.s0", 5, 10, True),),
        (QAIssue("numbers", "warning", "p0.s0", "a number is missing"),),
    )
    p1 = Paragraph("p1", "list_item", "Satu", "One", "One", sentences=(), level=1, marker="1.")
    meta = Meta("tiny", "0.1.0", "torch", 4, None, "2026-01-01T00:00:00+00:00")
    return TranslatedDocument(meta, (p0, p1))


def test_round_trip_is_identity() -> None:
    doc = _doc()
    assert TranslatedDocument.from_dict(doc.to_dict()) == doc
    # And through real JSON text.
    assert TranslatedDocument.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


def test_contract_fields() -> None:
    data = _doc().to_dict()
    assert data["schema"] == SCHEMA
    assert set(data["meta"]) >= {
        "model",
        "version",
        "backend",
        "beams",
        "glossary_sha256",
        "created",
        "source_lang",
        "target_lang",
    }
    p = data["paragraphs"][0]
    assert set(p) >= {"id", "kind", "source", "target", "mt", "status", "sentences", "terms", "qa"}
    assert set(p["sentences"][0]) >= {
        "id",
        "source",
        "start",
        "end",
        "target",
        "mt",
        "origin",
        "score",
    }
    assert set(p["terms"][0]) == {"source", "target", "sentence", "start", "end", "applied"}
    assert set(p["qa"][0]) == {"check", "severity", "sentence", "message"}


def test_unknown_fields_are_ignored() -> None:
    data = _doc().to_dict()
    data["extra"] = 1
    data["meta"]["future"] = "x"
    data["paragraphs"][0]["future"] = [1]
    data["paragraphs"][0]["sentences"][0]["alignment"] = [[0, 1]]
    assert TranslatedDocument.from_dict(data) == _doc()


def test_wrong_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="schema"):
        TranslatedDocument.from_dict({"schema": "something/else"})


def test_replace_paragraph_and_lookup() -> None:
    doc = _doc()
    edited = Paragraph("p1", "list_item", "Satu", "First", "One", "edited", level=1, marker="1.")
    new = doc.replace_paragraph(edited)
    assert new.paragraph("p1").target == "First"
    assert doc.paragraph("p1").target == "One"  # frozen: the original is untouched
    with pytest.raises(KeyError):
        doc.paragraph("p9")


def test_source_document_keeps_ids_and_spans() -> None:
    src = _doc().source_document()
    assert [b.id for b in src.blocks] == ["p0", "p1"]
    assert src.blocks[0].sentence_texts() == ["Halo dunia.", "(Ant)"]
    assert [s.mode for s in src.blocks[0].spans] == ["translate", "copy"]
