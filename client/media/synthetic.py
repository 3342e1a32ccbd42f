"""Synthetic media: a moving test pattern that carries a frame counter, and a tone.

Used for ``--test-media``, when a device is missing, by the tests and by the
benchmark.  The video frame has two bands at the top: 16 black/white blocks with
the frame counter (most significant bit left) and a fixed marker pattern below
them, both big enough to survive VP8 at low bitrates and scaling; the rest are
colour bars that move every frame, so an encoder has real work to do and a
receiver can tell a live picture from a frozen one.  ``read_frame_counter`` gets
the number back from a decoded ``bgra`` array.

Both tracks pace themselves on the wall clock with exact pts/time_base, like a
capture device would.
"""

from __future__ import annotations

import asyncio
import fractions
import math
import time

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

VIDEO_CLOCK_RATE = 90000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)
AUDIO_RATE = 48000
AUDIO_TIME_BASE = fractions.Fraction(1, AUDIO_RATE)
AUDIO_PTIME = 0.020

COUNTER_BITS = 16
_MARKER = [1, 0] * (COUNTER_BITS // 2)
_BAND_FRACTION = 10          # each band is 1/10 of the frame height
_WHITE, _BLACK = 235, 16     # video-range luma


class PacedTrack(MediaStreamTrack):
    """Hands out frames on a wall-clock schedule: slot n is due at start + n * interval.

    When nobody read for a while (the sender had no track while muted), the schedule
    jumps to the present instead of bursting out the missed frames; the slot number,
    and with it the pts, jumps as well, as after a pause in a real capture.
    """

    def __init__(self) -> None:
        super().__init__()
        self._start: float | None = None
        self._slot = -1

    async def _next_slot(self, interval: float) -> int:
        now = time.monotonic()
        if self._start is None:
            self._start, self._slot = now, 0
            return 0
        slot = self._slot + 1
        due = self._start + slot * interval
        if now - due > max(0.2, 3 * interval):
            slot = int((now - self._start) / interval)
        elif due > now:
            await asyncio.sleep(due - now)
        self._slot = slot
        return slot


class TestPatternTrack(PacedTrack):
    """A 640x360 (by default) video track at ``fps`` with moving bars and a frame counter."""

    kind = "video"
    __test__ = False        # not a pytest class

    def __init__(self, width: int = 640, height: int = 360, fps: float = 30.0) -> None:
        super().__init__()
        if width % 16 or height % 2:
            raise ValueError("width must be a multiple of 16 and height even")
        self.width, self.height = width, height
        self.fps = fps
        self._pts = 0
        self._pts_origin = 0
        self._frame_number = 0
        self._bars_y, self._bars_u, self._bars_v = _colour_bars(width, height)

    @property
    def frames_sent(self) -> int:
        return self._frame_number

    def set_fps(self, fps: float) -> None:
        """Change the frame rate from the next frame on (the schedule restarts there)."""
        self.fps = max(1.0, fps)
        self._pts_origin = self._pts + int(round(VIDEO_CLOCK_RATE / self.fps))
        self._start, self._slot = None, -1

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        slot = await self._next_slot(1.0 / self.fps)
        frame = self.make_frame(self._frame_number)
        self._pts = self._pts_origin + int(round(slot * VIDEO_CLOCK_RATE / self.fps))
        frame.pts = self._pts
        frame.time_base = VIDEO_TIME_BASE
        self._frame_number += 1
        return frame

    def make_frame(self, number: int) -> av.VideoFrame:
        """Frame ``number`` of the pattern (yuv420p, as encoders want it)."""
        w, h = self.width, self.height
        shift = (number * 4) % w
        y = np.roll(self._bars_y, shift, axis=1)
        u = np.roll(self._bars_u, shift // 2, axis=1)
        v = np.roll(self._bars_v, shift // 2, axis=1)
        band = h // _BAND_FRACTION
        block = w // COUNTER_BITS
        counter = number & ((1 << COUNTER_BITS) - 1)
        for bit in range(COUNTER_BITS):
            on = (counter >> (COUNTER_BITS - 1 - bit)) & 1
            y[0:band, bit * block:(bit + 1) * block] = _WHITE if on else _BLACK
            y[band:2 * band, bit * block:(bit + 1) * block] = _WHITE if _MARKER[bit] else _BLACK
        u[0:band, :] = 128      # bands are grey-scale (chroma is subsampled 2x2)
        v[0:band, :] = 128
        planes = np.concatenate([y, u.reshape(-1, w), v.reshape(-1, w)])
        return av.VideoFrame.from_ndarray(planes, format="yuv420p")


def _colour_bars(width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # eight bars (white, yellow, cyan, green, magenta, red, blue, black) in BT.601 YUV
    colours = [(235, 128, 128), (210, 16, 146), (170, 166, 16), (145, 54, 34),
               (106, 202, 222), (81, 90, 240), (41, 240, 110), (16, 128, 128)]
    x = np.arange(width)
    index = (x * len(colours)) // width
    y_row = np.array([colours[i][0] for i in index], dtype=np.uint8)
    u_row = np.array([colours[i][1] for i in index[::2]], dtype=np.uint8)
    v_row = np.array([colours[i][2] for i in index[::2]], dtype=np.uint8)
    # a luma gradient downwards so the picture is not flat
    ramp = np.linspace(0.75, 1.0, height)[:, None]
    y = (y_row[None, :] * ramp).astype(np.uint8)
    u = np.repeat(u_row[None, :], height // 2, axis=0)
    v = np.repeat(v_row[None, :], height // 2, axis=0)
    return y, u, v


def read_frame_counter(bgra: np.ndarray) -> int | None:
    """The counter of a (decoded, possibly scaled) test-pattern frame, or None if it is not one."""
    if bgra.ndim != 3 or bgra.shape[2] < 3:
        return None
    h, w = bgra.shape[:2]
    band = h // _BAND_FRACTION
    block = w // COUNTER_BITS
    if band < 2 or block < 2:
        return None

    def bits(top: int) -> list[int]:
        result = []
        for bit in range(COUNTER_BITS):
            y0, y1 = top + band // 4, top + band - band // 4
            x0, x1 = bit * block + block // 4, (bit + 1) * block - block // 4
            patch = bgra[y0:y1, x0:x1, :3].astype(np.float32)
            luma = float((patch[..., 0] * 0.114 + patch[..., 1] * 0.587 + patch[..., 2] * 0.299).mean())
            result.append(1 if luma > 128 else 0)
        return result

    if bits(band) != _MARKER:
        return None
    value = 0
    for bit in bits(0):
        value = (value << 1) | bit
    return value


class ToneTrack(PacedTrack):
    """Mono 48 kHz s16 audio in 20 ms frames: a sine tone (or silence when ``frequency`` is 0)."""

    kind = "audio"

    def __init__(self, frequency: float = 440.0, amplitude: float = 0.3) -> None:
        super().__init__()
        self.frequency = frequency
        self.amplitude = amplitude
        self._samples = int(AUDIO_RATE * AUDIO_PTIME)
        self._phase = 0.0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        slot = await self._next_slot(AUDIO_PTIME)
        return self.make_frame(slot * self._samples)

    def make_frame(self, pts: int) -> av.AudioFrame:
        n = self._samples
        if self.frequency > 0 and self.amplitude > 0:
            step = 2 * math.pi * self.frequency / AUDIO_RATE
            phases = self._phase + step * np.arange(n)
            self._phase = float((self._phase + step * n) % (2 * math.pi))
            samples = (np.sin(phases) * self.amplitude * 32767).astype(np.int16)
        else:
            samples = np.zeros(n, dtype=np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = pts
        frame.time_base = AUDIO_TIME_BASE
        return frame
