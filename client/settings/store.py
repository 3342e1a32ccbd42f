"""The user's settings file: read carefully, written atomically, never lost.

``settings.json`` lives in the platform's user config directory
(``~/.config/treffpunkt`` on Linux) or in ``$TREFFPUNKT_CONFIG_DIR``.  Reading
never fails: a file that cannot be read or parsed is renamed aside to
``settings.json.corrupt-<UTC time>`` and the app starts on defaults with a
message; a single bad value falls back to its default with a message and is
written back unchanged until the user sets that setting, so nothing the user
set is silently lost.  Keys this version does not know (a newer version wrote
them) are kept.  Writing goes to a temporary file that is synced and then
renamed over the old one, so a crash leaves either the old or the new file.

Value layers, strongest first: the admin's lock, this session's command-line
override (``--server``), the user's choice, the admin's default, the built-in
default.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs

from client.errors import InvalidSettingError, SettingLockedError, SettingsSaveError
from client.i18n import N_
from client.meeting.address import parse_server_url
from client.settings.preset import AdminPreset, load_admin_preset
from client.settings.schema import BY_KEY, SETTINGS, PartiallyValid, SettingsMessage, setting

ENV_CONFIG_DIR = "TREFFPUNKT_CONFIG_DIR"
FILE_NAME = "settings.json"
FORMAT = 1
MAX_SETTINGS_BYTES = 5_000_000

MSG_CORRUPT = N_("Your settings file could not be read, so Treffpunkt started with the default "
                 "settings. The old file was kept as {backup}.")
MSG_CORRUPT_NOT_MOVED = N_("Your settings file {path} could not be read, so Treffpunkt started "
                           "with the default settings. The file was left untouched and changes "
                           "will not be saved until it is removed.")
MSG_BAD_VALUE = N_("The setting “{label}” had an invalid value and was reset to its default.")
MSG_BAD_ENTRIES = N_("{count} entries of “{label}” could not be read and were left out.")
MSG_SERVER_LOCKED = N_("The server has been fixed by your administrator; the server given on "
                       "the command line was not used.")


def config_dir() -> Path:
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("treffpunkt", appauthor=False, roaming=True))


class SettingsStore:
    """Typed access to the settings; create with :meth:`open`."""

    def __init__(self, path: Path, admin: AdminPreset) -> None:
        self.path = path
        self.admin = admin
        self.messages: tuple[SettingsMessage, ...] = ()
        self.corrupt_backup: Path | None = None
        self._user: dict[str, Any] = {}          # validated values the user chose
        self._keep_raw: dict[str, Any] = {}      # unknown or invalid entries, written back as-is
        self._keep_top: dict[str, Any] = {}      # unknown top-level keys of the file
        self._session: dict[str, Any] = {}
        self._protect_file = False               # an unreadable file we could not move aside

    # --- loading -------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path | None = None, *, admin: AdminPreset | None = None,
             set_aside: bool = True) -> SettingsStore:
        """Read the settings (and the admin preset); never raises.

        ``set_aside=False`` (command-line queries) leaves an unreadable file where it is;
        such a store refuses to save.
        """
        admin = load_admin_preset() if admin is None else admin
        store = cls((directory or config_dir()) / FILE_NAME, admin)
        store._load(set_aside)
        return store

    def _load(self, set_aside: bool) -> None:
        messages = list(self.admin.messages)
        data = self._read_file(messages, set_aside)
        if data is not None:
            for key, raw in data.pop("settings", {}).items():
                spec = BY_KEY.get(key)
                if spec is None:
                    self._keep_raw[key] = raw
                    continue
                try:
                    self._user[key] = spec.validate(raw)
                except PartiallyValid as partial:
                    self._user[key] = partial.value
                    messages.append(SettingsMessage(
                        MSG_BAD_ENTRIES, {"count": partial.dropped, "label": spec.label}))
                except ValueError:
                    self._keep_raw[key] = raw
                    messages.append(SettingsMessage(MSG_BAD_VALUE, {"label": spec.label}))
            data.pop("format", None)
            self._keep_top = data
        self.messages = tuple(messages)

    def _read_file(self, messages: list[SettingsMessage], set_aside: bool
                   ) -> dict[str, Any] | None:
        try:
            if self.path.stat().st_size > MAX_SETTINGS_BYTES:
                raise ValueError("settings file too large")
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("settings", {}), dict):
                raise ValueError("not a settings object")
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError):
            pass
        backup = self._set_aside() if set_aside else None
        if backup is None:
            self._protect_file = True
            messages.append(SettingsMessage(MSG_CORRUPT_NOT_MOVED, {"path": str(self.path)}))
        else:
            self.corrupt_backup = backup
            messages.append(SettingsMessage(MSG_CORRUPT, {"backup": str(backup)}))
        return None

    def _set_aside(self) -> Path | None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(100):
            suffix = f".corrupt-{stamp}" + (f"-{attempt}" if attempt else "")
            backup = self.path.with_name(self.path.name + suffix)
            if backup.exists():
                continue
            try:
                os.replace(self.path, backup)
            except OSError:
                return None
            return backup
        return None

    # --- reading -------------------------------------------------------------------

    def get(self, key: str) -> Any:
        spec = setting(key)
        if key in self.admin.locked:
            return self.admin.defaults.get(key, spec.default)
        for layer in (self._session, self._user, self.admin.defaults):
            if key in layer:
                return layer[key]
        return spec.default

    def source(self, key: str) -> str:
        """Where the value comes from: locked, session, user, admin or default."""
        setting(key)
        if key in self.admin.locked:
            return "locked"
        for name, layer in (("session", self._session), ("user", self._user),
                            ("admin", self.admin.defaults)):
            if key in layer:
                return name
        return "default"

    def is_locked(self, key: str) -> bool:
        return key in self.admin.locked

    def is_user_set(self, key: str) -> bool:
        return key in self._user

    @property
    def is_first_run(self) -> bool:
        """The user has not chosen a server yet, and no admin has fixed one."""
        return "server.default_url" not in self._user and not self.is_locked("server.default_url")

    def suggested_server(self) -> str | None:
        """What a first-run screen pre-fills: ``--server``, else the admin's default."""
        return self._session.get("server.default_url",
                                 self.admin.defaults.get("server.default_url"))

    # --- changing --------------------------------------------------------------------

    def _checked(self, key: str, value: Any) -> Any:
        spec = setting(key)
        if key in self.admin.locked:
            raise SettingLockedError(label=spec.label, key=key)
        try:
            return spec.validate(value)
        except ValueError as error:
            raise InvalidSettingError(label=spec.label, key=key, reason=str(error)) from None

    def set(self, key: str, value: Any) -> Any:
        """Set the user's value (checked); returns the stored, normalised value.

        Raises SettingLockedError or InvalidSettingError.  Call :meth:`save` to keep it.
        """
        checked = self._checked(key, value)
        self._user[key] = checked
        self._keep_raw.pop(key, None)
        return checked

    def reset(self, key: str) -> None:
        """Forget the user's value, so the admin's or the built-in default applies."""
        setting(key)
        self._user.pop(key, None)
        self._keep_raw.pop(key, None)

    def override_for_session(self, key: str, value: Any) -> Any:
        """A value for this run only (command line); never saved.  Same checks as :meth:`set`."""
        checked = self._checked(key, value)
        self._session[key] = checked
        return checked

    # --- saving ----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        settings = dict(self._keep_raw)
        for spec in SETTINGS:
            if spec.key in self._user:
                settings[spec.key] = spec.to_json(self._user[spec.key])
        return {**self._keep_top, "format": FORMAT, "settings": settings}

    def save(self) -> None:
        """Write atomically: temp file in the same folder, fsync, rename over the old file."""
        if self._protect_file:
            raise SettingsSaveError(path=str(self.path), reason="unreadable file not moved aside")
        body = json.dumps(self.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        tmp_name: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp",
                                            dir=self.path.parent)   # mode 0600: names, rooms
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
            tmp_name = None
            _sync_directory(self.path.parent)
        except OSError as error:
            raise SettingsSaveError(path=str(self.path), reason=str(error)) from error
        finally:
            if tmp_name is not None:
                try:
                    os.unlink(tmp_name)
                except OSError:
                    pass


def _sync_directory(directory: Path) -> None:
    # Make the rename itself durable (POSIX); not possible on Windows, where replace is enough.
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def apply_command_line_server(store: SettingsStore, url: str | None) -> SettingsMessage | None:
    """``--server URL``: the default server for this run (and the first-run suggestion).

    Returns a message when the admin has fixed the server (the option is then
    ignored); raises InvalidServerUrlError for an address that is not a server.
    """
    if not url:
        return None
    if store.is_locked("server.default_url"):
        return SettingsMessage(MSG_SERVER_LOCKED)
    parse_server_url(url)            # an AddressError says what is wrong with it
    store.override_for_session("server.default_url", url)
    return None
