from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.document import Document
from translate.errors import InputError
from translate.formats.readers import read_file, read_text, rule_target

ARTICLES = Path(__file__).parents[1] / "data" / "articles"


def kinds(doc: Document) -> list[str]:
    return [b.kind for b in doc.blocks]


def modes(doc: Document, block_id: str) -> list[tuple[str, str]]:
    b = doc.block(block_id)
    return [(b.source[s.start : s.end], s.mode) for s in b.spans]


# --- house styles -------------------------------------------------------------------------


def test_aktual_style() -> None:
    doc = read_file(ARTICLES / "aktual-style.txt")
    # The caption repeats on two consecutive lines: two blocks with their own ids.
    assert doc.blocks[0].source == doc.blocks[1].source
    assert [b.id for b in doc.blocks[:2]] == ["p0", "p1"]
    assert kinds(doc)[:2] == ["caption", "caption"]
    assert modes(doc, "p0")[-1] == ("(foto/aktual.com)", "copy")
    # Dateline carried over, the rest translated.
    first, *rest = modes(doc, "p2")
    assert first == ("Jakarta, Aktual.com –", "copy")
    assert rest and all(m == "translate" for _, m in rest)
    assert kinds(doc)[-3:] == ["credit", "byline", "byline"]
    assert modes(doc, doc.blocks[-3].id) == [("(Ant)", "copy")]
    assert modes(doc, doc.blocks[-2].id) == [("Artikel ini ditulis oleh:", "rule")]
    assert modes(doc, doc.blocks[-1].id) == [("Nebby", "copy")]


def test_antara_style_crlf() -> None:
    raw = (ARTICLES / "antara-style.txt").read_bytes()
    assert b"\r\n" in raw
    doc = read_file(ARTICLES / "antara-style.txt")
    assert all("\r" not in b.source for b in doc.blocks)
    assert doc.blocks[0].kind == "title"
    assert modes(doc, "p1")[0] == ("Jakarta (ANTARA) -", "copy")
    read_also = next(b for b in doc.blocks if b.source.startswith("Baca juga"))
    assert [s.mode for s in read_also.spans][:2] == ["rule", "translate"]
    by_source = {b.source: b for b in doc.blocks}
    reporter = by_source["Pewarta: Fauzi Rahmanto"]
    assert reporter.kind == "byline"
    assert modes(doc, reporter.id) == [("Pewarta:", "rule"), ("Fauzi Rahmanto", "copy")]
    assert by_source["Copyright © ANTARA 2024"].kind == "credit"


