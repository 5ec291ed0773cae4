from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.config import resolve_model
from translate.engines.download import download_model
from translate.engines.torch.engine import MarianEngine
from translate.errors import ModelNotFoundError


class FakeHub:
    """Stands in for the Hugging Face hub: serves a local model folder."""

    def __init__(self, folder: Path, *, bin_only: bool = False) -> None:
        self.folder = folder
        self.bin_only = bin_only
        self.requests: list[list[str]] = []

    def list_repo_files(self, repo_id: str) -> list[str]:
        names = [p.name for p in self.folder.iterdir()]
        if self.bin_only:
            names = [n for n in names if n != "model.safetensors"] + ["pytorch_model.bin"]
        return names

    def snapshot_download(self, repo_id: str, local_dir: str, allow_patterns: list[str]) -> str:
        self.requests.append(allow_patterns)
        for name in allow_patterns:
            if name == "pytorch_model.bin":
                import torch
                from safetensors.torch import load_file

                torch.save(load_file(self.folder / "model.safetensors"), Path(local_dir) / name)
            else:
                shutil.copy(self.folder / name, Path(local_dir) / name)
        return local_dir


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path) -> FakeHub:
    import huggingface_hub

    fake = FakeHub(tiny_model_dir)
    monkeypatch.setattr("translate.engines.download.hub_reachable", lambda timeout=3.0: True)
    monkeypatch.setattr(huggingface_hub, "list_repo_files", fake.list_repo_files)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake.snapshot_download)
    return fake


def test_download_then_offline_load(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path))
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)
    dest = download_model()
    assert dest == tmp_path / "models" / "opus-mt-id-en"
    assert "model.safetensors" in hub.requests[0]
    assert "pytorch_model.bin" not in hub.requests[0]
    # The downloaded copy is what the default now resolves to: no hub needed.
    assert resolve_model() == str(dest)
    engine = MarianEngine(None, "cpu")
    assert engine.model_id == str(dest)


def test_bin_only_checkpoint_becomes_safetensors(
    monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path, tmp_path: Path
) -> None:
    import huggingface_hub

    fake = FakeHub(tiny_model_dir, bin_only=True)
    monkeypatch.setattr("translate.engines.download.hub_reachable", lambda timeout=3.0: True)
    monkeypatch.setattr(huggingface_hub, "list_repo_files", fake.list_repo_files)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake.snapshot_download)
    dest = download_model("someone/tiny", to=tmp_path / "tiny")
    names = {p.name for p in dest.iterdir()}
    assert "model.safetensors" in names and "pytorch_model.bin" not in names
    MarianEngine(str(dest), "cpu")


def test_cli_download(hub: FakeHub, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["model", "download", "--to", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "TRANSLATE_MODEL=" in result.output
    assert (tmp_path / "m" / "config.json").is_file()


def test_unreachable_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub

    def offline(repo_id: str) -> list[str]:
        raise ConnectionError("no network")

    monkeypatch.setattr(huggingface_hub, "list_repo_files", offline)
    monkeypatch.setattr("translate.engines.download.hub_reachable", lambda timeout=3.0: True)
    with pytest.raises(ModelNotFoundError, match="cannot reach"):
        download_model("x/y", to=tmp_path / "y")
    assert not (tmp_path / "y").exists()
    result = CliRunner().invoke(cli, ["model", "download", "x/y", "--to", str(tmp_path / "y")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot reach")


def test_no_network_fails_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("translate.engines.download.hub_reachable", lambda timeout=3.0: False)
    with pytest.raises(ModelNotFoundError, match="cannot reach the Hugging Face hub"):
        download_model("x/y", to=tmp_path / "y")


def test_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path))
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)
    assert resolve_model() == "Helsinki-NLP/opus-mt-id-en"
    monkeypatch.setenv("TRANSLATE_MODEL", "/models/x")
    assert resolve_model() == "/models/x"
    assert resolve_model("/models/arg") == "/models/arg"
