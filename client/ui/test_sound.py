"""A short chime for the speaker test, played from memory (no file, no download)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal

SAMPLE_RATE = 48_000


def chime_pcm(duration_s: float = 1.2, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Two soft tones (E5, then A5) as signed 16-bit mono PCM, faded in and out."""
    half = int(duration_s * sample_rate) // 2
    local = np.arange(half, dtype=np.float64)
    envelope = np.minimum(1.0, local / 800) * (1.0 - local / half)
    tones = [np.sin(2 * np.pi * f * (local + offset) / sample_rate)
             for f, offset in ((659.25, 0), (880.0, half))]
    wave = 0.35 * np.concatenate([envelope * t for t in tones])
    return (wave * 32767).astype("<i2").tobytes()


class TestSound(QObject):
    """Plays the chime on the chosen (or default) speaker."""

    finished = Signal(bool)   # True if it could be played

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink = None
        self._buffer: QBuffer | None = None
        self._data = QByteArray(chime_pcm())

    def play(self, device_id: str | None = None) -> bool:
        from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

        outputs = QMediaDevices.audioOutputs()
        device = QMediaDevices.defaultAudioOutput()
        if device_id:
            for candidate in outputs:
                if bytes(candidate.id().data()).decode("utf-8", "replace") == device_id:
                    device = candidate
        if device.isNull():
            self.finished.emit(False)
            return False
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self.stop()
        self._buffer = QBuffer(self)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(device, fmt, self)
        sink.stateChanged.connect(lambda state: self._on_state(state, QAudio.State.IdleState))
        self._sink = sink
        sink.start(self._buffer)
        return True

    def _on_state(self, state: object, idle: object) -> None:
        if state == idle:
            self.stop()
            self.finished.emit(True)

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None
