"""``translate batch --engine ray``: the same outputs as the local engine, resumable, and an
actor killed mid-run loses and duplicates nothing.

Ray here must stay on loopback, which it does only inside a network namespace that has
nothing else: every Ray run below is a ``translate batch`` started with ``ip netns exec``
in a namespace the fixture makes and deletes. Skipped where that cannot be done (not root,
no iproute2, no Ray), never in CI (``.ci/run`` installs iproute2 and the ``[ray]`` extra).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate.pipeline.batch import run_batch
from translate.pipeline.spec import TranslatorSpec

ROOT = Path(__file__).parents[2]
ARTICLE = [
    "Menteri Luar Negeri Rusia Sergei Lavrov bertemu dengan Menteri Luar Negeri Amerika "
    "Serikat di Jenewa pada Senin.",
    "Kedua menteri membahas gencatan senjata di Suriah. Mereka sepakat bertemu lagi.",
    "Pasukan pemerintah Suriah merebut kembali sebagian kota Aleppo.",
    "Warga diminta tidak panik. Bantuan akan dikirim pekan depan.",
    "Harga beras di Jakarta naik 5 persen pada Selasa.",
]


def _can_make_namespaces() -> str:
    """Why Ray tests cannot run here ("" when they can)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return "Ray is not installed (pip install -e '.[ray]')"
    if shutil.which("ip") is None:
        return "iproute2 is not installed (apt-get install iproute2)"
    if os.geteuid() != 0:
        return "network namespaces need root"
    return ""


WHY = _can_make_namespaces()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(WHY) and not os.environ.get("CI"), reason=WHY or "-"),
]


@pytest.fixture
def netns() -> Iterator[str]:
    """A network namespace with only loopback, up; deleted afterwards."""
    assert not WHY, WHY  # in CI: fail, not skip
    name = f"tr-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(50):
        paragraphs = [ARTICLE[(n + k) % len(ARTICLE)] for k in range(1 + n % 3)]
        # Sentences of many lengths, so that batches mix bounds differently in each engine.
        paragraphs.append(" ".join(["Warga Aleppo"] * (1 + n % 7)) + f" pada tanggal {n}.")
        (folder / f"berita-{n:02d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return folder


def ray_batch(
    netns: str, model: Path, home: Path, *args: str, background: bool = False
) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    """``translate batch --engine ray`` inside the namespace."""
    env = {
        **os.environ,
        "TRANSLATE_MODEL": str(model),
        "TRANSLATE_HOME": str(home),
        "TRANSLATE_THREADS": "1",
        "RAY_DEDUP_LOGS": "0",
    }
    cmd = ["ip", "netns", "exec", netns, sys.executable, "-m", "translate", "batch", *args,
           "--engine", "ray", "--workers", "2"]  # fmt: skip
    if background:
        return subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=ROOT)  # fmt: skip
    return subprocess.run(cmd, env=env, text=True, capture_output=True, cwd=ROOT, timeout=300)


STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"]*")


