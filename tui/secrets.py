"""API keys: the system keyring (service `riskpulse`, username = source id), env overrides.

A key is never printed, logged, written to config or cache, or put into an error line: every key
read here is registered with `tui.sanitize.register_secret`, so the sanitiser that every outside
string and every error passes through replaces it with `***`, even when a server echoes it. Where no
keyring backend exists (a headless server), `RISKPULSE_<ID>_KEY` is the way, and the error says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tui.sanitize import register_secret
from tui.sources import SOURCE_IDS

SERVICE = "riskpulse"


class SecretsError(Exception):
    """A key could not be stored or read; the message is one line and holds no key."""


def env_var(source: str) -> str:
    """The environment variable that overrides a source's key."""
    return f"RISKPULSE_{source.upper()}_KEY"


def _check(source: str) -> None:
    if source not in SOURCE_IDS:
        raise SecretsError(f"unknown source {source!r} (one of: {', '.join(SOURCE_IDS)})")


def _no_backend(source: str) -> SecretsError:
    return SecretsError(
        f"no system keyring is available here; set {env_var(source)} in the environment instead"
    )


def get_key(source: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The key in force for a source: env first, then the keyring; None when there is none."""
    _check(source)
    env = os.environ if environ is None else environ
    if value := env.get(env_var(source)):
        register_secret(value)  # from here on, no output or cache line can carry it
        return value
    import keyring
    from keyring.errors import KeyringError

    try:
        stored = keyring.get_password(SERVICE, source)
    except KeyringError:
        return None
    register_secret(stored)
    return stored


def where(source: str, environ: Mapping[str, str] | None = None) -> str:
    """Where a source's key comes from: `env`, `keyring` or `none` (never the key itself)."""
    env = os.environ if environ is None else environ
    if env.get(env_var(source)):
        return "env"
    return "keyring" if get_key(source, {}) else "none"


def set_key(source: str, value: str) -> None:
    """Store a key in the keyring.

    Raises:
        SecretsError: For an unknown source, an empty key, or no keyring backend.
    """
    _check(source)
    if not value.strip():
        raise SecretsError("the key is empty; nothing stored")
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        keyring.set_password(SERVICE, source, value.strip())
    except NoKeyringError:
        raise _no_backend(source) from None
    except KeyringError as exc:
        raise SecretsError(f"the keyring refused to store the key ({type(exc).__name__})") from None


def delete_key(source: str) -> bool:
    """Remove a stored key; False when there was none.

    Raises:
        SecretsError: For an unknown source or no keyring backend.
    """
    _check(source)
    import keyring
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, source)
    except PasswordDeleteError:
        return False
    except NoKeyringError:
        raise _no_backend(source) from None
    except KeyringError as exc:
        raise SecretsError(f"the keyring refused ({type(exc).__name__})") from None
    return True
