"""Our client (Conference + CallMedia) as a participant of the rig, on its own event loop.

The browser peer's API blocks the calling thread, so our asyncio stack runs in a
thread of its own; the test talks to it through thread-safe calls and waits on its
event list like on the browser's.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable, TypeVar

from client.jitsi.conference import Conference, JoinOptions, StaticDeployment
from client.jitsi.events import ConferenceEvent
from client.media.audio_io import ClockedAudioIO
from client.media.call import MEDIA_CODECS, CallMedia, media_capabilities
from client.media.local import MediaOptions
from client.net import TrustSettings

T = TypeVar("T")


class OurParticipant:
    def __init__(self, rig: Any, room: str, *, display_name: str = "Treffpunkt",
                 options: MediaOptions | None = None) -> None:
        self.rig, self.room = rig, room
        self.options = options or MediaOptions(test_media=True, audio_io=ClockedAudioIO())
        self.display_name = display_name
        self.events: list[ConferenceEvent] = []
        self._changed = threading.Condition()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="our-participant", daemon=True)
        self.conference: Conference | None = None
        self.media: CallMedia | None = None
        self._run_task: asyncio.Future | None = None

    # -- life

    def start(self) -> "OurParticipant":
        self._thread.start()
        self.call(self._start())
        return self

    async def _start(self) -> None:
        deployment = StaticDeployment(xmpp_domain=self.rig.xmpp_domain, muc_domain=self.rig.muc_domain,
                                      focus_jid=self.rig.focus_jid, websocket_url=self.rig.websocket_url)
        options = JoinOptions(display_name=self.display_name, codecs=MEDIA_CODECS,
                              trust=TrustSettings(extra_ca_file=self.rig.ca_file),
                              start_audio_muted=self.options.start_audio_muted,
                              start_video_muted=self.options.start_video_muted)
        self.conference = Conference(deployment, options, room=self.room, on_event=self._record,
                                     capabilities=media_capabilities())
        self.media = CallMedia(self.conference, self.options)
        await self.media.start()
        self._run_task = asyncio.ensure_future(self.conference.run())

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        try:
            self.call(self._stop(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)

    async def _stop(self) -> None:
        if self.conference is not None:
            await self.conference.leave()
        if self.media is not None:
            await self.media.close()
        # let what is still winding down (relay readers, TURN allocations) finish or cancel
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        done, pending = await asyncio.wait(others, timeout=2) if others else (set(), set())
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2)

    # -- calls into our loop

    def call(self, coroutine: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def run(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        async def wrapper() -> T:
            return fn()
        return self.call(wrapper(), timeout)

    # -- events

    def _record(self, event: ConferenceEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.events)

    def wait_event(self, kind: type, predicate: Callable[[Any], bool] | None = None,
                   timeout: float = 20.0, after: int = 0) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events[after:]:
                    if isinstance(event, kind) and (predicate is None or predicate(event)):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {kind.__name__} within {timeout} s; events: "
                                       f"{[e.kind for e in self.events]}")
                self._changed.wait(remaining)

    def of(self, kind: type) -> list[Any]:
        with self._changed:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        """Poll a condition on our loop's state (frame counters have no event per frame)."""
        deadline = time.monotonic() + timeout
        while not self.run(predicate):
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what or predicate}")
            time.sleep(0.05)
