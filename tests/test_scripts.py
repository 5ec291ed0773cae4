"""The newcomer's commands: scripts/setup installs what the tests need, scripts/test finds it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _which(checkout: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", str(checkout / "scripts" / "test"), "--which-python"],
        capture_output=True, text=True, timeout=30, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "test", tmp_path / "scripts" / "test")
    return tmp_path


def test_scripts_test_uses_the_projects_venv(checkout: Path) -> None:
    """Right after scripts/quickstart, `bash scripts/test` must not run the system python."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    assert _which(checkout, env) == "python3"
    venv = checkout / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text("#!/bin/sh\n", encoding="utf-8")
    (venv / "python").chmod(0o755)
    assert _which(checkout, env) == ".venv/bin/python"
    assert _which(checkout, {**env, "PYTHON": "/opt/py/bin/python"}) == "/opt/py/bin/python"


@pytest.mark.parametrize("script", ["scripts/setup", ".ci/run"])
def test_setup_installs_the_extras_the_tests_use(script: str) -> None:
    install = [
        line
        for line in (ROOT / script).read_text(encoding="utf-8").splitlines()
        if "pip install" in line and " -e " in line
    ]
    extras = ("dev", "fast", "ray", "train")
    assert install and all(all(e in line for e in extras) for line in install)
