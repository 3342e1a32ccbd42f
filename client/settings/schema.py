"""Every setting once: key, type, default, label and help text, and whether an admin may fix it.

Values are checked by their setting's ``validate``; a value that does not fit
raises ``ValueError`` (the English reason is for the log).  Labels and help
texts are marked English and translated where they are shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from client.errors import AddressError
from client.i18n import N_, _
from client.meeting.address import parse_server_url
from client.settings.devices import DeviceChoice
from client.settings.recents import MAX_RECENT_ROOMS, RecentRoom

MAX_DISPLAY_NAME = 100


@dataclass(frozen=True)
class SettingsMessage:
    """Something the user should know about their settings (shown once, translated late)."""

    template: str
    details: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self, language: str | None = None) -> str:
        details = {k: _(v, language) if k == "label" and isinstance(v, str) else v
                   for k, v in self.details.items()}
        try:
            return _(self.template, language).format(**details)
        except (KeyError, IndexError, ValueError):
            return _(self.template, language)


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    label: str
    help: str
    validate: Callable[[Any], Any] = field(compare=False)
    to_json: Callable[[Any], Any] = field(default=lambda value: value, compare=False)
    admin_lockable: bool = False
    #: (value, label) for settings with a fixed set of values; labels of languages
    #: are written in that language and not translated
    choices: tuple[tuple[str, str], ...] = ()


# --- validators (raw JSON value → value, or ValueError) ----------------------------

def _bool(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(f"expected true or false, got {type(raw).__name__}")
    return raw


def _display_name(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected text")
    name = " ".join(raw.split())
    if len(name) > MAX_DISPLAY_NAME:
        raise ValueError(f"longer than {MAX_DISPLAY_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise ValueError("contains control characters")
    return name


def _language(raw: Any) -> str:
    if raw not in ("system", "de", "en"):
        raise ValueError(f"unknown language {raw!r}")
    return str(raw)


def _server_url(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ValueError("expected a server address")
    try:
        return parse_server_url(raw).url
    except AddressError as error:
        raise ValueError(str(error)) from None


def _path(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or "\0" in raw:
        raise ValueError("expected a file path")
    return raw


def _https_url(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ValueError("expected an https address")
    try:
        parts = urlsplit(raw.strip())
    except ValueError:
        raise ValueError("not an address") from None
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("only https addresses are allowed")
    return raw.strip()


def _device(raw: Any) -> DeviceChoice | None:
    if raw is None:
        return None
    if isinstance(raw, DeviceChoice):
        return raw
    if (isinstance(raw, dict) and isinstance(raw.get("id"), str)
            and isinstance(raw.get("label"), str)):
        return DeviceChoice(raw["id"], raw["label"])
    raise ValueError("expected {\"id\": ..., \"label\": ...}")


def _device_json(value: DeviceChoice | None) -> Any:
    return None if value is None else {"id": value.id, "label": value.label}


def _recent_rooms(raw: Any) -> tuple[RecentRoom, ...]:
    """Readable entries, newest first, at most 30 (unreadable entries are left out)."""
    if isinstance(raw, tuple) and all(isinstance(r, RecentRoom) for r in raw):
        return raw[:MAX_RECENT_ROOMS]
    if not isinstance(raw, list):
        raise ValueError("expected a list")
    rooms = [RecentRoom.from_json(item) for item in raw]
    readable = tuple(r for r in rooms if r is not None)
    if len(readable) < len(rooms):
        raise PartiallyValid(readable[:MAX_RECENT_ROOMS], len(rooms) - len(readable))
    return readable[:MAX_RECENT_ROOMS]


def _recent_rooms_json(value: tuple[RecentRoom, ...]) -> Any:
    return [room.to_json() for room in value]


class PartiallyValid(ValueError):
    """Some entries of a list were unreadable; ``value`` holds the readable rest."""

    def __init__(self, value: Any, dropped: int) -> None:
        super().__init__(f"{dropped} unreadable entries")
        self.value = value
        self.dropped = dropped


# --- the schema --------------------------------------------------------------------

SETTINGS: tuple[Setting, ...] = (
    Setting("server.default_url", None, N_("Default server"),
            N_("The server used when you enter only a room name, usually your town's server."),
            _server_url, admin_lockable=True),
    Setting("profile.display_name", "", N_("Your name"),
            N_("The name the other participants see."), _display_name),
    Setting("media.start_audio_muted", False, N_("Start with the microphone off"),
            N_("Join meetings with your microphone switched off."), _bool, admin_lockable=True),
    Setting("media.start_video_muted", False, N_("Start with the camera off"),
            N_("Join meetings with your camera switched off."), _bool, admin_lockable=True),
    Setting("media.audio_only", False, N_("Audio only"),
            N_("Neither send nor receive video. This saves data on slow connections."),
            _bool, admin_lockable=True),
    Setting("devices.camera", None, N_("Camera"),
            N_("The camera to use. If it is missing, the system's default camera is used."),
            _device, _device_json),
    Setting("devices.microphone", None, N_("Microphone"),
            N_("The microphone to use. If it is missing, the system's default microphone is "
               "used."), _device, _device_json),
    Setting("devices.speaker", None, N_("Speaker"),
            N_("The speaker or headphones to use. If they are missing, the system's default "
               "output is used."), _device, _device_json),
    Setting("ui.language", "system", N_("Language"),
            N_("The language of Treffpunkt. “System language” follows your computer's setting."),
            _language, choices=(("system", N_("System language")), ("de", "Deutsch"),
                                ("en", "English"))),
    Setting("privacy.keep_recent_rooms", True, N_("Remember recent rooms"),
            N_("Recent rooms are kept only on this computer and never with passwords."),
            _bool, admin_lockable=True),
    Setting("privacy.recent_rooms", (), N_("Recent rooms"),
            N_("Rooms you joined recently, newest first (at most 30)."),
            _recent_rooms, _recent_rooms_json),
    Setting("tls.extra_ca_file", None, N_("Additional trusted certificate authority"),
            N_("A certificate file (PEM) to trust in addition to the system's, for example "
               "your town's own certificate authority."), _path, admin_lockable=True),
    Setting("updates.check_url", None, N_("Address for update checks"),
            N_("Treffpunkt looks for updates only at this https address, and not at all if it "
               "is empty."), _https_url, admin_lockable=True),
)

BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None
