"""OmegaT, a real CAT tool, reads our XLIFF 1.2 and TMX; its translated XLIFF imports back.

Runs where ``omegat`` is on PATH (Debian: ``apt-get install --no-install-recommends omegat``);
skipped elsewhere, except under CI (env ``CI`` set), where a missing OmegaT fails.

What OmegaT 3.6.0 (Debian 12) showed, and what these tests pin:

- Console modes: ``console-translate``, ``console-createpseudotranslatetmx`` (``--help`` calls
  it ``console-pseudotranslatetmx``, which silently starts the GUI) and ``console-align``; no
  statistics mode, but every project load writes ``omegat/project_stats.txt``.
- Its native XLIFF filter translates the text of ``<target>``, not ``<source>``: with our English
  targets, OmegaT's segments ARE the English (its pseudo-translation TMX lists them as source
  text), and a trans-unit without a ``<target>`` gives no segment at all. So it never takes an
  existing target as a translation (every segment stays "remaining"), and ``state`` /
  ``approved`` make no difference; ``translate="no"`` units are skipped (not counted).
- The way in: ``to_xliff(doc, targets="source")`` (each target a copy of the source) plus
  ``to_tmx(doc)`` in the project's ``tm/auto/``: OmegaT fills every segment from our TMX
  (0 remaining) and writes our English into ``target/``; that file imports back unchanged.
  A TMX in plain ``tm/`` only offers fuzzy matches.
- XLIFF 2.0 gives no segments in 3.6 (0 in the statistics).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from translate.formats.exchange import import_file
from translate.formats.tmx import to_tmx
from translate.formats.xliff import to_xliff
from translate.review.store import Store

from .catfiles import X1, stored_article

OMEGAT = shutil.which("omegat")
TIMEOUT_S = 60

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>id</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneIndonesianTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
# sentence_seg false: our units are segmented already; OmegaT must not split paragraph units.


@pytest.fixture(autouse=True)
def _need_omegat() -> None:
    if OMEGAT is None:
        if os.environ.get("CI"):
            pytest.fail("OmegaT is not installed (apt-get install omegat); CI runs this test")
        pytest.skip("OmegaT is not installed (apt-get install --no-install-recommends omegat)")


@pytest.fixture
def stored(tmp_path: Path, fake_translator: Any) -> Iterator[tuple[Store, str]]:
    """A translated article with a paragraph unit (p2, edited) and an approval (p3)."""
    english = "Residents were <delighted> & came early; cheers ]]> all."
    with stored_article(tmp_path / "s.sqlite", fake_translator, english) as pair:
        yield pair


def _project(root: Path) -> Path:
    project = root / "project"
    for sub in ("source", "target", "tm", "glossary", "omegat", "dictionary"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    return project


def _omegat(tmp_path: Path, project: Path, *args: str) -> str:
    """Run OmegaT headless on the project; return its log (stdout and stderr)."""
    assert OMEGAT is not None
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),  # Java preferences land here, not in the real home
        "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true",
    }
    result = subprocess.run(
        [
            "timeout",
            str(TIMEOUT_S),
            OMEGAT,
            *args,
            f"--config-dir={tmp_path / 'omegat-config'}",
            "--disable-project-locking",
            "--no-team",
            str(project),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "Exception" not in log, log[-3000:]
    return log


def _stats(project: Path) -> tuple[int, int]:
    """(total, remaining) segments from OmegaT's omegat/project_stats.txt."""
    text = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = re.search(r"^Total:\s+(\d+)", text, re.MULTILINE)
    remaining = re.search(r"^Remaining:\s+(\d+)", text, re.MULTILINE)
    assert total and remaining, text
    return int(total.group(1)), int(remaining.group(1))


def _translatable(xliff: bytes) -> list[Any]:
    units = etree.fromstring(xliff).iter(f"{{{X1}}}trans-unit")
    return [tu for tu in units if tu.get("translate") != "no"]


