"""The UI's view of the settings: typed values, recent rooms, the admin preset.

``client.settings`` owns storage, types, admin presets and recents; this module
only gives the widgets one small surface (``get``/``set``/recents) so they do
not depend on how the store is built, and provides an in-memory stand-in for
tests and screenshots.  Keys are the settings schema's dotted names.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Protocol

from client.meeting.address import MeetingAddress
from client.settings.recents import RecentRoom

SERVER_URL = "server.default_url"
DISPLAY_NAME = "profile.display_name"
START_AUDIO_MUTED = "media.start_audio_muted"
START_VIDEO_MUTED = "media.start_video_muted"
AUDIO_ONLY = "media.audio_only"
LANGUAGE = "ui.language"
KEEP_RECENTS = "privacy.keep_recent_rooms"
CAMERA = "devices.camera"
MICROPHONE = "devices.microphone"
SPEAKER = "devices.speaker"
DEVICES_CHECKED = "devices.check_done"
EXTRA_CA_FILE = "tls.extra_ca_file"

DEFAULTS: dict[str, Any] = {
    SERVER_URL: None, DISPLAY_NAME: "", START_AUDIO_MUTED: False, START_VIDEO_MUTED: False,
    AUDIO_ONLY: False, LANGUAGE: "system", KEEP_RECENTS: True, CAMERA: None, MICROPHONE: None,
    SPEAKER: None, DEVICES_CHECKED: False, EXTRA_CA_FILE: None,
}


class UiSettings(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def is_locked(self, key: str) -> bool: ...
    def recents(self) -> list[Any]: ...
    def add_recent(self, address: MeetingAddress) -> None: ...
    def remove_recent(self, entry: Any) -> None: ...
    def clear_recents(self) -> None: ...
    def clear_everything(self) -> None: ...
    def problems(self) -> list[Any]: ...
    def public_servers_allowed(self) -> bool: ...


class MemorySettings:
    """Settings that live as long as the process (tests, screenshots, ``--no-save``)."""

    MAX_RECENTS = 30

    def __init__(self, values: dict[str, Any] | None = None, *,
                 locked: dict[str, Any] | None = None, hide_public_servers: bool = False) -> None:
        self._hide_public = hide_public_servers
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

    def add_recent(self, address: MeetingAddress) -> None:
        if not self.get(KEEP_RECENTS):
            return
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        entry = RecentRoom(address.server, address.tenant, address.room, now)
        self._recents = [r for r in self._recents if r.identity != entry.identity]
        self._recents.insert(0, entry)
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

    def public_servers_allowed(self) -> bool:
        return not self._hide_public


def recent_time(entry: Any) -> float | None:
    """POSIX time of a recent-room entry (``joined_at`` ISO text or ``time`` seconds)."""
    when = getattr(entry, "time", None)
    if isinstance(when, (int, float)):
        return float(when)
    text = getattr(entry, "joined_at", None)
    if isinstance(text, str):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None
