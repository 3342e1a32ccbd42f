"""The sound card behind a small interface: ``AudioIO`` opens input and output streams.

``SoundDeviceIO`` is the real one (sounddevice → PortAudio → PulseAudio/ALSA,
CoreAudio, WASAPI).  ``ClockedAudioIO`` needs no device: a thread calls the stream
callbacks in real time, feeding a given signal as microphone input and collecting
what would be played; tests, ``--test-media`` and the benchmark use it.

Streams carry int16 samples, shape (frames, channels).  Callbacks run in the audio
thread and must be quick.  A stream that ends without ``stop()`` (device unplugged,
server gone) calls ``on_lost`` once.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import time
from types import ModuleType
from typing import Callable, Protocol

import numpy as np

from client.errors import MediaError
from client.i18n import N_

OutputCallback = Callable[[np.ndarray], None]   # fill the given (frames, channels) int16 array
InputCallback = Callable[[np.ndarray], None]    # one recorded (frames, channels) int16 block


class AudioDeviceError(MediaError):
    """A stream could not be opened; the caller turns it into a user-facing error."""

    kind = "audio-device"
    template = N_("The sound device could not be used ({reason}).")


class AudioStream(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    @property
    def active(self) -> bool: ...


class AudioIO(Protocol):
    def output_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                      blocksize: int, callback: OutputCallback,
                      on_lost: Callable[[], None] = ...) -> AudioStream: ...

    def input_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                     blocksize: int, callback: InputCallback,
                     on_lost: Callable[[], None] = ...) -> AudioStream: ...


# --- sounddevice ---------------------------------------------------------------------------

_sounddevice_lock = threading.Lock()


def import_sounddevice() -> ModuleType:
    """sounddevice, imported once (from any thread); OSError when PortAudio is missing.

    Importing sounddevice initialises PortAudio, and meanwhile it points the *process's*
    stderr (descriptor 2) at /dev/null to hide ALSA's and JACK's chatter.  Whatever other
    threads write to stderr in those tens of milliseconds is lost with it: log warnings,
    tracebacks, a fault handler's dump (the pre-join page lists devices in a worker thread
    while it paints; the GUI probe's "page painted" line went missing in about half of
    the ``--test-media`` starts).  So Python's own stderr is first moved to a copy of
    descriptor 2; only what C libraries write straight to descriptor 2 is silenced.
    """
    with _sounddevice_lock:
        module = sys.modules.get("sounddevice")
        if module is None:
            _python_stderr_apart_from_descriptor_2()
            import sounddevice as module
        return module


def _python_stderr_apart_from_descriptor_2() -> None:
    stream = sys.stderr
    try:
        if stream is None or stream.fileno() != 2:
            return          # no console (pythonw), or already elsewhere (a test's capture)
    except (AttributeError, OSError, ValueError):
        return
    try:
        apart = os.fdopen(os.dup(2), "w", buffering=1, encoding=stream.encoding,
                          errors=stream.errors)
    except (OSError, ValueError):
        return
    stream.flush()
    sys.stderr = apart
    # logging handlers made before now hold the old stream object; the fault handler too
    loggers = [logging.getLogger()] + [logger for logger in
                                        logging.Logger.manager.loggerDict.values()
                                        if isinstance(logger, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is stream:
                handler.setStream(apart)
    if faulthandler.is_enabled():
        faulthandler.enable(file=apart, all_threads=True)


class _SoundDeviceStream:
    def __init__(self, stream, on_lost: Callable[[], None]) -> None:  # noqa: ANN001
        self._stream = stream
        self._stopping = False
        self._on_lost = on_lost

    def finished(self) -> None:
        if not self._stopping:
            self._on_lost()

    def start(self) -> None:
        try:
            self._stream.start()
        except Exception as exc:   # sounddevice.PortAudioError and friends
            raise AudioDeviceError(reason=str(exc)) from exc

    def stop(self) -> None:
        self._stopping = True
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:   # already gone with its device
            pass

    @property
    def active(self) -> bool:
        return bool(self._stream.active)


class SoundDeviceIO:
    """PortAudio through sounddevice; imported lazily (libportaudio may be missing)."""

    def _sd(self):  # noqa: ANN202
        try:
            return import_sounddevice()
        except OSError as exc:   # "PortAudio library not found"
            raise AudioDeviceError(reason=str(exc)) from exc

    def output_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                      blocksize: int, callback: OutputCallback,
                      on_lost: Callable[[], None] = lambda: None) -> AudioStream:
        sd = self._sd()
        holder: list[_SoundDeviceStream] = []

        def fill(outdata, frames, time_info, status) -> None:  # noqa: ANN001
            callback(outdata)

        try:
            stream = sd.OutputStream(device=device, samplerate=samplerate, channels=channels,
                                     blocksize=blocksize, dtype="int16", callback=fill,
                                     finished_callback=lambda: holder[0].finished() if holder else None)
        except Exception as exc:
            raise AudioDeviceError(reason=str(exc)) from exc
        wrapped = _SoundDeviceStream(stream, on_lost)
        holder.append(wrapped)
        return wrapped

    def input_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                     blocksize: int, callback: InputCallback,
                     on_lost: Callable[[], None] = lambda: None) -> AudioStream:
        sd = self._sd()
        holder: list[_SoundDeviceStream] = []

        def take(indata, frames, time_info, status) -> None:  # noqa: ANN001
            callback(indata.copy())

        try:
            stream = sd.InputStream(device=device, samplerate=samplerate, channels=channels,
                                    blocksize=blocksize, dtype="int16", callback=take,
                                    finished_callback=lambda: holder[0].finished() if holder else None)
        except Exception as exc:
            raise AudioDeviceError(reason=str(exc)) from exc
        wrapped = _SoundDeviceStream(stream, on_lost)
        holder.append(wrapped)
        return wrapped


# --- no device -------------------------------------------------------------------------------

class _ClockedStream:
    def __init__(self, period: float, tick: Callable[[], None]) -> None:
        self._period = period
        self._tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost_callback: Callable[[], None] = lambda: None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tp-audio-clock", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            self._tick()
            due += self._period
            delay = due - time.monotonic()
            if delay < -0.2:          # fell far behind (a suspended machine): start afresh
                due = time.monotonic()
            elif delay > 0:
                self._stop.wait(delay)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2)

    def lose(self) -> None:
        """Tests: behave like an unplugged device."""
        self._stop.set()
        self.lost_callback()

    @property
    def active(self) -> bool:
        return self._thread is not None and not self._stop.is_set()


class ClockedAudioIO:
    """Real-time paced streams without hardware.

    Input plays ``input_signal`` (int16 mono, looped; silence if None).  Output blocks
    are appended to ``played`` (capped at ``keep_s`` seconds) so tests can inspect them.
    """

    def __init__(self, input_signal: np.ndarray | None = None, keep_s: float = 10.0) -> None:
        self.input_signal = input_signal
        self.keep_s = keep_s
        self._played: list[np.ndarray] = []
        self._played_frames = 0
        self._lock = threading.Lock()
        self.streams: list[_ClockedStream] = []

    @property
    def played(self) -> np.ndarray:
        with self._lock:
            if not self._played:
                return np.zeros((0, 1), np.int16)
            return np.concatenate(self._played)

    @property
    def played_frames(self) -> int:
        with self._lock:
            return self._played_frames

    def output_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                      blocksize: int, callback: OutputCallback,
                      on_lost: Callable[[], None] = lambda: None) -> AudioStream:
        keep = int(self.keep_s * samplerate)

        def tick() -> None:
            block = np.zeros((blocksize, channels), np.int16)
            callback(block)
            with self._lock:
                self._played.append(block)
                self._played_frames += blocksize
                while sum(b.shape[0] for b in self._played) > keep:
                    self._played.pop(0)

        stream = _ClockedStream(blocksize / samplerate, tick)
        stream.lost_callback = on_lost
        self.streams.append(stream)
        return stream

    def input_stream(self, *, device: int | str | None, samplerate: int, channels: int,
                     blocksize: int, callback: InputCallback,
                     on_lost: Callable[[], None] = lambda: None) -> AudioStream:
        position = [0]

        def tick() -> None:
            signal = self.input_signal
            if signal is None or signal.size == 0:
                block = np.zeros((blocksize, channels), np.int16)
            else:
                index = (position[0] + np.arange(blocksize)) % signal.shape[0]
                position[0] = int((position[0] + blocksize) % signal.shape[0])
                block = np.repeat(signal[index].reshape(-1, 1), channels, axis=1).astype(np.int16)
            callback(block)

        stream = _ClockedStream(blocksize / samplerate, tick)
        stream.lost_callback = on_lost
        self.streams.append(stream)
        return stream


def tone(frequency: float = 440.0, amplitude: float = 0.3, seconds: float = 1.0,
         samplerate: int = 48000) -> np.ndarray:
    """A whole number of periods of a sine, int16 mono, to loop as a microphone signal."""
    periods = max(1, round(frequency * seconds))
    n = int(round(periods * samplerate / frequency)) if frequency > 0 else int(samplerate * seconds)
    t = np.arange(n) / samplerate
    return (np.sin(2 * np.pi * frequency * t) * amplitude * 32767).astype(np.int16)
