"""``translate ui``: start the post-editing workspace."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from translate.cli.common import (
    cli,
    handle_errors,
)
from translate.config import UI_SETTINGS
from translate.engines.registry import backend_names


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but localhost exposes newsroom text: set a password.",
)
@click.option(
    "--backend",
    type=click.Choice(backend_names()),
    help="Engine backend (default: $TRANSLATE_BACKEND, else torch).",
)
@click.option(
    "--model", help="Model: hub id or folder (default: $TRANSLATE_MODEL, else opus-mt-id-en)."
)
@click.option(
    "--beams", type=click.IntRange(1, 16), help="Beam size (default: $TRANSLATE_BEAMS, else 4)."
)
@click.option(
    "--allow-settings",
    is_flag=True,
    help="Let editors change model, engine and beam size in the sidebar (default: shown "
    "read-only; they change results for everyone).",
)
@click.option(
    "--full-vocab",
    is_flag=True,
    help="Score every vocabulary entry, not only what the English tokenizer can write "
    "(sets $TRANSLATE_FULL_VOCAB for the workspace).",
)
def ui(
    port: int,
    host: str,
    backend: str | None,
    model: str | None,
    beams: int | None,
    allow_settings: bool,
    full_vocab: bool,
) -> None:
    """Start the post-editing workspace in the browser (Streamlit).

    Model, engine and beam size are the operator's: editors see them read-only unless
    --allow-settings.

    \b
    Example:
        translate ui                 # then open http://localhost:8501
        translate ui --model models/opus-mt-id-en --beams 5 --port 8600
        translate ui --backend ct2   # CTranslate2: faster on CPU
    """
    import os

    from translate.ui.access import check_listen, configured_password, read_secrets
    from translate.ui.workspace import app_path

    with handle_errors():
        app = app_path()
        # Decided here, before anything listens: the app refuses too, but only after Streamlit
        # has bound the address.
        check_listen(host, configured_password(read_secrets(_secrets_paths(app))))
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.port", str(port),
            "--server.address", host,
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            # A full gc.collect after every script run costs ~150 ms a click with torch
            # loaded (also in .streamlit/config.toml, for `streamlit run app.py`).
            "--runner.postScriptGC", "false",
        ]  # fmt: skip
        click.echo(f"Workspace on http://{host}:{port}  (Ctrl+C stops it)", err=True)
        chosen = {
            "TRANSLATE_BACKEND": backend,
            "TRANSLATE_MODEL": model,
            "TRANSLATE_BEAMS": str(beams) if beams else None,
            UI_SETTINGS: "editable" if allow_settings else None,
            "TRANSLATE_FULL_VOCAB": "1" if full_vocab else None,
        }
        env = {**os.environ, **{k: v for k, v in chosen.items() if v}}
        sys.exit(_run_streamlit(cmd, app.parent, env))


def _run_streamlit(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run Streamlit in this process's place where the system allows it, so that a service
    manager's SIGTERM reaches the server itself instead of leaving it running orphaned."""
    import os
    import subprocess

    if os.name == "posix":
        os.chdir(cwd)
        os.execve(cmd[0], cmd, env)  # does not return
    try:
        return subprocess.call(cmd, cwd=cwd, env=env)
    except KeyboardInterrupt:
        return 0


def _secrets_paths(app: Path) -> list[Path]:
    """Where Streamlit looks for secrets when it runs ``app`` (from the app's folder)."""
    return [Path.home() / ".streamlit" / "secrets.toml", app.parent / ".streamlit" / "secrets.toml"]
