"""The backend registry: names, options, refusals, and a backend added in one file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate import Translator
from translate.engines import registry
from translate.engines.registry import (
    backend_names,
    backends,
    check_options,
    choices,
    get_backend,
    load_engine,
)
from translate.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def test_built_in_backends_default_first() -> None:
    assert backend_names() == ["torch", "ct2"]
    torch, ct2 = backends()
    assert torch.available() and set(torch.options) == {"quantize", "dtype", "full_vocab"}
    assert set(ct2.options) == {"quantization", "full_vocab"}
    assert choices("quantization") == (
        "int8", "int8_float16", "int8_float32", "int16", "float16", "bfloat16", "float32"
    )  # fmt: skip
    assert choices("dtype") == ("auto", "float32", "float16", "bfloat16")
    assert choices("nothing") == ()


def test_registering_imports_no_heavy_library() -> None:
    code = (
        "import sys; from translate.engines.registry import backends; backends(); "
        "import translate.cli; "
        "print(sorted(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("backend", "options", "message"),
    [
        (
            "ct2",
            {"quantize": True},
            "--quantize is for the torch backend; ct2 runs int8 on CPU already: drop one",
        ),
        (
            "ct2",
            {"dtype": "bfloat16"},
            "--dtype is for the torch backend; ct2 converts once "
            "(translate model convert --quantization)",
        ),
        ("torch", {"quantization": "int8"}, "--quantization is for the ct2 backend"),
        ("fast", {}, "unknown backend 'fast': use one of torch, ct2"),
    ],
)
def test_an_option_the_backend_does_not_take_is_refused(
    backend: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError) as info:
        check_options(backend, **options)
    assert str(info.value).startswith(message)
    with pytest.raises(UsageError):
        load_engine("no-model-needed", "cpu", backend, **options)


def test_unset_options_are_not_refused() -> None:
    # What the CLI and the API pass when nothing was asked for.
    assert check_options("ct2", quantize=None, dtype="auto") is get_backend("ct2")
    assert check_options("ct2", quantize=False, dtype=None) is get_backend("ct2")
    assert check_options("torch", quantization=None) is get_backend("torch")


def test_an_engine_of_an_unregistered_backend_is_taken_as_it_is(fake_engine: object) -> None:
    fake_engine.backend = "homegrown"  # type: ignore[attr-defined]
    assert check_options("homegrown", known=False, quantize=True) is None
    translator = Translator(engine=fake_engine, glossary=None)  # type: ignore[arg-type]
    assert translator.translate_text("Halo.") == "EN(Halo.)"
    with pytest.raises(UsageError, match="unknown backend 'homegrown'"):
        Translator(backend="homegrown")


@pytest.fixture
def fake() -> Iterator[registry.Backend]:
    """The one-file backend of ``fake_backend.py``, registered for one test."""
    before = dict(registry._BACKENDS)
    from tests.engines import fake_backend

    backend = registry.register_backend(fake_backend.BACKEND)
    try:
        yield backend
    finally:
        registry._BACKENDS.clear()
        registry._BACKENDS.update(before)


def test_a_backend_registered_in_one_file_translates(fake: registry.Backend) -> None:
    assert backend_names() == ["torch", "ct2", "fake"] and get_backend("fake") is fake
    translator = Translator(model="any", backend="fake", glossary=None)
    assert translator.translate_text("Halo dunia.") == "HALO DUNIA."
    assert translator.engine.backend == "fake" and translator.signature()["backend"] == "fake"
    engine = load_engine("m", "auto", "fake", batch_tokens=32, shout="yes")
    assert engine.options == {"batch_tokens": 32, "shout": "yes"}  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match="--quantize is for the torch backend; fake does not"):
        Translator(backend="fake", quantize=True)


def test_the_cli_offers_a_backend_registered_in_one_file(tmp_path: Path) -> None:
    source = tmp_path / "berita.txt"
    source.write_text("Halo dunia.\n", encoding="utf-8")
    code = (
        "import sys; import tests.engines.fake_backend; from translate.cli import main; "
        "sys.argv = ['translate', *sys.argv[1:]]; main()"
    )
    args = ["article", str(source), "--backend", "fake", "--format", "json", "--no-memory"]
    args += ["--no-default-glossary", "--model", "m"]
    env_home = {"TRANSLATE_HOME": str(tmp_path / "home")}
    import os

    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env_home, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["meta"]["backend"] == "fake"
    assert data["paragraphs"][0]["target"] == "HALO DUNIA."
