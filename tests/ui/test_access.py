"""The workspace password gate: configuration, comparison, local addresses."""

from __future__ import annotations

from typing import Any

import pytest

from translate.errors import UsageError
from translate.ui.access import ENV, check_password, configured_password, is_local_address


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)


def test_env_name() -> None:
    assert ENV == "TRANSLATE_UI_PASSWORD"


def test_env_wins_over_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "from-env")
    assert configured_password({"password": "from-secrets"}) == "from-env"
    assert configured_password(None) == "from-env"


@pytest.mark.parametrize(
    ("env", "secrets", "expected"),
    [
        (None, None, None),
        (None, {}, None),
        (None, {"password": "s3cret"}, "s3cret"),
        (None, {"password": ""}, None),
        (None, {"password": None}, None),
        (None, {"password": 1234}, "1234"),  # TOML `password = 1234`
        ("", {"password": "s3cret"}, "s3cret"),  # an empty variable counts as unset
        ("", None, None),
        ("", {"password": ""}, None),
    ],
)
def test_configured_password(
    monkeypatch: pytest.MonkeyPatch, env: str | None, secrets: Any, expected: str | None
) -> None:
    if env is not None:
        monkeypatch.setenv(ENV, env)
    assert configured_password(secrets) == expected


@pytest.mark.parametrize("bad", [{"user": "x"}, ["a"], True])
def test_unusable_secret_is_an_error_not_an_open_door(bad: Any) -> None:
    with pytest.raises(UsageError, match="must be text"):
        configured_password({"password": bad})


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("s3cret", "s3cret", True),
        ("s3cret", "S3cret", False),
        ("s3cre", "s3cret", False),
        ("s3cret ", "s3cret", False),
        ("", "s3cret", False),
        ("", "", False),  # no password configured is never a match
        ("x", "", False),
        ("kata sandi rahasia ✓", "kata sandi rahasia ✓", True),
        ("café", "cafe\u0301", True),  # composed and decomposed é are the same password
        ("café", "cafe", False),
        ("パスワード", "パスワード", True),
    ],
)
def test_check_password(given: str, expected: str, ok: bool) -> None:
    assert check_password(given, expected) is ok


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("localhost.", True),
        ("localhost:8501", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("127.0.0.1:8501", True),
        ("::1", True),
        ("[::1]", True),
        ("[::1]:8501", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("10.0.0.1:8501", False),
        ("128.0.0.1", False),
        ("2001:db8::1", False),
        ("::ffff:192.168.1.1", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("notlocalhost", False),
        ("", False),
        ("[::1", False),
    ],
)
def test_is_local_address(host: str, local: bool) -> None:
    assert is_local_address(host) is local


# --- where Streamlit will listen (issue 17, item 1) -------------------------------------------


@pytest.mark.parametrize(
    ("address", "local"),
    [
        # Streamlit binds every interface when the address is unset or empty.
        (None, False),
        ("", False),
        ("   ", False),
        ("0.0.0.0", False),
        ("::", False),
        ("[::]", False),
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("newsroom-server", False),
        ("192.168.1.20", False),
        ("unix:///run/translate/ui.sock", True),  # a socket file, not a network address
    ],
)
def test_binds_locally(address: str | None, local: bool) -> None:
    from translate.ui.access import binds_locally

    assert binds_locally(address) is local


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "newsroom-server"])
def test_check_listen_refuses_beyond_loopback_without_password(address: str | None) -> None:
    from translate.ui.access import check_listen

    with pytest.raises(UsageError, match="password") as caught:
        check_listen(address, None)
    assert "\n" not in str(caught.value)
    check_listen(address, "rahasia")  # with a password, any address is allowed


@pytest.mark.parametrize("address", ["localhost", "127.0.0.1", "127.0.0.2", "::1"])
def test_check_listen_allows_loopback(address: str) -> None:
    from translate.ui.access import check_listen

    check_listen(address, None)


def test_secrets_password_read_from_files(tmp_path: Any) -> None:
    from translate.ui.access import read_secrets

    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('password = "one"\nother = 1\n', encoding="utf-8")
    second.write_text('password = "two"\n', encoding="utf-8")
    assert read_secrets([tmp_path / "missing.toml"]) is None
    # Later files win, as in Streamlit.
    assert configured_password(read_secrets([first, second])) == "two"
    broken = tmp_path / "broken.toml"
    broken.write_text("password = \n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"broken\.toml"):
        read_secrets([broken])
