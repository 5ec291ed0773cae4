"""Markdown output: whatever the English holds (a glossary target, an imported edit, a code
span with backticks), a CommonMark renderer shows exactly that text and only our markup."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.document import Inline, Meta, Paragraph, TranslatedDocument
from translate.formats.inline import safe_href
from translate.formats.markdown import escape_markdown, inline_markdown
from translate.formats.registry import render

META = Meta(model="m", version="0", backend="torch", beams=4, glossary_sha256=None, created="")
# Tags each paragraph kind may produce around its text.
CONTAINERS = {
    "paragraph": {"p"},
    "title": {"h1"},
    "heading": {"h2"},
    "quote": {"blockquote", "p"},
    "list_item": {"ul", "li"},
    "caption": {"p"},
}
MARK_TAGS = {"em": "em", "strong": "strong", "code": "code", "link": "a"}


def to_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    # CommonMark plus the GFM extensions a publishing pipeline commonly turns on.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def squash(text: str) -> str:
    return " ".join(text.split())


def paragraph(target: str, kind: str = "paragraph", marks: tuple[Inline, ...] = ()) -> Paragraph:
    return Paragraph(
        id="p0", kind=kind, source="x", target=target, mt=target, level=2 if kind == "heading"
        else 0, marker="-" if kind == "list_item" else "", target_inline=marks,
    )  # fmt: skip


def assert_shows_exactly(p: Paragraph) -> None:
    """The paragraph's Markdown renders to its text, with no element or attribute but ours."""
    markdown = str(render(TranslatedDocument(META, (p,)), "md"))
    page = lxml.html.fragment_fromstring(to_html(markdown), create_parent="div")
    assert squash(page.text_content()) == squash(p.target), markdown
    allowed = CONTAINERS[p.kind] | {MARK_TAGS[m.kind] for m in p.target_inline}
    counts: dict[str, int] = {}
    for el in page.iterdescendants():
        assert el.tag in allowed, (el.tag, markdown)
        counts[el.tag] = counts.get(el.tag, 0) + 1
        if el.tag == "a":
            assert set(el.attrib) == {"href"}, markdown
            assert safe_href(unquote(el.get("href", ""))) is not None, markdown
        else:
            assert not el.attrib, (el.tag, el.attrib, markdown)
    for kind, tag in MARK_TAGS.items():
        if tag in CONTAINERS[p.kind]:
            continue
        assert counts.get(tag, 0) <= sum(m.kind == kind for m in p.target_inline), markdown


