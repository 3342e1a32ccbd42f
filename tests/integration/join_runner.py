"""Run our ``Conference`` on its own event-loop thread next to blocking rig helpers.

The browser peer's API blocks (it waits on the Node driver), so the test thread drives
the browser while the conference lives in a background loop; events are collected
thread-safely and waited for with a condition (never with fixed sleeps).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

from client.jitsi.conference import Conference, JoinOptions
from client.jitsi.events import ConferenceEnded, ConferenceEvent
from client.meeting.address import parse_link
from client.net import TrustSettings


class ConferenceRunner:
    def __init__(self, rig: Any, room: str, **options: Any) -> None:
        options.setdefault("trust", TrustSettings(rig.ca_file))
        self.address = parse_link(f"{rig.base_url}/{room}")
        self.options = JoinOptions(**options)
        self.loop = asyncio.new_event_loop()
        self._events: list[ConferenceEvent] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._main, name=f"conference {room}", daemon=True)
        self._ready = threading.Event()
        self.conference: Conference | None = None
        self.ended: ConferenceEnded | None = None
        self.error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> "ConferenceRunner":
        self._thread.start()
        self._ready.wait(10)
        return self

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._run())
        except BaseException as exc:  # noqa: BLE001 — reported to the test thread
            self.error = exc
        finally:
            self.loop.close()

    async def _run(self) -> None:
        self.conference = Conference(self.address, self.options, on_event=self._record)
        self._ready.set()
        self.ended = await self.conference.run()
        # let callers still awaiting (e.g. leave() from stop()) see the end before the loop stops
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if others:
            await asyncio.wait(others, timeout=5)

    def _record(self, event: ConferenceEvent) -> None:
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    def stop(self, timeout: float = 15.0) -> ConferenceEnded | None:
        """Leave (if still running) and wait for the thread."""
        if self._thread.is_alive() and self.conference is not None:
            try:
                self.call(self.conference.leave(), timeout=timeout)
            except Exception:  # noqa: BLE001 — the thread may have ended meanwhile
                pass
        self._thread.join(timeout)
        if self.error is not None:
            raise self.error
        return self.ended

    def wait_ended(self, timeout: float = 20.0) -> ConferenceEnded:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"conference still running: {self.kinds()}"
        if self.error is not None:
            raise self.error
        assert self.ended is not None
        return self.ended

    # --- commands ----------------------------------------------------------------------
    def call(self, what: Any, timeout: float = 15.0) -> Any:
        """Run a coroutine, or a plain callable, on the conference's loop; return its result."""
        if asyncio.iscoroutine(what):
            return asyncio.run_coroutine_threadsafe(what, self.loop).result(timeout)

        async def wrapper() -> Any:
            return what()
        return asyncio.run_coroutine_threadsafe(wrapper(), self.loop).result(timeout)

    def do(self, method: str, *args: Any) -> Any:
        """``runner.do("lock", "pw")``: call a Conference command on its loop."""
        assert self.conference is not None
        attribute = getattr(self.conference, method)
        result = self.call(lambda: attribute(*args))
        if asyncio.iscoroutine(result):
            return self.call(result)
        return result

    # --- events ---------------------------------------------------------------------------
    @property
    def events(self) -> list[ConferenceEvent]:
        with self._changed:
            return list(self._events)

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def mark(self) -> int:
        with self._changed:
            return len(self._events)

    def wait(self, kind: type, predicate: Callable[[Any], bool] | None = None, *,
             timeout: float = 20.0, after: int = 0) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self._events[after:]:
                    if isinstance(event, kind) and (predicate is None or predicate(event)):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {kind.__name__} within {timeout} s; events: "
                                       f"{[e.kind for e in self._events]}")
                self._changed.wait(remaining)
