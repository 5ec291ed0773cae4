"""Click latency of the post-editing workspace, measured in a real browser.

    python bench/ui_latency.py [--sizes 21 200] [--clicks 12] [--alternatives 3]

For each size, a document of that many paragraphs (the sample article, repeated to reach the
size) is translated with the tiny test model into a fresh store, the workspace is started on
it (Streamlit, 127.0.0.1 only) and opened in Debian's chromium at 1366×900. Then, on rows
spread over the first page:

- **approve**: time from the click on *Approve* until that row shows *Reopen* (its new state),
  measured inside the page (click event to the animation frame that shows it);
- **edit**: time from committing a changed English (Ctrl+Enter) until the row's status reads
  *edited*;
- **alternatives**: time from the click on *Alternatives* until its list is shown.

Reports median and maximum per action and size, and appends them to
``bench/results/ui-latency.jsonl``. The machine is shared: compare medians, not single clicks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT.parent / "shared" / "samples" / "aktual-aleppo.txt"
FALLBACK = ROOT / "tests" / "data" / "articles"
RESULTS = ROOT / "bench" / "results" / "ui-latency.jsonl"


def article(paragraphs: int) -> str:
    """The sample article repeated (numbered, so paragraphs differ) to ``paragraphs``."""
    text = SAMPLE.read_text() if SAMPLE.exists() else next(FALLBACK.glob("*.txt")).read_text()
    base = [p for p in text.split("\n\n") if p.strip()]
    out = []
    while len(out) < paragraphs:
        copy = len(out) // len(base)
        for p in base[: paragraphs - len(out)]:
            out.append(p if copy == 0 else f"{p} ({copy})")
    return "\n\n".join(out)


def prepare(store_path: Path, model: Path, paragraphs: int) -> str:
    """A translated document of ``paragraphs`` paragraphs in a new store; its id."""
    from translate import Translator
    from translate.review.store import Store
    from translate.ui import workspace

    text = article(paragraphs)
    document = workspace.document_from_paste(text, f"bench-{paragraphs}")
    translator = Translator(model=str(model), device="cpu", beams=2)
    with Store(store_path) as store:
        doc_id = workspace.create(store, document, text, translator)
        workspace.translate_pending(store, doc_id, translator, lambda _: None)
    return doc_id


def serve(store_path: Path, model: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {
        **os.environ,
        "TRANSLATE_STORE": str(store_path),
        "TRANSLATE_MODEL": str(model),
        "TRANSLATE_THREADS": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, *os.environ.get("STREAMLIT", "-m streamlit").split(), "run",
         str(ROOT / os.environ.get("APP", "app.py")),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(log.read_text())


# Measured in the page: from the click event to the first animation frame in which the row's
# new state is in the document and laid out (Playwright's own click adds its actionability
# checks, 50-100 ms that are not the user's wait).
CLICK = """async ([button, done]) => {
  const start = performance.now();
  document.querySelector(button).click();
  await new Promise((resolve, reject) => {
    const check = () => {
      const el = document.querySelector(done);
      if (el && el.offsetParent !== null) resolve();
      else if (performance.now() - start > 120000) reject(new Error("timed out: " + done));
      else requestAnimationFrame(check);
    };
    check();
  });
  return (performance.now() - start) / 1000;
}"""


def clicked(page: Any, button: str, done: str) -> float:
    """Seconds from a click on ``button`` until the selector ``done`` is shown."""
    page.locator(button).first.scroll_into_view_if_needed()
    seconds: float = page.evaluate(CLICK, [button, done])
    page.locator(done).first.wait_for(state="visible")
    return seconds


def timed(page: Any, act: Any, done: str, timeout: float = 120_000) -> float:
    """Seconds from ``act()`` until the selector ``done`` is visible."""
    start = time.perf_counter()
    act()
    page.locator(done).first.wait_for(state="visible", timeout=timeout)
    return time.perf_counter() - start


def measure(url: str, doc_id: str, rows: list[str], alternatives: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"approve": [], "edit": [], "alternatives": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{url}/?doc={doc_id}")
        page.locator(f".st-key-approve-{rows[0]} button").wait_for(timeout=180_000)
        page.wait_for_timeout(1500)  # let the first render settle
        for pid in rows:
            page.wait_for_timeout(300)  # as an editor would: one click after the other
            out["approve"].append(
                clicked(page, f".st-key-approve-{pid} button", f".st-key-reopen-{pid}")
            )
        for pid in rows[: max(1, len(rows) // 2)]:
            # Reopened rows are "edited"; an edit of an approved row reopens it too.
            field = page.get_by_label(f"English for {pid}", exact=True)
            field.scroll_into_view_if_needed()
            field.fill(field.input_value() + " (checked)")
            out["edit"].append(
                timed(page, lambda f=field: f.press("Control+Enter"), f".st-key-approve-{pid}")
            )
        for pid in rows[:alternatives]:
            page.locator(f".st-key-more-{pid} button").first.click()
            page.locator(f".st-key-alts-{pid} button").wait_for()
            out["alternatives"].append(
                clicked(page, f".st-key-alts-{pid} button", f".st-key-take-{pid}-0")
            )
            page.keyboard.press("Escape")
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[21, 200])
    parser.add_argument("--clicks", type=int, default=12)
    parser.add_argument("--alternatives", type=int, default=3)
    parser.add_argument("--label", default="", help="a note stored with the figures")
    args = parser.parse_args()

    from tests.tiny_model import build_tiny_marian

    work = Path(tempfile.mkdtemp(prefix="ui-latency-"))
    model = build_tiny_marian(work / "tiny-marian")
    results = []
    for size in args.sizes:
        store_path = work / f"store-{size}.sqlite"
        doc_id = prepare(store_path, model, size)
        proc, url = serve(store_path, model, work / f"streamlit-{size}.log")
        try:
            # Rows spread over the first screenfuls (p0 is the title line).
            rows = [f"p{i}" for i in range(1, min(size, 20) + 1)][: args.clicks]
            figures = measure(url, doc_id, rows, args.alternatives)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        for action, times in figures.items():
            if not times:
                continue
            row = {
                "size": size,
                "action": action,
                "n": len(times),
                "median_ms": round(statistics.median(times) * 1000),
                "max_ms": round(max(times) * 1000),
            }
            results.append(row)
            print(
                f"{size:>4} paragraphs  {action:<12} median {row['median_ms']:>6} ms  "
                f"max {row['max_ms']:>6} ms  (n={row['n']})"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for row in results:
            f.write(json.dumps({"at": stamp, "label": args.label, **row}) + "\n")


if __name__ == "__main__":
    main()