HOSTILE = [
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "Lihat <script>alert(1)</script> ini",
    "&lt;img src=x onerror=alert(1)&gt; &#106;avascript: &amp;",
    "<https://evil.example/> <mailto:a@b.c>",
    "<!-- a comment --> <?php x ?> <![CDATA[x]]>",
    "# not a heading",
    "###### six",
    "1. not a list",
    "2) not a list either",
    "- not an item",
    "+ nor this",
    "* nor this",
    "> not a quote",
    "```",
    "~~~",
    "***",
    "___",
    "---",
    "a\n===",
    "a\n---",
    "    four spaces of indent",
    "*emphasis* **strong** _under_ __double__ snake_case",
    "~~struck~~ ~single~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "back\\slash at the end\\",
    "`code` and ``more``",
    "line one\n# two\n> three\n1. four",
    "a  \nhard break",
    "para\n\nsplit in two",
    "[ref]: https://example.com",
    "[ref]",
    "Harga naik 5 % * 2 = 10 [sic] <b>tebal</b>",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("kind", ["paragraph", "title", "heading", "quote", "list_item"])
def test_hostile_english_is_shown_as_text(text: str, kind: str) -> None:
    if kind in ("title", "heading"):
        text = text.replace("\n", " ")  # a heading is one line
    assert_shows_exactly(paragraph(text, kind))


MARKED = [
    # A code span whose text holds backticks: the fence must be longer than any run inside.
    ("a ` b", (Inline(0, 5, "code"),)),
    ("`a `", (Inline(0, 4, "code"),)),
    ("x ``` y", (Inline(0, 7, "code"),)),
    (" padded ", (Inline(0, 8, "code"),)),
    ("see <img src=x onerror=alert(1)> now", (Inline(4, 33, "code"),)),
    # Links: only safe targets become links; the words always stay.
    ("click here now", (Inline(6, 10, "link", "javascript:alert(1)"),)),
    ("click here now", (Inline(6, 10, "link", "&#106;avascript:alert(1)"),)),
    ("click here now", (Inline(6, 10, "link", "JaVaScRiPt:alert(1)"),)),
    ("click here now", (Inline(6, 10, "link", "data:text/html,<script>alert(1)</script>"),)),
    ("click here now", (Inline(6, 10, "link", "https://x.example/a b)(<>\"'`"),)),
    ("click [x](y) now", (Inline(6, 12, "link", "https://x.example/"),)),
    ("click here now", (Inline(6, 10, "link", "https://x.example/?a=1&amp;b=2"),)),
    # Emphasis that CommonMark would not honour is dropped, never shown as stars.
    ("word(inner) rest", (Inline(4, 11, "em"),)),
    ("a *b* c", (Inline(2, 5, "strong"),)),
    ("[bold] text", (Inline(0, 6, "strong"),)),
    ("x <b> y", (Inline(2, 5, "em"),)),
]


@pytest.mark.parametrize(("text", "marks"), MARKED)
def test_marked_english_is_shown_exactly(text: str, marks: tuple[Inline, ...]) -> None:
    assert_shows_exactly(paragraph(text, marks=marks))


def test_code_span_keeps_its_backticks_and_links_their_target() -> None:
    assert inline_markdown("a ` b", [Inline(0, 5, "code")]) == "``a ` b``"
    out = inline_markdown("click here", [Inline(6, 10, "link", "https://x.example/a?b=1&c=2")])
    assert re.search(r'href="https://x\.example/a\?b=1&amp;c=2"', to_html(out))


def test_plain_text_stays_readable() -> None:
    # Escapes only where something would be markup: news text reads as it is.
    text = "Harga beras naik 5 persen, kata Menteri (Ant) – 3.000 ton; snake_case! A > B."
    assert escape_markdown(text) == text


@pytest.mark.parametrize(
    ("marker", "block"),
    [
        ("fence", "```\ncode\n```\n<img src=x onerror=alert(1)>"),
        ("table", "| a | b |\n|---|---|\n| 1 | <img src=x onerror=alert(1)> |"),
        ("hr", "---\n[x](javascript:alert(1))"),
        ("code_block", "    code\n\n<script>alert(1)</script>"),
    ],
)
def test_verbatim_blocks_edited_into_markup_are_escaped(marker: str, block: str) -> None:
    p = Paragraph(id="p0", kind="other", source=block, target=block, mt=block, marker=marker)
    html = to_html(str(render(TranslatedDocument(META, (p,)), "md")))
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not page.findall(".//img") and not page.findall(".//script")
    assert not [a for a in page.iter("a") if "javascript" in a.get("href", "")]
    assert squash(page.text_content()) == squash(block)


def test_html_block_from_the_source_stays_text() -> None:
    block = '<div onclick="x()">&amp; <img src=x onerror=alert(1)></div>'
    p = Paragraph(id="p0", kind="other", source=block, target=block, mt=block, marker="html_block")
    html = to_html(str(render(TranslatedDocument(META, (p,)), "md")))
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [el.tag for el in page.iterdescendants()] == ["p"]
    assert squash(page.text_content()) == squash(block)


# --- any text, any marks ----------------------------------------------------------------------

MARKUP_SOUP = st.lists(
    st.sampled_from([*"ab 1.)#-+*_`~|[]()<>!&;=\\\n\t", "&amp;", "&#106;", "é", "“", "<img>"]),
    max_size=20,
).map("".join)


@st.composite
def marked_paragraphs(draw: st.DrawFn) -> Paragraph:
    text = "".join(draw(st.lists(MARKUP_SOUP.filter(bool), min_size=1, max_size=4)))
    kind = draw(st.sampled_from(["paragraph", "title", "heading", "quote", "list_item"]))
    if kind in ("title", "heading"):
        text = text.replace("\n", " ")
    marks = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        mark = draw(st.sampled_from(["em", "strong", "code", "link"]))
        href = draw(st.sampled_from(["https://x.example/", "javascript:alert(1)", "a b)"]))
        marks.append(Inline(start, end, mark, href if mark == "link" else ""))
    return paragraph(text, kind, tuple(marks))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(marked_paragraphs())
def test_any_english_renders_as_itself(p: Paragraph) -> None:
    assert_shows_exactly(p)
