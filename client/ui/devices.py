"""Cameras, microphones and speakers as the pickers show them.

The media layer (``client.media.devices``) is asked first; where it has nothing
to say, Qt's ``QMediaDevices`` lists what the system offers.  A device is an id
plus a label, and a saved choice is matched again by label when ids change.
Listing may touch the sound server, so ``gather_devices`` asks the media layer
from a worker thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

log = logging.getLogger("treffpunkt.ui")


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    label: str


@dataclass(frozen=True)
class DeviceLists:
    cameras: tuple[DeviceInfo, ...] = ()
    microphones: tuple[DeviceInfo, ...] = ()
    speakers: tuple[DeviceInfo, ...] = ()
    #: what could not be opened: "camera"/"microphone"/"speaker" → English reason (log only)
    problems: dict[str, str] = field(default_factory=dict)


def _as_infos(items: Iterable[Any]) -> tuple[DeviceInfo, ...]:
    out = []
    for item in items:
        ident = getattr(item, "id", None) or getattr(item, "device_id", None) or ""
        label = getattr(item, "label", None) or getattr(item, "name", None) or str(ident)
        out.append(DeviceInfo(str(ident), str(label)))
    return tuple(out)


def _from_media_layer() -> DeviceLists | None:
    """What the media layer can open: cameras from sysfs, sound devices from PortAudio."""
    try:
        from client.media.devices import list_audio_devices, list_cameras
    except ImportError:
        return None
    try:
        cameras = list_cameras()
        microphones, speakers = list_audio_devices()
    except Exception as exc:  # noqa: BLE001 - fall back to Qt's view of the devices
        log.info("media device listing failed: %r", exc)
        return None
    return DeviceLists(cameras=_as_infos(cameras), microphones=_as_infos(microphones),
                       speakers=_as_infos(speakers))


def _from_qt() -> DeviceLists:
    from PySide6.QtMultimedia import QMediaDevices

    def infos(devices: Iterable[Any]) -> tuple[DeviceInfo, ...]:
        return tuple(DeviceInfo(bytes(d.id().data()).decode("utf-8", "replace"), d.description())
                     for d in devices)

    return DeviceLists(cameras=infos(QMediaDevices.videoInputs()),
                       microphones=infos(QMediaDevices.audioInputs()),
                       speakers=infos(QMediaDevices.audioOutputs()))


async def gather_devices() -> DeviceLists:
    """The media layer's lists (in a worker thread: PortAudio may block on the sound server).

    These are the devices Treffpunkt can really open, so they are what the pickers offer;
    Qt's view is only used if the media layer is missing."""
    import asyncio

    found = await asyncio.get_event_loop().run_in_executor(None, _from_media_layer)
    return found if found is not None else _from_qt()


def to_media_device(kind: str, device: DeviceInfo | None):  # noqa: ANN201 - media's Device
    """The media layer's ``Device`` for a picker choice (None: the system default)."""
    if device is None:
        return None
    from client.media.devices import Device

    return Device(kind, device.id, device.label)


def match_saved(devices: Iterable[DeviceInfo], saved_id: str | None,
                saved_label: str | None) -> DeviceInfo | None:
    """The saved device by id, else by label (ids change across reboots and replugging)."""
    devices = list(devices)
    for device in devices:
        if saved_id and device.id == saved_id:
            return device
    for device in devices:
        if saved_label and device.label == saved_label:
            return device
    return None
