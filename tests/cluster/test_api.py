"""The scale-out API without a cluster: what is exported, and the error without Ray."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.cluster.on_ray import INSTALL, require_ray


def test_importing_translate_loads_neither_ray_nor_the_runner() -> None:
    code = (
        "import sys, translate; "
        "assert 'ray' not in sys.modules and 'translate.cluster.on_ray' not in sys.modules; "
        "from translate import RayOptions, TranslatorSpec, translate_dataset; "
        "print(RayOptions().workers, TranslatorSpec().beams, translate_dataset.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "4", "translate_dataset"]


def test_without_ray_one_line_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without Ray shows
    with pytest.raises(Exception, match="pip install"):
        require_ray()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Harga naik.", encoding="utf-8")
    args = ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "ray"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and INSTALL in lines[0]
