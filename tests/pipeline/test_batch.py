from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FakeEngine
from translate import Translator
from translate.cli import cli
from translate.pipeline.batch import MANIFEST, Manifest, run_batch

ARTICLES = Path(__file__).parents[1] / "data" / "articles"


def make_inputs(folder: Path, count: int, nested: bool = False) -> list[Path]:
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(ARTICLES.glob("*.txt"))]
    paths = []
    for i in range(count):
        sub = folder / (f"desk{i % 3}" if nested else "")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"berita-{i:03d}.txt"
        body = texts[i % len(texts)].split("\n\n")[1:3]
        path.write_text(f"Berita nomor {i}.\n\n" + "\n\n".join(body), encoding="utf-8")
        paths.append(path)
    return paths


def test_batch_mirrors_tree_and_skips_on_rerun(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 7, nested=True)
    (src / "notes.pdf").write_bytes(b"%PDF")  # not an article: ignored
    engine = FakeEngine()
    summary = run_batch(src, out, Translator(engine=engine), recursive=True)
    assert (summary.done, summary.skipped, summary.failed) == (7, 0, [])
    outputs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert outputs == sorted(f"desk{i % 3}/berita-{i:03d}.json" for i in range(7))
    doc = json.loads((out / "desk0/berita-000.json").read_text(encoding="utf-8"))
    assert doc["paragraphs"][0]["target"] == "EN(Berita nomor 0.)"

    calls = len(engine.calls)
    again = run_batch(src, out, Translator(engine=engine), recursive=True)
    assert (again.done, again.skipped) == (0, 7)
    assert len(engine.calls) == calls  # nothing went to the model


def test_changed_content_or_settings_are_redone(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    paths = make_inputs(src, 4)
    run_batch(src, out, Translator(engine=FakeEngine()))
    paths[1].write_text("Isi yang baru.", encoding="utf-8")
    summary = run_batch(src, out, Translator(engine=FakeEngine()))
    assert (summary.done, summary.skipped) == (1, 3)
    summary = run_batch(src, out, Translator(engine=FakeEngine(), beams=2))
    assert (summary.done, summary.skipped) == (4, 0)
    summary = run_batch(src, out, Translator(engine=FakeEngine(), beams=2), fmt="md")
    assert summary.done == 4
    assert (out / "berita-001.md").read_text(encoding="utf-8") == "EN(Isi yang baru.)\n"


def test_deleted_output_is_redone(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 3)
    run_batch(src, out, Translator(engine=FakeEngine()))
    (out / "berita-002.json").unlink()
    summary = run_batch(src, out, Translator(engine=FakeEngine()))
    assert (summary.done, summary.skipped) == (1, 2)


def test_failures_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 3)
    (src / "rusak.txt").write_bytes(b"\x00\x01\x02binary")
    # UTF-8 with a Windows-1252 piece pasted in: no encoding reads it (readers.decode_article).
    (src / "latin1.txt").write_bytes("Harga “naik”".encode() + " lagi “tajam”.".encode("cp1252"))
    events = []
    summary = run_batch(src, out, Translator(engine=FakeEngine()), on_event=events.append)
    assert summary.done == 3
    failed = dict(summary.failed)
    assert set(failed) == {"rusak.txt", "latin1.txt"}
    # Before any result: how many inputs are to be translated (a progress line's ETA).
    planned = [e for e in events if e.kind == "planned"]
    assert len(planned) == 1 and planned[0].count == 5 and events.index(planned[0]) == 0
    assert "binary" in failed["rusak.txt"] and "not UTF-8" in failed["latin1.txt"]


def test_cli_batch_exit_codes(tmp_path: Path, tiny_model_dir: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 2)
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_model_dir), "--beams", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "2 done, 0 skipped, 0 failed" in result.stderr
    (src / "rusak.txt").write_bytes(b"\x00binary")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "failed: rusak.txt:" in result.stderr
    assert "0 done, 2 skipped, 1 failed" in result.stderr
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "none"), "-o", str(out)])
    assert result.exit_code == 2
    assert "not a directory" in result.stderr


