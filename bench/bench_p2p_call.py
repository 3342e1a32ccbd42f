"""A 1:1 P2P call between our client and lib-jitsi-meet in Chromium, on the loopback rig.

    .venv/bin/python bench/bench_p2p_call.py [--runs N] [--seconds S] [--role answer|initiate]

Reports, per run and as medians: time from our start to joined, to media connected,
to the first remote video frame; our process's CPU seconds per second of call (from
media connected to the end; the browser, Prosody and the rig are other processes);
our peak RSS; the frames and frame rate we received.  Our client runs as a child
process (``--child``), so its numbers are its own; everything runs in a private
network namespace like the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# --- the child: our client ----------------------------------------------------------------

async def child_main(args: argparse.Namespace) -> int:
    began = time.monotonic()
    from client.jitsi import muc
    from client.jitsi.conference import Conference, JoinOptions, StaticDeployment
    from client.jitsi.events import FirstFrame, Joined, MediaConnected, event_to_dict
    from client.media.audio_io import ClockedAudioIO
    from client.media.call import MEDIA_CODECS, CallMedia, media_capabilities
    from client.media.local import MediaOptions
    from client.net import TrustSettings

    muc.random_nick = lambda: args.nick      # decides who initiates
    print(json.dumps({"t": round(time.monotonic() - began, 4), "event": "imported"}), flush=True)
    done = asyncio.Event()

    def emit(kind: str, **fields: object) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(json.dumps({"t": round(time.monotonic() - began, 4), "event": kind,
                          "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
                          **fields}), flush=True)

    def on_event(event) -> None:  # noqa: ANN001
        if isinstance(event, (Joined, MediaConnected, FirstFrame)):
            emit(event.kind, **{k: v for k, v in event_to_dict(event).items() if k != "event"})

    deployment = StaticDeployment(xmpp_domain=args.domain, muc_domain=args.muc, focus_jid=args.focus,
                                  websocket_url=args.websocket)
    conference = Conference(deployment, JoinOptions(display_name="Bench", codecs=MEDIA_CODECS,
                                                    trust=TrustSettings(extra_ca_file=Path(args.ca))),
                            room=args.room, on_event=on_event, capabilities=media_capabilities())
    media = CallMedia(conference, MediaOptions(test_media=True, audio_io=ClockedAudioIO()))
    await media.start()
    run = asyncio.ensure_future(conference.run())
    try:
        await asyncio.wait_for(_wait_connected(conference), 60)
        await asyncio.sleep(max(0.0, args.seconds - 1.0))
        emit("sample")                       # the parent reads the browser's stats now
        await asyncio.sleep(min(1.0, args.seconds))
        emit("stats", streams=[s.__dict__ for s in media.stats().streams])
    finally:
        await conference.leave()
        await media.close()
        run.cancel()
        done.set()
    return 0


async def _wait_connected(conference) -> None:  # noqa: ANN001
    from client.jitsi.events import MediaConnected
    connected = asyncio.Event()
    remove = conference.add_listener(lambda e: connected.set() if isinstance(e, MediaConnected) else None)
    try:
        await connected.wait()
    finally:
        remove()


# --- the parent: rig, browser, measurements ----------------------------------------------------

def one_run(rig, driver, role: str, seconds: float) -> dict:  # noqa: ANN001
    room = rig.unique_room("bench")
    alice = driver.new_peer(f"alice-{room}")
    try:
        alice.join(room, "Alice")
        nick = "00000000" if role == "initiate" else "zzzzzzzz"
        command = [sys.executable, __file__, "--child", "--nick", nick, "--room", room,
                   "--seconds", str(seconds), "--domain", rig.xmpp_domain, "--muc", rig.muc_domain,
                   "--focus", rig.focus_jid, "--websocket", rig.websocket_url, "--ca", str(rig.ca_file)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        events: list[dict] = []
        inbound: dict = {}
        try:
            for line in child.stdout:
                if line.startswith("{"):
                    events.append(json.loads(line))
                    if events[-1]["event"] == "sample":
                        inbound = alice.stats()
            child.wait(timeout=seconds + 90)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    finally:
        alice.close()
    by_kind = {}
    for event in events:
        key = event["event"] + (f":{event['media']}" if "media" in event else "")
        by_kind.setdefault(key, event)
    connected, end = by_kind["media-connected"], by_kind["stats"]
    video = [s for s in end["streams"] if s["media"] == "video"]
    return {
        "import_s": by_kind["imported"]["t"],
        "joined_s": by_kind["joined"]["t"],
        "connected_s": connected["t"],
        "first_video_s": by_kind["first-frame:video"]["t"],
        "cpu_per_s": (end["cpu"] - connected["cpu"]) / (end["t"] - connected["t"]),
        "peak_rss_mb": end["maxrss_kb"] / 1024,
        "video_frames": video[0]["frames"] if video else 0,
        "video_fps": video[0]["fps"] if video else 0.0,
        "browser_decoded": (inbound.get("video") or {}).get("framesDecoded", 0),
    }


def parent_main(args: argparse.Namespace) -> int:
    from tests.netns import enter_private_network
    enter_private_network()
    from tests.rig.browser_peer import BrowserDriver, browser_available
    from tests.rig.rig import Rig

    reason = browser_available()
    if reason:
        print(f"browser peer not installed: {reason}", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-p2p-") as tmp:
        rig = Rig.start(Path(tmp) / "rig")
        try:
            driver = BrowserDriver.start(Path(tmp) / "browser", rig)
            try:
                for run in range(args.runs):
                    result = one_run(rig, driver, args.role, args.seconds)
                    results.append(result)
                    print(f"run {run + 1}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                                         for k, v in result.items()), flush=True)
            finally:
                driver.stop()
        finally:
            rig.stop()
    print("median: " + ", ".join(f"{key} {statistics.median(r[key] for r in results):.3f}"
                                 for key in results[0]))
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, role {args.role}, "
          f"{args.seconds:g} s per call")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--role", choices=("answer", "initiate"), default="answer")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    for name in ("nick", "room", "domain", "muc", "focus", "websocket", "ca"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return asyncio.run(child_main(args))
    return parent_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
