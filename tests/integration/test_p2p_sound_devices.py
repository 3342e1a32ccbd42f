"""The real sound path (sounddevice → PortAudio → PulseAudio): what our playback plays into
the rig's null sink comes back through the sink's monitor into our microphone track."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.rig, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import asyncio, json
import numpy as np
from client.media.audio_io import SoundDeviceIO
from client.media.capture import MicrophoneTrack
from client.media.playback import AudioPlayback
from client.media.synthetic import ToneTrack

async def main():
    errors = []
    playback = AudioPlayback(SoundDeviceIO(), on_error=errors.append)
    tone = ToneTrack(frequency=523.0, amplitude=0.4)
    playback.add_track("peer-a0", tone)
    mic = MicrophoneTrack(SoundDeviceIO()).open()
    samples = []
    while len(samples) < 100:                       # two seconds of 20 ms frames
        samples.append((await mic.recv()).to_ndarray()[0])
    mic.stop(); tone.stop()
    await playback.close()
    signal = np.concatenate(samples[50:]).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(signal))
    peak = float(np.fft.rfftfreq(signal.size, 1 / 48000)[np.argmax(spectrum)])
    print(json.dumps({"errors": [str(e) for e in errors], "peak_hz": peak,
                      "dbov": mic.meter.dbov, "played": playback.frames("peer-a0")}))

asyncio.run(asyncio.wait_for(main(), 30))
"""


def test_playback_and_microphone_through_pulseaudio(pulse) -> None:  # noqa: ANN001
    # PortAudio reads its configuration when it starts: use a fresh process
    env = {**os.environ, **pulse.env, "PULSE_SOURCE": "rig_sink.monitor"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert abs(result["peak_hz"] - 523.0) < 5, result
    assert result["dbov"] > -30, result