def test_omegat_fills_our_xliff_from_our_tmx_and_it_imports_back_unchanged(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    before, history = doc.to_dict(), store.history(doc_id)
    project = _project(tmp_path)
    xliff = to_xliff(doc, targets="source")
    (project / "source" / "jembatan.xlf").write_bytes(xliff)
    (project / "tm" / "auto").mkdir()
    (project / "tm" / "auto" / "jembatan.tmx").write_bytes(to_tmx(doc))

    log = _omegat(tmp_path, project, "--mode=console-translate")

    tmx_path = project / "tm" / "auto" / "jembatan.tmx"
    assert f"Reading TMX file {tmx_path}" in log
    assert "Reading of TMX file complete" in log and "Created by: translate" in log
    # Every translatable trans-unit is one OmegaT segment (the paragraph unit p2 included),
    # and every one of them was filled from our TMX.
    assert _stats(project) == (len(_translatable(xliff)), 0) == (5, 0)
    translated = project / "target" / "jembatan.xlf"
    targets = {
        tu.get("id"): tu.find(f"{{{X1}}}target").text
        for tu in etree.fromstring(translated.read_bytes()).iter(f"{{{X1}}}trans-unit")
    }
    assert targets["p2"] == doc.paragraph("p2").target  # escaping survived OmegaT too
    report = import_file(store, doc_id, translated, who="omegat")
    assert report.changed == () and report.errors == () and report.unknown == ()
    assert report.unchanged == 6
    assert store.load(doc_id).to_dict() == before
    assert store.history(doc_id) == history


def test_a_translation_made_in_omegat_comes_back_as_an_edit(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    project = _project(tmp_path)
    (project / "source" / "jembatan.xlf").write_bytes(to_xliff(doc, targets="source"))
    (project / "tm" / "jembatan.tmx").write_bytes(to_tmx(doc))
    # The translator's work: OmegaT's project memory, with p1.s2 translated anew.
    tmx = etree.fromstring(to_tmx(doc))
    (tu,) = [t for t in tmx.iter("tu") if t.get("tuid") == "p1.s2"]
    tu.findall("tuv")[1].find("seg").text = "The ceremony was lively & loud."
    (project / "omegat" / "project_save.tmx").write_bytes(etree.tostring(tmx))

    log = _omegat(tmp_path, project, "--mode=console-translate")

    assert f"Reading TMX file {project / 'tm' / 'jembatan.tmx'}" in log
    assert _stats(project) == (5, 0)
    report = import_file(store, doc_id, project / "target" / "jembatan.xlf", who="omegat")
    assert report.changed == ("p1.s2",) and report.unchanged == 5
    p1 = store.load(doc_id).paragraph("p1")
    assert p1.sentences[2].target == "The ceremony was lively & loud." and p1.status == "edited"
    last = store.history(doc_id)[-1]
    assert (last.segment, last.action, last.who) == ("p1.s2", "edit", "omegat")


def test_omegat_takes_english_targets_as_its_source_text(
    stored: tuple[Store, str], tmp_path: Path
) -> None:
    store, doc_id = stored
    doc = store.load(doc_id)
    project = _project(tmp_path)
    xliff = to_xliff(doc)  # English targets, states from draft to final
    (project / "source" / "jembatan.xlf").write_bytes(xliff)
    (project / "tm" / "jembatan.tmx").write_bytes(to_tmx(doc))
    pseudo = tmp_path / "pseudo.tmx"

    _omegat(
        tmp_path,
        project,
        "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={pseudo}",
        "--pseudotranslatetype=equal",
    )

    translatable = _translatable(xliff)
    # Counted per trans-unit, but none counts as translated: existing targets are not used.
    assert _stats(project) == (len(translatable), len(translatable)) == (5, 5)
    sources = {
        tuv.find("seg").text
        for tuv in etree.fromstring(pseudo.read_bytes()).iter("tuv")
        if tuv.get("lang") == "id"
    }
    english = {tu.find(f"{{{X1}}}target").text for tu in translatable}
    indonesian = {tu.find(f"{{{X1}}}source").text for tu in translatable}
    # Whatever the state (needs-review-translation, translated, final), the English is
    # what OmegaT offers for translation.
    assert sources == english and not sources & indonesian
