"""The UI's view of the settings: typed values, recent rooms, the admin preset.

``client.settings`` owns storage, types, admin presets and recents; this module
only gives the widgets one small surface (``get``/``set``/recents) so they do
not depend on how the store is built, and provides an in-memory stand-in for
tests and screenshots.  Keys are the settings schema's dotted names.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

SERVER_URL = "server.default_url"
DISPLAY_NAME = "profile.display_name"
START_AUDIO_MUTED = "call.start_audio_muted"
START_VIDEO_MUTED = "call.start_video_muted"
AUDIO_ONLY = "call.audio_only"
LANGUAGE = "ui.language"
KEEP_RECENTS = "privacy.keep_recent_rooms"
CAMERA = "devices.camera"
MICROPHONE = "devices.microphone"
SPEAKER = "devices.speaker"
DEVICES_CHECKED = "devices.check_done"

DEFAULTS: dict[str, Any] = {
    SERVER_URL: None, DISPLAY_NAME: "", START_AUDIO_MUTED: False, START_VIDEO_MUTED: False,
    AUDIO_ONLY: False, LANGUAGE: "system", KEEP_RECENTS: True, CAMERA: None, MICROPHONE: None,
    SPEAKER: None, DEVICES_CHECKED: False,
}


@dataclass(frozen=True)
class RecentRoom:
    server: str
    room: str
    time: float


class UiSettings(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def is_locked(self, key: str) -> bool: ...
    def recents(self) -> list[Any]: ...
    def add_recent(self, server: str, room: str) -> None: ...
    def remove_recent(self, entry: Any) -> None: ...
    def clear_recents(self) -> None: ...
    def clear_everything(self) -> None: ...
    def problems(self) -> list[Any]: ...


class MemorySettings:
    """Settings that live as long as the process (tests, screenshots, ``--no-save``)."""

    MAX_RECENTS = 30

    def __init__(self, values: dict[str, Any] | None = None, *,
                 locked: dict[str, Any] | None = None) -> None:
        self._values = dict(DEFAULTS)
        self._values.update(values or {})
        self._locked = dict(locked or {})
        self._recents: list[RecentRoom] = []

    def get(self, key: str) -> Any:
        if key in self._locked:
            return self._locked[key]
        return self._values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        if key in self._locked:
            return
        self._values[key] = value
        if key == KEEP_RECENTS and not value:
            self._recents.clear()

    def is_locked(self, key: str) -> bool:
        return key in self._locked

    def recents(self) -> list[RecentRoom]:
        return list(self._recents)

    def add_recent(self, server: str, room: str) -> None:
        if not self.get(KEEP_RECENTS):
            return
        self._recents = [r for r in self._recents
                         if not (r.server == server and r.room.lower() == room.lower())]
        self._recents.insert(0, RecentRoom(server, room, time.time()))
        del self._recents[self.MAX_RECENTS:]

    def remove_recent(self, entry: Any) -> None:
        self._recents = [r for r in self._recents if r != entry]

    def clear_recents(self) -> None:
        self._recents.clear()

    def clear_everything(self) -> None:
        self._values = dict(DEFAULTS)
        self._recents.clear()

    def problems(self) -> list[Any]:
        return []