def outputs(folder: Path) -> dict[str, str]:
    """Each output's text, its timestamps (when it was made) blanked."""
    return {
        path.name: STAMP.sub("<time>", path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def local_batch(corpus: Path, out: Path, model: Path, home: Path, backend: str = "torch") -> None:
    os.environ["TRANSLATE_HOME"] = str(home)
    spec = TranslatorSpec(model=str(model), backend=backend, device="cpu")
    summary = run_batch(corpus, out, spec.build(), fmt="json")
    assert summary.done == 50 and not summary.failed


@pytest.mark.parametrize("backend", ["torch", "ct2"])
def test_ray_gives_the_local_outputs_and_resumes(
    netns: str,
    corpus: Path,
    tmp_path: Path,
    tiny_model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
) -> None:
    if backend == "ct2":
        pytest.importorskip("ctranslate2")  # the [fast] extra, which CI installs
    monkeypatch.setenv("TRANSLATE_THREADS", "1")
    home = tmp_path / "home"
    local_batch(corpus, tmp_path / "local", tiny_model_dir, home, backend)
    args = (str(corpus), "-o", str(tmp_path / "ray"), "--backend", backend)
    done = ray_batch(netns, tiny_model_dir, home, *args)
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "50 done, 0 skipped, 0 failed" in done.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")  # byte for byte, dates aside
    # A rerun (with either engine) finds everything written and recorded.
    again = ray_batch(netns, tiny_model_dir, home, *args)
    assert isinstance(again, subprocess.CompletedProcess)
    assert "0 done, 50 skipped, 0 failed" in again.stderr, again.stderr


def test_a_killed_actor_loses_and_duplicates_nothing(
    netns: str, corpus: Path, tmp_path: Path, tiny_model_dir: Path
) -> None:
    out = tmp_path / "ray"
    run = ray_batch(netns, tiny_model_dir, tmp_path / "home", str(corpus), "-o", str(out),
                    background=True)  # fmt: skip
    assert isinstance(run, subprocess.Popen)
    killed = 0
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline and not killed:
        # Kill one translator actor once some documents are written, so it dies mid-run.
        if len(list(out.glob("*.json"))) >= 3:
            ps = subprocess.run(["pgrep", "-f", "MapBatches\\(_Translate\\)"],
                                capture_output=True, text=True)  # fmt: skip
            pids = [int(p) for p in ps.stdout.split()]
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed = pids[0]
        time.sleep(0.2)
    log, _ = run.communicate(timeout=300)
    assert killed, "no translator actor was found to kill:\n" + log
    assert run.returncode == 0, log
    assert "50 done, 0 skipped, 0 failed" in log, log
    assert len(list(out.glob("*.json"))) == 50
    manifest = [json.loads(line) for line in (out / ".translate-manifest.jsonl").open()]
    written = [m["input"] for m in manifest]
    assert sorted(written) == sorted(set(written)) and len(written) == 50  # each once


def test_ray_stays_on_loopback(netns: str) -> None:
    script = (
        "import ray, subprocess; ray.init(num_cpus=1, include_dashboard=False); "
        "print(subprocess.run(['ss', '-tnlp'], capture_output=True, text=True).stdout); "
        "ray.shutdown()"
    )
    done = subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-c", script],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    lines = [line.split() for line in done.stdout.splitlines()[1:] if line.strip()]
    assert lines, done.stdout + done.stderr
    addresses = {fields[3].rsplit(":", 1)[0] for fields in lines}
    assert addresses <= {"127.0.0.1", "[::ffff:127.0.0.1]", "[::1]"}, addresses


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_a_table_of_documents_to_parquet_shards(
    netns: str, tmp_path: Path, tiny_model_dir: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows with an id and a text in, Parquet shards out (id, english, json, status, error);
    a row without text is recorded as failed and does not stop the others; a rerun skips
    every recorded id; the English is what the local engine gives the same text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from translate.formats.readers import read_text
    from translate.formats.registry import render

    rows = [
        {"doc": f"a{n:02d}", "body": "\n\n".join(ARTICLE[n % 5 : n % 5 + 2])} for n in range(12)
    ]
    rows.append({"doc": "kosong", "body": None})
    source = tmp_path / f"corpus.{kind}"
    if kind == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), source)
    else:
        source.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out, home = tmp_path / "shards", tmp_path / "home"
    args = (str(source), "-o", str(out), "--id-column", "doc", "--text-column", "body")
    done = ray_batch(netns, tiny_model_dir, home, *args)
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 1, done.stderr  # one row failed
    assert "12 done, 0 skipped, 1 failed" in done.stderr
    assert "kosong: the row has no text" in done.stderr
    table = pa.concat_tables(pq.read_table(p) for p in sorted(out.glob("part-*.parquet")))
    assert table.column_names == ["id", "english", "json", "status", "error"]
    got = {r["id"]: r for r in table.to_pylist()}
    assert sorted(got) == sorted(r["doc"] for r in rows)  # every id, once
    assert got["kosong"]["status"] == "failed" and got["kosong"]["english"] == ""
    assert got["kosong"]["error"] == "the row has no text (null or not a string)"  # no id twice
    monkeypatch.setenv("TRANSLATE_HOME", str(home))
    local = TranslatorSpec(model=str(tiny_model_dir), device="cpu").build()
    for row in rows[:3]:
        english = render(local.translate_document(read_text(str(row["body"]), "txt")), "txt")
        assert got[str(row["doc"])]["english"] == english
        assert json.loads(got[str(row["doc"])]["json"])["paragraphs"]
    again = ray_batch(netns, tiny_model_dir, home, *args)
    assert isinstance(again, subprocess.CompletedProcess)
    assert "0 done, 13 skipped, 0 failed" in again.stderr, again.stderr
    assert len(list(out.glob("part-*.parquet"))) == 1
