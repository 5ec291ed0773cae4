"""Property tests for every reader, importer and writer: for any input, a document or one
``TranslateError`` with a message, never another exception; valid text loses no character;
HTML and Markdown outputs carry nothing executable.

The examples per test are few in CI (``TRANSLATE_FUZZ_EXAMPLES``, default 40). A long
campaign (``scripts/fuzz``) runs each test for minutes with the ``campaign`` profile.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate import Translator
from translate.document import Inline, Meta, Paragraph, Sentence, TranslatedDocument, load_json
from translate.errors import TranslateError
from translate.formats.readers import read_docx, read_text
from translate.formats.registry import names, render
from translate.text.normalize import clean_source

from .conftest import FakeEngine

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("TRANSLATE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "campaign",
    max_examples=10**9,  # bounded by the campaign's timeout, not by a count
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
FUZZ = settings.get_profile(os.environ.get("TRANSLATE_FUZZ_PROFILE", "ci"))
DATA = Path(__file__).parent / "data"


@contextmanager
def written(name: str, data: bytes) -> Iterator[Path]:
    """``data`` in a temporary file called ``name`` (readers of files take paths)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def outcome(read: Callable[[], Any]) -> Any:
    """The reader's result, or None when it refused with a ``TranslateError`` that says why."""
    try:
        return read()
    except TranslateError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message.strip(), repr(message)
        assert "Traceback" not in message
        return None


def visible(text: str) -> str:
    return "".join(text.split())


# --- strategies -------------------------------------------------------------------------------

# Any character, control characters and noncharacters included (not lone surrogates: a str
# read from a file never has them, decoding replaces or refuses).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
WORDS = st.sampled_from(
    ["Harga", "beras", "naik", "Presiden", "Jokowi", "di", "Jakarta", "13.924", "Rp4,9",
     "“kutipan”", "–", "(Ant)", "é", "😀", "\u00a0", "\u200b", "\x96", "â€™", "\x1b[31m"]
)  # fmt: skip
PROSE = st.lists(
    st.one_of(WORDS, st.sampled_from([" ", " ", "\n", "\n\n", ". ", "! ", "? "])), max_size=60
).map("".join)
# Prose with nothing to repair: where a test is about structure, not about ftfy's heuristics
# (which may repair "â€™" in one context and not in another).
CLEAN_PROSE = PROSE.map(lambda t: t.replace("\x96", "-").replace("â€™", "'").replace("\x1b", ""))
MD_TOKENS = st.sampled_from(
    ["# ", "## ", "- ", "* ", "1. ", "> ", "```", "~~~", "    ", "---", "|", "*", "**", "_",
     "`", "[", "](", ")", "<b>", "</b>", "<div>", "</div>", "<script>", "<!--", "-->", "&amp;",
     "&#0;", "\\", "\n", "\n\n", "![", "<https://x.example>", "[^1]", "| a | b |\n|---|---|\n"]
)  # fmt: skip
MARKDOWN = st.lists(st.one_of(MD_TOKENS, PROSE), max_size=40).map("".join)
HTML_TOKENS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<span>", "</span>", "<b>", "</b>", "<i>", "<em>",
     "</em>", "<strong>", "<a href='https://x.example/'>", "<a href='javascript:alert(1)'>",
     "</a>", "<ul>", "</ul>", "<ol start='²'>", "<ol start='3'>", "</ol>", "<li value='x'>",
     "<li>", "</li>", "<h1>", "</h1>", "<h3>", "</h3>", "<blockquote>", "</blockquote>", "<br>",
     "<pre>", "</pre>", "<code>", "</code>", "<table><tr><td>", "</td></tr></table>",
     "<figure><figcaption>", "</figcaption></figure>", "<script>alert(1)</script>",
     "<style>p{}</style>", "<!-- c -->", "&amp;", "&#150;", "&nbsp;", "&bogus;", "<![CDATA[x]]>",
     "<img src=x onerror=alert(1)>", "<article>", "</article>", "<main>", "</main>", "<nav>",
     "</nav>", "<body>", "</body>", "<html>", "<?xml version='1.0'?>", "<!DOCTYPE html>"]
)  # fmt: skip
HTML = st.lists(st.one_of(HTML_TOKENS, PROSE), max_size=60).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


