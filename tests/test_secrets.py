"""API keys: keyring storage, env override, no-backend advice, and no key in any output."""

from __future__ import annotations

import io
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from tui import secrets
from tui.cli import main

SECRET = "fred-key-0123456789abcdef"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring for tests."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("RISKPULSE_FRED_KEY", raising=False)
    yield backend
    keyring.set_keyring(previous)


def test_set_list_delete_never_print_the_key(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert main(["keys", "set", "fred"]) == 0
    assert memory.store[("riskpulse", "fred")] == SECRET
    assert main(["keys", "list"]) == 0
    assert main(["keys", "delete", "fred"]) == 0
    assert main(["keys", "delete", "fred"]) == 0
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    assert "fred            keyring" in out.out
    assert "no fred key was stored" in out.out


def test_env_overrides_the_keyring(memory: MemoryKeyring) -> None:
    memory.store[("riskpulse", "fred")] = "from-keyring"
    assert secrets.get_key("fred", {}) == "from-keyring"
    assert secrets.get_key("fred", {"RISKPULSE_FRED_KEY": "from-env"}) == "from-env"
    assert secrets.where("fred", {"RISKPULSE_FRED_KEY": "x"}) == "env"


def test_headless_server_is_told_to_use_the_env_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
        assert main(["keys", "set", "fred"]) == 2
        err = capsys.readouterr().err
        assert "RISKPULSE_FRED_KEY" in err and SECRET not in err
        assert secrets.get_key("fred", {}) is None
    finally:
        keyring.set_keyring(previous)


def test_unknown_source_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "delete", "nosuch"]) == 2
    assert "unknown source" in capsys.readouterr().err
