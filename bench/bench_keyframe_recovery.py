#!/usr/bin/env python3
"""How long a remote picture freezes after one packet is lost for good (NACK/RTX fail too).

    .venv/bin/python bench/bench_keyframe_recovery.py [--runs N] [--size 320x180] [--fps 15]

Two MediaSessions on the loopback of a private network namespace (as the tests do):
A sends a synthetic test pattern to B.  Once pictures flow, one video packet and all
retransmissions are dropped at B.  Measured: the time from the loss to the next
decoded frame, with aiortc alone and with ``client.media.recovery.KeyframeRecovery``
(the default in CallMedia), plus how many keyframes were asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from client.media.recovery import KeyframeRecovery  # noqa: E402
from tests.netns import enter_private_network  # noqa: E402
from tests.unit.media.test_recovery import Pair  # noqa: E402


async def freeze_once(recover: bool, width: int, height: int, fps: float) -> tuple[float, int]:
    pair = Pair(width, height, fps)
    recovery = KeyframeRecovery()
    try:
        await pair.start()
        if recover:
            recovery.watch("v", pair.receiver, pair.frames)
        start = pair.frames()
        while pair.frames() < start + int(fps):          # a second of pictures first
            await asyncio.sleep(0.01)
        pair.lose_one_packet_for_good()
        while not pair.loss.dropped:
            await asyncio.sleep(0.001)
        lost_at, frames = time.monotonic(), pair.frames()
        # the frame in flight when the packet went may still be decoded: wait for the stall
        while not pair.stuck_at_gap():
            await asyncio.sleep(0.005)
            if pair.frames() > frames + 1:
                raise RuntimeError("the loss did not stall the picture")
        frames = pair.frames()
        while pair.frames() == frames:
            await asyncio.sleep(0.005)
            if time.monotonic() - lost_at > 60:
                raise RuntimeError("no picture within 60 s")
        return time.monotonic() - lost_at, recovery.requests("v")
    finally:
        await recovery.close()
        await pair.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--fps", type=float, default=15.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    enter_private_network()
    print(f"freeze after one unrepaired packet loss, {width}x{height} @ {args.fps:g} fps VP8, "
          f"{args.runs} runs each")
    for recover in (False, True):
        results = [asyncio.run(freeze_once(recover, width, height, args.fps)) for _ in range(args.runs)]
        freezes = [r[0] for r in results]
        label = "with KeyframeRecovery" if recover else "aiortc alone"
        print(f"  {label:<22} median {statistics.median(freezes):6.2f} s  "
              f"(min {min(freezes):.2f}, max {max(freezes):.2f}); keyframe requests "
              f"{[r[1] for r in results]}")


if __name__ == "__main__":
    main()
