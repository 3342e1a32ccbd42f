"""Our client on the bridge path as a rig participant: Conference + CallMedia + BridgeCall.

Like ``OurParticipant`` (its own event loop in a thread, thread-safe calls, an event
list to wait on), plus the ``BridgeCall`` that answers Jicofo's session with the
test bridge.  ``p2p=False`` switches our P2P off, as a room with P2P disabled would.
"""

from __future__ import annotations

import asyncio
from typing import Any

from client.jitsi.conference import Conference, JoinOptions, StaticDeployment
from client.media.bridge_call import BridgeCall
from client.media.call import MEDIA_CODECS, CallMedia, media_capabilities
from client.media.local import MediaOptions
from client.net import TrustSettings
from tests.integration.p2p_participant import OurParticipant


class BridgeParticipant(OurParticipant):
    def __init__(self, rig: Any, room: str, *, display_name: str = "Treffpunkt",
                 options: MediaOptions | None = None, p2p: bool = True,
                 last_n: int = -1, tile_height_px: int = 360) -> None:
        super().__init__(rig, room, display_name=display_name, options=options)
        self.p2p = p2p
        self.last_n = last_n
        self.tile_height_px = tile_height_px
        self.bridge: BridgeCall | None = None

    async def _start(self) -> None:
        deployment = StaticDeployment(xmpp_domain=self.rig.xmpp_domain, muc_domain=self.rig.muc_domain,
                                      focus_jid=self.rig.focus_jid, websocket_url=self.rig.websocket_url)
        options = JoinOptions(display_name=self.display_name, codecs=MEDIA_CODECS,
                              trust=TrustSettings(extra_ca_file=self.rig.ca_file),
                              start_audio_muted=self.options.start_audio_muted,
                              start_video_muted=self.options.start_video_muted)
        self.conference = Conference(deployment, options, room=self.room, on_event=self._record,
                                     capabilities=media_capabilities())
        self.media = CallMedia(self.conference, self.options, p2p_enabled=self.p2p)
        await self.media.start()
        self.bridge = BridgeCall(self.media, last_n=self.last_n,
                                 auto_tile_height_px=self.tile_height_px)
        await self.bridge.start()
        self._run_task = asyncio.ensure_future(self.conference.run())

    async def _stop(self) -> None:
        if self.conference is not None:
            await self.conference.leave()
        if self.bridge is not None:
            await self.bridge.close()
        await super()._stop()

    def debug_dump(self, path: str) -> None:
        """Thread stacks and our loop's task stacks into ``path`` (for a hung test)."""
        import faulthandler
        import io
        with open(path, "w") as f:
            faulthandler.dump_traceback(f, all_threads=True)
        def tasks():
            out = io.StringIO()
            for task in asyncio.all_tasks(self.loop):
                out.write(f"--- {task!r}\n")
                task.print_stack(file=out)
            return out.getvalue()
        try:
            text = self.run(tasks, timeout=5)
        except Exception as exc:
            text = f"loop did not answer: {exc!r}"
        with open(path, "a") as f:
            f.write("\n===== TASKS =====\n" + text)

    def media_report(self) -> list[dict]:
        """Per transceiver of the bridge session: mid, line, direction, packets, frames."""
        def collect() -> list[dict]:
            pc = self.bridge.peer_connection if self.bridge else None
            if pc is None:
                return []
            session = self.bridge._session
            rows = []
            for transceiver in pc.getTransceivers():
                line = session.offer.line(transceiver.mid) if session and transceiver.mid else None
                receiver = transceiver.receiver
                ssrcs = [ssrc for ssrc, r in receiver.transport._rtp_router.ssrc_table.items()
                         if r is receiver]
                pump = self.media.frames(line.source_name) if line and line.source_name else None
                rows.append({"mid": transceiver.mid, "source": line.source_name if line else None,
                             "rejected": line.rejected if line else None,
                             "direction": transceiver.currentDirection, "routed_ssrcs": ssrcs,
                             "packets": {ssrc: stream.packets_received for ssrc, stream in
                                         receiver._RTCRtpReceiver__remote_streams.items()},
                             "frames": pump.frames_received if pump else None})
            return rows
        return self.run(collect)

    # -- what the tests look at (run on our loop) --------------------------------------------

    def frames(self, source_name: str) -> int:
        def count() -> int:
            pump = self.media.frames(source_name) if self.media else None
            return pump.frames_received if pump else 0
        return self.run(count)

    def audio_frames(self, source_name: str) -> int:
        return self.run(lambda: self.media.playback.frames(source_name) if self.media else 0)

    @property
    def endpoint_id(self) -> str:
        return self.run(lambda: self.conference.endpoint_id)


class SyntheticParticipant:
    """``treffpunkt join --test-media --json`` as a subprocess: a headless participant.

    Its JSON event lines are collected by a reader thread; ``stop()`` ends it by its
    PID (SIGTERM: the command leaves the room cleanly) and waits for it.
    """

    def __init__(self, rig: Any, room: str, name: str, *flags: str, log_dir: Any,
                 duration_s: float = 180.0) -> None:
        import os
        import subprocess
        import sys
        import threading
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        command = [sys.executable, "-m", "client", "join", f"{rig.base_url}/{room}", "--name", name,
                   "--json", "--test-media", "--duration", str(duration_s),
                   "--ca-file", str(rig.ca_file), *flags]
        self.name = name
        # stderr to a file: an unread pipe fills up and blocks the process mid-call
        self.log_path = Path(log_dir) / f"join-{name}.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=log,
                                            text=True, env={**os.environ, "LANG": "C.UTF-8"})
        self.lines: list[dict] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name=f"join {name}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        import json

        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._changed:
                self.lines.append(event)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, predicate, timeout: float = 30.0, what: str = "") -> dict:  # noqa: ANN001
        """The first JSON line for which ``predicate`` holds."""
        def found() -> dict | None:
            return next((line for line in self.lines if predicate(line)), None)
        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None or self.process.poll() is not None,
                                          timeout) or found() is None:
                raise TimeoutError(f"{self.name}: no {what} within {timeout} s; events: "
                                   f"{[line.get('event') for line in self.lines]}")
            return found()  # type: ignore[return-value]

    @property
    def endpoint_id(self) -> str:
        return self.wait_for(lambda line: line.get("event") == "joined", what="joined")["endpoint_id"]

    def stop(self, timeout: float = 30.0) -> int:
        import signal
        import subprocess

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code