def test_detik_style_bom_and_credit_code() -> None:
    assert (ARTICLES / "detik-style.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    doc = read_file(ARTICLES / "detik-style.txt")
    assert not doc.blocks[0].source.startswith("\ufeff")
    assert doc.blocks[0].kind == "title"
    assert modes(doc, "p1")[0] == ("Jakarta -", "copy")
    assert doc.blocks[-1].kind == "credit"
    assert modes(doc, doc.blocks[-1].id) == [("(rdp/imk)", "copy")]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    doc = read_file(ARTICLES / "wrapped.txt")
    assert len(doc.blocks) == 4
    assert all(b.kind == "paragraph" for b in doc.blocks)
    assert "\n" in doc.blocks[0].source


def test_markdown_structure() -> None:
    doc = read_file(ARTICLES / "markdown-article.md")
    k = kinds(doc)
    assert k[0] == "title"
    assert doc.blocks[0].source.startswith("DPR Setujui")
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert headings and all(b.level == 2 for b in headings)
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [b.marker for b in items] == ["-", "-", "-", "1.", "2.", "3."]
    assert not any(b.source.startswith(("-", "1.")) for b in items)
    assert "quote" in k
    url = next(b for b in doc.blocks if b.source.startswith("https://"))
    assert url.kind == "other" and [s.mode for s in url.spans] == ["copy"]
    hr = next(b for b in doc.blocks if b.source == "---")
    assert hr.kind == "other"


@pytest.mark.parametrize(
    ("text", "kind", "span_modes"),
    [
        ("(Ant)", "credit", ["copy"]),
        ("(rdp/imk)", "credit", ["copy"]),
        ("(*)", "credit", ["copy"]),
        ("https://www.aktual.com/berita/123", "other", ["copy"]),
        ("humas@polri.go.id", "other", ["copy"]),
        ("Editor: Dewi Anggraini", "byline", ["rule", "copy"]),
        ("Penulis : Budi", "byline", ["rule", "copy"]),
        ("Foto: Presiden di Istana. (Antara)", "caption", ["translate", "copy"]),
        ("- Pertama, harga naik.", "list_item", ["translate"]),
        ("Baca juga: Harga beras naik lagi", "other", ["rule", "translate"]),
    ],
)
def test_house_style_rules(text: str, kind: str, span_modes: list[str]) -> None:
    # Put a prose paragraph first so that the block is not taken for the title.
    doc = read_text("Harga beras naik pada Senin.\n\n" + text)
    block = doc.blocks[1]
    assert block.kind == kind
    assert [s.mode for s in block.spans] == span_modes


def test_rule_targets() -> None:
    assert rule_target("Pewarta:") == "Reporter:"
    assert rule_target("Artikel ini ditulis oleh:") == "This article was written by:"
    assert rule_target("Baca juga:") == "Read also:"


def test_dateline_only_at_the_start() -> None:
    doc = read_text("Ia berkata.\n\nPresiden Joko - yang hadir - bicara.")
    assert all(s.mode == "translate" for s in doc.blocks[1].spans)


def test_empty_and_blank_input() -> None:
    assert read_text("").blocks == ()
    assert read_text(" \n\n\t\n").blocks == ()


# --- errors -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_file(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_file(tmp_path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "foto.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        read_file(path)


# UTF-8 with a Windows-1252 piece pasted in: no single encoding reads it, so it is refused.
MIXED = "Ia berkata “ya”".encode() + " dan “tidak”.".encode("cp1252")


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (MIXED, 24),
        ("Цены на рис выросли.".encode("koi8_r"), 0),  # another alphabet: not guessed
        ("Ia berkata “ya”.".encode("mac_roman"), 11),  # ambiguous: many code pages fit
        ("Kopi di café milik José di Zürich.".encode("mac_roman"), 11),  # "cafŽ" in cp1252
    ],
)
def test_undecodable_file(tmp_path: Path, data: bytes, offset: int) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"not UTF-8 .*offset {offset}\b.*save it as UTF-8"):
        read_file(path)


def test_windows_1252_file_is_read_with_a_notice(tmp_path: Path) -> None:
    text = "Harga naik – “tajam”, kata Señor Muñoz… di Jakarta.\r\n\r\nIa berkata “ya”.\r\n"
    path = tmp_path / "redaksi.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = read_file(path)
    assert [b.source for b in doc.blocks] == [
        "Harga naik – “tajam”, kata Señor Muñoz… di Jakarta.",
        "Ia berkata “ya”.",
    ]
    assert doc.notes == ("read as Windows-1252 (detected; not UTF-8)",)
    # A short file with only typographic quotes is still Windows-1252 beyond doubt.
    path.write_bytes("Ia berkata “ya”.".encode("cp1252"))
    assert read_file(path).blocks[0].source == "Ia berkata “ya”."


def test_latin1_file_is_read_with_a_notice(tmp_path: Path) -> None:
    # Latin-1 and Windows-1252 agree on every letter; Windows-1252 is what the notice names.
    path = tmp_path / "lama.txt"
    text = "Harga kopi di café milik José Muñoz di Zürich naik tajam pada Senin pagi."
    path.write_bytes(text.encode("latin-1"))
    doc = read_file(path)
    assert doc.blocks[0].source == text
    assert doc.notes == ("read as Windows-1252 (detected; not UTF-8)",)


def test_upload_in_windows_1252_gets_the_notice() -> None:
    from translate.ui.workspace import document_from_upload

    doc, text = document_from_upload("a.txt", "Ia berkata “ya” – lalu pergi.".encode("cp1252"))
    assert text == "Ia berkata “ya” – lalu pergi."
    assert doc.notes == ("read as Windows-1252 (detected; not UTF-8)",)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffSatu.\r\n\r\nDua.\r\n".encode())
    doc = read_file(path)
    assert [b.source for b in doc.blocks] == ["Satu.", "Dua."]


# --- no character lost ----------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [*"abcXYZ .,;:!?\"'()-–“”…0123456789/\n\n\t", "Jl.", "No.", "dr.", "(Ant)", " – ", "\u00a0"]
)


@settings(deadline=None, max_examples=300)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_spans_rebuild_each_block_exactly(text: str) -> None:
    for block in read_text(text).blocks:
        pos = 0
        for span in block.spans:
            gap = block.source[pos : span.start]
            assert gap.strip() == "", (block.source, span)
            assert span.end > span.start
            pos = span.end
        assert block.source[pos:].strip() == ""


