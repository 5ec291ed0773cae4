"""Domain values: a source ``Document`` of blocks, and a ``TranslatedDocument`` with its JSON form.

Ids are fixed when a document is created: paragraph ``p<N>`` in document order, sentence
``p<N>.s<M>``. They are never derived from text, because articles repeat lines (captions).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args, get_origin

from translate.errors import ContractError

SCHEMA = "translate.document/1"

# Names that are domain values: each a ``Literal`` (what mypy checks) and its values as a
# tuple (what ``from_dict`` checks and menus list), one definition each.
Kind = Literal[
    "title", "heading", "paragraph", "list_item", "quote", "caption", "byline", "credit", "other"
]  # fmt: skip
Status = Literal["draft", "edited", "approved"]
Severity = Literal["error", "warning"]
# "sentence": sentence pairs align one to one; "paragraph": the paragraph is one unit.
Segmentation = Literal["sentence", "paragraph"]
# How a span of source text becomes English:
#   translate: sent to the model;  copy: carried over unchanged (credits, names, URLs);
#   rule: a fixed house-style phrase (e.g. "Pewarta:" -> "Reporter:").
Mode = Literal["translate", "copy", "rule"]
# Where a sentence's English came from ("rule" extends the contract's mt|memory|copy).
Origin = Literal["mt", "memory", "copy", "rule"]
InlineKind = Literal["link", "em", "strong", "code"]

KINDS: tuple[Kind, ...] = get_args(Kind)
STATUSES: tuple[Status, ...] = get_args(Status)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
SEGMENTATIONS: tuple[Segmentation, ...] = get_args(Segmentation)
MODES: tuple[Mode, ...] = get_args(Mode)
ORIGINS: tuple[Origin, ...] = get_args(Origin)
INLINE_KINDS: tuple[InlineKind, ...] = get_args(InlineKind)
# Origins whose English went through the model (the others are carried over).
TRANSLATED_ORIGINS: tuple[Origin, ...] = ("mt", "memory")
# The span mode of a carried-over origin (the others were spans to translate).
_MODE_OF_ORIGIN: dict[Origin, Mode] = {"copy": "copy", "rule": "rule"}


@dataclass(frozen=True)
class Inline:
    """Inline markup over ``text[start:end]``: a link (with its ``href``), emphasis, strong
    or code. Offsets are into the plain text of a block (source) or a paragraph's English."""

    start: int
    end: int
    kind: InlineKind
    href: str = ""


@dataclass(frozen=True)
class Span:
    """One sentence of a block: ``block.source[start:end]``, and how it is translated."""

    start: int
    end: int
    mode: Mode = "translate"


@dataclass(frozen=True)
class Block:
    """A paragraph-level unit of the source, in document order."""

    id: str
    kind: Kind
    source: str
    spans: tuple[Span, ...]
    level: int = 0  # heading level, or list nesting depth
    marker: str = ""  # list marker as written ("-", "1.") so writers can restore it
    inline: tuple[Inline, ...] = ()  # links and emphasis over ``source`` (plain text)

    def sentence_texts(self) -> list[str]:
        """The source text of each span."""
        return [self.source[s.start : s.end] for s in self.spans]


@dataclass(frozen=True)
class Document:
    """A source article: blocks with exact (NFC-normalised) text and fixed ids.

    ``notes``: what the reader changed or could not keep, one line each ("read as Windows-1252
    (detected)", "repaired 3 mis-encoded characters"); carried into ``Meta.notes``.
    """

    blocks: tuple[Block, ...]
    name: str = ""
    format: str = "txt"
    notes: tuple[str, ...] = ()

    def block(self, block_id: str) -> Block:
        """The block with this id."""
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    @property
    def sentence_count(self) -> int:
        """How many sentences the document has, across all blocks."""
        return sum(len(b.spans) for b in self.blocks)


@dataclass(frozen=True)
class Sentence:
    """One translated sentence: its source span, final English, and the machine's English."""

    id: str
    source: str
    start: int
    end: int
    target: str
    mt: str
    origin: Origin = "mt"
    score: float | None = None


@dataclass(frozen=True)
class Term:
    """A glossary term found in a sentence, and whether its target reached the English."""

    source: str
    target: str
    sentence: str
    start: int
    end: int
    applied: bool


@dataclass(frozen=True)
class QAIssue:
    """A quality check's finding on a paragraph or sentence."""

    check: str  # a registered QA check's name, or another producer's ("markup")
    severity: Severity
    sentence: str | None
    message: str


