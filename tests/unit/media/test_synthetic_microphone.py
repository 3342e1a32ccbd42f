"""``--test-media``'s microphone: a tone on a sound card of its own, metered like a real one."""

from __future__ import annotations

import asyncio

import numpy as np

from client.media.audio_level import LevelMeter
from client.media.local import LocalMedia, MediaOptions
from tests.unit.media.waiting import wait_until


def run(coro, timeout: float = 30.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def dominant_hz(samples: np.ndarray, rate: int = 48000) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[int(np.argmax(spectrum))])


def test_the_meter_shows_the_tone_before_anything_is_sent():
    async def main():
        local = LocalMedia(MediaOptions(test_media=True, start_video_muted=True))
        await local.start()
        try:
            # nobody reads audio_track (as on the pre-join page), and still the meter moves
            await wait_until(lambda: local.mic_meter.level > 0.5, what="the meter")
            assert -16.0 < local.mic_meter.dbov < -11.0      # 0.3 of full scale ≈ -13.5 dBov
        finally:
            await local.close()
    run(main())


def test_what_is_sent_is_the_chosen_tone():
    async def main():
        local = LocalMedia(MediaOptions(test_media=True, start_video_muted=True,
                                        test_tone_hz=660))
        await local.start()
        try:
            frames = [await local.audio_track.recv() for _ in range(10)]
        finally:
            await local.close()
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames])
        assert {f.sample_rate for f in frames} == {48000} and samples.size == 9600
        assert abs(dominant_hz(samples) - 660) < 10
        pts = [f.pts for f in frames]
        assert pts == sorted(pts) and pts[1] - pts[0] == 960
    run(main())


def test_muting_the_microphone_silences_the_meter_and_unmuting_brings_it_back():
    async def main():
        local = LocalMedia(MediaOptions(test_media=True, start_video_muted=True))
        await local.start()
        try:
            await wait_until(lambda: local.mic_meter.level > 0.5, what="the meter")
            assert await local.set_muted("audio", True)
            assert local.mic_meter.level == 0.0
            fed = local.mic_meter.samples_fed
            assert await local.set_muted("audio", False)
            await wait_until(lambda: local.mic_meter.samples_fed > fed and
                             local.mic_meter.level > 0.5, what="the meter again")
        finally:
            await local.close()
    run(main())


def test_level_meter_reset_goes_to_silence_at_once():
    meter = LevelMeter()
    meter.feed((np.ones(960) * 0.5 * 32767).astype(np.int16))
    assert meter.level > 0.8
    meter.reset()
    assert meter.level == 0.0 and meter.dbov == -127.0
