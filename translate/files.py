"""Files: reading with a size bound, and writing atomically with the user's permissions.

The one place that touches the file system for inputs and outputs, so that every reader
refuses the same way and every writer is atomic.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from translate.errors import OutputError

Why = Literal["missing", "directory", "permission", "too_large", "empty", "os"]


@dataclass(frozen=True)
class Unreadable(Exception):
    """Why a file could not be read; callers turn it into their own one-line error."""

    why: Why
    detail: str = ""  # the OS's words, for ``os``
    size: int = 0  # bytes, for ``too_large``

    def reason(self, **words: str) -> str:
        """The problem in a few words; ``words`` gives a caller's own wording per ``why``
        (``too_large`` has none by default: each kind of file words its limit)."""
        default = {
            "missing": "no such file",
            "directory": "is a directory, not a file",
            "permission": "permission denied",
            "too_large": f"is {self.size} bytes; too large",
            "empty": "is empty",
            "os": f"cannot be read ({self.detail})",
        }
        return words.get(self.why, default[self.why])


def read_bounded(
    path: str | os.PathLike[str],
    limit: int,
    *,
    allow_empty: bool = True,
    error: Callable[[Unreadable], Exception] | None = None,
) -> bytes:
    """The file's bytes, at most ``limit`` of them, else ``Unreadable`` saying why — or the
    caller's own error made from it by ``error``.

    One byte past the bound is read, so a file that grew since ``stat``, or a device, is still
    refused rather than cut.
    """
    try:
        return _read_bounded(Path(path), limit, allow_empty)
    except Unreadable as exc:
        if error is None:
            raise
        raise error(exc) from None


def _read_bounded(p: Path, limit: int, allow_empty: bool) -> bytes:
    try:
        if p.is_dir():
            raise Unreadable("directory")
        size = p.stat().st_size
        if size > limit:
            raise Unreadable("too_large", size=size)
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except IsADirectoryError:
        raise Unreadable("directory") from None
    except PermissionError:
        raise Unreadable("permission") from None
    except OSError as exc:
        raise Unreadable("os", detail=str(exc.strerror or exc)) from None
    if len(data) > limit:
        raise Unreadable("too_large", size=len(data))
    if not allow_empty and not data.strip():
        raise Unreadable("empty")
    return data


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
