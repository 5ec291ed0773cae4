from __future__ import annotations

import json
from dataclasses import fields
from typing import get_args

import pytest

from translate import document
from translate.document import (
    KINDS,
    MODES,
    ORIGINS,
    SCHEMA,
    SEGMENTATIONS,
    SEVERITIES,
    STATUSES,
    TRANSLATED_ORIGINS,
    Kind,
    Meta,
    Mode,
    Origin,
    Paragraph,
    QAIssue,
    Segmentation,
    Sentence,
    Status,
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


def test_source_document_keeps_house_style_rules() -> None:
    """A byline's "Pewarta:" was a rule span; read back it is one still, so re-translating
    the byline sends nothing to the model."""
    rule = Sentence("p0.s0", "Pewarta:", 0, 8, "Reporter:", "Reporter:", "rule", None)
    name = Sentence("p0.s1", "Budi", 9, 13, "Budi", "Budi", "copy", None)
    byline = Paragraph("p0", "byline", "Pewarta: Budi", "Reporter: Budi", "Reporter: Budi",
                       sentences=(rule, name))  # fmt: skip
    doc = TranslatedDocument(_doc().meta, (byline,))
    assert [s.mode for s in doc.source_document().blocks[0].spans] == ["rule", "copy"]


# --- malformed documents are refused with the path of the problem (issue 17, item 7) ---------


def _broken(change):  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(_doc().to_dict()))
    change(data)
    return data


def _set(path: str, value: object):  # type: ignore[no-untyped-def]
    """A change that sets ``data[...]`` along a dotted path with [i] indexes."""

    def change(data: dict) -> None:  # type: ignore[type-arg]
        keys = [
            int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")
        ]
        node = data
        for key in keys[:-1]:
            node = node[key]
        if value is _DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value

    return change


_DELETE = object()

P0, S0 = "paragraphs[0]", "paragraphs[0].sentences[0]"
# (field path, value written there, the message: after the path unless it starts with ":").
MALFORMED = [
    (f"{P0}.target", 5, "expected a string, got a number"),
    (f"{P0}.target", [1], "expected a string, got a list"),
    (f"{P0}.target", {"a": 1}, "expected a string, got an object"),
    (f"{P0}.source", None, "expected a string, got null"),
    (f"{P0}.id", _DELETE, "missing"),
    (f"{P0}.status", "weird", "'weird' is not one of draft, edited, approved"),
    (f"{P0}.kind", "banner", "'banner' is not one of title"),
    (f"{P0}.level", "2", "expected an integer, got a string"),
    (f"{P0}.level", True, "expected an integer, got a boolean"),
    (f"{S0}.start", -5, "-5 is outside the text (0 to 17)"),
    (f"{S0}.end", 999, "999 is outside the text (0 to 17)"),
    (f"{S0}.start", 12, ":{S0}: start 12 is after end 11"),
    (f"{S0}.source", "Lain.", "not the paragraph's text at 0:11"),
    (f"{S0}.origin", "guess", "'guess' is not one of mt"),
    (f"{S0}.score", "high", "expected a number or null, got a string"),
    (f"{S0}.score", float("nan"), "expected a finite number, got nan"),
    (f"{P0}.sentences[1].id", "p0.s0", "duplicate id 'p0.s0'"),
    (f"{S0}.id", "p1.s0", "'p1.s0' does not belong to paragraph 'p0'"),
    ("paragraphs[1].id", "p0", "duplicate id 'p0'"),
    (f"{P0}.terms[0].applied", "yes", "expected true or false, got a string"),
    (f"{P0}.terms[0].start", -1, "-1 is outside the text (0 to 17)"),
    (f"{P0}.qa[0].severity", "fatal", "'fatal' is not one of error, warning"),
    (f"{P0}.sentences", {"a": 1}, "expected a list, got an object"),
    (S0, "p0.s0", "expected an object, got a string"),
    ("paragraphs", {"p0": {}}, "expected a list, got an object"),
    (P0, None, "expected an object, got null"),
    ("meta", [], "expected an object, got a list"),
    ("meta.beams", "four", "expected an integer, got a string"),
    ("meta.model", _DELETE, "missing"),
    (f"{P0}.inline", [{"start": 0, "end": 99, "kind": "em"}], ":{P0}.inline[0].end: 99 is outside"),
    (f"{P0}.target_inline", [{"start": 0, "end": 2, "kind": "blink"}],
     ":{P0}.target_inline[0].kind: 'blink' is not one of link"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED)
def test_malformed_documents_are_refused(path: str, value: object, message: str) -> None:
    from translate.errors import ContractError

    expected = message[1:].format(P0=P0, S0=S0) if message.startswith(":") else f"{path}: {message}"
    with pytest.raises(ContractError) as info:
        TranslatedDocument.from_dict(_broken(_set(path, value)))
    assert str(info.value).startswith(expected)
    assert isinstance(info.value, ValueError)  # callers that caught ValueError still do
    assert "\n" not in str(info.value)


def test_not_an_object_is_refused() -> None:
    from translate.errors import ContractError

    for value in ([], "x", 3, None):
        with pytest.raises(ContractError, match="expected an object"):
            TranslatedDocument.from_dict(value)  # type: ignore[arg-type]


def test_deeply_nested_json_is_one_error() -> None:
    from translate.document import load_json
    from translate.errors import ContractError

    with pytest.raises(ContractError, match="nested too deeply"):
        load_json("[" * 100_000 + "]" * 100_000, "deep.json")
    with pytest.raises(ContractError, match=r"deep\.json: not valid JSON \(line 1"):
        load_json("{", "deep.json")
    assert load_json(json.dumps(_doc().to_dict()), "ok.json") == _doc()


def test_every_literal_field_is_checked_against_its_values() -> None:
    """The ``Literal`` aliases are the one definition: their values are what ``from_dict``
    accepts, field by field."""
    aliases = {
        (Paragraph, "kind"): KINDS,
        (Paragraph, "status"): STATUSES,
        (Paragraph, "segmentation"): SEGMENTATIONS,
        (Sentence, "origin"): ORIGINS,
        (QAIssue, "severity"): SEVERITIES,
    }
    assert get_args(Kind) == KINDS and get_args(Origin) == ORIGINS and get_args(Mode) == MODES
    assert get_args(Status) == STATUSES and get_args(Segmentation) == SEGMENTATIONS
    for (cls, name), values in aliases.items():
        field_type = next(str(f.type) for f in fields(cls) if f.name == name)
        assert get_args(getattr(document, field_type)) == values
    data = _doc().to_dict()
    for origin in ORIGINS:
        data["paragraphs"][0]["sentences"][0]["origin"] = origin
        assert TranslatedDocument.from_dict(data).paragraphs[0].sentences[0].origin == origin
    assert set(TRANSLATED_ORIGINS) < set(ORIGINS)


@pytest.mark.parametrize(
    ("model", "published"),
    [
        ("Helsinki-NLP/opus-mt-id-en", "Helsinki-NLP/opus-mt-id-en"),
        ("/home/newsroom/models/opus-mt-id-en", "opus-mt-id-en"),
        ("redaksi-" * 60, "redaksi-" * 60),  # longer than a file name may be: not a folder
    ],
)
def test_model_name_hides_the_servers_path(model: str, published: str) -> None:
    from translate.document import model_name

    assert model_name(model) == published
