"""How long the loopback Jitsi rig takes to start and stop (target: start < 2 s).

    .venv/bin/python bench/rig_startup.py [runs]

Runs in its own network namespace, like the test suite; prints one line per run
and the median.  Chromium is not part of the rig start (it starts with the first
browser test).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.netns import enter_private_network  # noqa: E402


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    enter_private_network()
    from tests.rig.rig import Rig

    starts, stops = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="rig-bench-") as tmp:
            rig = Rig.start(Path(tmp))
            began = time.monotonic()
            rig.stop()
            stops.append(time.monotonic() - began)
            starts.append(rig.startup_s)
            print(f"run {run + 1}: start {rig.startup_s:.3f} s, stop {stops[-1]:.3f} s")
    print(f"median start {statistics.median(starts):.3f} s, median stop {statistics.median(stops):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
