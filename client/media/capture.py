"""Our camera and microphone as aiortc tracks, and the track a sender keeps.

``CameraTrack`` reads a camera with PyAV (``v4l2`` on Linux, ``avfoundation`` on
macOS, ``dshow`` on Windows) in its own thread and hands the newest frame to the
event loop.  ``MicrophoneTrack`` turns an ``AudioIO`` input stream into 20 ms frames.
Both report a vanished device through ``on_lost`` instead of ending: a sender whose
track ends stops for good (aiortc), so the call controller switches the source off
and says why.

``SwitchableTrack`` is what the RTP sender holds for the whole call.  Its source can
be swapped (device change, synthetic fallback) or disappear without the track ever
ending, and for video it applies the receiver's wish (content-modify / max frame
height): frames are scaled down and the frame rate lowered.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from client.errors import MediaError
from client.i18n import N_
from client.media.audio_io import AudioDeviceError, AudioIO, AudioStream
from client.media.audio_level import LevelMeter

log = logging.getLogger("treffpunkt.media")

AUDIO_RATE = 48000
AUDIO_BLOCK = 960                # 20 ms
AUDIO_TIME_BASE = fractions.Fraction(1, AUDIO_RATE)
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_FPS = 640, 360, 30


class CaptureError(MediaError):
    """A camera or microphone could not be opened (``reason`` for the log)."""

    kind = "capture"
    template = N_("The camera or microphone could not be used ({reason}).")


# --- camera -----------------------------------------------------------------------------

def camera_format() -> str:
    """PyAV's input format for cameras on this system."""
    if sys.platform.startswith("linux"):
        return "v4l2"
    if sys.platform == "darwin":
        return "avfoundation"
    if sys.platform.startswith("win"):
        return "dshow"
    raise CaptureError(reason=f"no camera support on {sys.platform}")


@dataclass(frozen=True)
class CameraSettings:
    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    fps: int = DEFAULT_FPS


class CameraTrack(MediaStreamTrack):
    """A camera by PyAV url (``/dev/video0``, ``0``, ``video=Name``), or any PyAV input.

    ``input_format``/``options`` default to the platform's camera format at the
    settings' size; tests pass ``lavfi`` sources instead of hardware.
    """

    kind = "video"

    def __init__(self, url: str, *, settings: CameraSettings = CameraSettings(),
                 input_format: str | None = None, options: dict[str, str] | None = None,
                 on_lost: Callable[[str], None] = lambda reason: None) -> None:
        super().__init__()
        self.url = url
        self.settings = settings
        self._format = input_format
        self._options = options
        self._on_lost = on_lost
        self._loop: asyncio.AbstractEventLoop | None = None
        self._latest: av.VideoFrame | None = None
        self._new_frame = asyncio.Event()
        self._stop_reading = threading.Event()
        self._thread: threading.Thread | None = None
        self._container = None
        self._lost = False
        self.frames_captured = 0

    def open(self) -> "CameraTrack":
        """Open the device now (raises ``CaptureError``) and start the reader thread."""
        self._loop = asyncio.get_running_loop()
        input_format = self._format or camera_format()
        options = self._options
        if options is None:
            options = {"video_size": f"{self.settings.width}x{self.settings.height}",
                       "framerate": str(self.settings.fps)}
        try:
            self._container = av.open(self.url, format=input_format, options=options)
            stream = self._container.streams.video[0]
        except (av.FFmpegError, OSError, IndexError, ValueError) as exc:
            raise CaptureError(reason=str(exc) or type(exc).__name__) from exc
        self._thread = threading.Thread(target=self._read, args=(stream,), name="tp-camera",
                                        daemon=True)
        self._thread.start()
        return self

    def _read(self, stream) -> None:  # noqa: ANN001
        reason = "end of stream"
        try:
            for frame in self._container.decode(stream):
                if self._stop_reading.is_set():
                    return
                self._deliver(frame)
        except (av.FFmpegError, OSError, ValueError) as exc:
            reason = str(exc) or type(exc).__name__
        if not self._stop_reading.is_set():
            self._lost = True
            self._call_loop(self._on_lost, reason)
            self._call_loop(self._new_frame.set)

    def _deliver(self, frame: av.VideoFrame) -> None:
        self.frames_captured += 1
        self._latest = frame          # one slot: a slow encoder gets the newest picture
        self._call_loop(self._new_frame.set)

    def _call_loop(self, fn: Callable, *args: object) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(fn, *args)
            except RuntimeError:       # the loop closed meanwhile
                pass

    async def recv(self) -> av.VideoFrame:
        while True:
            if self.readyState != "live" or self._lost:
                raise MediaStreamError
            frame, self._latest = self._latest, None
            if frame is not None:
                return frame
            self._new_frame.clear()
            await self._new_frame.wait()

    def stop(self) -> None:
        super().stop()
        self._stop_reading.set()
        self._new_frame.set()
        container, self._container = self._container, None
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2)
        if container is not None:
            try:
                container.close()
            except (av.FFmpegError, OSError):
                pass


# --- microphone -----------------------------------------------------------------------------

