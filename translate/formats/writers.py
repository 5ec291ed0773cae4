"""Writing translated documents (text, Markdown, JSON; HTML, bilingual HTML and DOCX through
``publish``), and atomic file output."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.document import Paragraph, TranslatedDocument
from translate.errors import OutputError, UsageError

FORMATS = ("txt", "json", "md", "html", "bilingual-html", "docx", "tmx", "xliff")
EXTENSIONS = {
    "txt": ".txt",
    "json": ".json",
    "md": ".md",
    "html": ".html",
    "bilingual-html": ".bilingual.html",
    "docx": ".docx",
    "tmx": ".tmx",
    "xliff": ".xlf",
}
BINARY = ("docx",)


def render(document: TranslatedDocument, fmt: str) -> str | bytes:
    """The document in one of ``FORMATS`` (bytes for DOCX, text otherwise)."""
    from translate.formats import interchange, publish

    writers: dict[str, Callable[[TranslatedDocument], str | bytes]] = {
        **_WRITERS,
        "html": publish.to_html,
        "bilingual-html": publish.to_bilingual_html,
        "docx": publish.to_docx,
        "tmx": interchange.to_tmx,
        "xliff": interchange.to_xliff,
    }
    writer = writers.get(fmt)
    if writer is None:
        raise UsageError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    return writer(document)


def to_json(document: TranslatedDocument) -> str:
    """The contract JSON, pretty-printed, UTF-8 characters kept, with two derived sections:
    ``provenance`` (who and what made this English) and post-editing ``effort`` per paragraph
    and for the document. Both are recomputed from the rest, so reading ignores them."""
    from translate.review.stats import document_effort, effort

    data = document.to_dict()
    data["provenance"] = provenance(document)
    data["effort"] = document_effort(document).to_dict()
    for p, out in zip(document.paragraphs, data["paragraphs"], strict=True):
        if p.translated:
            out["effort"] = effort(p.mt, p.target).to_dict()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def provenance(document: TranslatedDocument) -> dict[str, Any]:
    """Model, version, glossary checksum, review state and dates of a translation."""
    meta = document.meta
    translated = [p for p in document.paragraphs if p.translated]
    approved = [p for p in translated if p.status == "approved"]
    edited = [p for p in translated if p.target != p.mt]
    return {
        "model": meta.model,
        "version": meta.version,
        "backend": meta.backend,
        "beams": meta.beams,
        "glossary_sha256": meta.glossary_sha256,
        "translated": meta.created,
        "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "paragraphs": len(translated),
        "approved": len(approved),
        "edited": len(edited),
        "approved_by": sorted({p.approved_by for p in approved if p.approved_by}),
        "last_approved": max((p.approved_at for p in approved if p.approved_at), default=None),
        "workflow": "machine-translated, post-edited" if edited else "machine-translated",
    }


def to_text(document: TranslatedDocument) -> str:
    """English paragraphs separated by blank lines; list items keep their markers."""
    return _join(document, _text_block)


def to_markdown(document: TranslatedDocument) -> str:
    """English Markdown with the source's structure: title, headings, lists, quotes."""
    return _join(document, _markdown_block)


def _join(document: TranslatedDocument, block: Callable[[Paragraph], str]) -> str:
    out: list[str] = []
    previous: Paragraph | None = None
    for p in document.paragraphs:
        if not p.target:
            continue
        if out:
            # Consecutive list items stay one list.
            same_list = previous is not None and previous.kind == p.kind == "list_item"
            out.append("\n" if same_list else "\n\n")
        out.append(block(p))
        previous = p
    return "".join(out) + ("\n" if out else "")


def _text_block(p: Paragraph) -> str:
    if p.kind == "list_item":
        return "  " * p.level + f"{p.marker} {p.target}"
    return p.target


def _markdown_block(p: Paragraph) -> str:
    from translate.formats.publish import escape_markdown, inert_markdown, inline_markdown

    if p.kind == "other" and p.marker in ("fence", "code_block", "hr", "table"):
        # Carried over verbatim from a Markdown source, unless an edit made it live markup.
        return p.target if inert_markdown(p.target, p.marker) else escape_markdown(p.target)
    if p.kind == "other" and p.marker == "html_block":
        return escape_markdown(p.target)  # raw HTML from the source stays inert, as text
    target = p.target.replace("\n", " ") if p.kind in ("title", "heading") else p.target
    text = inline_markdown(target, p.target_inline)
    if p.kind == "title":
        return f"# {text}"
    if p.kind == "heading":
        return "#" * max(1, p.level or 2) + f" {text}"
    if p.kind == "list_item":
        marker = p.marker if p.marker and p.marker != "•" else "-"
        return "  " * p.level + f"{marker} {text}"
    if p.kind == "quote":
        return "\n".join(f"> {line}" for line in text.split("\n"))
    return text


_WRITERS: dict[str, Callable[[TranslatedDocument], str]] = {
    "txt": to_text,
    "json": to_json,
    "md": to_markdown,
}


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it.

    A new file gets the permissions any program would give it (``0666`` less the umask); a
    replaced file keeps its own. (``mkstemp`` alone would make every output ``0600``.)
    """
    target = Path(path)
    try:
        payload = data.encode("utf-8") if isinstance(data, str) else data
    except UnicodeEncodeError as exc:
        # Only text that did not come from a decoded file can hold lone surrogates.
        raise OutputError(f"{target}: the text cannot be written as UTF-8 ({exc.reason})") from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The permission bits a written file gets: the replaced file's, else 0666 less umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~current_umask()


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, without changing it where the system can tell (Linux 4.7+)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read it is to set it; the lock keeps our threads consistent.
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