@dataclass(frozen=True)
class Paragraph:
    """A translated block: source, final English (``target``), machine English (``mt``)."""

    id: str
    kind: Kind
    source: str
    target: str
    mt: str
    status: Status = "draft"
    sentences: tuple[Sentence, ...] = ()
    terms: tuple[Term, ...] = ()
    qa: tuple[QAIssue, ...] = ()
    level: int = 0
    marker: str = ""
    # "sentence": sentence pairs align one to one; "paragraph": an edit changed the sentence
    # count, so the paragraph is one unit for the memory, TMX and XLIFF.
    segmentation: Segmentation = "sentence"
    # Who approved the paragraph and when (ISO-8601 UTC), for the export's provenance.
    approved_by: str = ""
    approved_at: str = ""
    # Inline markup: over ``source``, and where it landed in ``target``.
    inline: tuple[Inline, ...] = ()
    target_inline: tuple[Inline, ...] = ()

    @property
    def translated(self) -> bool:
        """Whether any of this paragraph went through the model (not only copied)."""
        return any(s.origin in TRANSLATED_ORIGINS for s in self.sentences)


def model_name(model: str) -> str:
    """How a model is named in what is published (JSON ``meta``, export provenance): a hub id
    as it is, a local folder by its own name — never the server's path to it, which would
    show the machine's layout (an absolute folder under an account's home) to readers."""
    path = Path(model).expanduser()
    try:
        local = path.is_absolute() or path.is_dir()
    except OSError:  # not a name the file system takes (too long): not a local folder
        local = False
    return (path.name or model) if local else model


@dataclass(frozen=True)
class Record:
    """What made a translation, and when: the one reproducibility record.

    The translator produces it once per translation; the JSON ``meta`` (``Record.meta``), the
    provenance of exports (``provenance``), batch manifests (``settings``) and benchmark
    results are views of it. A record read back from JSON knows only what ``meta`` keeps.
    """

    model: str
    backend: str
    beams: int
    glossary_sha256: str | None
    version: str
    created: str = ""  # ISO-8601 UTC
    dtype: str = "auto"  # torch weight precision; "auto": float16 on CUDA, float32 on CPU
    quantized: bool = False  # int8 Linear layers (torch on CPU)
    memory: str | None = None  # the translation memory file, when one was used
    max_source_tokens: int | None = None  # None: not known (a record read back from JSON)
    full_vocab: bool = False  # decoded into the whole output layer (--full-vocab)

    # What the JSON ``meta`` keeps of a record (the rest decides batch reruns only).
    KEPT: ClassVar[tuple[str, ...]] = (
        "model",
        "version",
        "backend",
        "beams",
        "glossary_sha256",
        "created",
    )

    @property
    def precision(self) -> str:
        """The arithmetic the model ran in: ``int8`` when quantized, else the dtype."""
        return "int8" if self.quantized else self.dtype

    def settings(self) -> dict[str, Any]:
        """What decides the output (a batch rerun compares it): no version, no date."""
        out: dict[str, Any] = {
            "model": self.model,
            "backend": self.backend,
            "beams": self.beams,
            "glossary_sha256": self.glossary_sha256,
            "max_source_tokens": self.max_source_tokens,
            "memory": self.memory,
            "quantized": self.quantized,
        }
        if self.dtype != "auto":
            out["dtype"] = self.dtype  # only when set: older manifests stay valid
        if self.full_vocab:
            out["full_vocab"] = True  # likewise
        return out

    def provenance(self) -> dict[str, Any]:
        """What an export's provenance shows: the kept fields, ``created`` as ``translated``."""
        return {("translated" if k == "created" else k): v for k, v in self.kept().items()}

    def to_dict(self) -> dict[str, Any]:
        """Every field, and the precision, as plain values (benchmark results)."""
        return {**_asdict(self), "precision": self.precision}

    def kept(self) -> dict[str, Any]:
        """The fields the JSON ``meta`` keeps (``KEPT``), by name; the model by its published
        name (``model_name``; ``settings`` keeps the full path, for batch reruns)."""
        kept = {name: getattr(self, name) for name in self.KEPT}
        return {**kept, "model": model_name(self.model)}

    def meta(self, name: str = "", format: str = "txt", notes: tuple[str, ...] = ()) -> Meta:
        """The JSON ``meta`` of a document translated under this record."""
        return Meta(**self.kept(), name=name, format=format, notes=notes)


@dataclass(frozen=True)
class Meta:
    """How a document was translated: the JSON view of its ``Record``, and its source."""

    model: str
    version: str
    backend: str
    beams: int
    glossary_sha256: str | None
    created: str
    source_lang: str = "id"
    target_lang: str = "en"
    name: str = ""
    format: str = "txt"
    notes: tuple[str, ...] = ()  # the reader's notes on the source (``Document.notes``)

    def with_record(self, record: Record) -> Meta:
        """This meta with what ``record`` made (the source's name, format and notes kept)."""
        return replace(self, **record.kept())

    @property
    def record(self) -> Record:
        """The reproducibility record as far as the JSON keeps it."""
        return Record(**{name: getattr(self, name) for name in Record.KEPT})


