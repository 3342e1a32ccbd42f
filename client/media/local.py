"""Our own microphone and camera (or the synthetic stand-ins), their mute state and preview.

``LocalMedia`` owns the sources and gives out two long-lived tracks for the RTP
senders (``audio_track``/``video_track``, ``SwitchableTrack``s) plus a preview
``FramePump``.  Muting closes the device — the camera light goes off, the
microphone is released — and unmuting opens it again; the synthetic picture is only
detached.  The synthetic microphone (``--test-media``) is a microphone on a sound card
without hardware that plays a tone: like a real one it runs on its own clock and feeds
``mic_meter`` whether or not anything is sent, so the pre-join meter moves.  A device
that cannot be opened, or that vanishes mid-call, leaves that media muted and is
reported (``MediaError`` event), never raised into the call.
Every mute change, whoever caused it, goes to the ``on_mute_changed`` listener, which
the call controller turns into sender changes and presence.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Callable

from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamTrack

from client import errors
from client.media.audio_io import AudioIO, ClockedAudioIO, SoundDeviceIO, tone
from client.media.audio_level import LevelMeter
from client.media.capture import (
    CameraSettings,
    CameraTrack,
    CaptureError,
    MicrophoneTrack,
    SwitchableTrack,
)
from client.media.devices import Device, default_device, list_audio_devices, list_cameras, portaudio_device
from client.media.frames import FramePump
from client.media.synthetic import TestPatternTrack

log = logging.getLogger("treffpunkt.media")


@dataclass(frozen=True)
class MediaOptions:
    """What the user chose before joining (pre-join toggles, devices, ``--test-media``)."""

    test_media: bool = False
    start_audio_muted: bool = False
    start_video_muted: bool = False
    camera: Device | None = None          # None: the system's default camera
    microphone: Device | None = None
    speaker: Device | None = None
    camera_settings: CameraSettings = CameraSettings()
    #: the sound card; None = PortAudio (or, with test_media, a clock without hardware)
    audio_io: AudioIO | None = None
    #: tone frequency of the synthetic microphone (tests tell peers apart by it)
    test_tone_hz: float = 440.0
    #: extra PyAV input for the camera (tests: lavfi) instead of the platform's camera format
    camera_input: tuple[str, str, dict[str, str]] | None = field(default=None, compare=False)


MuteListener = Callable[[str, bool, str], None]     # (media, muted, reason)
ErrorListener = Callable[[errors.MediaError, str], None]


class LocalMedia:
    def __init__(self, options: MediaOptions = MediaOptions(), *,
                 on_mute_changed: MuteListener = lambda media, muted, reason: None,
                 on_error: ErrorListener = lambda error, media: None) -> None:
        self.options = options
        self.audio_io: AudioIO = options.audio_io or (ClockedAudioIO() if options.test_media
                                                      else SoundDeviceIO())
        self._on_mute_changed = on_mute_changed
        self._on_error = on_error
        self.audio_track = SwitchableTrack("audio")
        self.video_track = SwitchableTrack("video")
        self.video_track.source_fps = options.camera_settings.fps
        self._preview_track = SwitchableTrack("video")
        self.preview = FramePump(self._preview_track, name="preview")
        self.mic_meter = LevelMeter()
        self._muted = {"audio": True, "video": True}
        self._sources: dict[str, MediaStreamTrack | None] = {"audio": None, "video": None}
        self._relay = MediaRelay()
        self._proxies: list[MediaStreamTrack] = []
        self._synthetic: dict[str, MediaStreamTrack] = {}
        self._lock = asyncio.Lock()
        self._started = False
        self.video_track.on_source_ended = lambda track: self._source_ended("video", track)
        self.audio_track.on_source_ended = lambda track: self._source_ended("audio", track)

    # -- state

    def is_muted(self, media: str) -> bool:
        return self._muted[media]

    @property
    def camera_label(self) -> str:
        return self.options.camera.label if self.options.camera else "camera"

    @property
    def microphone_label(self) -> str:
        return self.options.microphone.label if self.options.microphone else "microphone"

    async def start(self) -> None:
        """Open what the pre-join choices leave switched on."""
        if self._started:
            return
        self._started = True
        self.preview.start()
        await self.set_muted("audio", self.options.start_audio_muted, reason="start")
        await self.set_muted("video", self.options.start_video_muted, reason="start")

    async def set_muted(self, media: str, muted: bool, *, reason: str = "user") -> bool:
        """Switch ``media`` off or on; False if it could not be switched on."""
        requested, asked_reason = muted, reason
        async with self._lock:
            if not muted:
                try:
                    await self._open(media)
                except CaptureError as exc:
                    self._report_open_failure(media, exc)
                    muted, reason = True, "device-unavailable"
            else:
                self._close(media)
            changed = self._muted[media] != muted
            self._muted[media] = muted
        if asked_reason == "start":
            self._on_mute_changed(media, muted, "start")     # the initial state, always
        elif changed:
            self._on_mute_changed(media, muted, reason)
        return self._muted[media] == requested

    # -- sources

    async def _open(self, media: str) -> None:
        if self._sources[media] is not None:
            return
        if self.options.test_media and media == "video":
            source = self._synthetic.get(media)
            if source is None:
                source = TestPatternTrack(self.options.camera_settings.width,
                                          self.options.camera_settings.height,
                                          self.options.camera_settings.fps)
                self._synthetic[media] = source
            self._attach(media, source)
            return
        if self.options.test_media:
            # a sound card of its own that plays the tone (options.audio_io stays the speaker)
            synthetic = ClockedAudioIO(tone(self.options.test_tone_hz))
            track = MicrophoneTrack(synthetic, meter=self.mic_meter,
                                    on_lost=lambda why: self._device_lost("audio", why))
            self._attach(media, track.open())
            return
        if media == "audio":
            device = self.options.microphone or default_device(list_audio_devices()[0])
            if device is None and self.options.audio_io is None:
                raise CaptureError(reason="no microphone")
            track = MicrophoneTrack(self.audio_io, portaudio_device(device), meter=self.mic_meter,
                                    on_lost=lambda why: self._device_lost("audio", why))
            track.open()
        else:
            track = self._open_camera()
        self._attach(media, track)

    def _open_camera(self) -> CameraTrack:
        if self.options.camera_input is not None:
            url, input_format, options = self.options.camera_input
            track = CameraTrack(url, input_format=input_format, options=options,
                                settings=self.options.camera_settings,
                                on_lost=lambda why: self._device_lost("video", why))
        else:
            device = self.options.camera or default_device(list_cameras())
            if device is None:
                raise CaptureError(reason="no camera")
            track = CameraTrack(device.id, settings=self.options.camera_settings,
                                on_lost=lambda why: self._device_lost("video", why))
        return track.open()

    def _attach(self, media: str, source: MediaStreamTrack) -> None:
        self._sources[media] = source
        if media == "audio":
            self.audio_track.set_source(source)
            return
        # the sender and the preview both read the one camera
        self._proxies = [self._relay.subscribe(source, buffered=False) for _ in range(2)]
        self.video_track.set_source(self._proxies[0])
        self._preview_track.set_source(self._proxies[1])

    def _close(self, media: str) -> None:
        source, self._sources[media] = self._sources[media], None
        track = self.audio_track if media == "audio" else self.video_track
        track.set_source(None)
        if media == "video":
            self._preview_track.set_source(None)
            for proxy in self._proxies:
                proxy.stop()
            self._proxies = []
        if source is not None and source is not self._synthetic.get(media):
            source.stop()          # the device is released (camera light off)
        if media == "audio":
            self.mic_meter.reset()     # after the stop: no block from the audio thread follows

    def _source_ended(self, media: str, track: MediaStreamTrack) -> None:
        log.debug("%s source ended", media)

    # -- failures

    def _report_open_failure(self, media: str, exc: CaptureError) -> None:
        reason = exc.details.get("reason", str(exc))
        if media == "video":
            error: errors.MediaError = errors.CameraUnavailableError(device=self.camera_label, reason=reason)
        else:
            error = errors.MicrophoneUnavailableError(device=self.microphone_label, reason=reason)
        log.warning("%s", error)
        self._on_error(error, media)

    def _device_lost(self, media: str, why: str) -> None:
        """From the camera thread / audio thread, via the event loop."""
        if self._muted[media]:
            return
        log.warning("%s device lost: %s", media, why)
        error: errors.MediaError = (errors.CameraLostError(device=self.camera_label)
                                    if media == "video"
                                    else errors.MicrophoneLostError(device=self.microphone_label))
        self._on_error(error, media)
        asyncio.ensure_future(self.set_muted(media, True, reason="device-lost"))

    # -- the end

    async def close(self) -> None:
        for media in ("audio", "video"):
            self._close(media)
        for source in self._synthetic.values():
            source.stop()
        await self.preview.stop()
        self.audio_track.stop()
        self.video_track.stop()
        self._preview_track.stop()