# --- readers ----------------------------------------------------------------------------------


@FUZZ
@given(ANY_TEXT | PROSE)
def test_text_reader_loses_no_character(text: str) -> None:
    document = outcome(lambda: read_text(text, "txt"))
    assert document is not None  # text is always readable
    # A list item's marker ("-", "1)") is kept beside its text, for the writers to restore.
    kept = visible("".join(b.marker * (b.kind == "list_item") + b.source for b in document.blocks))
    assert kept == visible(clean_source(text))
    for block in document.blocks:
        spans = [block.source[s.start : s.end] for s in block.spans]
        assert visible("".join(spans)) == visible(block.source)  # sentences cover the block


@FUZZ
@given(st.binary(max_size=400) | PROSE.map(lambda t: t.encode("cp1252", "replace")))
def test_any_bytes_decode_or_refuse(data: bytes) -> None:
    from translate.formats.readers import read_file

    with written("berita.txt", data) as path:
        document = outcome(lambda: read_file(path))
    if document is not None and data.isascii() and b"\x00" not in data:
        assert visible("".join(b.source for b in document.blocks)) == visible(
            clean_source(data.decode("ascii"))
        )


@FUZZ
@given(MARKDOWN | ANY_TEXT)
def test_markdown_reader(text: str) -> None:
    document = outcome(lambda: read_text(text, "md"))
    assert document is not None
    for block in document.blocks:
        for mark in block.inline:
            assert 0 <= mark.start < mark.end <= len(block.source)


@FUZZ
@given(HTML | ANY_TEXT)
def test_html_reader(text: str) -> None:
    document = outcome(lambda: read_text(text, "html"))
    if document is None:
        return
    for block in document.blocks:
        for mark in block.inline:
            assert 0 <= mark.start < mark.end <= len(block.source)
        assert (
            "<script" not in block.source.lower()
            or "&lt;script" in text.lower()
            or ("<script" in text.lower())
        )


PLAIN_HTML_TOKENS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<em>", "</em>", "<h2>", "</h2>",
     "<ul>", "<li>", "</li>", "</ul>", "<blockquote>", "</blockquote>", "<span>", "</span>"]
)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(PLAIN_HTML_TOKENS, CLEAN_PROSE), max_size=50).map("".join))
def test_html_reader_keeps_all_text_of_the_body(text: str) -> None:
    """With only elements whose text is article text, every visible character arrives."""
    document = outcome(lambda: read_text(text, "html"))
    assert document is not None
    page = lxml.html.document_fromstring(f"<html><body>{text}</body></html>")
    expected = visible(clean_source(page.body.text_content()))
    assert visible("".join(b.source for b in document.blocks)) == expected


DOCX_STYLES = ["Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "List Number", "Quote"]


@st.composite
def docx_files(draw: st.DrawFn) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = draw(st.text(max_size=30).map(_xml_safe))
    for _ in range(draw(st.integers(0, 6))):
        para = document.add_paragraph(style=draw(st.sampled_from(DOCX_STYLES)))
        for _ in range(draw(st.integers(0, 3))):
            run = para.add_run(_xml_safe(draw(PROSE | ANY_TEXT)))
            run.bold = draw(st.booleans())
            run.italic = draw(st.booleans())
    if draw(st.booleans()):
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = _xml_safe(draw(PROSE))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xml_safe(text: str) -> str:
    """python-docx refuses characters XML 1.0 cannot hold; Word files never contain them."""
    return "".join(
        c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )  # fmt: skip


@FUZZ
@given(docx_files(), st.data())
def test_docx_reader(data: bytes, draw: st.DataObject) -> None:
    assert outcome(lambda: read_docx(data, "fuzz.docx")) is not None  # python-docx's own files
    # The same file with bytes changed: a document or a clear refusal.
    mutated = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 8))):
        at = draw.draw(st.integers(0, len(mutated) - 1))
        mutated[at] = draw.draw(st.integers(0, 255))
    outcome(lambda: read_docx(bytes(mutated), "fuzz.docx"))