@dataclass(frozen=True)
class TranslatedDocument:
    """A document with its translation, aligned paragraph by paragraph and sentence by sentence."""

    meta: Meta
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this id."""
        for p in self.paragraphs:
            if p.id == paragraph_id:
                return p
        raise KeyError(paragraph_id)

    def replace_paragraph(self, paragraph: Paragraph) -> TranslatedDocument:
        """A copy with the paragraph of the same id replaced."""
        if paragraph.id not in {p.id for p in self.paragraphs}:
            raise KeyError(paragraph.id)
        return replace(
            self,
            paragraphs=tuple(paragraph if p.id == paragraph.id else p for p in self.paragraphs),
        )

    @property
    def term_counts(self) -> tuple[int, int, int]:
        """Glossary terms (found, applied, missed) across the document."""
        terms = [t for p in self.paragraphs for t in p.terms]
        applied = sum(t.applied for t in terms)
        return len(terms), applied, len(terms) - applied

    @property
    def target_text(self) -> str:
        """The English, paragraphs separated by blank lines."""
        return "\n\n".join(p.target for p in self.paragraphs if p.target)

    def source_document(self) -> Document:
        """The source ``Document`` this translation was made from (same ids and spans)."""
        blocks = []
        for p in self.paragraphs:
            # Carried-over text stays carried over: a byline's "Pewarta:" is a rule, not MT.
            spans = tuple(
                Span(s.start, s.end, _MODE_OF_ORIGIN.get(s.origin, "translate"))
                for s in p.sentences
            )
            blocks.append(Block(p.id, p.kind, p.source, spans, p.level, p.marker, p.inline))
        return Document(
            tuple(blocks), name=self.meta.name, format=self.meta.format, notes=self.meta.notes
        )

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON (``translate.document/1``) as plain Python values."""
        return {
            "schema": SCHEMA,
            "meta": {**_asdict(self.meta), "notes": list(self.meta.notes)},
            "paragraphs": [
                {
                    **{k: v for k, v in _asdict(p).items() if k not in _NESTED},
                    "sentences": [_asdict(s) for s in p.sentences],
                    "terms": [_asdict(t) for t in p.terms],
                    "qa": [_asdict(q) for q in p.qa],
                    "inline": [_asdict(i) for i in p.inline],
                    "target_inline": [_asdict(i) for i in p.target_inline],
                }
                for p in self.paragraphs
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TranslatedDocument:
        """Read the contract JSON, checking every field; unknown fields are ignored.

        A malformed document (a number where text belongs, offsets outside the text, unknown
        statuses, duplicate ids …) raises ``ContractError`` naming the path of the problem.
        """
        root = _object(data, "document")
        schema = root.get("schema", SCHEMA)
        if not str(schema).startswith("translate.document/"):
            raise ContractError(f"not a translated document (schema {schema!r})")
        meta = _build(Meta, _object(root.get("meta", {}), "meta"), "meta")
        paragraphs: list[Paragraph] = []
        seen: set[str] = set()
        for i, item in enumerate(_list(root.get("paragraphs", []), "paragraphs")):
            where = f"paragraphs[{i}]"
            paragraphs.append(_paragraph(_object(item, where), where, seen))
        return cls(meta=meta, paragraphs=tuple(paragraphs))


_NESTED = ("sentences", "terms", "qa", "inline", "target_inline")


def _asdict(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value)}


def load_json(text: str | bytes, name: str) -> TranslatedDocument:
    """A translated document from JSON text, every problem one ``ContractError`` naming
    ``name`` (invalid JSON, nesting too deep for the parser, fields against the contract)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContractError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise ContractError(f"{name}: nested too deeply to be a translated document") from None
    try:
        return TranslatedDocument.from_dict(data)
    except ContractError as exc:
        raise ContractError(f"{name}: {exc}") from None


def _paragraph(data: Mapping[str, Any], where: str, seen: set[str]) -> Paragraph:
    nested: dict[str, tuple[Any, ...]] = {}
    for key, kind in (("sentences", Sentence), ("terms", Term), ("qa", QAIssue)):
        items = _list(data.get(key, []), f"{where}.{key}")
        nested[key] = tuple(
            _build(kind, _object(x, f"{where}.{key}[{j}]"), f"{where}.{key}[{j}]")
            for j, x in enumerate(items)
        )
    for key in ("inline", "target_inline"):
        items = _list(data.get(key, []), f"{where}.{key}")
        nested[key] = tuple(
            _build(Inline, _object(x, f"{where}.{key}[{j}]"), f"{where}.{key}[{j}]")
            for j, x in enumerate(items)
        )
    p: Paragraph = _build(Paragraph, data, where, **nested)
    if p.id in seen:
        raise ContractError(f"{where}.id: duplicate id {p.id!r}")
    seen.add(p.id)
    for j, s in enumerate(p.sentences):
        at = f"{where}.sentences[{j}]"
        if not s.id.startswith(p.id + "."):
            raise ContractError(f"{at}.id: {s.id!r} does not belong to paragraph {p.id!r}")
        if s.id in seen:
            raise ContractError(f"{at}.id: duplicate id {s.id!r}")
        seen.add(s.id)
        _span(s.start, s.end, len(p.source), at)
        if p.source[s.start : s.end] != s.source:
            raise ContractError(f"{at}.source: not the paragraph's text at {s.start}:{s.end}")
    for j, t in enumerate(p.terms):
        _span(t.start, t.end, len(p.source), f"{where}.terms[{j}]")
    for key, text in (("inline", p.source), ("target_inline", p.target)):
        for j, mark in enumerate(getattr(p, key)):
            _span(mark.start, mark.end, len(text), f"{where}.{key}[{j}]")
    return p


def _span(start: int, end: int, length: int, where: str) -> None:
    for name, value in (("start", start), ("end", end)):
        if not 0 <= value <= length:
            raise ContractError(f"{where}.{name}: {value} is outside the text (0 to {length})")
    if start > end:
        raise ContractError(f"{where}: start {start} is after end {end}")


def _build(cls: Any, data: Mapping[str, Any], where: str, **nested: Any) -> Any:
    """An instance of the dataclass ``cls`` from ``data``, each field checked by its type."""
    kwargs: dict[str, Any] = dict(nested)
    for f in fields(cls):
        if f.name in nested:
            continue
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ContractError(f"{where}.{f.name}: missing")
            continue
        kind = _TYPES[cls][f.name]
        allowed = _LITERALS.get(kind)
        value = _value(data[f.name], "str" if allowed else kind, f"{where}.{f.name}")
        if allowed is not None and value not in allowed:
            raise ContractError(f"{where}.{f.name}: {value!r} is not one of {', '.join(allowed)}")
        kwargs[f.name] = value
    return cls(**kwargs)


def _value(value: Any, kind: str, where: str) -> Any:
    """``value`` checked against a field's declared type (as written in the dataclass)."""
    if kind == "str":
        if isinstance(value, str):
            return value
        raise ContractError(f"{where}: expected a string, got {_kind(value)}")
    if kind == "str | None":
        if value is None or isinstance(value, str):
            return value
        raise ContractError(f"{where}: expected a string or null, got {_kind(value)}")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ContractError(f"{where}: expected an integer, got {_kind(value)}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ContractError(f"{where}: expected true or false, got {_kind(value)}")
    if kind == "float | None":
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ContractError(f"{where}: expected a finite number, got {value}")
            return float(value)
        raise ContractError(f"{where}: expected a number or null, got {_kind(value)}")
    if kind == "tuple[str, ...]":
        items = _list(value, where)
        for j, item in enumerate(items):
            if not isinstance(item, str):
                raise ContractError(f"{where}[{j}]: expected a string, got {_kind(item)}")
        return tuple(items)
    raise AssertionError(f"no reader for field type {kind}")  # a new field type: add it here


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    raise ContractError(f"{where}: expected an object, got {_kind(value)}")


def _list(value: Any, where: str) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    raise ContractError(f"{where}: expected a list, got {_kind(value)}")


def _kind(value: Any) -> str:
    """What a JSON value is, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def join_targets(targets: Iterable[str]) -> str:
    """A paragraph's English from its sentences' English, one space between sentences.

    Separators are normalised: line breaks inside a source paragraph are wrapping, not structure.
    """
    return " ".join(t for t in targets if t)


# Field types as declared (``from __future__ import annotations`` keeps them as text), and
# the values of the ``Literal`` names those types are: what the reader checks against.
_TYPES: dict[Any, dict[str, str]] = {
    cls: {f.name: str(f.type) for f in fields(cls)}
    for cls in (Meta, Paragraph, Sentence, Term, QAIssue, Inline)
}
_LITERALS: dict[str, tuple[str, ...]] = {
    name: get_args(alias) for name, alias in dict(globals()).items() if get_origin(alias) is Literal
}
