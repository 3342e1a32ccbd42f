"""The synthetic sources: paced, countable, and a tone you can find in the spectrum."""

from __future__ import annotations

import asyncio
import fractions
import time

import numpy as np
from aiortc.codecs import get_decoder, get_encoder
from aiortc.codecs.vpx import vp8_depayload
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from client.media.synthetic import (
    AUDIO_RATE,
    VIDEO_TIME_BASE,
    TestPatternTrack,
    ToneTrack,
    read_frame_counter,
)


def test_counter_survives_vp8_at_every_frame():
    codec = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)
    encoder, decoder = get_encoder(codec), get_decoder(codec)
    track = TestPatternTrack()
    decoded = []
    for number in range(40):
        frame = track.make_frame(number + 1000)
        frame.pts, frame.time_base = number * 3000, fractions.Fraction(1, 90000)
        payloads, timestamp = encoder.encode(frame)
        data = b"".join(vp8_depayload(p) for p in payloads)
        for out in decoder.decode(JitterFrame(data=data, timestamp=timestamp)):
            decoded.append(read_frame_counter(out.to_ndarray(format="bgra")))
    assert decoded == list(range(1000, 1040))


def test_frames_differ_from_one_to_the_next():
    track = TestPatternTrack()
    a = track.make_frame(1).to_ndarray(format="bgra")
    b = track.make_frame(2).to_ndarray(format="bgra")
    assert np.mean(np.abs(a[100:].astype(int) - b[100:].astype(int))) > 1


def test_other_pictures_are_not_read_as_counters():
    assert read_frame_counter(np.zeros((360, 640, 4), np.uint8)) is None
    assert read_frame_counter(np.full((360, 640, 4), 255, np.uint8)) is None
    assert read_frame_counter(np.zeros((4, 4, 4), np.uint8)) is None


def test_video_is_paced_at_its_frame_rate_and_skips_after_a_pause():
    async def main():
        track = TestPatternTrack(320, 180, fps=50)
        start = time.monotonic()
        frames = [await track.recv() for _ in range(26)]
        elapsed = time.monotonic() - start
        assert 0.4 < elapsed < 1.0                       # 25 intervals of 20 ms
        assert [f.pts for f in frames[:3]] == [0, 1800, 3600]
        assert all(f.time_base == VIDEO_TIME_BASE for f in frames)
        # nobody reads for a while (the sender had no track): no burst afterwards
        await asyncio.sleep(0.5)
        resumed = time.monotonic()
        after = [await track.recv() for _ in range(5)]
        assert time.monotonic() - resumed > 0.06          # paced again, not all at once
        assert after[0].pts - frames[-1].pts >= 0.45 * 90000   # the clock moved on
        track.stop()
    asyncio.run(asyncio.wait_for(main(), 20))


def test_tone_has_its_frequency_and_20ms_frames():
    async def main():
        track = ToneTrack(frequency=440)
        frames = [await track.recv() for _ in range(10)]
        track.stop()
        return frames
    frames = asyncio.run(asyncio.wait_for(main(), 20))
    assert {f.samples for f in frames} == {960} and {f.sample_rate for f in frames} == {AUDIO_RATE}
    assert [f.pts for f in frames[:3]] == [0, 960, 1920]
    signal = np.concatenate([f.to_ndarray()[0] for f in frames]).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(signal))
    peak = np.argmax(spectrum) * AUDIO_RATE / len(signal)
    assert abs(peak - 440) < 10
    # continuous phase: no clicks between frames
    assert np.max(np.abs(np.diff(signal))) < 0.3 * 32767 * 2 * np.pi * 440 / AUDIO_RATE * 1.5
    silent = ToneTrack(frequency=0).make_frame(0).to_ndarray()
    assert not silent.any()
