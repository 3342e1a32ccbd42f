"""Audio level: RMS in dBov (RFC 6464's measure) and a meter for the UI.

dBov is the level relative to the loudest possible signal: 0 dBov is a full-scale
square wave, a full-scale sine is about -3 dBov, digital silence is -127 (the RFC's
floor).  The RFC 6464 header value is the negated dBov, 0..127.
"""

from __future__ import annotations

import math
import threading

import numpy as np

SILENCE_DBOV = -127.0


def rms_dbov(samples: np.ndarray) -> float:
    """RMS level of int16 (or float in -1..1) samples in dBov, at least -127."""
    if samples.size == 0:
        return SILENCE_DBOV
    values = samples.astype(np.float64)
    if samples.dtype == np.int16:
        values /= 32768.0
    rms = math.sqrt(float(np.mean(values * values)))
    if rms <= 0:
        return SILENCE_DBOV
    return max(SILENCE_DBOV, min(0.0, 20.0 * math.log10(rms)))


def rfc6464_level(samples: np.ndarray) -> int:
    """The audio-level header value: 0 (loudest) … 127 (silence)."""
    return int(round(-rms_dbov(samples)))


class LevelMeter:
    """A meter for the pre-join screen and the call: 0.0 (silence) … 1.0 (full scale).

    ``feed`` may be called from an audio thread; ``level`` from anywhere.  The shown
    value rises at once and falls back slowly, like a hardware meter.
    """

    #: the meter shows -60 dBov … 0 dBov; quieter is shown as nothing
    FLOOR_DBOV = -60.0

    def __init__(self, fall_per_second: float = 1.5) -> None:
        self._lock = threading.Lock()
        self._fall = fall_per_second
        self._value = 0.0
        self._dbov = SILENCE_DBOV
        self._fed_samples = 0

    def feed(self, samples: np.ndarray, sample_rate: int = 48000) -> None:
        dbov = rms_dbov(samples)
        target = max(0.0, (dbov - self.FLOOR_DBOV) / -self.FLOOR_DBOV)
        seconds = samples.shape[0] / sample_rate if samples.ndim else 0.0
        with self._lock:
            self._dbov = dbov
            self._fed_samples += int(samples.shape[0]) if samples.ndim else 0
            fallen = max(0.0, self._value - self._fall * seconds)
            self._value = max(target, fallen)

    def reset(self) -> None:
        """Back to silence at once (the microphone was switched off)."""
        with self._lock:
            self._value = 0.0
            self._dbov = SILENCE_DBOV

    @property
    def level(self) -> float:
        with self._lock:
            return self._value

    @property
    def dbov(self) -> float:
        """The dBov of the last block fed."""
        with self._lock:
            return self._dbov

    @property
    def samples_fed(self) -> int:
        with self._lock:
            return self._fed_samples
