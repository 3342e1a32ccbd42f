"""Cameras, microphones and speakers: what exists, and finding a saved choice again.

A device has an ``id`` (what PyAV or PortAudio opens: ``/dev/video0``, a PortAudio
index) and a ``label`` (what people see: "Integrated Camera").  Ids move when
devices are plugged in a different order, so a saved choice is found again by its
label first and by its id only if no label matches.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("treffpunkt.media")


@dataclass(frozen=True)
class Device:
    kind: str          # 'camera', 'microphone', 'speaker'
    id: str
    label: str
    is_default: bool = False


def match_device(devices: list[Device], *, device_id: str | None = None,
                 label: str | None = None) -> Device | None:
    """The saved choice among ``devices``: same label (same id preferred), else same id."""
    if label:
        same_label = [d for d in devices if d.label == label]
        for device in same_label:
            if device.id == device_id:
                return device
        if same_label:
            return same_label[0]
    if device_id is not None:
        for device in devices:
            if device.id == device_id:
                return device
    return None


def default_device(devices: list[Device]) -> Device | None:
    for device in devices:
        if device.is_default:
            return device
    return devices[0] if devices else None


# --- cameras -----------------------------------------------------------------------------------

def list_cameras(sysfs: Path = Path("/sys/class/video4linux")) -> list[Device]:
    """Video capture devices.  Linux: from sysfs (no device is opened); elsewhere the
    system's default camera, since PyAV cannot list devices there."""
    if sys.platform.startswith("linux"):
        return _linux_cameras(sysfs)
    if sys.platform == "darwin":
        return [Device("camera", "0", "Camera", is_default=True)]
    if sys.platform.startswith("win"):
        return []   # dshow needs the device's name; enumeration is a known gap
    return []


def _linux_cameras(sysfs: Path) -> list[Device]:
    cameras = []
    if not sysfs.is_dir():
        return cameras
    for node in sorted(sysfs.iterdir(), key=lambda p: _node_number(p.name)):
        try:
            # a UVC camera has several nodes; index 0 is the one that captures pictures
            index = (node / "index").read_text().strip()
            label = (node / "name").read_text().strip()
        except OSError:
            continue
        if index not in ("", "0"):
            continue
        cameras.append(Device("camera", f"/dev/{node.name}", label or node.name))
    if cameras:
        cameras[0] = Device("camera", cameras[0].id, cameras[0].label, is_default=True)
    return cameras


def _node_number(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 0


# --- audio ---------------------------------------------------------------------------------

def list_audio_devices() -> tuple[list[Device], list[Device]]:
    """(microphones, speakers) as PortAudio sees them; empty lists without PortAudio."""
    from client.media.audio_io import import_sounddevice

    try:
        sd = import_sounddevice()
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:   # OSError without libportaudio, PortAudioError without a server
        log.info("no audio devices: %s", exc)
        return [], []
    microphones, speakers = [], []
    for index, info in enumerate(devices):
        label = str(info.get("name", f"#{index}"))
        if info.get("max_input_channels", 0) > 0:
            microphones.append(Device("microphone", str(index), label, is_default=index == default_in))
        if info.get("max_output_channels", 0) > 0:
            speakers.append(Device("speaker", str(index), label, is_default=index == default_out))
    return microphones, speakers


def portaudio_device(device: Device | None) -> int | None:
    """What sounddevice opens for ``device`` (None: the system default)."""
    if device is None:
        return None
    try:
        return int(device.id)
    except ValueError:
        return None
