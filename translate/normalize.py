"""Text normalisation: what is kept in the source, and what the model sees.

Two layers, deliberately separate:

* ``clean_source`` runs once when a document is read. It NFC-normalises, turns CRLF/CR into LF
  and removes invisible characters that only break tokenisation (zero-width space, zero-width
  (non-)joiner, word joiner, BOM, soft hyphen) and other control characters. The result is the
  document's *exact source text*: every later offset refers to it.
* ``to_model`` runs on each sentence just before the model. The OPUS-MT SentencePiece vocabulary
  has no typographic quotes or dashes (“ ” ‘ ’ – — « » all become ``<unk>``), so they are mapped
  to ASCII; non-breaking and other Unicode spaces become plain spaces; runs of whitespace
  (including line breaks from hard-wrapped text) become one space.

``restore_typography`` puts the source's quote and dash style back on the English.
"""

from __future__ import annotations

import re
import unicodedata

# Removed from the source: invisible, and meaningless to a translation.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# C0/C1 controls other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

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


def clean_source(text: str) -> str:
    """The exact source text a document keeps: NFC, LF line ends, no invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_INVISIBLE)
    return _CONTROL.sub("", text)


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
