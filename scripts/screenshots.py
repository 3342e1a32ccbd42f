#!/usr/bin/env python3
"""Render every screen of Treffpunkt, in German and English, into PNG files.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out DIR] [--scale 1.5]

Screens are driven by a scripted conference (no network): first run, device
check, join (with a warning and recent rooms), pre-join, the call as a grid
(video, initials, speaking highlight), the stage view, chat, participants with
people in the lobby, password, lobby, waiting for the host, an error, the
settings, the invitation, leaving, and the keyboard shortcuts.  Video tiles show
the media layer's synthetic test picture and simple generated pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from client.errors import RoomFullError  # noqa: E402
from client.i18n import set_language  # noqa: E402
from client.jitsi import events as ev  # noqa: E402
from client.meeting.address import parse_link  # noqa: E402
from client.meeting.servers import known_servers  # noqa: E402
from client.settings.recents import RecentRoom  # noqa: E402
from client.ui import app_settings as keys  # noqa: E402
from client.ui.app import apply_font_scale  # noqa: E402
from client.ui.bridge import ConferenceBridge  # noqa: E402
from client.ui.call_window import CallWindow  # noqa: E402
from client.ui.devices import DeviceInfo, DeviceLists  # noqa: E402
from client.ui.dialogs import LeaveDialog, PasswordDialog, ShortcutsDialog  # noqa: E402
from client.ui.first_run import FirstRunView  # noqa: E402
from client.ui.invite_dialog import InviteDialog  # noqa: E402
from client.ui.join_window import JoinView  # noqa: E402
from client.ui.language import LanguageManager  # noqa: E402
from client.ui.prejoin_view import PreJoinView  # noqa: E402
from client.ui.settings_dialog import SettingsDialog  # noqa: E402
from client.ui.style import STYLE_SHEET  # noqa: E402

WINDOW = QSize(1100, 720)
SERVER = "https://konferenz.bretten.de"


# --- pictures ---------------------------------------------------------------------------------

def test_picture(number: int = 40) -> np.ndarray:
    """The media layer's synthetic test picture (what --test-media sends)."""
    from client.media.synthetic import TestPatternTrack

    frame = TestPatternTrack(640, 360).make_frame(number)
    return np.ascontiguousarray(frame.to_ndarray(format="bgra"))


