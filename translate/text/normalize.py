"""Text normalisation: what is kept in the source, and what the model sees.

Two layers, deliberately separate:

* ``clean_source`` runs once when a document is read. It first *repairs* text that went through
  a Windows-1252/latin-1 mix-up (ftfy, settings in ``REPAIR``): C1 control characters become the
  Windows-1252 typography the writer typed (``\x96`` → ``–``, ``\x93…\x94`` → ``“…”``) and
  UTF-8 read as Windows-1252 is decoded back (``â€™`` → ``’``). Then it removes terminal escape
  sequences (``ESC[31m``), NFC-normalises, turns CRLF/CR into LF, removes invisible characters
  that only break tokenisation (zero-width space, zero-width (non-)joiner, word joiner, BOM,
  soft hyphen) and the remaining control characters. ``clean_source_report`` also says what it
  repaired and removed (``Cleaning``), for the document's notes. The result is the document's
  *exact source text*: every later offset refers to it.
* ``to_model`` runs on each sentence just before the model. The OPUS-MT SentencePiece vocabulary
  has no typographic quotes or dashes (“ ” ‘ ’ – — « » all become ``<unk>``), so they are mapped
  to ASCII; non-breaking and other Unicode spaces become plain spaces; runs of whitespace
  (including line breaks from hard-wrapped text) become one space.

``restore_typography`` puts the source's quote and dash style back on the English.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

# Removed from the source: invisible, and meaningless to a translation.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# C0/C1 controls other than tab and newline (after the repair, C1 codes left are the five that
# Windows-1252 leaves undefined: nothing to repair them to).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Terminal escape sequences: CSI (ESC [ parameters, final byte) and terminated OSC (ESC ] … BEL
# or ESC \\), removed whole so that no "[31m" is left behind. A lone ESC is a control character.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)")

_TO_MODEL = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "–": "-",
        "—": "-",
        "‒": "-",
        "−": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\t": " ",
    }
)
_SPACES = re.compile(r"\s+")


# ftfy's repair, limited to what cannot change correct text. Kept: mojibake decoding (UTF-8 read
# as a single-byte encoding, also inside otherwise correct text) and C1 controls read as
# Windows-1252, as browsers do. Off: HTML entities (an article may write "&amp;"; the HTML
# reader decodes real ones), curly-quote straightening, ligature and full-width folding, line
# break changes, NFC (done below, once), control removal and terminal escapes (done below, so
# they are counted), ``restore_byte_a0`` (it reads a plain space as a no-break space to make
# mojibake fit: false positives) and ``replace_lossy_sequences`` (it writes "�" over text).
REPAIR: dict[str, Any] = {
    "unescape_html": False,
    "remove_terminal_escapes": False,
    "fix_encoding": True,
    "restore_byte_a0": False,
    "replace_lossy_sequences": False,
    "decode_inconsistent_utf8": True,
    "fix_c1_controls": True,
    "fix_latin_ligatures": False,
    "fix_character_width": False,
    "uncurl_quotes": False,
    "fix_line_breaks": False,
    "fix_surrogates": True,
    "remove_control_chars": False,
    "normalization": None,
    "explain": False,
}


@dataclass(frozen=True)
class Cleaning:
    """What ``clean_source`` repaired and removed (invisible characters are not counted)."""

    repaired: int = 0  # characters repaired: C1 controls and mojibake, counted as the result
    escapes: int = 0  # terminal escape sequences removed
    controls: int = 0  # other control characters removed

    def __add__(self, other: Cleaning) -> Cleaning:
        return Cleaning(
            self.repaired + other.repaired,
            self.escapes + other.escapes,
            self.controls + other.controls,
        )

    def notes(self) -> tuple[str, ...]:
        """One line for each kind of change, e.g. ``repaired 3 mis-encoded characters``."""
        out = []
        if self.repaired:
            out.append(f"repaired {_plural(self.repaired, 'mis-encoded character')}")
        if self.escapes:
            out.append(f"removed {_plural(self.escapes, 'terminal escape sequence')}")
        if self.controls:
            out.append(f"removed {_plural(self.controls, 'control character')}")
        return tuple(out)


def clean_source(text: str) -> str:
    """The exact source text a document keeps: mis-encodings repaired, NFC, LF line ends, no
    invisible or control characters."""
    return clean_source_report(text)[0]


def clean_source_report(text: str) -> tuple[str, Cleaning]:
    """``clean_source`` and what it repaired and removed."""
    text, repaired = repair(text)
    text, escapes = _ESCAPE.subn("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_INVISIBLE)
    text, controls = _CONTROL.subn("", text)
    return text, Cleaning(repaired, escapes, controls)


def repair(text: str) -> tuple[str, int]:
    """Text with Windows-1252/latin-1 mix-ups repaired (ftfy with ``REPAIR``), and how many
    characters of the result were repaired."""
    if text.isascii():
        return text, 0  # no mojibake and no C1 code is ASCII
    fix = _fixer()
    out: list[str] = []
    count = 0
    for line in text.splitlines(keepends=True):
        if line.isascii():
            out.append(line)
            continue
        fixed = fix(line)
        if fixed != line:
            count += _changed(line, fixed)
        out.append(fixed)
    return "".join(out), count


@cache
def _fixer() -> Any:
    import ftfy

    config = ftfy.TextFixerConfig(**REPAIR)
    return lambda line: ftfy.fix_text(line, config)


def _changed(before: str, after: str) -> int:
    """How many characters of ``after`` a repair produced from ``before``.

    ftfy's repairs touch only non-ASCII characters and never create or remove ASCII ones, so
    the two lines are compared run by run of non-ASCII characters (short), never as a whole.
    """
    a, b = _RUNS.split(before), _RUNS.split(after)
    if len(a) != len(b) or a[0::2] != b[0::2]:
        a, b = [before], [after]  # not the usual shape: compare the lines as a whole
    count = 0
    for old, new in zip(a[1::2] if len(a) > 1 else a, b[1::2] if len(b) > 1 else b, strict=True):
        if old == new:
            continue
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, _, _, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                count += max(1, j2 - j1)  # a run of mojibake that became one character: one
    return count


# ASCII runs, captured so that split() alternates: ascii, non-ascii, ascii, ...
_RUNS = re.compile(r"([^\x00-\x7f]+)")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def to_model(text: str) -> str:
    """What the model sees for a sentence: ASCII quotes and dashes, single spaces."""
    return _SPACES.sub(" ", text.translate(_TO_MODEL)).strip()


_OPEN_CONTEXT = re.compile(r"(^|[\s(\[{/-])$")


def restore_typography(source: str, english: str) -> str:
    """Give the English the source's quote and dash style (curly quotes, en dashes)."""
    if "“" in source or "”" in source:
        english = _curl_double_quotes(english)
    if "’" in source:
        english = re.sub(r"(?<=\w)'(?=\w)", "’", english)
    if " – " in source:
        english = english.replace(" - ", " – ")
    elif " — " in source:
        english = english.replace(" - ", " — ")
    return english


def _curl_double_quotes(text: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == '"':
            # The character before decides (_OPEN_CONTEXT), not a search of text[:i] per quote.
            out.append("“" if _OPEN_CONTEXT.search(text[i - 1 : i] if i else "") else "”")
        else:
            out.append(ch)
    return "".join(out)
