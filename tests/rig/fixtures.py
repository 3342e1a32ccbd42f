"""Pytest fixtures of the loopback Jitsi rig (star-imported by tests/conftest.py).

* ``rig`` (session): Prosody + coturn + focus stand-in + config.js web server, see
  tests/rig/rig.py for what it exposes (ca_file, base_url, websocket_url, bosh_url,
  xmpp_domain, muc_domain, auth_domain, lobby_domain, focus_jid, turn_secret,
  register_host(user, password), focus, web, unique_room()).
* ``room`` (function): a fresh lower-case room name; the web server is reset and
  the focus's per-test modes are cleared after the test.
* ``browser`` (function): a factory of lib-jitsi-meet peers in one session-wide
  Chromium; every peer is closed after the test.  See tests/rig/browser_peer.py.
* ``pulse`` (session): a private PulseAudio with a null sink and source.
* ``xvfb`` (session): a private X server for screenshot tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.rig.bridge.fixtures import bridge_room, rig_bridge  # noqa: F401  (the bridge path)
from tests.rig.rig import Rig

__all__ = ["rig", "room", "browser_driver", "browser", "pulse", "xvfb", "rig_bridge", "bridge_room"]


def _artifact_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    # pytest keeps the last few basetemps, so logs of a failed run can be read afterwards.
    return tmp_path_factory.mktemp(name, numbered=True)


@pytest.fixture(scope="session")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    the_rig = Rig.start(_artifact_dir(tmp_path_factory, "rig"))
    try:
        yield the_rig
    finally:
        the_rig.stop()


@pytest.fixture
def room(rig: Rig) -> Iterator[str]:
    name = rig.unique_room()
    try:
        yield name
    finally:
        rig.web.reset()
        rig.focus.require_host = False
        rig.focus.require_host_for(name, False)


@pytest.fixture(scope="session")
def browser_driver(tmp_path_factory: pytest.TempPathFactory, rig: Rig):  # noqa: ANN201
    from tests.rig.browser_peer import BrowserDriver, browser_available

    reason = browser_available()
    if reason:
        pytest.fail(f"browser peer not installed: {reason} (run tests/rig/browser/install.sh)")
    driver = BrowserDriver.start(_artifact_dir(tmp_path_factory, "browser"), rig)
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture
def browser(browser_driver) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """``browser(name="alice")`` → a new ``BrowserPeer`` (closed after the test)."""
    peers: list[object] = []

    def make(name: str | None = None, **options: object) -> object:
        peer = browser_driver.new_peer(name or f"peer{len(peers)}", **options)
        peers.append(peer)
        return peer

    try:
        yield make
    finally:
        for peer in reversed(peers):
            peer.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from tests.rig.pulse import PulseAudio

    server = PulseAudio(_artifact_dir(tmp_path_factory, "pulse"))
    server.start()
    saved = {k: os.environ.get(k) for k in server.env}
    os.environ.update(server.env)
    try:
        yield server
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.stop()


@pytest.fixture(scope="session")
def xvfb(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from tests.rig.xvfb import Xvfb

    server = Xvfb(_artifact_dir(tmp_path_factory, "xvfb"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
