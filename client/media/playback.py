"""Remote audio → one output stream: per-source jitter buffers, mixed in the audio thread.

Each remote audio track is read on the event loop (so aiortc's queue never grows),
resampled to 48 kHz mono s16 and pushed into that source's ``JitterBuffer``.  The
output callback (PortAudio's thread) pulls one block from every buffer and mixes
them.  A buffer first fills to its target delay before it plays; when it runs dry it
plays silence and fills up again; when it holds far more than the target (the
network delivered a burst, or the sound card clock is slow) the oldest audio is
dropped, so the delay cannot creep up.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
from dataclasses import dataclass
from typing import Callable

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from client.media.audio_io import AudioDeviceError, AudioIO, AudioStream
from client.media.audio_level import LevelMeter

log = logging.getLogger("treffpunkt.media")

SAMPLE_RATE = 48000
BLOCK = 480                      # 10 ms output blocks


class JitterBuffer:
    """A thread-safe FIFO of mono int16 samples with a target and a maximum delay."""

    def __init__(self, target_ms: float = 60.0, max_ms: float = 200.0,
                 sample_rate: int = SAMPLE_RATE) -> None:
        self._target = int(sample_rate * target_ms / 1000)
        self._max = int(sample_rate * max_ms / 1000)
        self._chunks: collections.deque[np.ndarray] = collections.deque()
        self._size = 0
        self._playing = False
        self._lock = threading.Lock()
        self.underruns = 0
        self.dropped_samples = 0

    @property
    def buffered(self) -> int:
        with self._lock:
            return self._size

    def push(self, samples: np.ndarray) -> None:
        with self._lock:
            self._chunks.append(samples)
            self._size += samples.shape[0]
            excess = self._size - self._max
            while excess > 0 and self._chunks:
                head = self._chunks[0]
                if head.shape[0] <= excess:
                    self._chunks.popleft()
                    self._size -= head.shape[0]
                    self.dropped_samples += head.shape[0]
                    excess -= head.shape[0]
                else:
                    self._chunks[0] = head[excess:]
                    self._size -= excess
                    self.dropped_samples += excess
                    excess = 0

    def pull(self, n: int) -> np.ndarray | None:
        """``n`` samples, or None while filling up (play silence then)."""
        with self._lock:
            if not self._playing:
                if self._size < self._target:
                    return None
                self._playing = True
            if self._size < n:
                # ran dry: whatever is left now, then fill up to the target again
                self.underruns += 1
                self._playing = False
                out = np.zeros(n, np.int16)
                got = self._take(self._size)
                out[:got.shape[0]] = got
                return out
            return self._take(n)

    def _take(self, n: int) -> np.ndarray:
        parts = []
        need = n
        while need > 0 and self._chunks:
            head = self._chunks[0]
            if head.shape[0] <= need:
                parts.append(self._chunks.popleft())
                need -= head.shape[0]
            else:
                parts.append(head[:need])
                self._chunks[0] = head[need:]
                need = 0
        self._size -= n - need
        return np.concatenate(parts) if parts else np.zeros(0, np.int16)


@dataclass
class RemoteAudio:
    source_name: str
    buffer: JitterBuffer
    meter: LevelMeter
    task: asyncio.Task | None = None
    frames: int = 0


class AudioPlayback:
    """Plays every remote audio source through one output stream (or none, if it fails)."""

    def __init__(self, audio_io: AudioIO, *, device: int | str | None = None, channels: int = 2,
                 on_error: Callable[[AudioDeviceError], None] = lambda error: None) -> None:
        self._io = audio_io
        self._device = device
        self._channels = channels
        self._on_error = on_error
        self._sources: dict[str, RemoteAudio] = {}
        self._lock = threading.Lock()
        self._stream: AudioStream | None = None
        self._failed = False
        self.output_meter = LevelMeter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._first_frame_listeners: list[Callable[[str], None]] = []

    # -- sources

    def add_track(self, source_name: str, track: MediaStreamTrack) -> RemoteAudio:
        self.remove(source_name)
        self._loop = asyncio.get_running_loop()
        remote = RemoteAudio(source_name, JitterBuffer(), LevelMeter())
        with self._lock:
            self._sources[source_name] = remote
        remote.task = asyncio.ensure_future(self._read(remote, track))
        self._ensure_stream()
        return remote

    def remove(self, source_name: str) -> None:
        with self._lock:
            remote = self._sources.pop(source_name, None)
        if remote is not None and remote.task is not None:
            remote.task.cancel()

    def on_first_frame(self, listener: Callable[[str], None]) -> None:
        self._first_frame_listeners.append(listener)

    def frames(self, source_name: str) -> int:
        remote = self._sources.get(source_name)
        return remote.frames if remote else 0

    def meter(self, source_name: str) -> LevelMeter | None:
        remote = self._sources.get(source_name)
        return remote.meter if remote else None

    async def _read(self, remote: RemoteAudio, track: MediaStreamTrack) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        try:
            while True:
                frame = await track.recv()
                if not isinstance(frame, av.AudioFrame):
                    continue
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
                    remote.buffer.push(samples)
                    remote.meter.feed(samples)
                remote.frames += 1
                if remote.frames == 1:
                    for listener in list(self._first_frame_listeners):
                        listener(remote.source_name)
        except MediaStreamError:
            pass

    # -- output

    def _ensure_stream(self) -> None:
        if self._stream is not None or self._failed:
            return
        try:
            self._stream = self._io.output_stream(
                device=self._device, samplerate=SAMPLE_RATE, channels=self._channels,
                blocksize=BLOCK, callback=self._fill, on_lost=self._lost)
            self._stream.start()
        except AudioDeviceError as error:
            # keep reading the tracks (and counting) even without a speaker
            self._failed, self._stream = True, None
            log.warning("no audio output: %s", error)
            self._on_error(error)

    def _lost(self) -> None:
        # called in the audio thread; the listener belongs to the event loop
        self._failed, self._stream = True, None
        error = AudioDeviceError(reason="the output device went away")
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._on_error, error)

    def _fill(self, out: np.ndarray) -> None:
        n = out.shape[0]
        mix = np.zeros(n, np.int32)
        with self._lock:
            sources = list(self._sources.values())
        for remote in sources:
            block = remote.buffer.pull(n)
            if block is not None:
                mix[:block.shape[0]] += block
        mixed = np.clip(mix, -32768, 32767).astype(np.int16)
        self.output_meter.feed(mixed)
        out[:] = mixed.reshape(-1, 1)

    async def close(self) -> None:
        for name in list(self._sources):
            self.remove(name)
        if self._stream is not None:
            self._stream.stop()
            self._stream = None
