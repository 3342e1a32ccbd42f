"""The media layer's part of ``treffpunkt join``: ``--test-media``, ``--mute-mic``,
``--camera-off`` and device choice.  Importing this module registers it with the
command (``client.cli.join.MEDIA_ATTACHMENTS``); the events it adds (media connected,
first frames, mute changes, final per-source stats) are printed like all others.
"""

from __future__ import annotations

import argparse
from typing import Any, Awaitable, Callable

from client.cli.join import MEDIA_ATTACHMENTS, MediaAttachment
from client.jitsi.disco import Capabilities
from client.media.call import MEDIA_CODECS, CallMedia, media_capabilities
from client.media.devices import Device, list_audio_devices, list_cameras, match_device
from client.media.local import MediaOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("media")
    group.add_argument("--test-media", action="store_true",
                       help="send a moving test pattern and a tone instead of camera and microphone; "
                            "received audio is not played")
    group.add_argument("--mute-mic", action="store_true", help="start with the microphone off")
    group.add_argument("--camera-off", action="store_true", help="start with the camera off")
    group.add_argument("--camera", metavar="DEVICE", help="camera by id (/dev/video0) or name")
    group.add_argument("--microphone", metavar="DEVICE", help="microphone by PortAudio index or name")
    group.add_argument("--speaker", metavar="DEVICE", help="speaker by PortAudio index or name")
    group.add_argument("--last-n", type=int, default=None, metavar="N",
                       help="receive at most N videos through the videobridge (-1: all; "
                            "default: what the server's config.js sets, else all)")


def capabilities(args: argparse.Namespace) -> Capabilities:
    return media_capabilities()


def codecs(args: argparse.Namespace) -> tuple[str, ...]:
    return MEDIA_CODECS


def options_from(args: argparse.Namespace) -> MediaOptions:
    camera = microphone = speaker = None
    if not args.test_media:
        if args.camera:
            camera = _choose(list_cameras(), args.camera, "camera")
        if args.microphone or args.speaker:
            microphones, speakers = list_audio_devices()
            microphone = _choose(microphones, args.microphone, "microphone") if args.microphone else None
            speaker = _choose(speakers, args.speaker, "speaker") if args.speaker else None
    return MediaOptions(test_media=args.test_media, start_audio_muted=args.mute_mic,
                        start_video_muted=args.camera_off, camera=camera, microphone=microphone,
                        speaker=speaker)


def _choose(devices: list[Device], wanted: str, kind: str) -> Device:
    found = match_device(devices, device_id=wanted, label=wanted)
    # not there now: keep the wish; opening it fails and is reported as a media error
    return found or Device(kind, wanted, wanted)


async def attach(conference: Any, args: argparse.Namespace) -> Callable[[], Awaitable[None]]:
    media = CallMedia(conference, options_from(args))
    await media.start()
    # the videobridge session (3+ participants), next to P2P; headless: every video shown
    from client.media.bridge_call import BridgeCall

    bridge = BridgeCall(media, last_n=getattr(args, "last_n", None))
    await bridge.start()

    async def detach() -> None:
        await bridge.close()
        await media.close()
    return detach


MEDIA_ATTACHMENTS.append(MediaAttachment(add_arguments=add_arguments, capabilities=capabilities,
                                         attach=attach, codecs=codecs))
