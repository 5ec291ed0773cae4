"""CommonMark from plain text and inline marks: what the Markdown writer needs so that a
renderer shows exactly the article's words, and nothing in them becomes live markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from translate.document import Inline
from translate.formats.inline import pieces, safe_href


def inline_markdown(text: str, marks: Sequence[Inline]) -> str:
    """Text as CommonMark with its links, emphasis and code; a renderer shows exactly ``text``.

    Everything that could be markup is escaped (``escape_markdown``, decided on the whole text
    so that nothing forms across the marks), code spans get a fence longer than any backtick
    run inside, links keep only safe targets, and markup that CommonMark would not honour
    (emphasis failing its flanking rules, two code spans or emphases touching) is left out;
    the words always stay.
    """
    text = _LINE_ENDS.sub("\n", text)
    chars = _escaped_chars(text)
    out: list[str] = []
    previous: str | None = None  # the kind of markup the output ends with
    for start, end, mark in _cuts(text, marks):
        body = "".join(chars[start:end])
        kind = mark.kind if mark is not None else None
        rendered: str | None = None
        if mark is None or not body.strip():
            pass
        elif kind == "link":
            href = safe_href(mark.href)
            if href is not None:
                rendered = f"[{body}](<{_link_destination(href)}>)"
                if out and out[-1].endswith("!") and chars[start - 1] == "!":
                    out[-1] = out[-1][:-1] + "\\!"  # "![" would make the link an image
        elif kind == "code":
            if previous != "code":
                rendered = _code_span(text[start:end])
        elif previous not in ("em", "strong"):
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            trail = len(text[start:end]) - len(text[start:end].rstrip())
            inner = "".join(chars[start + lead : end - trail])
            # The characters around the delimiters as they will be written (markup that
            # follows is punctuation; a letter here is the stricter assumption).
            before = ("".join(out) + "".join(chars[start : start + lead]))[-1:]
            after = ("".join(chars[end - trail : end]) + "".join(chars[end : end + 8]))[:1]
            if inner and _flanking(before, inner, after):
                wrap = "**" if kind == "strong" else "*"
                rendered = (
                    "".join(chars[start : start + lead])
                    + f"{wrap}{inner}{wrap}"
                    + "".join(chars[end - trail : end])
                )
        out.append(body if rendered is None else rendered)
        previous = kind if rendered is not None else None
    return "".join(out)


def _cuts(text: str, marks: Sequence[Inline]) -> list[tuple[int, int, Inline | None]]:
    """``pieces`` as offsets: (start, end, mark or None)."""
    out, pos = [], 0
    for piece, mark in pieces(text, marks):
        out.append((pos, pos + len(piece), mark))
        pos += len(piece)
    return out


def escape_markdown(text: str) -> str:
    """``text`` as CommonMark that renders as exactly this text (white space aside).

    Escapes `` \\ ` * [ ] < ~ | `` everywhere, ``_`` except inside a word, ``&`` where it would
    start an entity, ``!`` before ``[``, and at the start of each line whatever would make it a
    heading, list item, quote or rule. Leading and trailing spaces of lines (indented code,
    hard breaks) and blank lines (a new paragraph) are dropped: Markdown cannot keep them.
    """
    return "".join(_escaped_chars(_LINE_ENDS.sub("\n", text)))


_LINE_ENDS = re.compile(r"\r\n?")


def _escaped_chars(text: str) -> list[str]:
    """What each character of ``text`` becomes in Markdown (one string per character)."""
    out = list(text)
    entities = {m.start() for m in _ENTITY.finditer(text)}
    for i, ch in enumerate(text):
        if ch in _ALWAYS:
            out[i] = "\\" + ch
        elif ch == "_":
            inside = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            out[i] = ch if inside else "\\_"
        elif ch == "&" and i in entities:
            out[i] = "\\&"
        elif ch == "!" and text[i + 1 : i + 2] == "[":
            out[i] = "\\!"
    pos = 0
    emitted = False  # whether a line with content came before (a line break is needed)
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        first = start + len(line) - len(line.lstrip())
        last = end - (len(line) - len(line.rstrip()))
        for i in [*range(start, first), *range(last, end)]:
            out[i] = ""  # edge white space of a line: Markdown would read it as markup
        if first < last:
            match = _LINE_START.match(text, first, last)
            if match is not None:
                at = match.end() if match.group().isdigit() else first
                out[at] = "\\" + text[at]
            closing = _CLOSING_HASHES.search(text, first, last)
            if closing is not None:  # "Title #" would lose its "#" in a heading
                out[closing.start(1)] = "\\#"
            if emitted and start > 0:
                out[start - 1] = "\n"
            emitted = True
        if end < len(text):
            out[end] = ""  # the line break itself: kept only before a line with content
        pos = end + 1
    # White space at the very edges separates the text from what the writer puts around it.
    if text[:1].isspace() and any(out):
        out[0] = " "
    if text[-1:].isspace() and any(out[:-1]):
        out[-1] = " "
    return out


_VERBATIM_TOKENS = {
    "fence": {"fence"},
    "code_block": {"code_block"},
    "hr": {"hr"},
    "table": {
        "table_open", "table_close", "thead_open", "thead_close", "tbody_open", "tbody_close",
        "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close", "inline", "text",
        "softbreak", "em_open", "em_close", "strong_open", "strong_close", "code_inline",
        "s_open", "s_close",
    },
}  # fmt: skip


def inert_markdown(block: str, marker: str) -> bool:
    """Whether a block carried over verbatim (``fence``, ``code_block``, ``hr``, ``table``)
    is still that one block and nothing else: no raw HTML, links or images (an edit or an
    import could have put them there)."""
    from markdown_it import MarkdownIt

    allowed = _VERBATIM_TOKENS.get(marker)
    if allowed is None:
        return False
    tokens = MarkdownIt("commonmark").enable("table").parse(block)
    blocks = [t for t in tokens if t.level == 0 and t.nesting >= 0]
    if len(blocks) != 1 or blocks[0].map != [0, len(block.rstrip("\n").split("\n"))]:
        return False
    every = [*tokens, *(c for t in tokens for c in (t.children or []))]
    return all(t.type in allowed for t in every)


# CommonMark: any ASCII punctuation character may be backslash-escaped.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters that are markup wherever they stand (or that a GFM renderer reads as markup).
_ALWAYS = frozenset("\\`*[]<~|")
_CLOSING_HASHES = re.compile(r"[ \t](#+)[ \t]*$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# What makes a line a block of its own: ATX heading, list item, quote, setext underline or
# thematic break, ordered list marker; matched on the line after leading spaces are dropped.
_LINE_START = re.compile(
    r"#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|>|=+[ \t]*$|-+[ \t]*$|[0-9]{1,9}(?=[.)])"
)


def _code_span(code: str) -> str:
    """A CommonMark code span showing ``code``: a fence longer than any backtick run inside,
    padded where the content starts or ends with a backtick or with spaces on both sides."""
    code = code.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = code[:1] == "`" or code[-1:] == "`" or (code[:1] == " " and code[-1:] == " ")
    return f"{fence} {code} {fence}" if pad else f"{fence}{code}{fence}"


def _link_destination(href: str) -> str:
    """A link target inside ``<…>``: what would end it or be decoded is percent-encoded, and
    ``&`` escaped so that no entity (``&#106;avascript:``) is decoded into the URL."""
    encoded = href.replace("%", "%25") if _BAD_PERCENT.search(href) else href
    for ch, code in (("<", "%3C"), (">", "%3E"), (" ", "%20"), ("\\", "%5C"), ("\n", "%0A")):
        encoded = encoded.replace(ch, code)
    return encoded.replace("&", "\\&")


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _flanking(before: str, inner: str, after: str) -> bool:
    """Whether ``*inner*`` between ``before`` and ``after`` is emphasis by CommonMark's rules
    (left-flanking opener, right-flanking closer)."""

    def punct(ch: str) -> bool:
        return ch in _ASCII_PUNCTUATION or (bool(ch) and unicodedata.category(ch)[0] in "PS")

    def space(ch: str) -> bool:
        return not ch or ch.isspace()

    first, last = inner[0], inner[-1]
    opens = not space(first) and (not punct(first) or space(before) or punct(before))
    closes = not space(last) and (not punct(last) or space(after) or punct(after))
    return opens and closes