@settings(deadline=None, max_examples=300)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_blocks_keep_every_character_in_order(text: str) -> None:
    """Nothing but whitespace and list markers is lost between the input and the spans."""
    doc = read_text(text)
    from translate.text.normalize import clean_source

    kept = "".join(
        (b.marker if b.kind == "list_item" else "")
        + "".join(b.source[s.start : s.end] for s in b.spans)
        for b in doc.blocks
    )
    squash = re.compile(r"\s+")
    assert squash.sub("", kept) == squash.sub("", clean_source(text))


# --- repair notes: mis-encoded text and controls ------------------------------------------


def test_mojibake_in_a_file_is_repaired_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "berita.txt"
    path.write_text(
        "Banjir di Pinangranti\x96Pluit.\n\nWarga menyebut arusnya \x93tajam\x94.\n", "utf-8"
    )
    doc = read_file(path)
    assert [b.source for b in doc.blocks] == [
        "Banjir di Pinangranti–Pluit.",
        "Warga menyebut arusnya “tajam”.",
    ]
    assert doc.notes == ("repaired 3 mis-encoded characters",)


def test_controls_are_removed_with_a_note_in_every_format(tmp_path: Path) -> None:
    text = "Harga \x1b[1mnaik\x1b[0m tajam\x07."
    for fmt, source in [("txt", text), ("md", text), ("html", f"<p>{text}</p>")]:
        doc = read_text(source, fmt)
        assert [b.source for b in doc.blocks] == ["Harga naik tajam."], fmt
        assert doc.notes == (
            "removed 2 terminal escape sequences",
            "removed 1 control character",
        ), fmt


def test_html_entities_of_controls_are_removed_and_markup_kept() -> None:
    # &#150; is how old newsroom pages write an en dash (lxml maps it as HTML5 does); &#7; and
    # &#27; decode to controls after parsing: the block is cleaned, its link keeps its words.
    doc = read_text(
        '<p>Rute&#7; <a href="/r">Pinangranti&#150;Pluit</a> \x93ditutup\x94&#27;.</p>', "html"
    )
    (block,) = doc.blocks
    assert block.source == "Rute Pinangranti–Pluit “ditutup”."
    assert [block.source[i.start : i.end] for i in block.inline] == ["Pinangranti–Pluit"]
    assert doc.notes == ("repaired 2 mis-encoded characters", "removed 2 control characters")


def test_clean_input_has_no_notes() -> None:
    for name in ("aktual-style.txt", "html-article.html", "markdown-article.md"):
        assert read_file(ARTICLES / name).notes == ()


def test_notes_reach_the_json_meta_and_the_cli(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from tests.conftest import FakeEngine
    from translate import Translator
    from translate.cli import cli
    from translate.document import TranslatedDocument

    path = tmp_path / "berita.txt"
    path.write_text("Banjir di Pinangranti\x96Pluit.\n", "utf-8")
    translated = Translator(engine=FakeEngine(), glossary=None).translate_document(read_file(path))
    data = translated.to_dict()
    assert data["meta"]["notes"] == ["repaired 1 mis-encoded character"]
    again = TranslatedDocument.from_dict(json.loads(json.dumps(data)))
    assert again == translated
    assert again.source_document().notes == translated.meta.notes
    # The CLI says it on stderr, one line per note, before the model is even loaded.
    result = CliRunner().invoke(cli, ["article", str(path), "--model", str(tmp_path / "none")])
    assert "berita.txt: repaired 1 mis-encoded character" in result.stderr


def test_markdown_inline_html_dropped_is_noted() -> None:
    text = (
        'Harga <span class="naik">beras</span> naik<br>tajam.\n\n'
        "Kata <b>Menteri</b> dan <abbr>BPS</abbr>.\n\n<div>\nBlok HTML dibawa apa adanya.\n</div>\n"
    )
    doc = read_text(text, "md")
    assert [b.source for b in doc.blocks] == [
        "Harga beras naik\ntajam.",  # <br> is a line break, as a Markdown hard break
        "Kata Menteri dan BPS.",
        "<div>\nBlok HTML dibawa apa adanya.\n</div>",  # an HTML block: carried over verbatim
    ]
    assert doc.notes == (
        'dropped 6 inline HTML tags from the Markdown (<span class="naik">, </span>, <b>, </b>, '
        "<abbr>, …); their text is kept",
    )
    assert read_text("Tanpa *HTML* di sini.", "md").notes == ()
