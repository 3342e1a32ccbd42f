"""First start: choose your town's server, then check camera, microphone and speaker.

The server page offers the shipped list of municipal servers plus "another
server" with a live check (discovery runs as a task; the GUI thread never
waits for the network).  It is skipped when an administrator preset the
server.  The device page asks the operating system for permission where it has
a permission API, says which device is missing or busy, shows the preview and
the level meter, plays a test sound, and can remember the decision.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QStackedWidget, QVBoxLayout, QWidget)

from client.errors import AddressError, TreffpunktError
from client.i18n import _
from client.meeting.address import parse_server_url
from client.meeting.servers import KnownServer, known_servers
from client.ui.devices import DeviceLists
from client.ui.frame_binding import FrameBinding
from client.ui.level_meter import LevelMeter, read_level
from client.ui.messages import error_message
from client.ui.test_sound import TestSound
from client.ui.video_tile import VideoTile

log = logging.getLogger("treffpunkt.ui")
CHECK_DELAY_MS = 700

#: async (server_url) -> description of what was found; raises TreffpunktError
ServerCheck = Callable[[str], Awaitable[str]]


@dataclass(frozen=True)
class FirstRunResult:
    server_url: str | None       # None: kept the admin preset
    server_name: str | None
    remember_devices: bool


class FirstRunView(QWidget):
    finished = Signal(object)   # FirstRunResult
    device_page_shown = Signal()    # the app asks for permission, lists devices, starts the preview
    recheck_requested = Signal()    # "Check again"

    def __init__(self, *, server_check: ServerCheck | None = None, skip_server: bool = False,
                 servers: tuple[KnownServer, ...] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunView")
        self._check = server_check
        self._servers = known_servers() if servers is None else servers
        self._check_task: asyncio.Task[Any] | None = None
        self._check_state = "idle"      # idle / checking / ok / failed
        self._check_detail = ""
        self._check_error: TreffpunktError | None = None
        self._checked_url: str | None = None
        self._binding: FrameBinding | None = None
        self._devices: DeviceLists | None = None
        self._permission: str | None = None   # None until asked; "granted" / "denied"
        self._level_source: Any = None
        self._skip_server = skip_server

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_server_page())
        self.pages.addWidget(self._build_device_page())
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.pages)
        card.setMaximumWidth(780)
        outer.addWidget(card, 6)
        outer.addStretch(1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(CHECK_DELAY_MS)
        self._debounce.timeout.connect(self.start_check)
        self._level_timer = QTimer(self)
        self._level_timer.setInterval(66)
        self._level_timer.timeout.connect(self._poll_level)
        self.retranslate()
        if skip_server:
            self.show_device_page()

    # --- server page --------------------------------------------------------------------
    def _build_server_page(self) -> QWidget:
        page = QWidget()
        self._welcome = QLabel()
        self._welcome.setObjectName("pageTitle")
        font = self._welcome.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._welcome.setFont(font)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._choices = QButtonGroup(self)
        self._server_buttons: list[tuple[QRadioButton, KnownServer]] = []
        layout = QVBoxLayout(page)
        layout.addWidget(self._welcome)
        layout.addWidget(self._intro)
        for index, server in enumerate(self._servers):
            button = QRadioButton()
            self._choices.addButton(button, index)
            self._server_buttons.append((button, server))
            layout.addWidget(button)
        self._other = QRadioButton()
        self._choices.addButton(self._other, len(self._servers))
        layout.addWidget(self._other)
        self._other_field = QLineEdit()
        self._other_field.setObjectName("otherServerField")
        self._other_field.setEnabled(False)
        self._other_field.textChanged.connect(self._on_other_text)
        self._check_button = QPushButton()
        self._check_button.clicked.connect(self.start_check)
        other_row = QHBoxLayout()
        other_row.setContentsMargins(24, 0, 0, 0)
        other_row.addWidget(self._other_field, 1)
        other_row.addWidget(self._check_button)
        layout.addLayout(other_row)
        self._check_status = QLabel()
        self._check_status.setObjectName("checkStatus")
        self._check_status.setWordWrap(True)
        self._check_status.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self._check_status)
        layout.addStretch(1)
        self._privacy = QLabel()
        self._privacy.setWordWrap(True)
        layout.addWidget(self._privacy)
        self._server_next = QPushButton()
        self._server_next.setDefault(True)
        self._server_next.clicked.connect(self.show_device_page)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._server_next)
        layout.addLayout(row)
        self._choices.idToggled.connect(lambda _id, _on: self._update_server_page())
        if self._server_buttons:
            self._server_buttons[0][0].setChecked(True)
        else:
            self._other.setChecked(True)
        return page

    def chosen_server(self) -> tuple[str, str | None] | None:
        """(url, name) of the choice, or None when "another server" is not checked yet."""
        for button, server in self._server_buttons:
            if button.isChecked():
                return server.url, f"{server.town} – {server.service}"
        if self._other.isChecked() and self._check_state == "ok" and self._checked_url:
            return self._checked_url, None
        return None

    def server_buttons(self) -> list[QRadioButton]:
        return [b for b, _s in self._server_buttons] + [self._other]

    def other_field(self) -> QLineEdit:
        return self._other_field

    def next_button(self) -> QPushButton:
        return self._server_next

    def check_status(self) -> str:
        return self._check_status.text()

    def _on_other_text(self, _text: str) -> None:
        self._cancel_check()
        self._check_state = "idle"
        self._debounce.start()
        self._update_server_page()

    def start_check(self) -> None:
        """Check the typed server (as a task); the result updates the page."""
        self._debounce.stop()
        text = self._other_field.text().strip()
        if not text or not self._other.isChecked():
            return
        self._cancel_check()
        try:
            url = parse_server_url(text).url
        except AddressError as exc:
            self._set_check("failed", error=exc)
            return
        if self._check is None:
            self._set_check("ok", url=url)
            return
        self._set_check("checking")
        self._check_task = asyncio.get_event_loop().create_task(self._run_check(url))

    async def _run_check(self, url: str) -> None:
        try:
            detail = await self._check(url)  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except TreffpunktError as exc:
            self._set_check("failed", error=exc)
        except Exception as exc:  # noqa: BLE001 - shown as "could not be used", logged in full
            log.exception("server check failed")
            from client.errors import ServerError
            self._set_check("failed", error=ServerError(host=url, reason=repr(exc)))
        else:
            self._set_check("ok", url=url, detail=detail)

    def _cancel_check(self) -> None:
        if self._check_task is not None and not self._check_task.done():
            self._check_task.cancel()
        self._check_task = None

    def _set_check(self, state: str, *, url: str | None = None, detail: str = "",
                   error: TreffpunktError | None = None) -> None:
        self._check_state = state
        self._checked_url = url
        self._check_detail = detail
        self._check_error = error
        self._update_server_page()

    def _update_server_page(self) -> None:
        other = self._other.isChecked()
        self._other_field.setEnabled(other)
        self._check_button.setEnabled(other and bool(self._other_field.text().strip())
                                      and self._check_state != "checking")
        state = self._check_state if other else "idle"
        if state == "checking":
            text = _("Checking the server…")
        elif state == "ok":
            text = "✓ " + _("{url} is a Jitsi Meet server and can be used.").format(url=self._checked_url)
            if self._check_detail:
                text += " " + self._check_detail
        elif state == "failed" and self._check_error is not None:
            text = "✗ " + error_message(self._check_error).text
        elif other:
            text = _("Enter the address your town gave you, for example konferenz.example.de.")
        else:
            text = ""
        self._check_status.setText(text)
        self._server_next.setEnabled(self.chosen_server() is not None)

    # --- device page --------------------------------------------------------------------
    def _build_device_page(self) -> QWidget:
        page = QWidget()
        self._device_title = QLabel()
        self._device_title.setObjectName("pageTitle")
        font = self._device_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._device_title.setFont(font)
        self._device_intro = QLabel()
        self._device_intro.setWordWrap(True)
        self._status_camera = QLabel()
        self._status_microphone = QLabel()
        self._status_speaker = QLabel()
        for label in (self._status_camera, self._status_microphone, self._status_speaker):
            label.setWordWrap(True)
        self._permission_help = QLabel()
        self._permission_help.setWordWrap(True)
        self._permission_help.setObjectName("errorText")
        self.preview = VideoTile("first-run-preview", "")
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.use_aspect_height()
        self.preview.setMinimumSize(288, 162)
        self.preview.set_video_muted(False)
        self.meter = LevelMeter()
        self._meter_label = QLabel()
        self._sound = TestSound(self)
        self._sound.finished.connect(self._on_sound_finished)
        self._sound_button = QPushButton()
        self._sound_button.clicked.connect(self.play_test_sound)
        self._sound_status = QLabel()
        self._sound_status.setWordWrap(True)
        self._remember = QCheckBox()
        self._remember.setChecked(True)
        self._recheck = QPushButton()
        self._recheck.clicked.connect(self.recheck_requested.emit)
        self._back = QPushButton()
        self._back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self._finish = QPushButton()
        self._finish.setDefault(True)
        self._finish.clicked.connect(self._on_finish)

        layout = QVBoxLayout(page)
        layout.addWidget(self._device_title)
        layout.addWidget(self._device_intro)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.preview)
        left.addWidget(self._meter_label)
        left.addWidget(self.meter)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._status_camera)
        right.addWidget(self._status_microphone)
        right.addWidget(self._status_speaker)
        right.addWidget(self._permission_help)
        right.addWidget(self._sound_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self._sound_status)
        right.addWidget(self._recheck, 0, Qt.AlignmentFlag.AlignLeft)
        right.addStretch(1)
        body.addLayout(left, 3)
        body.addSpacing(12)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        layout.addWidget(self._remember)
        row = QHBoxLayout()
        row.addWidget(self._back)
        row.addStretch(1)
        row.addWidget(self._finish)
        layout.addLayout(row)
        return page

    def show_device_page(self) -> None:
        if self.pages.currentIndex() == 0 and not self._skip_server and self.chosen_server() is None:
            return
        self.pages.setCurrentIndex(1)
        self._back.setVisible(not self._skip_server)
        self.device_page_shown.emit()
        self._finish.setFocus()

    def set_permission(self, state: str) -> None:
        """"granted" or "denied", from the operating system's permission API."""
        self._permission = state
        self.retranslate()

    def set_devices(self, devices: DeviceLists) -> None:
        self._devices = devices
        self.retranslate()

    def set_preview_source(self, pump: Any | None) -> None:
        if self._binding is not None:
            self._binding.close()
            self._binding = None
        self.preview.set_frame(None)
        if pump is not None:
            self._binding = FrameBinding(pump, self.preview)

    def set_level_source(self, source: Any | None) -> None:
        self._level_source = source
        if source is None:
            self._level_timer.stop()
        else:
            self._level_timer.start()

    def _poll_level(self) -> None:
        if self._level_source is not None:
            self.meter.set_level(read_level(self._level_source))

    def play_test_sound(self) -> None:
        self._sound_status.setText(_("Playing a test sound… Can you hear it?"))
        self._sound.play()

    def _on_sound_finished(self, played: bool) -> None:
        self._sound_status.setText(_("Did you hear two soft tones? If not, check the volume and "
                                     "the speaker in the settings.") if played else
                                   _("No speaker could be used for the test sound."))

    def statuses(self) -> tuple[str, str, str]:
        return self._status_camera.text(), self._status_microphone.text(), self._status_speaker.text()

    def _on_finish(self) -> None:
        chosen = None if self._skip_server else self.chosen_server()
        self.shutdown()
        self.finished.emit(FirstRunResult(server_url=chosen[0] if chosen else None,
                                          server_name=chosen[1] if chosen else None,
                                          remember_devices=self._remember.isChecked()))

    def shutdown(self) -> None:
        self._cancel_check()
        self._level_timer.stop()
        self._sound.stop()
        self.set_preview_source(None)

    # --- texts --------------------------------------------------------------------------
    def _device_status(self, kind: str, found: tuple[Any, ...]) -> str:
        labels = {"camera": (_("Camera: {name}"), _("Camera: none found. You can still join "
                                                    "with your microphone.")),
                  "microphone": (_("Microphone: {name}"), _("Microphone: none found. Others "
                                                            "will not hear you.")),
                  "speaker": (_("Speaker: {name}"), _("Speaker: none found. You will not hear "
                                                      "the others."))}
        ok, missing = labels[kind]
        if self._devices is None:
            return _("Looking for devices…")
        if kind in self._devices.problems:
            return {"camera": _("Camera: it is in use by another program or cannot be opened. "
                                "Close other video programs and check again."),
                    "microphone": _("Microphone: it is in use or cannot be opened. Check again "
                                    "after closing other programs."),
                    "speaker": _("Speaker: it cannot be opened.")}[kind]
        if not found:
            return missing
        return ok.format(name=found[0].label)

    def retranslate(self) -> None:
        self._welcome.setText(_("Welcome to Treffpunkt"))
        self._intro.setText(_("Which town's video meeting server do you want to use? Treffpunkt "
                              "only connects to the server you choose here. You can change it "
                              "later in the settings."))
        for button, server in self._server_buttons:
            host = server.url.split("://", 1)[-1]
            button.setText(_("{town}: {service} ({host})").format(town=server.town,
                                                                   service=server.service, host=host))
        self._other.setText(_("Another server:"))
        self._other_field.setPlaceholderText(_("Address of the server"))
        self._other_field.setAccessibleName(_("Address of another server"))
        self._check_button.setText(_("Check"))
        self._privacy.setText(_("Treffpunkt sends nothing to anyone else: no statistics, no "
                                "avatars, no other servers."))
        self._server_next.setText(_("Next"))
        self._update_server_page()
        self._device_title.setText(_("Camera, microphone and speaker"))
        self._device_intro.setText(_("Check that others will see and hear you. Speak: the bar "
                                     "should move."))
        devices = self._devices
        self._status_camera.setText(self._device_status("camera", devices.cameras if devices else ()))
        self._status_microphone.setText(self._device_status(
            "microphone", devices.microphones if devices else ()))
        self._status_speaker.setText(self._device_status("speaker", devices.speakers if devices else ()))
        self._permission_help.setText(_("Treffpunkt may not use the camera or microphone. Allow it "
                                        "in your system settings (Privacy → Camera / Microphone), "
                                        "then press “Check again”."))
        self._permission_help.setVisible(self._permission == "denied")
        self._meter_label.setText(_("Microphone level:"))
        self.preview.set_display_name(_("Your camera"))
        self._sound_button.setText(_("Play test sound"))
        self._recheck.setText(_("Check again"))
        self._remember.setText(_("Remember my decision and do not ask again"))
        self._back.setText(_("Back"))
        self._finish.setText(_("Done"))