@FUZZ
@given(st.data())
def test_docx_members_mutated(draw: st.DataObject) -> None:
    """A valid package whose document.xml is replaced by fuzzed XML-ish text."""
    base = _base_docx()
    body = draw.draw(st.lists(st.one_of(XML_TOKENS, PROSE), max_size=40).map("".join))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                content = (
                    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
                ).encode()
            out.writestr(info, content)
    outcome(lambda: read_docx(buffer.getvalue(), "fuzz.docx"))


_BASE_DOCX: list[bytes] = []


def _base_docx() -> bytes:
    if not _BASE_DOCX:
        import docx

        buffer = io.BytesIO()
        docx.Document().save(buffer)
        _BASE_DOCX.append(buffer.getvalue())
    return _BASE_DOCX[0]


XML_TOKENS = st.sampled_from(
    ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:t xml:space='preserve'>",
     "<w:pPr><w:pStyle w:val='Heading1'/></w:pPr>", "<w:b/>", "<w:tbl><w:tr><w:tc>",
     "</w:tc></w:tr></w:tbl>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "&amp;", "&#0;",
     "<w:hyperlink r:id='rId9'>", "</w:hyperlink>", "<unknown>", "</unknown>", "<![CDATA[x]]>"]
)  # fmt: skip
XLIFF_INLINE = st.sampled_from(
    ["<g id='1'>", "</g>", "<x id='2'/>", "<bpt id='1'>&lt;b&gt;</bpt>",
     "<ept id='1'>&lt;/b&gt;</ept>", "<ph id='3'>{0}</ph>", "<mrk mtype='term'>", "</mrk>",
     "<unknown>", "</unknown>", "&amp;", "&lt;", "&#x1;", "&bogus;", "<!-- c -->",
     "<![CDATA[<b>]]>", "]]>"]
)  # fmt: skip
XLIFF_TEXT = st.lists(st.one_of(XLIFF_INLINE, PROSE), max_size=12).map("".join)


@st.composite
def xliff_files(draw: st.DrawFn) -> bytes:
    version = draw(st.sampled_from(["1.2", "2.0", "", "9"]))
    units = []
    for i in range(draw(st.integers(0, 5))):
        uid = draw(st.sampled_from([f"p{i}.s0", f"p{i}", "", "p0.s0", 'x"y']))
        source, target = draw(XLIFF_TEXT), draw(XLIFF_TEXT)
        if version == "2.0":
            units.append(
                f'<unit id="{uid}"><segment><source>{source}</source>'
                f"<target>{target}</target></segment></unit>"
            )
        else:
            units.append(
                f'<trans-unit id="{uid}"><source>{source}</source><target>{target}</target>'
                "</trans-unit>"
            )
    ns = "urn:oasis:names:tc:xliff:document:" + ("2.0" if version == "2.0" else "1.2")
    langs = draw(
        st.sampled_from(
            [
                ('source-language="id" target-language="en"', 'srcLang="id" trgLang="en"'),
                ('source-language="fr"', 'srcLang="fr"'),
            ]
        )
    )
    body = "".join(units)
    if version == "2.0":
        text = f'<xliff xmlns="{ns}" version="2.0" {langs[1]}><file id="f">{body}</file></xliff>'
    else:
        text = (
            f'<xliff xmlns="{ns}" version="{version}"><file {langs[0]} original="x" '
            f'datatype="plaintext"><body>{body}</body></file></xliff>'
        )
    if draw(st.booleans()):
        text = draw(st.sampled_from(["", "<?xml version='1.0'?>", "\ufeff", "<!DOCTYPE x>"])) + text
    data = text.encode("utf-8", "surrogatepass")
    return _mutate(draw, data)


def _mutate(draw: st.DrawFn, data: bytes) -> bytes:
    if not data or not draw(st.booleans()):
        return data
    mutated = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(mutated) - 1))
        mutated[at] = draw(st.integers(0, 255))
    return bytes(mutated)


@FUZZ
@given(xliff_files())
def test_xliff_reader(data: bytes) -> None:
    from translate.formats.exchange import read_targets

    with written("fuzz.xlf", data) as path:
        targets = outcome(lambda: read_targets(path))
    if targets is not None:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in targets.items())


