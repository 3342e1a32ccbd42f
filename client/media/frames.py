"""FramePump: decoded video → ``bgra`` numpy frames for the UI, latest frame wins.

One pump per remote video track (and one for the local preview).  It reads the track
continuously — aiortc's per-track queue is unbounded, so a track nobody reads grows
without limit — and converts frames to ``bgra`` in a worker thread, never on the
event loop (which is the GUI thread under qasync).  There is exactly one slot: a
frame that arrives while the previous one is still being converted replaces the
waiting one, and the UI always gets the newest picture.  ``bgra`` rows wrap without
a copy as ``QImage.Format_RGB32`` (stack-facts §4).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

log = logging.getLogger("treffpunkt.media")

class _DaemonPool(concurrent.futures.Executor):
    """A small pool of daemon threads: a conversion in flight must not keep the process
    alive at exit (ThreadPoolExecutor's workers are joined at interpreter exit)."""

    def __init__(self, workers: int, name: str) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._workers, self._name = workers, name
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs) -> concurrent.futures.Future:  # noqa: ANN001
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put((future, fn, args, kwargs))
        with self._lock:
            if len(self._threads) < self._workers:
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"{self._name}_{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            future, fn, args, kwargs = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 — handed to the waiting coroutine
                future.set_exception(exc)


#: conversions run here; two threads are plenty for a handful of 360p/720p streams
_CONVERTER = _DaemonPool(2, "tp-frames")

_FPS_WINDOW_S = 2.0


@dataclass(frozen=True)
class Frame:
    """One picture for the UI."""

    bgra: np.ndarray          # (height, width, 4) uint8, C-contiguous
    number: int               # 1 for the first frame of this pump, then counting up
    pts: int | None
    received_at: float        # time.monotonic() when the decoder handed it over

    @property
    def width(self) -> int:
        return int(self.bgra.shape[1])

    @property
    def height(self) -> int:
        return int(self.bgra.shape[0])


def to_bgra(frame: av.VideoFrame) -> np.ndarray:
    """``bgra`` array of a decoded frame (runs in a worker thread)."""
    return np.ascontiguousarray(frame.to_ndarray(format="bgra"))


class FramePump:
    """Drains one video track; keeps the newest converted frame and counts what came."""

    def __init__(self, track: MediaStreamTrack, *, name: str = "",
                 executor: concurrent.futures.Executor | None = None) -> None:
        self.track = track
        self.name = name
        self._executor = executor or _CONVERTER
        self._latest: Frame | None = None
        self._pending: tuple[av.VideoFrame, float] | None = None
        self._converting = False
        self._listeners: list[Callable[[Frame], None]] = []
        self._arrivals: collections.deque[float] = collections.deque()
        self._task: asyncio.Task | None = None
        self._first = asyncio.Event()
        self._ended = asyncio.Event()
        self.frames_received = 0       # frames the decoder delivered
        self.frames_converted = 0      # frames that reached the slot
        self.frames_dropped = 0        # replaced before conversion (the UI never saw them)

    # -- life

    def start(self) -> "FramePump":
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())
        return self

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._ended.set()

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    async def wait_ended(self) -> None:
        await self._ended.wait()

    # -- frames

    def latest(self) -> Frame | None:
        """The newest converted frame (the same object until a newer one arrives)."""
        return self._latest

    def add_listener(self, listener: Callable[[Frame], None]) -> Callable[[], None]:
        """``listener(frame)`` on the event loop after each new frame; returns a remover."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)
        return remove

    async def wait_first_frame(self) -> Frame:
        await self._first.wait()
        assert self._latest is not None  # set before the event
        return self._latest

    @property
    def fps(self) -> float:
        """Frames per second received over the last two seconds."""
        now = time.monotonic()
        self._trim(now)
        if len(self._arrivals) < 2:
            return 0.0
        span = now - self._arrivals[0]
        return (len(self._arrivals) - 1) / span if span > 0 else 0.0

    def _trim(self, now: float) -> None:
        while self._arrivals and now - self._arrivals[0] > _FPS_WINDOW_S:
            self._arrivals.popleft()

    # -- the loop

    async def _run(self) -> None:
        try:
            while True:
                frame = await self.track.recv()
                if not isinstance(frame, av.VideoFrame):
                    continue
                now = time.monotonic()
                self.frames_received += 1
                self._arrivals.append(now)
                self._trim(now)
                if self._pending is not None:
                    self.frames_dropped += 1
                self._pending = (frame, now)
                if not self._converting:
                    self._converting = True
                    asyncio.ensure_future(self._convert_pending())
        except MediaStreamError:
            pass   # the track ended (session closed, source removed)
        finally:
            self._ended.set()

    async def _convert_pending(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending is not None:
                frame, received_at = self._pending
                self._pending = None
                try:
                    bgra = await loop.run_in_executor(self._executor, to_bgra, frame)
                except (ValueError, av.FFmpegError) as exc:
                    log.warning("frame conversion failed on %s: %s", self.name, exc)
                    continue
                self.frames_converted += 1
                converted = Frame(bgra, self.frames_converted, frame.pts, received_at)
                self._latest = converted
                self._first.set()
                for listener in list(self._listeners):
                    try:
                        listener(converted)
                    except Exception:   # a broken listener must not stop the pump
                        log.exception("frame listener failed on %s", self.name)
        finally:
            self._converting = False