def portrait(hue_bgr: tuple[int, int, int], width: int = 640, height: int = 360) -> np.ndarray:
    """A soft background with a head-and-shoulders silhouette (no real person, no download)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    shade = (0.55 + 0.45 * (y / height))[..., None]
    frame = np.empty((height, width, 4), dtype=np.uint8)
    frame[..., :3] = (np.array(hue_bgr, dtype=np.float32) * shade).clip(0, 255).astype(np.uint8)
    frame[..., 3] = 255
    cx, cy, r = width / 2, height * 0.42, height * 0.17
    head = (x - cx) ** 2 + (y - cy) ** 2 < r ** 2
    body = ((x - cx) ** 2 / (r * 2.2) ** 2 + (y - height * 1.05) ** 2 / (height * 0.45) ** 2) < 1
    frame[head | body, :3] = (60, 62, 70)
    return frame


# --- a scripted conference --------------------------------------------------------------------

class ScriptedConference:
    def __init__(self) -> None:
        self.listeners: list[Callable[[Any], None]] = []

    def add_listener(self, callback: Callable[[Any], None]) -> Callable[[], None]:
        self.listeners.append(callback)
        return lambda: None

    def emit(self, event: Any) -> None:
        for listener in list(self.listeners):
            listener(event)

    async def run(self) -> None:
        await asyncio.Event().wait()

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


PEOPLE = (("ep-anna", "Anna Berg", False, False), ("ep-heinz", "Opa Heinz", True, True),
          ("ep-lea", "Lea Schmidt", False, False), ("ep-tom", "Tom", False, True),
          ("ep-mia", "Mia Yılmaz", True, False))


def call_window(room: str = "FamilieBergSonntag") -> tuple[CallWindow, ScriptedConference]:
    conference = ScriptedConference()
    bridge = ConferenceBridge(conference)
    window = CallWindow(bridge, parse_link(f"{SERVER}/{room}"), display_name="Oma Erika")
    return window, conference


def joined_call(*, moderator: bool = True) -> tuple[CallWindow, ScriptedConference]:
    window, conference = call_window()
    conference.emit(ev.Joined(room="FamilieBergSonntag", endpoint_id="me", display_name="Oma Erika",
                              role="moderator" if moderator else "participant",
                              affiliation="owner" if moderator else "none"))
    for endpoint_id, name, audio_muted, video_muted in PEOPLE:
        conference.emit(ev.ParticipantJoined(endpoint_id=endpoint_id, display_name=name,
                                             role="participant", affiliation="none",
                                             audio_muted=audio_muted, video_muted=video_muted))
    pictures = {"me": portrait((180, 140, 90)), "ep-anna": test_picture(),
                "ep-lea": portrait((90, 150, 200))}
    for endpoint_id, picture in pictures.items():
        tile = window.grid.tile(endpoint_id)
        if tile is not None:
            tile.set_video_muted(False)
            tile.set_frame(picture)
    window.participants.set_speaking("ep-anna")
    return window, conference


# --- screens --------------------------------------------------------------------------------

class Shooter:
    def __init__(self, out: Path, app: QApplication) -> None:
        self.out = out
        self.app = app
        self.files: list[Path] = []
        self._keep: list[QWidget] = []

    def settle(self) -> None:
        for _ in range(5):
            self.app.processEvents()

    def shoot(self, widget: QWidget, name: str, size: QSize | None = WINDOW) -> None:
        if size is not None:
            widget.resize(size)
        widget.show()
        self.settle()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.files.append(path)
        self._keep.append(widget)

    def close_all(self) -> None:
        for widget in self._keep:
            widget.close()
            widget.deleteLater()
        self._keep.clear()
        self.settle()


def render_all(shooter: Shooter, lang: str) -> None:
    def name(screen: str) -> str:
        return f"{screen}-{lang}"

    devices = DeviceLists(cameras=(DeviceInfo("/dev/video0", "Integrated Camera"),),
                          microphones=(DeviceInfo("1", "Built-in Microphone"),),
                          speakers=(DeviceInfo("2", "Built-in Speakers"),))

    first = FirstRunView(servers=known_servers())
    shooter.shoot(first, name("01-first-run-server"))
    first.server_buttons()[0].setChecked(True)
    first.show_device_page()
    first.set_devices(DeviceLists(cameras=devices.cameras, microphones=devices.microphones,
                                  speakers=()))
    first.preview.set_frame(portrait((150, 120, 200)))
    first.meter.set_level(0.55)
    shooter.shoot(first, name("02-first-run-devices"))

    join = JoinView(SERVER, "Bretten – Peter ruft Paul")
    join.set_recents([RecentRoom(SERVER, None, "FamilieBergSonntag", "2025-10-09T17:00:00Z"),
                      RecentRoom("https://videokonferenz.rastatt.de", None, "Chorprobe",
                                 "2025-09-27T18:30:00Z")])
    join.set_text("oma")
    shooter.shoot(join, name("03-join"))
    warn = JoinView(SERVER, "Bretten – Peter ruft Paul")
    warn.set_text("https://meet.jit.si/Familie")
    shooter.shoot(warn, name("04-join-public-server"))

    address = parse_link("FamilieBergSonntag", SERVER)
    prejoin = PreJoinView(address, display_name="Oma Erika")
    prejoin.set_devices(devices)
    prejoin.preview.set_frame(portrait((180, 140, 90)))
    prejoin.meter.set_level(0.4)
    shooter.shoot(prejoin, name("05-prejoin"))

    grid, _conf = joined_call()
    shooter.shoot(grid, name("06-call-grid"))

    stage, _conf = joined_call()
    stage.grid.stage("ep-anna")
    shooter.shoot(stage, name("07-call-stage"))

    chat, conf = joined_call()
    chat.toggle_panel("chat")
    conf.emit(ev.ChatReceived(from_id="ep-anna", display_name="Anna Berg", private=False,
                              text="Hallo Oma! Kannst du uns hören?" if lang == "de"
                              else "Hi Grandma! Can you hear us?", timestamp=1760000000))
    conf.emit(ev.ChatReceived(from_id="me", display_name="Oma Erika", private=False, is_self=True,
                              text="Ja, ganz deutlich!" if lang == "de" else "Yes, loud and clear!",
                              timestamp=1760000060))
    conf.emit(ev.ChatReceived(from_id="ep-lea", display_name="Lea Schmidt", private=True,
                              text="Schön, dich zu sehen." if lang == "de" else "Lovely to see you.",
                              timestamp=1760000120))
    shooter.shoot(chat, name("08-call-chat"))

    people, conf = joined_call()
    conf.emit(ev.KnockerAdded(knocker_id="k1", display_name="Onkel Karl"))
    conf.emit(ev.KnockerAdded(knocker_id="k2", display_name="Frau Müller"))
    people.notice.hide()
    people.toggle_panel("participants")
    shooter.shoot(people, name("09-call-participants-lobby"))

    waiting, conf = call_window()
    waiting.resize(WINDOW)
    waiting.show()
    dialog = PasswordDialog("FamilieBergSonntag", after_wrong_password=True, parent=None)
    dialog.field().setText("geheim")
    shooter.shoot(waiting, name("10-password-behind"))
    shooter.shoot(dialog, name("10-password-dialog"), size=None)

    lobby, conf = call_window()
    conf.emit(ev.LobbyWaiting(room="FamilieBergSonntag", lobby_room="x@lobby.meet"))
    shooter.shoot(lobby, name("11-lobby-waiting"))

    host, conf = call_window()
    conf.emit(ev.WaitingForHost(room="FamilieBergSonntag", poll_interval_s=5))
    shooter.shoot(host, name("12-waiting-for-host"))

    error, conf = call_window()
    failure = RoomFullError(room="FamilieBergSonntag")
    conf.emit(ev.JoinFailed(error=failure))
    conf.emit(ev.ConferenceEnded(reason=ev.EndReason.JOIN_FAILED, error=failure))
    shooter.shoot(error, name("13-error"))

    reconnect, conf = joined_call()
    conf.emit(ev.Reconnecting(reason="connection-lost", attempt=2, delay_s=2))
    shooter.shoot(reconnect, name("14-reconnecting"))

    settings = keys.MemorySettings({keys.SERVER_URL: SERVER, keys.DISPLAY_NAME: "Oma Erika"})
    settings_dialog = SettingsDialog(settings)
    settings_dialog.set_devices(devices)
    shooter.shoot(settings_dialog, name("15-settings"), size=QSize(640, 720))

    invite = InviteDialog(parse_link(f"{SERVER}/FamilieBergSonntag"), "Apfelbaum7",
                          inviter="Oma Erika")
    shooter.shoot(invite, name("16-invite"), size=None)
    shooter.shoot(LeaveDialog(), name("17-leave"), size=None)
    shooter.shoot(ShortcutsDialog(), name("18-shortcuts"), size=None)
    shooter.close_all()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "screenshots")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="text size factor (1.5 checks layouts at 150 %% text)")
    parser.add_argument("--languages", default="de,en")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["treffpunkt-screenshots"])
    app.setStyleSheet(STYLE_SHEET)
    if args.scale != 1.0:
        apply_font_scale(app, args.scale)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    languages = LanguageManager(app)
    shooter = Shooter(args.out, app)
    for lang in args.languages.split(","):
        languages.apply(lang)
        set_language(lang)
        render_all(shooter, lang)
    for path in shooter.files:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