def test_torn_manifest_line_is_ignored(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 3)
    run_batch(src, out, Translator(engine=FakeEngine()))
    manifest = out / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][: len(lines[-1]) // 2])
    (out / ".berita-000.json.abc123.tmp").write_text("half")
    summary = run_batch(src, out, Translator(engine=FakeEngine()))
    assert (summary.done, summary.skipped) == (1, 2)
    assert not list(out.glob("*.tmp"))
    assert len(Manifest(out).entries) == 3


@pytest.mark.slow
def test_sigkill_midway_then_resume(tmp_path: Path, tiny_model_dir: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 40)
    env = {
        **os.environ,
        "TRANSLATE_BATCH_WINDOW": "3",  # small windows: documents finish one after another
        "TRANSLATE_THREADS": "1",
    }
    cmd = [
        sys.executable,
        "-m",
        "translate",
        "batch",
        str(src),
        "-o",
        str(out),
        "--model",
        str(tiny_model_dir),
        "--beams",
        "2",
    ]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
    manifest = out / MANIFEST
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if manifest.exists() and manifest.read_text(encoding="utf-8").count("\n") >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished_before = Manifest(out).entries
    assert 5 <= len(finished_before) < 40, "the kill should land midway"
    mtimes = {k: (out / v["output"]).stat().st_mtime_ns for k, v in finished_before.items()}

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(finished_before)} skipped, 0 failed" in rerun.stderr
    # Every input has exactly one complete output; nothing finished before the kill was redone.
    outputs = sorted(out.glob("*.json"))
    assert len(outputs) == 40
    for path in outputs:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["paragraphs"] and doc["schema"] == "translate.document/1"
    assert not list(out.glob(".*.tmp"))
    for key, mtime in mtimes.items():
        assert (out / finished_before[key]["output"]).stat().st_mtime_ns == mtime
    assert len(Manifest(out).entries) == 40


def test_prefetch_keeps_order_bounds_and_errors() -> None:
    import threading

    from translate.pipeline.batch import prefetch

    produced: list[int] = []
    lock = threading.Lock()

    def numbers():  # type: ignore[no-untyped-def]
        for i in range(50):
            with lock:
                produced.append(i)
            yield i

    seen = []
    for item in prefetch(numbers(), 3):
        time.sleep(0.001)
        with lock:
            # The reader never runs more than the queue size (+1 in hand) ahead.
            assert len(produced) - len(seen) <= 5
        seen.append(item)
    assert seen == list(range(50))

    def broken():  # type: ignore[no-untyped-def]
        yield 1
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(prefetch(broken(), 2))


# --- several input sets, concurrent runs, undecodable names (issue 17, items 7 and 10) -------


def test_manifest_keeps_every_input_set(tmp_path: Path) -> None:
    """batch A, batch B, batch A into one folder: the second A skips everything."""
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    make_inputs(a, 3)
    (b / "lain").mkdir(parents=True)
    (b / "lain" / "opini.txt").write_text("Opini redaksi hari ini.", encoding="utf-8")
    engine = FakeEngine()
    assert run_batch(a, out, Translator(engine=engine)).done == 3
    assert run_batch(b, out, Translator(engine=engine), recursive=True).done == 1
    calls = len(engine.calls)
    again = run_batch(a, out, Translator(engine=engine))
    assert (again.done, again.skipped) == (0, 3)
    assert len(engine.calls) == calls
    assert len(Manifest(out).entries) == 4


def test_empty_input_folder_keeps_the_manifest(tmp_path: Path) -> None:
    src, empty, out = tmp_path / "in", tmp_path / "empty", tmp_path / "out"
    make_inputs(src, 4)
    empty.mkdir()
    run_batch(src, out, Translator(engine=FakeEngine()))
    assert run_batch(empty, out, Translator(engine=FakeEngine())).done == 0
    assert len(Manifest(out).entries) == 4
    assert run_batch(src, out, Translator(engine=FakeEngine())).skipped == 4


def test_an_output_written_by_another_input_set_is_redone(tmp_path: Path) -> None:
    """Same file name, different content: the output is B's now, so A's is made again."""
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, text in ((a, "Harga beras naik."), (b, "Harga cabai turun.")):
        folder.mkdir()
        (folder / "berita.txt").write_text(text, encoding="utf-8")
    run_batch(a, out, Translator(engine=FakeEngine()))
    run_batch(b, out, Translator(engine=FakeEngine()))
    again = run_batch(a, out, Translator(engine=FakeEngine()))
    assert (again.done, again.skipped) == (1, 0)
    doc = json.loads((out / "berita.json").read_text(encoding="utf-8"))
    assert doc["paragraphs"][0]["target"] == "EN(Harga beras naik.)"