@st.composite
def tmx_files(draw: st.DrawFn) -> bytes:
    tus = []
    for i in range(draw(st.integers(0, 5))):
        src_lang = draw(st.sampled_from(["id", "id-ID", "ID", "fr", ""]))
        segs = (
            f'<tuv xml:lang="{src_lang}"><seg>{draw(XLIFF_TEXT)}</seg></tuv>'
            f'<tuv xml:lang="en"><seg>{draw(XLIFF_TEXT)}</seg></tuv>'
        )
        tus.append(f'<tu tuid="{draw(st.sampled_from([f"p{i}.s0", "", "p0.s0"]))}">{segs}</tu>')
    text = (
        '<tmx version="1.4"><header srclang="id" datatype="plaintext" segtype="sentence" '
        f'adminlang="en" creationtool="x" creationtoolversion="1" o-tmf="x"/><body>'
        f"{''.join(tus)}</body></tmx>"
    )
    return _mutate(draw, text.encode("utf-8"))


@FUZZ
@given(tmx_files())
def test_tmx_reader(data: bytes) -> None:
    from translate.formats.exchange import read_targets, read_tmx_pairs

    with written("fuzz.tmx", data) as path:
        pairs = outcome(lambda: read_tmx_pairs(path))
        outcome(lambda: read_targets(path))
    if pairs is not None:
        assert all(isinstance(s, str) and isinstance(t, str) for s, t in pairs)


@st.composite
def tbx_files(draw: st.DrawFn) -> bytes:
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        terms = "".join(
            f'<langSet xml:lang="{lang}"><tig><term>{draw(XLIFF_TEXT)}</term></tig></langSet>'
            for lang in draw(st.lists(st.sampled_from(["id", "en", "fr", ""]), max_size=3))
        )
        entries.append(f"<termEntry>{terms}</termEntry>")
    text = f'<martif type="TBX" xml:lang="en"><text><body>{"".join(entries)}</body></text></martif>'
    return _mutate(draw, text.encode("utf-8"))


@FUZZ
@given(tbx_files())
def test_tbx_glossary(data: bytes) -> None:
    from translate.terms.glossary import Glossary

    with written("fuzz.tbx", data) as path:
        outcome(lambda: Glossary.load(path))
        outcome(lambda: Glossary.check(path))


GLOSSARY_FIELD = st.one_of(
    WORDS, st.text(max_size=12), st.sampled_from(['"', '""', "\t", ",", "|", "true", "no", ""])
)


@FUZZ
@given(
    st.sampled_from(["tsv", "csv"]),
    st.lists(st.lists(GLOSSARY_FIELD, max_size=6), max_size=8),
    st.booleans(),
)
def test_csv_and_tsv_glossaries(kind: str, rows: list[list[str]], header: bool) -> None:
    from translate.terms.glossary import Glossary

    sep = "\t" if kind == "tsv" else ","
    lines = [sep.join(["source", "target", "case_sensitive", "variants"])] if header else []
    lines += [sep.join(row) for row in rows]
    with written(f"fuzz.{kind}", "\n".join(lines).encode("utf-8")) as path:
        glossary = outcome(lambda: Glossary.load(path))
        outcome(lambda: Glossary.check(path))
    if glossary is not None:
        for entry in glossary.entries:
            assert entry.source.strip() and entry.target.strip()


def _valid_document() -> dict[str, Any]:
    doc = Translator(engine=FakeEngine(), glossary=None).translate_document(
        read_text("Harga beras naik. (Ant)\n\nPresiden datang.", "txt")
    )
    return doc.to_dict()


