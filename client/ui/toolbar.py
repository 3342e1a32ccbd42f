"""The call's toolbar: big labelled buttons that are always visible.

Microphone and camera are checkable buttons whose *checked* state means "on",
so a screen reader announces the state; the icon and the text say it too, so
colour is never the only sign.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QWidget

from client.i18n import _
from client.ui.icons import icon

BUTTON_ICON_PX = 28
TOOLBAR_FOREGROUND = "#f1f3f4"


def _tool_button(name: str, *, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
    button.setIconSize(QSize(BUTTON_ICON_PX, BUTTON_ICON_PX))
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    button.setMinimumWidth(84)
    return button


class CallToolbar(QWidget):
    """Buttons of the call; state changes come from the call window, clicks go out."""

    microphone_toggled = Signal(bool)   # True = on
    camera_toggled = Signal(bool)
    chat_clicked = Signal()
    participants_clicked = Signal()
    invite_clicked = Signal()
    settings_clicked = Signal()
    help_clicked = Signal()
    leave_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callToolbar")
        self.microphone = _tool_button("microphoneButton", checkable=True)
        self.camera = _tool_button("cameraButton", checkable=True)
        self.chat = _tool_button("chatButton", checkable=True)
        self.participants = _tool_button("participantsButton", checkable=True)
        self.invite = _tool_button("inviteButton")
        self.settings = _tool_button("settingsButton")
        self.help = _tool_button("helpButton")
        self.leave = _tool_button("leaveButton")
        self._unread = 0
        self._knockers = 0

        self.microphone.toggled.connect(self._on_microphone)
        self.camera.toggled.connect(self._on_camera)
        self.chat.clicked.connect(self.chat_clicked.emit)
        self.participants.clicked.connect(self.participants_clicked.emit)
        self.invite.clicked.connect(self.invite_clicked.emit)
        self.settings.clicked.connect(self.settings_clicked.emit)
        self.help.clicked.connect(self.help_clicked.emit)
        self.leave.clicked.connect(self.leave_clicked.emit)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.microphone)
        layout.addWidget(self.camera)
        layout.addStretch(1)
        for button in (self.chat, self.participants, self.invite, self.settings, self.help):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.leave)
        self.retranslate()

    # --- state from the window ---------------------------------------------------------
    def set_microphone_on(self, on: bool) -> None:
        self.microphone.blockSignals(True)
        self.microphone.setChecked(on)
        self.microphone.blockSignals(False)
        self.retranslate()

    def set_camera_on(self, on: bool) -> None:
        self.camera.blockSignals(True)
        self.camera.setChecked(on)
        self.camera.blockSignals(False)
        self.retranslate()

    def set_unread(self, count: int) -> None:
        self._unread = count
        self.retranslate()

    def set_knockers(self, count: int) -> None:
        self._knockers = count
        self.retranslate()

    def set_in_room(self, in_room: bool) -> None:
        """Chat and participants exist only in the room (not while connecting or waiting)."""
        self.chat.setVisible(in_room)
        self.participants.setVisible(in_room)

    def set_panel(self, panel: str | None) -> None:
        self.chat.setChecked(panel == "chat")
        self.participants.setChecked(panel == "participants")

    def _on_microphone(self, on: bool) -> None:
        self.retranslate()
        self.microphone_toggled.emit(on)

    def _on_camera(self, on: bool) -> None:
        self.retranslate()
        self.camera_toggled.emit(on)

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        fg = QColor(TOOLBAR_FOREGROUND)
        mic_on = self.microphone.isChecked()
        cam_on = self.camera.isChecked()
        self.microphone.setIcon(icon("mic" if mic_on else "mic-off", fg))
        self.microphone.setText(_("Microphone on") if mic_on else _("Microphone off"))
        self.microphone.setToolTip(_("Turn the microphone off (M)") if mic_on
                                   else _("Turn the microphone on (M)"))
        self.microphone.setAccessibleName(_("Microphone"))
        self.camera.setIcon(icon("camera" if cam_on else "camera-off", fg))
        self.camera.setText(_("Camera on") if cam_on else _("Camera off"))
        self.camera.setToolTip(_("Turn the camera off (V)") if cam_on else _("Turn the camera on (V)"))
        self.camera.setAccessibleName(_("Camera"))
        self.chat.setIcon(icon("chat", fg))
        self.chat.setText(_("Chat ({count})").format(count=self._unread) if self._unread else _("Chat"))
        self.chat.setToolTip(_("Show or hide the chat (C)"))
        self.chat.setAccessibleName(
            _("Chat, {count} unread messages").format(count=self._unread) if self._unread else _("Chat"))
        self.participants.setIcon(icon("participants", fg))
        self.participants.setText(
            _("People ({count} waiting)").format(count=self._knockers) if self._knockers else _("People"))
        self.participants.setToolTip(_("Show or hide the participants (P)"))
        self.participants.setAccessibleName(self.participants.text())
        self.invite.setIcon(icon("invite", fg))
        self.invite.setText(_("Invite"))
        self.invite.setToolTip(_("Copy the link or an invitation"))
        self.invite.setAccessibleName(_("Invite"))
        self.settings.setIcon(icon("settings", fg))
        self.settings.setText(_("Settings"))
        self.settings.setAccessibleName(_("Settings"))
        self.help.setIcon(icon("help", fg))
        self.help.setText(_("Shortcuts"))
        self.help.setToolTip(_("Keyboard shortcuts (?)"))
        self.help.setAccessibleName(_("Keyboard shortcuts"))
        self.leave.setIcon(icon("leave", QColor("#ffffff")))
        self.leave.setText(_("Leave"))
        self.leave.setToolTip(_("Leave the meeting"))
        self.leave.setAccessibleName(_("Leave the meeting"))
