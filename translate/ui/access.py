"""The workspace's password gate: where the password comes from and how it is compared.

The password is read from the environment (``TRANSLATE_UI_PASSWORD``) first, so that a
deployment can set it without a secrets file, then from Streamlit secrets (``password``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from translate.config import UI_PASSWORD, ui_password
from translate.errors import UsageError

__all__ = [
    "ENV",
    "binds_locally",
    "check_listen",
    "check_password",
    "configured_password",
    "is_local_address",
    "read_secrets",
]

ENV = UI_PASSWORD  # the variable's name, for messages


def configured_password(secrets: Mapping[str, Any] | None = None) -> str | None:
    """The workspace password: ``$TRANSLATE_UI_PASSWORD``, else ``secrets["password"]``, else
    None. An empty value counts as unset.

    ``secrets`` is a plain mapping (``st.secrets`` raises when no secrets file exists, so the
    caller decides how to read it).
    """
    value = ui_password() or ""
    if value:
        return value
    if secrets is None:
        return None
    stored = secrets.get("password")
    if stored is None or stored == "":
        return None
    # TOML lets `password = 1234` through as an integer; anything else (a table, a list) is a
    # mistake that must not silently switch the gate off.
    if isinstance(stored, bool) or not isinstance(stored, (str, int)):
        raise UsageError(f"the 'password' secret must be text, not {type(stored).__name__}")
    return str(stored)


def check_password(given: str, expected: str) -> bool:
    """Whether ``given`` is the password, in constant time.

    Both sides are NFC-normalised (the same "é" may arrive composed or not) and hashed before
    ``hmac.compare_digest``, so neither content nor length leaks through timing. An empty
    expected password never matches: an unset password is not a password.
    """
    if not expected:
        return False
    a = hashlib.sha256(unicodedata.normalize("NFC", given).encode("utf-8")).digest()
    b = hashlib.sha256(unicodedata.normalize("NFC", expected).encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


def is_local_address(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ``::1``.

    Accepts a bare name or address, ``[::1]``, an optional port (``127.0.0.1:8501``,
    ``[::1]:8501``) and IPv4-mapped IPv6 (``::ffff:127.0.0.1``).
    """
    text = host.strip().lower()
    if text.startswith("["):
        # [v6] or [v6]:port
        end = text.find("]")
        if end < 0:
            return False
        text = text[1:end]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # name:port or v4:port; bare IPv6 has several colons
    text = text.split("%", 1)[0]  # an IPv6 zone id (::1%lo) names the interface, not the host
    if text.rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def binds_locally(address: str | None) -> bool:
    """Whether Streamlit, given ``server.address = address``, listens on this machine only.

    Streamlit binds every interface when the address is unset or empty (``0.0.0.0``, or
    ``::`` with IPv6), so those are not local; neither are the wildcards themselves, nor a
    host name other than ``localhost`` (it may resolve to any interface). A ``unix://``
    socket is a file on this machine.
    """
    if address is None or not address.strip():
        return False
    if address.startswith("unix://"):
        return True
    return is_local_address(address)


def check_listen(address: str | None, password: str | None) -> None:
    """Refuse (``UsageError``) to listen beyond loopback without a password."""
    if password or binds_locally(address):
        return
    where = (
        "every interface"
        if address is None or address.strip() in ("", "0.0.0.0", "::", "[::]")
        else repr(address)
    )
    raise UsageError(
        f"refusing to serve the workspace on {where} without a password: newsroom text is "
        f"confidential; set {ENV} (or `password` in .streamlit/secrets.toml), "
        "or listen on 127.0.0.1"
    )


def read_secrets(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Any] | None:
    """Streamlit's secrets files merged in order (later files win), or None if none exists.

    The CLI reads them before starting Streamlit, to decide whether a password is set.
    """
    merged: dict[str, Any] | None = None
    for path in map(Path, paths):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read the secrets file ({exc})") from None
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            raise UsageError(
                f"{path}: reading secrets files needs Python 3.11; set {ENV} instead"
            ) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{path}: not valid TOML ({exc})") from None
        merged = {**(merged or {}), **data}
    return merged
