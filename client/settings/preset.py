"""The system-wide defaults file municipal IT can install (admin preset).

Where: ``$TREFFPUNKT_ADMIN_PRESET``, else ``/etc/treffpunkt/defaults.json`` on
Linux and the platform's site config directory elsewhere
(``C:\\ProgramData\\treffpunkt\\defaults.json``, ``/Library/Application Support/treffpunkt/...``).
The file is JSON; every key is optional::

    {
      "default_server": "https://konferenz.bretten.de",
      "lock_server": true,
      "hide_public_servers": true,
      "extra_ca_file": "/usr/local/share/ca-certificates/stadt.pem",
      "update_check_url": null,
      "settings": {"media.start_audio_muted": true},
      "locked": ["media.start_audio_muted"]
    }

Preset values are defaults: the user's own choice wins once made, unless the
key is locked.  A CA file or update address from the admin is always locked —
those are the admin's decisions about trust and about which host may be contacted.
A missing file is normal; an unreadable one is ignored with a message.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from client.i18n import N_
from client.settings.schema import BY_KEY, PartiallyValid, SettingsMessage

ENV_ADMIN_PRESET = "TREFFPUNKT_ADMIN_PRESET"
MAX_PRESET_BYTES = 1_000_000

MSG_PRESET_UNREADABLE = N_("The system-wide defaults file {path} could not be read and was "
                           "ignored. Please tell your administrator.")
MSG_PRESET_BAD_VALUE = N_("The system-wide defaults file contains an invalid value for "
                          "“{label}”; it was ignored.")

# named keys of the file → setting keys, and whether naming them locks them
_NAMED = {
    "default_server": ("server.default_url", False),
    "extra_ca_file": ("tls.extra_ca_file", True),
    "update_check_url": ("updates.check_url", True),
}


@dataclass(frozen=True)
class AdminPreset:
    path: Path | None = None
    defaults: dict[str, Any] = field(default_factory=dict, hash=False)
    locked: frozenset[str] = frozenset()
    hide_public_servers: bool = False
    messages: tuple[SettingsMessage, ...] = ()


def admin_preset_path() -> Path:
    override = os.environ.get(ENV_ADMIN_PRESET)
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        return Path("/etc/treffpunkt/defaults.json")
    return Path(platformdirs.site_config_dir("treffpunkt", appauthor=False)) / "defaults.json"


def load_admin_preset(path: Path | None = None) -> AdminPreset:
    path = path or admin_preset_path()
    try:
        if path.stat().st_size > MAX_PRESET_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return AdminPreset()
    except (OSError, ValueError, RecursionError):
        return AdminPreset(path=path, messages=(
            SettingsMessage(MSG_PRESET_UNREADABLE, {"path": str(path)}),))

    defaults: dict[str, Any] = {}
    locked: set[str] = set()
    messages: list[SettingsMessage] = []

    def take(key: str, raw: Any) -> bool:
        spec = BY_KEY.get(key)
        if spec is None or not spec.admin_lockable:
            return False
        try:
            defaults[key] = spec.validate(raw)
        except PartiallyValid as partial:
            defaults[key] = partial.value
        except ValueError:
            messages.append(SettingsMessage(MSG_PRESET_BAD_VALUE, {"label": spec.label}))
            return False
        return True

    for name, (key, locks) in _NAMED.items():
        if name in data and take(key, data[name]) and locks:
            locked.add(key)
    if data.get("lock_server") is True:
        locked.add("server.default_url")
    settings = data.get("settings")
    if isinstance(settings, dict):
        for key, raw in settings.items():
            take(str(key), raw)
    lock_list = data.get("locked")
    if isinstance(lock_list, list):
        locked.update(k for k in lock_list
                      if isinstance(k, str) and k in BY_KEY and BY_KEY[k].admin_lockable)
    return AdminPreset(path=path, defaults=defaults, locked=frozenset(locked),
                       hide_public_servers=data.get("hide_public_servers") is True,
                       messages=tuple(messages))
