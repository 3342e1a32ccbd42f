"""Levels, the jitter buffer, playback mixing and microphone capture without a sound card."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from client.media.audio_io import AudioDeviceError, ClockedAudioIO, tone
from client.media.audio_level import LevelMeter, rfc6464_level, rms_dbov
from client.media.capture import CaptureError, MicrophoneTrack
from client.media.playback import AudioPlayback, JitterBuffer
from client.media.synthetic import ToneTrack
from tests.unit.media.waiting import wait_until


def test_dbov_of_known_signals():
    full_square = np.array([32767, -32768] * 480, np.int16)
    assert rms_dbov(full_square) == pytest.approx(0.0, abs=0.01)
    sine = tone(1000, amplitude=1.0, seconds=0.1)
    assert rms_dbov(sine) == pytest.approx(-3.01, abs=0.05)
    assert rms_dbov(np.zeros(960, np.int16)) == -127.0
    assert rfc6464_level(np.zeros(960, np.int16)) == 127
    assert rfc6464_level(tone(440, amplitude=0.1, seconds=0.1)) == 23     # -23 dBov


def test_meter_rises_at_once_and_falls_slowly():
    meter = LevelMeter(fall_per_second=1.0)
    loud_block = tone(440, amplitude=1.0, seconds=0.02)
    meter.feed(loud_block)
    loud = meter.level
    assert loud > 0.9
    meter.feed(np.zeros(4800, np.int16))          # 100 ms of silence
    assert loud - 0.11 < meter.level < loud
    assert meter.samples_fed == loud_block.size + 4800


def test_jitter_buffer_fills_to_target_plays_and_recovers_from_underrun():
    buffer = JitterBuffer(target_ms=40, max_ms=100)      # 1920 / 4800 samples
    buffer.push(np.ones(960, np.int16))
    assert buffer.pull(480) is None                      # still filling
    buffer.push(np.ones(960, np.int16) * 2)
    assert buffer.pull(480).tolist() == [1] * 480
    first = buffer.pull(1000)
    assert first[:480].tolist() == [1] * 480 and first[480:].tolist() == [2] * 520
    tail = buffer.pull(1000)                              # only 440 left: underrun
    assert tail[:440].tolist() == [2] * 440 and not tail[440:].any()
    assert buffer.underruns == 1
    assert buffer.pull(480) is None                      # fills up again before playing


def test_jitter_buffer_drops_the_oldest_beyond_its_maximum():
    buffer = JitterBuffer(target_ms=10, max_ms=20)       # 480 / 960 samples
    for value in range(1, 6):
        buffer.push(np.full(480, value, np.int16))
    assert buffer.buffered == 960 and buffer.dropped_samples == 3 * 480
    assert buffer.pull(960).tolist() == [4] * 480 + [5] * 480


def test_playback_mixes_sources_into_the_output():
    async def main():
        audio = ClockedAudioIO()
        playback = AudioPlayback(audio, channels=2)
        first: list[str] = []
        playback.on_first_frame(first.append)
        low, high = ToneTrack(300, amplitude=0.2), ToneTrack(1200, amplitude=0.2)
        playback.add_track("a-a0", low)
        playback.add_track("b-a0", high)
        await wait_until(lambda: audio.played_frames > 48000 * 0.6, what="0.6 s played")
        await playback.close()
        low.stop(), high.stop()
        assert sorted(first) == ["a-a0", "b-a0"]
        assert playback.frames("a-a0") == 0        # removed on close
        played = audio.played
        assert played.shape[1] == 2 and np.array_equal(played[:, 0], played[:, 1])
        signal = played[-24000:, 0].astype(np.float64)
        spectrum = np.abs(np.fft.rfft(signal))
        freqs = np.fft.rfftfreq(signal.size, 1 / 48000)
        peaks = sorted(freqs[np.argsort(spectrum)[-2:]])
        assert abs(peaks[0] - 300) < 5 and abs(peaks[1] - 1200) < 5
    asyncio.run(asyncio.wait_for(main(), 30))


class BrokenAudio(ClockedAudioIO):
    def output_stream(self, **kwargs):  # noqa: ANN003, ANN201
        raise AudioDeviceError(reason="no such device")

    def input_stream(self, **kwargs):  # noqa: ANN003, ANN201
        raise AudioDeviceError(reason="no such device")


def test_playback_without_a_speaker_reports_once_and_keeps_draining():
    async def main():
        errors = []
        playback = AudioPlayback(BrokenAudio(), on_error=errors.append)
        track = ToneTrack()
        playback.add_track("a-a0", track)
        await wait_until(lambda: playback.frames("a-a0") > 5, what="frames read anyway")
        playback.add_track("b-a0", ToneTrack())
        await playback.close()
        track.stop()
        assert len(errors) == 1 and errors[0].details["reason"] == "no such device"
    asyncio.run(asyncio.wait_for(main(), 30))


def test_microphone_track_delivers_20ms_frames_and_reports_a_lost_device():
    async def main():
        audio = ClockedAudioIO(input_signal=tone(440, 0.5))
        lost = []
        mic = MicrophoneTrack(audio, on_lost=lost.append).open()
        frames = [await mic.recv() for _ in range(5)]
        assert [f.samples for f in frames] == [960] * 5
        assert [f.pts for f in frames] == [0, 960, 1920, 2880, 3840]
        assert mic.meter.dbov == pytest.approx(-9.0, abs=0.2)
        audio.streams[0].lose()
        await wait_until(lambda: lost, what="lost report")
        from aiortc.mediastreams import MediaStreamError
        with pytest.raises(MediaStreamError):
            while True:
                await mic.recv()
        mic.stop()
    asyncio.run(asyncio.wait_for(main(), 30))


def test_microphone_that_cannot_open_is_a_capture_error():
    async def main():
        with pytest.raises(CaptureError):
            MicrophoneTrack(BrokenAudio()).open()
    asyncio.run(main())