@FUZZ
@given(JSON_VALUES, st.data())
def test_contract_json(value: Any, draw: st.DataObject) -> None:
    outcome(lambda: TranslatedDocument.from_dict(value))
    # A valid document with one field, anywhere, replaced by any JSON value.
    data = _valid_document()
    node: Any = data
    for _ in range(draw.draw(st.integers(1, 4))):
        if isinstance(node, dict) and node:
            key = draw.draw(st.sampled_from(sorted(node)))
            if not isinstance(node[key], dict | list) or not node[key] or draw.draw(st.booleans()):
                node[key] = value
                break
            node = node[key]
        elif isinstance(node, list) and node:
            index = draw.draw(st.integers(0, len(node) - 1))
            if not isinstance(node[index], dict | list) or draw.draw(st.booleans()):
                node[index] = value
                break
            node = node[index]
    text = json.dumps(data, allow_nan=True)
    document = outcome(lambda: load_json(text, "fuzz.json"))
    if document is not None:
        assert TranslatedDocument.from_dict(document.to_dict()) == document


# --- writers ----------------------------------------------------------------------------------

MARK_KINDS = st.sampled_from(["link", "em", "strong", "code"])
HREFS = st.sampled_from(
    ["https://x.example/", "javascript:alert(1)", "&#106;avascript:alert(1)", " java\tscript:x",
     "data:text/html,<script>", "mailto:a@b.c", "/relative path", "a b)(<>\"'"]
)  # fmt: skip
KINDS = st.sampled_from(
    ["title", "heading", "paragraph", "list_item", "quote", "caption", "byline", "credit", "other"]
)


@st.composite
def documents(draw: st.DrawFn) -> TranslatedDocument:
    paragraphs = []
    for i in range(draw(st.integers(0, 4))):
        source = draw(PROSE | ANY_TEXT) or "x"
        target = draw(st.one_of(PROSE, ANY_TEXT, MARKDOWN, HTML))
        marks = []
        for _ in range(draw(st.integers(0, 3))):
            start = draw(st.integers(0, len(target)))
            end = draw(st.integers(start, len(target)))
            kind = draw(MARK_KINDS)
            marks.append(Inline(start, end, kind, draw(HREFS) if kind == "link" else ""))
        sentence = Sentence(f"p{i}.s0", source, 0, len(source), target, target, "mt", -0.5)
        paragraphs.append(
            Paragraph(
                id=f"p{i}",
                kind=draw(KINDS),
                source=source,
                target=target,
                mt=target,
                status=draw(st.sampled_from(["draft", "edited", "approved"])),
                sentences=(sentence,),
                level=draw(st.integers(0, 7)),
                marker=draw(st.sampled_from(["", "-", "1.", "•", "fence", "html_block", "table"])),
                target_inline=tuple(marks),
            )
        )
    meta = Meta(
        model=draw(st.text(max_size=300)), version="0", backend="torch", beams=4,
        glossary_sha256=None, created="2026-01-01T00:00:00+00:00", name=draw(st.text(max_size=40)),
    )  # fmt: skip
    return TranslatedDocument(meta, tuple(paragraphs))


@FUZZ
@given(documents(), st.sampled_from(names("output")))
def test_every_writer(document: TranslatedDocument, fmt: str) -> None:
    rendered = outcome(lambda: render(document, fmt))
    if rendered is None:
        return
    if fmt in ("html", "bilingual-html"):
        assert_inert_html(str(rendered))
    elif fmt == "md":
        from markdown_it import MarkdownIt

        assert_inert_html(
            MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(rendered)
        )
    elif fmt == "json":
        assert load_json(str(rendered), "out.json") == document
    elif fmt == "docx":
        assert isinstance(rendered, bytes)
        assert outcome(lambda: read_docx(rendered, "out.docx")) is not None


def assert_inert_html(page_html: str) -> None:
    """No script, no event handler, no executable link target, no embedded content."""
    if not page_html.strip():
        return
    page = lxml.html.document_fromstring(page_html)
    allowed_heads = {"meta", "title", "style"}  # our own page head
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg", "form", "base"}
        if tag in allowed_heads:
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (tag, name)
            if name.lower() in ("href", "src", "action", "formaction"):
                target = "".join(value.split()).lower()
                assert not target.startswith(("javascript:", "data:", "vbscript:")), value


@pytest.mark.parametrize("fmt", names("output"))
def test_writers_on_an_empty_document(fmt: str) -> None:
    meta = Meta("m", "0", "torch", 4, None, "")
    assert outcome(lambda: render(TranslatedDocument(meta, ()), fmt)) is not None
