"""Host logins in the operating system's keyring, if a keyring library is installed.

Treffpunkt does not depend on one: without ``keyring`` the "remember" option is
simply not offered, and nothing is ever written to our own files.  Keyring
back-ends may talk to D-Bus or prompt, so callers run these off the GUI thread.
"""

from __future__ import annotations

import importlib.util
import logging

log = logging.getLogger("treffpunkt.ui")
SERVICE = "Treffpunkt host login"


def keyring_available() -> bool:
    return importlib.util.find_spec("keyring") is not None


def _key(server: str) -> str:
    return server.rstrip("/").lower()


def save_host_login(server: str, user: str, password: str) -> bool:
    try:
        import keyring

        keyring.set_password(SERVICE, _key(server), f"{user}\n{password}")
        return True
    except Exception as exc:  # noqa: BLE001 - a missing back-end must never break the call
        log.info("could not store the host login in the keyring: %r", exc)
        return False


def load_host_login(server: str) -> tuple[str, str] | None:
    try:
        import keyring

        stored = keyring.get_password(SERVICE, _key(server))
    except Exception as exc:  # noqa: BLE001
        log.info("could not read the keyring: %r", exc)
        return None
    if not stored or "\n" not in stored:
        return None
    user, password = stored.split("\n", 1)
    return user, password