def test_compaction_keeps_valid_entries_only(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 3)
    run_batch(src, out, Translator(engine=FakeEngine()))
    (out / "berita-001.json").unlink()  # an output removed by hand: its entry goes
    run_batch(tmp_path / "in", out, Translator(engine=FakeEngine(), beams=2), fmt="md")
    kept = {e["output"] for e in Manifest(out).entries.values()}
    assert kept == {"berita-000.json", "berita-002.json"} | {f"berita-00{i}.md" for i in range(3)}


def test_second_concurrent_run_refuses(tmp_path: Path) -> None:
    from filelock import FileLock

    from translate.pipeline.batch import LOCK, BatchBusyError

    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 2)
    out.mkdir()
    with FileLock(out / LOCK), pytest.raises(BatchBusyError, match="another translate batch"):
        run_batch(src, out, Translator(engine=FakeEngine()))
    assert not list(out.glob("*.json"))
    assert run_batch(src, out, Translator(engine=FakeEngine())).done == 2  # released


def test_cli_second_concurrent_run_is_one_line_exit_2(tmp_path: Path, tiny_model_dir: Path) -> None:
    from filelock import FileLock

    from translate.pipeline.batch import LOCK

    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 1)
    out.mkdir()
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_model_dir)]
    with FileLock(out / LOCK):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "another translate batch" in lines[0]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_undecodable_file_name_is_one_file_not_the_run(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 2)
    bad = os.fsdecode(b"berita-\xff\xfe.txt")
    (src / bad).write_text("Harga beras naik.", encoding="utf-8")
    events: list[object] = []
    summary = run_batch(src, out, Translator(engine=FakeEngine()), on_event=events.append)
    assert (summary.done, summary.failed) == (3, [])
    written = out / os.fsdecode(b"berita-\xff\xfe.json")
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert doc["meta"]["name"] == "berita-\ufffd\ufffd.txt"  # shown, not the raw bytes
    assert doc["paragraphs"][0]["target"] == "EN(Harga beras naik.)"
    again = run_batch(src, out, Translator(engine=FakeEngine()))
    assert (again.done, again.skipped) == (0, 3)  # the manifest reads its own entry back


def test_cli_undecodable_names_in_article(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / os.fsdecode(b"berita-\xff.txt")
    src.write_text("Harga beras naik.", encoding="utf-8")
    out = tmp_path / os.fsdecode(b"hasil-\xfe.json")
    args = ["article", str(src), "-o", str(out), "--format", "json", "--model", str(tiny_model_dir)]
    result = CliRunner().invoke(cli, [*args, "--no-default-glossary"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(out.read_text(encoding="utf-8"))["meta"]["name"] == "berita-\ufffd.txt"


def test_cli_batch_prints_reader_notes(tmp_path: Path, tiny_model_dir: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "lama.txt").write_bytes(
        "Harga beras naik “tajam” di pasar induk hari ini.".encode("cp1252")
    )
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_model_dir), "--beams", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "lama.txt: read as Windows-1252" in result.stderr


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # The folder is the glob's part without wildcards: here desk1 itself.
        ("desk1/*.txt", ["berita-001.txt", "berita-004.txt"]),
        ("desk[02]/berita-00?.txt", ["desk0/berita-000.txt", "desk0/berita-003.txt",
                                     "desk2/berita-002.txt", "desk2/berita-005.txt"]),
        ("**/berita-00[45].txt", ["desk1/berita-004.txt", "desk2/berita-005.txt"]),
    ],
)  # fmt: skip
def test_a_glob_picks_the_inputs_and_outputs_mirror_below_its_folder(
    tmp_path: Path, pattern: str, expected: list[str]
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_inputs(src, 6, nested=True)
    summary = run_batch(f"{src}/{pattern}", out, Translator(engine=FakeEngine()), fmt="txt")
    assert summary.done == len(expected) and not summary.failed
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert written == expected


@pytest.mark.parametrize(
    ("given", "folder", "pattern"),
    [("arsip", "arsip", None), ("arsip/2024-*/*.txt", "arsip", "2024-*/*.txt"),
     ("*.txt", ".", "*.txt"), ("/data/x/**/*.md", "/data/x", "**/*.md")],
)  # fmt: skip
def test_split_glob(given: str, folder: str, pattern: str | None) -> None:
    from translate.pipeline.batch import split_glob

    assert split_glob(Path(given)) == (Path(folder), pattern)
