"""Test-session set-up shared by every test.

The run enters its own network namespace first (see tests/netns.py): all traffic
of every test stays on that namespace's loopback.  Qt runs offscreen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TREFFPUNKT_NO_TELEMETRY_CHECK", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.netns import NetnsError, enter_private_network  # noqa: E402

NETNS_MODE = "unknown"


def pytest_configure(config: pytest.Config) -> None:
    global NETNS_MODE
    try:
        NETNS_MODE = enter_private_network()
    except (NetnsError, OSError) as exc:  # no way to isolate: refuse to run network tests
        pytest.exit(f"cannot create a private network namespace for the tests: {exc}", returncode=3)


@pytest.fixture(scope="session")
def netns_mode() -> str:
    return NETNS_MODE


VECTORS = Path(__file__).resolve().parent / "vectors"


@pytest.fixture(scope="session")
def protocol_examples() -> Path:
    """Verbatim stanzas from real sources (a copy of shared/protocol/examples)."""
    return VECTORS / "examples"


@pytest.fixture(scope="session")
def captured_p2p() -> Path:
    """A captured P2P exchange with lib-jitsi-meet 2021 (shared/protocol/captured-p2p-ljm-2021)."""
    return VECTORS / "captured-p2p-ljm-2021"


from tests.rig.fixtures import *  # noqa: E402,F401,F403  (rig fixtures: prosody, focus, browser peer, …)
