"""A scripted stand-in for ``client.jitsi.conference.Conference`` and media.

It keeps the contract's shape: ``add_listener``, ``run()``, and the commands
(async, like the real ones).  Commands are recorded in ``calls``; a test pushes
events with ``emit`` exactly as the real conference would.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import numpy as np

from client.jitsi import events as ev


class FakeConference:
    def __init__(self, room: str = "omaopa") -> None:
        self.room = room
        self.listeners: list[Callable[[Any], None]] = []
        self.calls: list[tuple[Any, ...]] = []
        self.command_delay_s = 0.0
        self._ended: asyncio.Future[None] | None = None

    # --- contract ----------------------------------------------------------------------
    def add_listener(self, callback: Callable[[Any], None]) -> Callable[[], None]:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)

    def emit(self, event: Any) -> None:
        for listener in list(self.listeners):
            listener(event)

    async def run(self) -> None:
        self.calls.append(("run",))
        self._ended = asyncio.get_running_loop().create_future()
        await self._ended

    def _finish(self, *events: Any) -> None:
        for event in events:
            self.emit(event)
        if self._ended is not None and not self._ended.done():
            self._ended.set_result(None)

    async def _record(self, *call: Any) -> None:
        self.calls.append(call)
        if self.command_delay_s:
            await asyncio.sleep(self.command_delay_s)

    async def leave(self) -> None:
        await self._record("leave")
        self._finish(ev.Left(room=self.room), ev.ConferenceEnded(reason=ev.EndReason.LEFT))

    async def cancel(self) -> None:
        await self._record("cancel")
        self._finish(ev.Left(room=self.room), ev.ConferenceEnded(reason=ev.EndReason.CANCELLED))

    async def set_muted(self, kind: str, muted: bool) -> None:
        await self._record("set_muted", kind, muted)

    async def send_chat(self, text: str, to: str | None = None) -> None:
        await self._record("send_chat", text, to)

    async def submit_password(self, password: str) -> None:
        await self._record("submit_password", password)

    async def login_as_host(self, user: str, password: str) -> None:
        await self._record("login_as_host", user, password)

    async def set_display_name(self, name: str) -> None:
        await self._record("set_display_name", name)

    async def lock(self, password: str | None) -> None:
        await self._record("lock", password)

    async def set_lobby(self, enabled: bool) -> None:
        await self._record("set_lobby", enabled)

    async def admit(self, knocker_id: str) -> None:
        await self._record("admit", knocker_id)

    async def reject(self, knocker_id: str) -> None:
        await self._record("reject", knocker_id)

    async def kick(self, endpoint_id: str) -> None:
        await self._record("kick", endpoint_id)

    # --- scripted scenes ---------------------------------------------------------------
    def join(self, *, me: str = "me1", name: str = "Ich", role: str = "moderator",
             others: tuple[tuple[str, str], ...] = (("ep-anna", "Anna Berg"),)) -> None:
        self.emit(ev.Connected(jid="x@meet.localhost/r", domain="meet.localhost"))
        self.emit(ev.Joined(room=self.room, endpoint_id=me, display_name=name, role=role,
                            affiliation="owner" if role == "moderator" else "none"))
        for endpoint_id, display_name in others:
            self.emit(ev.ParticipantJoined(endpoint_id=endpoint_id, display_name=display_name,
                                           role="participant", affiliation="none",
                                           audio_muted=False, video_muted=False))


class FakePump:
    """A frame source with the listener shape the UI subscribes to."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[np.ndarray], None]] = []

    def add_listener(self, callback: Callable[[np.ndarray], None]) -> Callable[[], None]:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)

    def push(self, frame: np.ndarray) -> None:
        for listener in list(self.listeners):
            listener(frame)


class FakeMedia:
    def __init__(self) -> None:
        self.pumps: dict[str, FakePump] = {}

    def frames(self, source_name: str) -> FakePump:
        return self.pumps.setdefault(source_name, FakePump())


def solid_frame(bgr: tuple[int, int, int], width: int = 160, height: int = 90) -> np.ndarray:
    frame = np.zeros((height, width, 4), dtype=np.uint8)
    frame[..., 0], frame[..., 1], frame[..., 2] = bgr
    frame[..., 3] = 255
    return frame
