"""The persistent settings for the app: ``client.settings.SettingsStore`` plus UI state.

User choices live in the settings store (typed, validated, admin presets,
atomic writes).  What is only the app's own memory — "the device check was
done" — lives in ``QSettings``, like window state, and is cleared with
"clear everything" too.  Changes are saved shortly after they are made (many
changes, one write); a failed save is reported through ``save_failed``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from client.errors import SettingsError, TreffpunktError
from client.meeting.address import MeetingAddress
from client.settings.recents import RecentRooms
from client.settings.schema import SETTINGS
from client.settings.store import SettingsStore, apply_command_line_server
from client.ui import app_settings as keys

log = logging.getLogger("treffpunkt.ui")
SAVE_DELAY_MS = 300
#: keys kept as UI state rather than as user settings
UI_STATE_KEYS = frozenset({keys.DEVICES_CHECKED})


class StoreSettings(QObject):
    """``UiSettings`` over a ``SettingsStore``."""

    save_failed = Signal(object)      # SettingsError
    changed = Signal(str)             # a key

    def __init__(self, store: SettingsStore, ui_state: QSettings | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.ui_state = ui_state if ui_state is not None else QSettings("Treffpunkt", "Treffpunkt")
        self._recents = RecentRooms(store)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)

    # --- values -------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        if key in UI_STATE_KEYS:
            return self.ui_state.value(key, False, type=bool)
        return self.store.get(key)

    def set(self, key: str, value: Any) -> None:
        if key in UI_STATE_KEYS:
            self.ui_state.setValue(key, value)
            self.ui_state.sync()
            return
        if self.store.is_locked(key):
            return
        try:
            if key == keys.KEEP_RECENTS:
                self._recents.set_keeping(bool(value))
            else:
                self.store.set(key, value)
        except SettingsError as error:
            log.warning("setting %s not changed: %s", key, error)
            self.save_failed.emit(error)
            return
        self.changed.emit(key)
        self._save_timer.start()

    def is_locked(self, key: str) -> bool:
        return key not in UI_STATE_KEYS and self.store.is_locked(key)

    # --- recent rooms -------------------------------------------------------------------
    def recents(self) -> list[Any]:
        return list(self._recents.entries())

    def add_recent(self, address: MeetingAddress) -> None:
        if self._recents.add(address) is not None:
            self._save_timer.start()

    def remove_recent(self, entry: Any) -> None:
        if self._recents.remove(entry):
            self._save_timer.start()

    def clear_recents(self) -> None:
        self._recents.clear()
        self._save_timer.start()

    # --- everything -----------------------------------------------------------------------
    def clear_everything(self) -> None:
        for setting in SETTINGS:
            if not self.store.is_locked(setting.key):
                self.store.reset(setting.key)
        self.ui_state.clear()
        self.ui_state.sync()
        self.save_now()

    def problems(self) -> list[Any]:
        """What the store had to say when it opened (corrupt file set aside, …)."""
        return list(self.store.messages)

    def public_servers_allowed(self) -> bool:
        return not self.store.admin.hide_public_servers

    def save_now(self) -> None:
        self._save_timer.stop()
        try:
            self.store.save()
        except TreffpunktError as error:
            log.warning("settings not saved: %s", error)
            self.save_failed.emit(error)


def open_store(*, server: str | None = None, directory: Path | None = None) -> StoreSettings:
    """Open the user's settings (never raises); ``server`` is ``--server``."""
    store = SettingsStore.open(directory)
    # the app's own state sits next to the settings file (one folder to back up or wipe)
    ui_state = QSettings(str(store.path.with_name("ui-state.ini")), QSettings.Format.IniFormat)
    settings = StoreSettings(store, ui_state)
    if server:
        try:
            message = apply_command_line_server(store, server)
        except TreffpunktError as error:
            log.warning("--server ignored: %s", error)
        else:
            if message is not None:
                store.messages = (*store.messages, message)
    return settings
