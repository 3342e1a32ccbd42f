"""Every control is named for screen readers, reachable with Tab, and fits at 150 % text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QCheckBox,
                               QComboBox, QLabel, QLineEdit, QPlainTextEdit, QRadioButton,
                               QWidget)

from client.jitsi import events as ev
from client.meeting.address import parse_link
from client.ui import app_settings as keys
from client.ui.bridge import ConferenceBridge
from client.ui.call_window import CallWindow
from client.ui.devices import DeviceInfo, DeviceLists
from client.ui.dialogs import LeaveDialog, PasswordDialog, ShortcutsDialog
from client.ui.first_run import FirstRunView
from client.ui.invite_dialog import InviteDialog
from client.ui.join_window import JoinView
from client.ui.prejoin_view import PreJoinView
from client.ui.settings_dialog import SettingsDialog
from tests.ui.fakes import FakeConference

pytestmark = pytest.mark.gui

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)
SERVER = "https://konferenz.bretten.de"
DEVICES = DeviceLists(cameras=(DeviceInfo("/dev/video0", "Integrated Camera"),),
                      microphones=(DeviceInfo("1", "Built-in Microphone"),),
                      speakers=(DeviceInfo("2", "Built-in Speakers"),))


def _call(qloop, *, state: str) -> CallWindow:
    conference = FakeConference()
    window = CallWindow(ConferenceBridge(conference, loop=qloop), parse_link(f"{SERVER}/omaopa"),
                        display_name="Oma")
    if state == "call":
        conference.join(role="moderator", others=(("a", "Anna Berg"), ("b", "Bob")))
        conference.emit(ev.KnockerAdded(knocker_id="k", display_name="Karl"))
        window.toggle_panel("participants")
    elif state == "chat":
        conference.join()
        window.toggle_panel("chat")
    elif state == "host":
        conference.emit(ev.WaitingForHost(room="omaopa", poll_interval_s=5))
    elif state == "lobby":
        conference.emit(ev.LobbyWaiting(room="omaopa", lobby_room="l@lobby"))
    return window


def _first_run(qloop, page: int) -> FirstRunView:
    view = FirstRunView()
    if page:
        view.show_device_page()
        view.set_devices(DEVICES)
    return view


SCREENS = {
    "first-run-server": lambda loop: _first_run(loop, 0),
    "first-run-devices": lambda loop: _first_run(loop, 1),
    "join": lambda loop: _join(),
    "join-server-locked": lambda loop: _join(server_locked=True),
    "prejoin": lambda loop: _prejoin(),
    "call-participants": lambda loop: _call(loop, state="call"),
    "call-chat": lambda loop: _call(loop, state="chat"),
    "waiting-for-host": lambda loop: _call(loop, state="host"),
    "lobby": lambda loop: _call(loop, state="lobby"),
    "settings": lambda loop: SettingsDialog(keys.MemorySettings({keys.SERVER_URL: SERVER})),
    "password": lambda loop: PasswordDialog("omaopa"),
    "invite": lambda loop: InviteDialog(parse_link(f"{SERVER}/omaopa"), "pw"),
    "leave": lambda loop: LeaveDialog(),
    "shortcuts": lambda loop: ShortcutsDialog(),
}


def _join(server_locked: bool = False) -> JoinView:
    from client.settings.recents import RecentRoom

    view = JoinView(SERVER, "Bretten – Peter ruft Paul", server_locked=server_locked)
    view.set_recents([RecentRoom(SERVER, None, "eins", "2025-10-09T17:00:00Z")])
    view.set_text("https://meet.jit.si/x")
    return view


def _prejoin() -> PreJoinView:
    view = PreJoinView(parse_link("omaopa", SERVER), display_name="Oma")
    view.set_devices(DEVICES)
    return view


def _show(qtbot, widget: QWidget, width: int = 1100, height: int = 720) -> QWidget:
    qtbot.addWidget(widget)
    if widget.isWindow() and widget.inherits("QDialog"):
        widget.resize(widget.size().expandedTo(widget.sizeHint()))
    else:
        widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (a line edit's clear button, a combo's popup list)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QLineEdit, QComboBox)):
            return True
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def _controls(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisibleTo(root) and w.isEnabled()
            and not _internal(w)]


def _name(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    return ""


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_control_has_a_name_and_takes_keyboard_focus(screen, qtbot, qloop, language):
    root = _show(qtbot, SCREENS[screen](qloop))
    controls = _controls(root)
    assert controls
    for widget in controls:
        assert _name(widget).strip(), f"{screen}: {type(widget).__name__} {widget.objectName()} has no name"
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, \
            f"{screen}: {_name(widget)} cannot be reached with Tab"


@pytest.mark.parametrize("screen", ["join", "prejoin", "call-participants", "settings",
                                    "first-run-devices", "waiting-for-host"])
def test_tab_reaches_every_control(screen, qtbot, qloop):
    root = _show(qtbot, SCREENS[screen](qloop))
    controls = set(_controls(root))
    seen: set[QWidget] = set()
    widget = root.nextInFocusChain()
    for _ in range(2000):
        if widget in controls:
            seen.add(widget)
        widget = widget.nextInFocusChain()
        if widget is root:
            break
    assert controls <= seen, [_name(w) for w in controls - seen]


@pytest.fixture
def large_text(qapp):
    original = QFont(qapp.font())
    font = QFont(original)
    font.setPointSizeF(original.pointSizeF() * 1.5)
    qapp.setFont(font)
    yield
    qapp.setFont(original)


def _clipped(root: QWidget) -> list[str]:
    """Buttons, boxes and one-line labels narrower than their text, or outside the window."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or _internal(widget):
            continue
        if isinstance(widget, (QAbstractButton, QCheckBox, QRadioButton)) or (
                isinstance(widget, QLabel) and not widget.wordWrap() and widget.text()):
            if widget.width() + 1 < widget.minimumSizeHint().width():
                problems.append(f"{type(widget).__name__} '{_name(widget) or widget.text()}' "
                                f"is {widget.width()} px wide, needs {widget.minimumSizeHint().width()}")
            # sideways only: scroll areas may hold more than fits vertically, by design
            left = widget.mapTo(root, widget.rect().topLeft()).x()
            if left < 0 or left + widget.width() > root.width() + 1:
                problems.append(f"{type(widget).__name__} '{_name(widget) or widget.text()}' "
                                f"leaves the window sideways")
    return problems


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_layouts_fit_at_150_percent_text(screen, qtbot, qloop, large_text):
    from client.i18n import set_language

    set_language("de")    # the longer texts
    try:
        root = _show(qtbot, SCREENS[screen](qloop), 1100, 760)
        assert _clipped(root) == []
    finally:
        set_language("en")
