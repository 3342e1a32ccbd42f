"""Camera capture (with FFmpeg's lavfi test source standing in for a camera), the sender's
switchable track, local media state and device choice."""

from __future__ import annotations

import asyncio

import pytest
from aiortc.mediastreams import MediaStreamError

from client import errors
from client.media.audio_io import ClockedAudioIO, tone
from client.media.capture import (
    CameraTrack,
    CaptureError,
    SwitchableTrack,
    constrained_fps,
    constrained_size,
)
from client.media.devices import Device, list_cameras, match_device
from client.media.local import LocalMedia, MediaOptions
from client.media.synthetic import TestPatternTrack
from tests.unit.media.waiting import wait_until


def lavfi(seconds: float | None = None, size: str = "640x360", rate: int = 30) -> tuple[str, str, dict]:
    duration = f":duration={seconds}" if seconds else ""
    # 'realtime' paces the source like a camera
    return (f"testsrc=size={size}:rate={rate}{duration},realtime", "lavfi", {})


def run(coro, timeout: float = 30.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def test_camera_track_reads_in_its_own_thread_and_reports_the_end():
    async def main():
        lost = []
        url, fmt, options = lavfi(seconds=0.5)
        camera = CameraTrack(url, input_format=fmt, options=options, on_lost=lost.append).open()
        frames = []
        with pytest.raises(MediaStreamError):
            while True:
                frames.append(await camera.recv())
        assert 5 <= len(frames) <= 16 and (frames[0].width, frames[0].height) == (640, 360)
        assert lost == ["end of stream"]
        camera.stop()
    run(main())


def test_a_camera_that_cannot_be_opened_is_a_capture_error():
    async def main():
        with pytest.raises(CaptureError):
            CameraTrack("/dev/video-none", input_format="v4l2").open()
    run(main())


@pytest.mark.parametrize("size,max_height,expected", [
    ((640, 360), None, (640, 360)), ((640, 360), 720, (640, 360)), ((640, 360), 180, (320, 180)),
    ((1280, 720), 360, (640, 360)), ((640, 360), 90, (160, 90)), ((640, 480), 181, (240, 180)),
])
def test_constrained_size(size, max_height, expected):
    assert constrained_size(*size, max_height) == expected


def test_small_pictures_get_a_lower_frame_rate():
    assert constrained_fps(180, 30) == 15 and constrained_fps(360, 30) == 30
    assert constrained_fps(None, 30) == 30


def test_switchable_track_survives_its_sources_and_applies_the_constraint():
    async def main():
        track = SwitchableTrack("video")
        first = TestPatternTrack(640, 360)
        track.set_source(first)
        frame = await track.recv()
        assert (frame.width, frame.height) == (640, 360)
        track.constrain(180)
        frame = await track.recv()
        assert (frame.width, frame.height) == (320, 180)
        # a receive waiting on a source that is switched off returns from the next source
        track.set_source(None)
        pending = asyncio.ensure_future(track.recv())
        await asyncio.sleep(0.1)
        assert not pending.done()
        second = TestPatternTrack(320, 180)
        track.set_source(second)
        frame = await asyncio.wait_for(pending, 5)
        assert (frame.width, frame.height) == (320, 180)
        # a source that ends leaves the track waiting, not ended
        ended = []
        track.on_source_ended = ended.append
        second.stop()
        pending = asyncio.ensure_future(track.recv())
        await wait_until(lambda: ended == [second], what="the end report")
        assert not pending.done()
        track.stop()
        with pytest.raises(MediaStreamError):
            await asyncio.wait_for(pending, 5)
        first.stop()
    run(main())


class Recorder:
    def __init__(self) -> None:
        self.mutes: list[tuple[str, bool, str]] = []
        self.errors: list[tuple[errors.MediaError, str]] = []

    def mute(self, media: str, muted: bool, reason: str) -> None:
        self.mutes.append((media, muted, reason))

    def error(self, error: errors.MediaError, media: str) -> None:
        self.errors.append((error, media))


def test_local_media_camera_vanishing_mid_call_switches_video_off_with_a_message():
    async def main():
        seen = Recorder()
        local = LocalMedia(MediaOptions(camera=Device("camera", "lavfi", "Test Camera"),
                                        camera_input=lavfi(seconds=0.7),
                                        audio_io=ClockedAudioIO(tone(440))),
                           on_mute_changed=seen.mute, on_error=seen.error)
        await local.start()
        assert seen.mutes == [("audio", False, "start"), ("video", False, "start")]
        await local.preview.wait_first_frame()
        await wait_until(lambda: ("video", True, "device-lost") in seen.mutes, what="camera lost")
        assert local.is_muted("video") and not local.is_muted("audio")
        [(error, media)] = seen.errors
        assert media == "video" and isinstance(error, errors.CameraLostError)
        assert "Test Camera" in error.user_message("en")
        # the microphone runs on, with a level
        await wait_until(lambda: local.mic_meter.level > 0.5, what="mic level")
        await local.close()
    run(main())


def test_local_media_without_devices_stays_muted_and_says_why():
    async def main():
        seen = Recorder()
        local = LocalMedia(MediaOptions(camera_input=("/dev/video-none", "v4l2", {}),
                                        audio_io=BrokenAudio()),
                           on_mute_changed=seen.mute, on_error=seen.error)
        await local.start()
        assert local.is_muted("audio") and local.is_muted("video")
        kinds = sorted(type(e).__name__ for e, _ in seen.errors)
        assert kinds == ["CameraUnavailableError", "MicrophoneUnavailableError"]
        assert seen.mutes == [("audio", True, "start"), ("video", True, "start")]
        assert await local.set_muted("video", False) is False
        await local.close()
    run(main())


class BrokenAudio(ClockedAudioIO):
    def input_stream(self, **kwargs):  # noqa: ANN003, ANN201
        from client.media.audio_io import AudioDeviceError
        raise AudioDeviceError(reason="no such device")


def test_saved_devices_are_found_again_by_label_first():
    devices = [Device("camera", "/dev/video0", "Integrated Camera"),
               Device("camera", "/dev/video2", "USB Camera"),
               Device("camera", "/dev/video4", "USB Camera")]
    # the USB camera moved from video0 to video2: found by its label
    assert match_device(devices, device_id="/dev/video0", label="USB Camera").id == "/dev/video2"
    assert match_device(devices, device_id="/dev/video4", label="USB Camera").id == "/dev/video4"
    assert match_device(devices, device_id="/dev/video0", label="Gone Camera").id == "/dev/video0"
    assert match_device(devices, device_id="/dev/video9", label="Gone Camera") is None


def test_linux_cameras_come_from_sysfs_capture_nodes_only(tmp_path):
    for node, index, name in [("video0", "0", "Integrated Camera"), ("video1", "1", "Integrated Camera"),
                              ("video10", "0", "USB Camera"), ("video2", "0", "Capture Card")]:
        (tmp_path / node).mkdir()
        (tmp_path / node / "index").write_text(index + "\n")
        (tmp_path / node / "name").write_text(name + "\n")
    import sys
    if not sys.platform.startswith("linux"):
        pytest.skip("sysfs is Linux")
    cameras = list_cameras(tmp_path)
    assert [(c.id, c.label, c.is_default) for c in cameras] == [
        ("/dev/video0", "Integrated Camera", True), ("/dev/video2", "Capture Card", False),
        ("/dev/video10", "USB Camera", False)]
