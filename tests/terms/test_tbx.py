"""TBX: reading both dialects, writing TBX-Basic, and refusing entities."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from translate.terms.glossary import Glossary
from translate.terms.values import GlossaryError

from .conftest import write


def test_default_round_trips_through_tbx(tmp_path: Path) -> None:
    default = Glossary.default()
    path = tmp_path / "default.tbx"
    default.save(path)
    assert Glossary.load(path).entries == default.entries
    assert default.to_tsv() == (
        Path(__file__).parents[2] / "glossary" / "id-en-news.tsv"
    ).read_text(encoding="utf-8")


def test_tbx_problems(tmp_path: Path) -> None:
    body = '<martif><text><body><termEntry><langSet xml:lang="id"><tig><term>AS</term></tig>'
    path = write(tmp_path, "g.tbx", body + "</langSet></termEntry></body></text></martif>")
    assert "no English" in Glossary.check(path)[0].message
    path = write(tmp_path, "h.tbx", "<martif><text>")
    assert "not well-formed XML" in Glossary.check(path)[0].message
    path = write(tmp_path, "i.tbx", "<html/>")
    assert "not TBX" in Glossary.check(path)[0].message


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<martif><text><body><termEntry>
<langSet xml:lang="id"><tig><term>&i;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet>
</termEntry></body></text></martif>
"""


def xxe(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>
<martif><text><body><termEntry>
<langSet xml:lang="id"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_hardened_xml(tmp_path: Path, encoding: str) -> None:
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-VALUE")
    for name, doc in (("laughs.tbx", LAUGHS), ("xxe.tbx", xxe(secret))):
        data = doc.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
        path = write(tmp_path, name, data.encode(encoding))
        start = time.perf_counter()
        with pytest.raises(GlossaryError, match="DOCTYPE declares entities") as info:
            Glossary.load(path)
        assert time.perf_counter() - start < 1
        assert "TOP-SECRET" not in str(info.value)
        assert "TOP-SECRET" not in repr(info.value.problems)
