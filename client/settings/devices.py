"""The chosen camera, microphone and speaker, found again when device ids change.

Device ids are not stable: PortAudio numbers devices in the order it finds them,
and replugging a USB headset or rebooting can renumber everything.  So a choice
is stored as id *and* label and matched again mostly by label, as the Jitsi apps
do (anchors.md §3, ``base/settings/functions.any.ts``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

Device = TypeVar("Device")

# "(046d:0825)" USB ids, "#2"/"(2)" duplicates, ALSA "hw:1,0" and "- 2" suffixes
_NOISE = re.compile(r"\((?:[0-9a-f]{4}:[0-9a-f]{4}|\d+|hw:\d+,\d+)\)|#\d+$|\bhw:\d+,\d+\b|-\s*\d+$",
                    re.IGNORECASE)
_PREFIXES = ("default - ", "standard - ", "communications - ", "kommunikation - ")


@dataclass(frozen=True)
class DeviceChoice:
    id: str
    label: str


def normalise_label(label: str) -> str:
    """``Default - USB Audio (046d:0825) #2`` → ``usb audio``."""
    text = label.casefold().strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = _NOISE.sub(" ", text)
    return " ".join(text.split())


def _attr(name: str) -> Callable[[Any], str]:
    def get(device: Any) -> str:
        if isinstance(device, dict):
            return str(device.get(name, ""))
        return str(getattr(device, name, ""))
    return get


def match_device(saved: DeviceChoice | None, available: Sequence[Device], *,
                 id_of: Callable[[Device], str] = _attr("id"),
                 label_of: Callable[[Device], str] = _attr("label")) -> Device | None:
    """The available device that is the saved choice, or None (then use the default).

    In order: same id and label; same label; same label apart from numbering and
    hardware ids; one label containing the other (only if that is unambiguous);
    same id when no label was saved.  An id alone is not trusted when the labels
    differ: ids are reused for other devices.
    """
    if saved is None or not available:
        return None
    for device in available:
        if id_of(device) == saved.id and label_of(device) == saved.label:
            return device
    if saved.label:
        exact = [d for d in available if label_of(d) == saved.label]
        if exact:
            return next((d for d in exact if id_of(d) == saved.id), exact[0])
        wanted = normalise_label(saved.label)
        if wanted:
            similar = [d for d in available if normalise_label(label_of(d)) == wanted]
            if similar:
                return similar[0]
            containing = [d for d in available
                          if normalise_label(label_of(d))
                          and (wanted in normalise_label(label_of(d))
                               or normalise_label(label_of(d)) in wanted)]
            if len(containing) == 1:
                return containing[0]
        return None
    return next((d for d in available if id_of(d) == saved.id), None)
