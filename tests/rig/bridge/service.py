"""The bridge path of the rig: test bridge + colibri WebSocket + Jicofo's part, on one thread.

``RigBridge.start(rig, directory)`` runs an asyncio loop in a thread with the
``Bridge`` (media plane), the ``ColibriWebSocketServer`` (wss on 127.0.0.1 with a
certificate of the rig's CA for ``localhost``) and the ``JicofoBridgePath``, which
it plugs into the rig's focus stand-in as an extension.  Rooms use the bridge path
only once ``enable(room)`` was called for them, so the P2P-only tests of the same
rig are unaffected.  ``stop()`` removes the extension and closes everything.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from tests.rig.bridge.bridge import Bridge
from tests.rig.bridge.colibri_ws import ColibriWebSocketServer
from tests.rig.bridge.jicofo import JicofoBridgePath, RoomOptions
from tests.rig.process import LOOPBACK, RigError

T = TypeVar("T")


class RigBridge:
    def __init__(self, rig: Any, directory: Path) -> None:
        self.rig = rig
        self.directory = directory
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="rig bridge",
                                        daemon=True)
        self.bridge = Bridge()
        self.colibri: ColibriWebSocketServer | None = None
        self.jicofo: JicofoBridgePath | None = None
        self._log_handler: logging.Handler | None = None

    @classmethod
    def start(cls, rig: Any, directory: Path) -> "RigBridge":
        directory.mkdir(parents=True, exist_ok=True)
        service = cls(rig, directory)
        service._log_to(directory / "bridge.log")
        service._thread.start()
        try:
            service.run(service._start())
        except BaseException:
            service.stop()
            raise
        return service

    async def _start(self) -> None:
        cert = self.rig.ca.issue("bridge", ["localhost", LOOPBACK])
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert.cert_file), str(cert.key_file))
        self.colibri = ColibriWebSocketServer(self.bridge, host=LOOPBACK, ssl_context=context)
        await self.colibri.start()
        self.jicofo = JicofoBridgePath(self.bridge, focus_jid=self.rig.focus.full_jid,
                                       send=self.rig.focus.send, loop=self.loop)
        self.rig.focus.add_extension(self.jicofo)

    def _log_to(self, path: Path) -> None:
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        for name in ("rig.bridge", "rig.jicofo", "rig.colibri"):
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
        self._log_handler = handler

    # -- from test threads ------------------------------------------------------------------

    def enable(self, room: str, **options: Any) -> RoomOptions:
        """Jicofo's bridge path for ``room`` (a name or a bare JID); options of RoomOptions."""
        room_jid = room if "@" in room else self.rig.room_jid(room)
        settings = replace(RoomOptions(), **options)
        assert self.jicofo is not None
        self.jicofo.enable(room_jid, settings)
        return settings

    def disable(self, room: str) -> None:
        room_jid = room if "@" in room else self.rig.room_jid(room)
        if self.jicofo is not None:
            self.jicofo.disable(room_jid)

    def move(self, room: str, endpoint: str) -> None:
        """Make Jicofo move ``endpoint`` to a new bridge session (terminate + re-invite)."""
        assert self.jicofo is not None
        self.jicofo.move(room if "@" in room else self.rig.room_jid(room), endpoint)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 30.0) -> T:
        """Run a coroutine on the bridge's loop and wait for its result."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout=timeout_s)

    def call(self, fn: Callable[[], T], timeout_s: float = 10.0) -> T:
        """Run a plain function on the bridge's loop (the bridge's state lives there)."""
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
        self.loop.call_soon_threadsafe(run)
        return future.result(timeout=timeout_s)

    def conference_id(self, room: str) -> str | None:
        room_jid = (room if "@" in room else self.rig.room_jid(room)).lower()
        assert self.jicofo is not None
        return self.call(lambda: getattr(self.jicofo._rooms.get(room_jid), "conference_id", None))

    def forwarded(self, room: str, endpoint: str) -> list[str]:
        conference = self.conference_id(room)
        return self.call(lambda: self.bridge.forwarded_names(conference or "", endpoint))

    def dominant_speaker(self, room: str) -> str | None:
        conference = self.conference_id(room)
        return self.call(lambda: self.bridge.dominant_speaker(conference or ""))

    def report(self, room: str) -> dict[str, dict]:
        """Per endpoint: connected, sources, what it gets, packets sent to it per source, PLIs.

        For failure messages: which hop lost a participant's media.
        """
        conference_id = self.conference_id(room)

        def collect() -> dict[str, dict]:
            conference = self.bridge.conferences.get(conference_id or "")
            if conference is None:
                return {}
            names = {ssrc: f"{source.name}{'/rtx' if rtx else ''}"
                     for ssrc, (source, rtx) in conference.ssrcs.items()}
            return {endpoint.id: {
                "connected": endpoint.is_connected,
                "sources": sorted(endpoint.sources),
                "forwarded": [s.name for s in endpoint.forwarded],
                "rtp_in": endpoint.stats.rtp_in, "rtp_dropped": endpoint.stats.rtp_dropped,
                "rtp_out": {names.get(ssrc, str(ssrc)): count
                            for ssrc, count in endpoint.stats.rtp_out.items()},
                "pli_out": endpoint.stats.pli_out,
            } for endpoint in conference.endpoints.values()}
        return self.call(collect)

    def endpoints(self, room: str) -> list[str]:
        conference = self.conference_id(room)
        return self.call(lambda: sorted(self.bridge.conferences[conference].endpoints)
                         if conference in self.bridge.conferences else [])

    def connected(self, room: str) -> list[str]:
        conference = self.conference_id(room)
        return self.call(lambda: sorted(
            e.id for e in self.bridge.conferences[conference].endpoints.values() if e.is_connected)
            if conference in self.bridge.conferences else [])

    def stop(self) -> None:
        if self.jicofo is not None:
            self.rig.focus.remove_extension(self.jicofo)
        if self.loop.is_running():
            try:
                self.run(self._stop(), timeout_s=15)
            except (RigError, TimeoutError, RuntimeError):
                pass
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
        if not self.loop.is_running():
            self.loop.close()
        if self._log_handler is not None:
            for name in ("rig.bridge", "rig.jicofo", "rig.colibri"):
                logging.getLogger(name).removeHandler(self._log_handler)
            self._log_handler.close()

    async def _stop(self) -> None:
        await self.bridge.close()
        if self.colibri is not None:
            await self.colibri.stop()
        for task in asyncio.all_tasks(self.loop):
            if task is not asyncio.current_task():
                task.cancel()
        # aioice resolves through the loop's default executor: end its threads too
        await self.loop.shutdown_default_executor()
