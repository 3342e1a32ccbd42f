"""Keep remote video decodable: ask for a keyframe when packets arrive but no picture does.

A browser's receiver asks the sender for a keyframe again and again until it can decode
(libwebrtc repeats the request while it waits for one).  aiortc asks only when the
decoder reports an error or when its jitter buffer overflows, and its jitter buffer
hands out nothing past a packet that never arrived: one lost packet that NACK/RTX
does not repair freezes the picture for 128 packets — at 180p/15 fps that is up to
nine seconds, and if the keyframe sent then loses a packet too, the tile stays black.
Through a videobridge it is worse: the bridge asks the sender for a keyframe when it
starts forwarding to us, and a keyframe that reaches us before our new m-line is in
place (or that the sender skips because another receiver just had one) is gone.

So, per remote video: when packets keep arriving and no frame has been decoded for
``first_request_after_s``, drop what the jitter buffer holds if it is stuck at a gap
and send a PLI (RFC 4585 §6.3.1) for the source; repeat at most every
``repeat_every_s`` while that lasts.  A sender that sends nothing (camera off, not
forwarded by the bridge) is never asked.

``StallDetector`` is the decision, without I/O; ``KeyframeRecovery`` applies it to
aiortc receivers on the media loop.  The aiortc internals it needs (pinned 1.16) are
the three functions at the end, and tests/unit/media/test_recovery.py pins them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiortc.jitterbuffer import JitterBuffer

log = logging.getLogger("treffpunkt.media")

CHECK_INTERVAL_S = 0.25


@dataclass
class StallDetector:
    """Decides, from two counters sampled over time, when to ask for a keyframe."""

    first_request_after_s: float = 1.0
    repeat_every_s: float = 1.0
    _packets: int = 0
    _frames: int = 0
    _picture_since: float | None = None     # last frame, or when packets (re)started
    _last_request: float | None = None

    def observe(self, now: float, packets: int, frames: int) -> bool:
        """True: ask for a keyframe now.  ``packets``/``frames`` are running totals."""
        arriving = packets > self._packets
        decoding = frames > self._frames
        self._packets, self._frames = packets, frames
        if decoding or not arriving or self._picture_since is None:
            # a picture, or nothing to decode (the sender is quiet): nothing is stuck
            self._picture_since = now
            self._last_request = None
            return False
        if now - self._picture_since < self.first_request_after_s:
            return False
        if self._last_request is not None and now - self._last_request < self.repeat_every_s:
            return False
        self._last_request = now
        return True


@dataclass
class _Watched:
    receiver: Any
    frames: Callable[[], int]
    detector: StallDetector
    requests: int = 0


class KeyframeRecovery:
    """Watches remote video receivers; start once on the media loop, ``close()`` at the end."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 first_request_after_s: float = 1.0, repeat_every_s: float = 1.0) -> None:
        self._clock = clock
        self._first = first_request_after_s
        self._repeat = repeat_every_s
        self._watched: dict[str, _Watched] = {}
        self._task: asyncio.Task | None = None

    def watch(self, name: str, receiver: Any, frames: Callable[[], int]) -> None:
        """Follow ``receiver`` (an aiortc RTCRtpReceiver); ``frames()`` counts decoded frames."""
        self._watched[name] = _Watched(receiver, frames,
                                       StallDetector(self._first, self._repeat))
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    def unwatch(self, name: str) -> None:
        self._watched.pop(name, None)

    def requests(self, name: str) -> int:
        """Keyframes asked for on ``name`` so far (0 if not watched)."""
        watched = self._watched.get(name)
        return watched.requests if watched is not None else 0

    async def check(self) -> None:
        """One round over every watched receiver (the loop calls this; tests may too)."""
        now = self._clock()
        for name, watched in list(self._watched.items()):
            packets = received_packets(watched.receiver)
            if not watched.detector.observe(now, packets, watched.frames()):
                continue
            flushed = unblock_jitter_buffer(watched.receiver)
            if await request_keyframe(watched.receiver):
                watched.requests += 1
                log.info("no picture from %s while its packets arrive: asked for a keyframe%s",
                         name, " (dropped a jitter buffer stuck at a lost packet)" if flushed else "")

    async def close(self) -> None:
        self._watched.clear()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)    # cancelled: nothing to report

    async def _run(self) -> None:
        while self._watched:
            await asyncio.sleep(CHECK_INTERVAL_S)
            try:
                await self.check()
            except Exception:  # noqa: BLE001 - a helper must never end the watch
                log.exception("keyframe recovery check failed")


# --- aiortc 1.16 internals (pinned by tests/unit/media/test_recovery.py) ---------------------

def _media_streams(receiver: Any) -> dict[int, Any]:
    """The receiver's per-SSRC statistics without its RTX SSRCs."""
    streams = getattr(receiver, "_RTCRtpReceiver__remote_streams", None) or {}
    rtx = getattr(receiver, "_RTCRtpReceiver__rtx_ssrc", None) or {}
    return {ssrc: stream for ssrc, stream in streams.items() if ssrc not in rtx}


def received_packets(receiver: Any) -> int:
    """Media packets the receiver has taken in (RTX left out: bridges and browsers send
    padding there to probe bandwidth, also for a camera that sends nothing)."""
    return sum(stream.packets_received for stream in _media_streams(receiver).values())


def unblock_jitter_buffer(receiver: Any) -> bool:
    """If the jitter buffer waits for a packet that is not coming, start it afresh.

    True if it did.  What it held cannot be decoded without the missing packet anyway;
    the keyframe asked for next starts the picture again.
    """
    buffer = getattr(receiver, "_RTCRtpReceiver__jitter_buffer", None)
    if not isinstance(buffer, JitterBuffer) or not jitter_buffer_waits_at_gap(buffer):
        return False
    setattr(receiver, "_RTCRtpReceiver__jitter_buffer",
            JitterBuffer(capacity=buffer.capacity, prefetch=buffer._prefetch, is_video=True))
    return True


def jitter_buffer_waits_at_gap(buffer: JitterBuffer) -> bool:
    """A packet is missing with later ones already there: aiortc hands out nothing past it."""
    if buffer._origin is None:
        return False
    hole = False
    for offset in range(buffer.capacity):
        present = buffer._packets[(buffer._origin + offset) % buffer.capacity] is not None
        if not present:
            hole = True
        elif hole:
            return True
    return False


async def request_keyframe(receiver: Any) -> bool:
    """Send a PLI for the receiver's media SSRC(s); False if there is nothing to ask about."""
    media_ssrcs = list(_media_streams(receiver))
    if not media_ssrcs:
        return False
    for ssrc in media_ssrcs:
        await receiver._send_rtcp_pli(ssrc)
    return True


__all__ = ["KeyframeRecovery", "StallDetector", "jitter_buffer_waits_at_gap", "received_packets",
           "request_keyframe", "unblock_jitter_buffer"]
