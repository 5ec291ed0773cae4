"""Configuration: argument > TRANSLATE_* environment > default, read in config.py only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from translate import config
from translate.errors import UsageError

ROOT = Path(__file__).parents[1]


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("DEVICE", "DTYPE", "QUANTIZE", "FULL_VOCAB", "BATCH_TOKENS", "THREADS", "BATCH_WINDOW")
    for name in names:
        monkeypatch.delenv(f"TRANSLATE_{name}", raising=False)
    monkeypatch.delenv("TRANSLATE_PREFETCH", raising=False)
    defaults = (config.resolve_device(), config.resolve_dtype(), config.resolve_quantize())
    assert defaults == ("auto", "auto", False) and config.resolve_full_vocab() is False
    assert (config.batch_tokens(), config.threads(), config.batch_window()) == (2048, 0, 512)
    assert config.prefetch() == 8
    monkeypatch.setenv("TRANSLATE_DEVICE", "cpu")
    monkeypatch.setenv("TRANSLATE_QUANTIZE", "yes")
    monkeypatch.setenv("TRANSLATE_FULL_VOCAB", "1")
    monkeypatch.setenv("TRANSLATE_BATCH_TOKENS", "512")
    monkeypatch.setenv("TRANSLATE_BATCH_WINDOW", "7")
    assert config.resolve_device() == "cpu" and config.resolve_device("cuda") == "cuda"
    assert config.resolve_quantize() is True and config.resolve_quantize(False) is False
    assert config.resolve_full_vocab() is True and config.resolve_full_vocab(False) is False
    assert config.batch_tokens() == 512 and config.batch_tokens(64) == 64
    assert config.batch_window() == 7 and config.batch_window(3) == 3


def test_only_config_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ\.get\(\s*\"TRANSLATE_|os\.getenv\(\s*\"TRANSLATE_")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*sorted((ROOT / "translate").rglob("*.py")), ROOT / "app.py"]
        if path.name != "config.py" and reads.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("env", "argument", "expected"),
    [("", None, 4), ("6", None, 6), ("6", 2, 2), ("", 1, 1)],
)
def test_beams_resolved_at_call_time(
    monkeypatch: pytest.MonkeyPatch, env: str, argument: int | None, expected: int
) -> None:
    monkeypatch.setenv("TRANSLATE_BEAMS", env)
    assert config.resolve_beams(argument) == expected


@pytest.mark.parametrize("env", ["four", "0", "17"])
def test_bad_beams_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, env: str) -> None:
    monkeypatch.setenv("TRANSLATE_BEAMS", env)
    with pytest.raises(UsageError, match="TRANSLATE_BEAMS"):
        config.resolve_beams()


@pytest.mark.parametrize(
    ("env", "expected"), [("", False), ("editable", True), ("1", True), ("no", False)]
)
def test_ui_settings_editable(monkeypatch: pytest.MonkeyPatch, env: str, expected: bool) -> None:
    monkeypatch.setenv("TRANSLATE_UI_SETTINGS", env)
    assert config.ui_settings_editable() is expected
    assert config.ui_settings_editable(True) is True
