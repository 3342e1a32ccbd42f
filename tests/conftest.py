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

from client import compat  # noqa: E402
from tests.netns import NetnsError, enter_private_network  # noqa: E402


# before any test starts threads: CPython gh-106905 (see client/compat.py) killed whole runs
compat.apply()

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


_EXIT_STATUS: int | None = None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _EXIT_STATUS
    _EXIT_STATUS = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave even if a test or library left a thread behind, but say which.

    Every process the tests started is stopped by its PID in fixture teardown; what
    can remain are threads.  Interpreter shutdown joins every concurrent.futures
    worker, daemon or not, so one stuck worker makes a run that already printed its
    summary hang CI until its time limit (seen: a decoder-side conversion thread).
    """
    import threading

    stragglers = [t for t in threading.enumerate()
                  if t is not threading.main_thread() and t.is_alive()]
    if not stragglers or _EXIT_STATUS is None:
        return
    names = ", ".join(sorted(f"{t.name}{'' if t.daemon else ' (non-daemon)'}" for t in stragglers))
    sys.stderr.write(f"\nconftest: threads still alive at exit, leaving without joining them: "
                     f"{names}\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS)
