"""Pytest fixtures of the bridge path (re-exported by tests/rig/fixtures.py).

* ``rig_bridge`` (session): ``RigBridge`` — the test bridge, its colibri WebSocket and
  Jicofo's bridge signalling, plugged into the session's focus stand-in.
* ``bridge_room`` (function): a fresh room name with the bridge path switched on
  (Jicofo's defaults: sessions from two participants on); switched off afterwards.
  ``rig_bridge.enable(bridge_room, min_participants=…, …)`` changes the options.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# CPython 3.11.7 keeps the AST validator's recursion depth in module state, not per thread
# (fixed in 3.11.8): hypothesis' pytest plugin imports hypothesis at the terminal summary
# if no test did, and that compile() then races with the threads the bridge tests leave
# winding down ("SystemError: AST constructor recursion depth mismatch").  Importing it
# here, in the main thread at collection, takes that late import out of the picture.
import hypothesis  # noqa: F401,E402

__all__ = ["rig_bridge", "bridge_room"]


@pytest.fixture(scope="session")
def rig_bridge(rig, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    from tests.rig.bridge.service import RigBridge

    service = RigBridge.start(rig, Path(tmp_path_factory.mktemp("bridge", numbered=True)))
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def bridge_room(rig_bridge, room: str) -> Iterator[str]:  # noqa: ANN001
    rig_bridge.enable(room)
    try:
        yield room
    finally:
        rig_bridge.disable(room)