class MicrophoneTrack(MediaStreamTrack):
    """20 ms mono 48 kHz frames from an ``AudioIO`` input stream."""

    kind = "audio"

    def __init__(self, audio_io: AudioIO, device: int | str | None = None, *,
                 meter: LevelMeter | None = None,
                 on_lost: Callable[[str], None] = lambda reason: None) -> None:
        super().__init__()
        self._io = audio_io
        self._device = device
        self.meter = meter or LevelMeter()
        self._on_lost = on_lost
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[np.ndarray | None] = asyncio.Queue(maxsize=10)
        self._stream: AudioStream | None = None
        self._pts = 0
        self._lost = False

    def open(self) -> "MicrophoneTrack":
        self._loop = asyncio.get_running_loop()
        try:
            self._stream = self._io.input_stream(
                device=self._device, samplerate=AUDIO_RATE, channels=1, blocksize=AUDIO_BLOCK,
                callback=self._on_block, on_lost=self._on_stream_lost)
            self._stream.start()
        except AudioDeviceError as exc:
            raise CaptureError(reason=exc.details.get("reason", str(exc))) from exc
        return self

    def _on_block(self, block: np.ndarray) -> None:   # audio thread
        samples = block[:, 0] if block.ndim == 2 else block
        self.meter.feed(samples)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._enqueue, samples.astype(np.int16, copy=True))
            except RuntimeError:
                pass

    def _enqueue(self, samples: np.ndarray) -> None:
        if self._queue.full():            # the sender is not reading (muted): keep it fresh
            self._queue.get_nowait()
        self._queue.put_nowait(samples)

    def _on_stream_lost(self) -> None:   # audio thread
        self._lost = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._on_lost, "the input device went away")
            loop.call_soon_threadsafe(self._enqueue_end)

    def _enqueue_end(self) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live" or self._lost:
            raise MediaStreamError
        samples = await self._queue.get()
        if samples is None:
            raise MediaStreamError
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self._pts
        frame.time_base = AUDIO_TIME_BASE
        self._pts += samples.shape[0]
        return frame

    def stop(self) -> None:
        super().stop()
        if self._stream is not None:
            self._stream.stop()
            self._stream = None


# --- the sender's track -------------------------------------------------------------------------

def constrained_size(width: int, height: int, max_height: int | None) -> tuple[int, int]:
    """The size to send for a receiver that wants at most ``max_height`` lines (even numbers)."""
    if max_height is None or max_height <= 0 or height <= max_height:
        return width, height
    scale = max_height / height
    return max(2, int(width * scale) // 2 * 2), max(2, int(max_height) // 2 * 2)


def constrained_fps(max_height: int | None, fps: float) -> float:
    """Small pictures are thumbnails: 15 fps is plenty below 240 lines (LJM does likewise)."""
    if max_height is not None and 0 < max_height < 240:
        return min(fps, 15.0)
    return fps


class SwitchableTrack(MediaStreamTrack):
    """A track whose source can change or vanish; it ends only when stopped itself."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._source: MediaStreamTrack | None = None
        self._changed = asyncio.Event()
        self.max_height: int | None = None
        self.source_fps: float = DEFAULT_FPS
        self._last_sent: float | None = None
        self.on_source_ended: Callable[[MediaStreamTrack], None] = lambda track: None

    @property
    def source(self) -> MediaStreamTrack | None:
        return self._source

    def set_source(self, track: MediaStreamTrack | None) -> None:
        self._source = track
        self._changed.set()

    def constrain(self, max_height: int | None) -> None:
        """Send at most ``max_height`` lines (None or a negative value: no limit)."""
        self.max_height = max_height if max_height is not None and max_height >= 0 else None

    async def recv(self):  # noqa: ANN201
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            source = self._source
            self._changed.clear()
            if source is None:
                await self._changed.wait()
                continue
            # wait for a frame, but give up on this source as soon as it is switched:
            # a detached source may never deliver again
            frame_task = asyncio.ensure_future(source.recv())
            switch_task = asyncio.ensure_future(self._changed.wait())
            try:
                done, _ = await asyncio.wait({frame_task, switch_task},
                                             return_when=asyncio.FIRST_COMPLETED)
            finally:
                switch_task.cancel()
                if not frame_task.done():
                    frame_task.cancel()
            if frame_task not in done or frame_task.cancelled():
                continue
            try:
                frame = frame_task.result()
            except MediaStreamError:
                if self._source is source:
                    self._source = None
                    self.on_source_ended(source)
                continue
            if self._source is not source:
                continue          # switched meanwhile: drop the old source's frame
            if self.kind == "video":
                adapted = self._adapt(frame)
                if adapted is None:
                    continue
                return adapted
            return frame

    def _adapt(self, frame: av.VideoFrame) -> av.VideoFrame | None:
        if self.max_height == 0:
            return None           # nobody wants our video
        fps = constrained_fps(self.max_height, self.source_fps)
        if fps < self.source_fps:
            now = time.monotonic()
            if self._last_sent is not None and now - self._last_sent < 0.9 / fps:
                return None
            self._last_sent = now
        width, height = constrained_size(frame.width, frame.height, self.max_height)
        if (width, height) == (frame.width, frame.height):
            return frame
        scaled = frame.reformat(width=width, height=height)
        scaled.pts, scaled.time_base = frame.pts, frame.time_base
        return scaled

    def stop(self) -> None:
        super().stop()
        self._changed.set()
