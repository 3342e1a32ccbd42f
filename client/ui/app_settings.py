"""The UI's view of the settings: typed values, recent rooms, the admin preset.

``client.settings`` owns storage, types, admin presets and recents; this module
only gives the widgets one small surface (``get``/``set``/recents) so they do
not depend on how the store is built, and provides an in-memory stand-in for
tests, screenshots and a store that cannot be opened.  Keys are the settings
schema's dotted names; keys outside the schema are the app's own state.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from client.errors import SettingsError
from client.meeting.address import MeetingAddress
from client.settings.preset import AdminPreset
from client.settings.recents import RecentRooms
from client.settings.schema import BY_KEY, SETTINGS
from client.settings.store import FILE_NAME, SettingsStore

log = logging.getLogger("treffpunkt.ui")

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
DEVICES_CHECKED = "devices.check_done"     # the app's own state, not a user setting
EXTRA_CA_FILE = "tls.extra_ca_file"


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
    """Settings that live as long as the process (tests, screenshots, no settings store).

    The values are held by a ``SettingsStore`` that is never saved, and recent rooms go
    through ``RecentRooms`` — the same checks, admin locks, duplicate rule and cap as the
    saved settings, so nothing here behaves differently from the real thing.
    """

    def __init__(self, values: dict[str, Any] | None = None, *,
                 locked: dict[str, Any] | None = None, hide_public_servers: bool = False) -> None:
        locked = dict(locked or {})
        admin = AdminPreset(
            defaults={k: BY_KEY[k].validate(v) for k, v in locked.items() if k in BY_KEY},
            locked=frozenset(k for k in locked if k in BY_KEY),
            hide_public_servers=hide_public_servers)
        # a path is required, but this store is never saved
        self.store = SettingsStore(Path("in-memory") / FILE_NAME, admin)
        self._recents = RecentRooms(self.store)
        self._locked_state = {k: v for k, v in locked.items() if k not in BY_KEY}
        self._state: dict[str, Any] = {}
        for key, value in (values or {}).items():
            self.set(key, value)

    def get(self, key: str) -> Any:
        if key in BY_KEY:
            return self.store.get(key)
        if key in self._locked_state:
            return self._locked_state[key]
        return self._state.get(key, False if key == DEVICES_CHECKED else None)

    def set(self, key: str, value: Any) -> None:
        if self.is_locked(key):
            return
        if key not in BY_KEY:
            self._state[key] = value
            return
        try:
            if key == KEEP_RECENTS:
                self._recents.set_keeping(bool(value))
            else:
                self.store.set(key, value)
        except SettingsError as error:
            log.warning("setting %s not changed: %s", key, error)

    def is_locked(self, key: str) -> bool:
        return key in self._locked_state or (key in BY_KEY and self.store.is_locked(key))

    def recents(self) -> list[Any]:
        return list(self._recents.entries())

    def add_recent(self, address: MeetingAddress) -> None:
        self._recents.add(address)

    def remove_recent(self, entry: Any) -> None:
        self._recents.remove(entry)

    def clear_recents(self) -> None:
        self._recents.clear()

    def clear_everything(self) -> None:
        for spec in SETTINGS:
            if not self.store.is_locked(spec.key):
                self.store.reset(spec.key)
        self._state.clear()

    def problems(self) -> list[Any]:
        return list(self.store.messages)

    def public_servers_allowed(self) -> bool:
        return not self.store.admin.hide_public_servers


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
