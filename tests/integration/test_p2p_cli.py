"""`treffpunkt join … --test-media --json` in a 1:1 call with lib-jitsi-meet in Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


class JoinProcess:
    """The real command line, its JSON lines collected by a reader thread."""

    def __init__(self, rig, room: str, *flags: str, duration: float = 14.0) -> None:  # noqa: ANN001
        command = [sys.executable, "-m", "client", "join", f"{rig.base_url}/{room}", "--name", "Treffpunkt",
                   "--json", "--duration", str(duration), "--ca-file", str(rig.ca_file), *flags]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "LANG": "C.UTF-8"})
        self.lines: list[dict] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(json.loads(line))
                self._changed.notify_all()

    def wait_for(self, event: str, timeout: float = 30.0) -> dict:
        self.wait_until(lambda lines: any(l["event"] == event for l in lines), timeout, event)
        return self.of(event)[0]

    def wait_until(self, predicate, timeout: float = 30.0, what: str = "") -> None:  # noqa: ANN001
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self.lines), timeout):
                raise TimeoutError(f"no {what}: {[l['event'] for l in self.lines]}")

    def finish(self, timeout: float = 60.0) -> int:
        try:
            code = self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        return code

    def of(self, event: str) -> list[dict]:
        with self._changed:
            return [l for l in self.lines if l["event"] == event]


@pytest.fixture
def join_cli(rig, room):  # noqa: ANN001, ANN201
    started: list[JoinProcess] = []

    def start(*flags: str, duration: float = 14.0) -> JoinProcess:
        process = JoinProcess(rig, room, *flags, duration=duration)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.process.poll() is None:
            process.process.kill()
            process.process.wait()


def test_join_with_test_media_prints_the_call_and_its_numbers(rig, room, browser, join_cli) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice")["id"]
    cli = join_cli("--test-media")

    connected = cli.wait_for("media-connected")
    assert connected["endpoint_id"] == alice_id and connected["mode"] == "p2p"
    assert 0 < connected["elapsed_s"] < 30
    cli.wait_until(lambda lines: {l["media"] for l in lines if l["event"] == "first-frame"}
                   == {"audio", "video"}, what="first audio and video frame")
    firsts = {l["media"]: l for l in cli.of("first-frame")}
    assert firsts["video"]["source_name"] == f"{alice_id}-v0" and firsts["video"]["width"] > 0
    assert firsts["video"]["elapsed_s"] >= connected["elapsed_s"] - 0.5
    # the browser decodes our test pattern while we are in
    stats = alice.wait_inbound_media(audio=True, video=True, min_frames=20)
    assert stats["video"]["framesDecoded"] >= 20

    assert cli.finish() == 0, cli.process.stderr.read()
    final = cli.of("media-stats")[-1]
    streams = {s["source_name"]: s for s in final["streams"]}
    assert streams[f"{alice_id}-v0"]["frames"] > 30 and streams[f"{alice_id}-v0"]["fps"] > 5
    assert streams[f"{alice_id}-a0"]["frames"] > 100
    assert [l["event"] for l in cli.lines][-1] == "conference-ended"


def test_join_muted_sends_nothing_but_still_receives(rig, room, browser, join_cli) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice")["id"]
    cli = join_cli("--test-media", "--mute-mic", "--camera-off", duration=12.0)
    cli.wait_for("media-connected")
    cli.wait_for("first-frame")
    # the browser knows our tracks are muted and gets no media from us
    added = [alice.wait_event("remote_track_added", lambda e, k=k: e["kind"] == k) for k in ("audio", "video")]
    assert all(track["muted"] for track in added), added
    stats = alice.stats()
    for kind in ("audio", "video"):
        assert (stats.get(kind) or {}).get("packetsReceived", 0) == 0, stats
    assert cli.finish() == 0
    assert not cli.of("local-mute-changed")          # muted from the start, never changed
    streams = {s["source_name"]: s for s in cli.of("media-stats")[-1]["streams"]}
    assert streams[f"{alice_id}-v0"]["frames"] > 30
