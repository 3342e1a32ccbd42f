"""FramePump: converts off the loop, keeps one slot, drains even when conversion lags."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from client.media.frames import FramePump, to_bgra
from client.media.synthetic import TestPatternTrack, read_frame_counter
from tests.unit.media.waiting import wait_until


class BurstTrack(MediaStreamTrack):
    """``count`` pattern frames as fast as the reader takes them, then the end."""

    kind = "video"

    def __init__(self, count: int) -> None:
        super().__init__()
        self._pattern = TestPatternTrack(320, 180)
        self._count = count
        self.delivered = 0

    async def recv(self) -> av.VideoFrame:
        if self.delivered >= self._count:
            raise MediaStreamError
        frame = self._pattern.make_frame(self.delivered)
        frame.pts = self.delivered
        self.delivered += 1
        await asyncio.sleep(0)
        return frame


class GatedExecutor(concurrent.futures.ThreadPoolExecutor):
    """Conversions wait for ``gate``; records the thread they ran in."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.gate = threading.Event()
        self.threads: set[int] = set()

    def submit(self, fn, *args, **kwargs):
        def gated():
            self.gate.wait(10)
            self.threads.add(threading.get_ident())
            return fn(*args, **kwargs)
        return super().submit(gated)


def test_pump_drains_everything_but_converts_only_the_latest():
    async def main():
        executor = GatedExecutor()
        track = BurstTrack(50)
        pump = FramePump(track, name="burst", executor=executor).start()
        seen = []
        pump.add_listener(lambda frame: seen.append(frame))
        # the first conversion is stuck; the pump still empties the track
        await pump.wait_ended()
        assert track.delivered == 50 and pump.frames_received == 50
        assert pump.latest() is None
        executor.gate.set()
        await wait_until(lambda: pump.frames_converted == 2, what="two conversions")
        await asyncio.sleep(0)
        # the one that was in flight, then only the newest: everything between was dropped
        assert [read_frame_counter(f.bgra) for f in seen] == [0, 49]
        assert pump.frames_dropped == 48
        assert pump.latest() is seen[-1] and pump.latest().number == 2
        assert threading.get_ident() not in executor.threads   # never on the event loop
        executor.shutdown()
    asyncio.run(asyncio.wait_for(main(), 30))


def test_pump_counts_frames_and_fps_of_a_live_track():
    async def main():
        track = TestPatternTrack(320, 180, fps=30)
        pump = FramePump(track, name="live").start()
        first = await pump.wait_first_frame()
        await wait_until(lambda: pump.frames_received >= 30, what="a second of frames")
        assert 20 < pump.fps < 40
        assert (first.width, first.height) == (320, 180)
        assert first.bgra.flags["C_CONTIGUOUS"] and first.bgra.shape == (180, 320, 4)
        await pump.stop()
        assert pump.ended
    asyncio.run(asyncio.wait_for(main(), 30))


def test_bgra_conversion_keeps_the_pattern():
    frame = TestPatternTrack().make_frame(4242)
    assert read_frame_counter(to_bgra(frame)) == 4242
    assert read_frame_counter(to_bgra(frame.reformat(width=320, height=180))) == 4242
