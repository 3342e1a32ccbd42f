"""Full-page states before (or instead of) the meeting.

Connecting, waiting in the lobby, waiting for the host (with the host login),
signing in because the room admits only signed-in users, and the page that
explains an error or an ending with what to do next.
"""

from __future__ import annotations

from enum import Enum
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget)

from client.i18n import _
from client.ui.credentials import keyring_available
from client.ui.messages import Action, UserMessage, action_label


class WaitingState(str, Enum):
    CONNECTING = "connecting"
    LOBBY = "lobby"
    WAITING_FOR_HOST = "waiting-for-host"
    HOST_LOGIN = "host-login"
    MESSAGE = "message"


class WaitingView(QWidget):
    """One calm page; what it says depends on ``state``."""

    cancel_requested = Signal()
    password_offered = Signal()                      # "I have the password" in the lobby
    host_login_submitted = Signal(str, str, bool)    # user, password, remember
    action_chosen = Signal(object)                   # Action on the message page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingView")
        self.state = WaitingState.CONNECTING
        self._room = ""
        self._server = ""
        self._after_failed_login = False
        self._compose: Callable[[], UserMessage] | None = None

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        self._busy = QProgressBar()
        self._busy.setRange(0, 0)
        self._busy.setTextVisible(False)
        self._busy.setMaximumHeight(8)

        self._login_box = QFrame()
        self._login_title = QLabel()
        title_font = self._login_title.font()
        title_font.setBold(True)
        self._login_title.setFont(title_font)
        self._login_error = QLabel()
        self._login_error.setObjectName("errorText")
        self._login_error.setWordWrap(True)
        self._user = QLineEdit()
        self._password = QLineEdit()
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._user_label = QLabel()
        self._user_label.setBuddy(self._user)
        self._password_label = QLabel()
        self._password_label.setBuddy(self._password)
        self._remember = QCheckBox()
        self._remember.setVisible(keyring_available())
        self._login = QPushButton()
        self._login.clicked.connect(self._submit_login)
        self._password.returnPressed.connect(self._submit_login)
        for field in (self._user, self._password):
            field.textChanged.connect(self._update_login_button)
        form = QFormLayout()
        form.addRow(self._user_label, self._user)
        form.addRow(self._password_label, self._password)
        login_layout = QVBoxLayout(self._login_box)
        login_layout.setContentsMargins(0, 12, 0, 0)
        login_layout.addWidget(self._login_title)
        login_layout.addWidget(self._login_error)
        login_layout.addLayout(form)
        login_layout.addWidget(self._remember)
        login_layout.addWidget(self._login, 0, Qt.AlignmentFlag.AlignLeft)

        self._have_password = QPushButton()
        self._have_password.clicked.connect(self.password_offered.emit)
        self._cancel = QPushButton()
        self._cancel.clicked.connect(self.cancel_requested.emit)
        self._buttons = QHBoxLayout()
        self._buttons.addWidget(self._have_password)
        self._buttons.addStretch(1)
        self._buttons.addWidget(self._cancel)
        self._action_row = QHBoxLayout()
        self._action_row.addStretch(1)
        self._action_buttons: dict[Action, QPushButton] = {}

        column = QVBoxLayout()
        column.addWidget(self._title)
        column.addWidget(self._text)
        column.addWidget(self._busy)
        column.addWidget(self._hint)
        column.addWidget(self._login_box)
        column.addSpacing(12)
        column.addLayout(self._buttons)
        column.addLayout(self._action_row)
        card = QFrame()
        card.setObjectName("card")
        card.setLayout(column)
        card.setMaximumWidth(620)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._update_login_button()
        self.retranslate()

    # --- states -------------------------------------------------------------------------
    def show_connecting(self, server: str) -> None:
        self._server = server
        self._set_state(WaitingState.CONNECTING)

    def show_lobby(self, room: str) -> None:
        self._room = room
        self._set_state(WaitingState.LOBBY)

    def show_waiting_for_host(self, room: str) -> None:
        self._room = room
        self._after_failed_login = False
        self._set_state(WaitingState.WAITING_FOR_HOST)

    def show_host_login(self, room: str, *, after_failed_login: bool = False) -> None:
        self._room = room
        self._after_failed_login = after_failed_login
        self._password.clear()
        self._set_state(WaitingState.HOST_LOGIN)

    def show_message(self, compose: Callable[[], UserMessage]) -> None:
        self._compose = compose
        self._set_state(WaitingState.MESSAGE)

    def set_host_login(self, user: str, password: str) -> None:
        """Pre-fill a login remembered in the keyring."""
        self._user.setText(user)
        self._password.setText(password)
        self._remember.setChecked(True)

    def _set_state(self, state: WaitingState) -> None:
        self.state = state
        self._rebuild_actions()
        self.retranslate()
        if state in (WaitingState.WAITING_FOR_HOST, WaitingState.HOST_LOGIN):
            (self._password if self._user.text() else self._user).setFocus()
        elif self._action_buttons:
            next(iter(self._action_buttons.values())).setFocus()
        else:
            self._cancel.setFocus()

    def _rebuild_actions(self) -> None:
        for button in self._action_buttons.values():
            self._action_row.removeWidget(button)
            button.deleteLater()
        self._action_buttons = {}
        if self.state is not WaitingState.MESSAGE or self._compose is None:
            return
        for action in self._compose().actions:
            button = QPushButton()
            button.clicked.connect(lambda _=False, a=action: self.action_chosen.emit(a))
            self._action_row.addWidget(button)
            self._action_buttons[action] = button

    # --- accessors ----------------------------------------------------------------------
    def action_button(self, action: Action) -> QPushButton | None:
        return self._action_buttons.get(action)

    def login_fields(self) -> tuple[QLineEdit, QLineEdit, QPushButton]:
        return self._user, self._password, self._login

    def texts(self) -> tuple[str, str, str]:
        return self._title.text(), self._text.text(), self._hint.text()

    def cancel_button(self) -> QPushButton:
        return self._cancel

    def have_password_button(self) -> QPushButton:
        return self._have_password

    # --- slots --------------------------------------------------------------------------
    def _update_login_button(self) -> None:
        self._login.setEnabled(bool(self._user.text().strip() and self._password.text()))

    def _submit_login(self) -> None:
        if self._login.isEnabled():
            self.host_login_submitted.emit(self._user.text().strip(), self._password.text(),
                                           self._remember.isChecked() and self._remember.isVisible())

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        state = self.state
        room = self._room
        self._busy.setVisible(state in (WaitingState.CONNECTING, WaitingState.LOBBY,
                                        WaitingState.WAITING_FOR_HOST))
        self._login_box.setVisible(state in (WaitingState.WAITING_FOR_HOST, WaitingState.HOST_LOGIN))
        self._have_password.setVisible(state is WaitingState.LOBBY)
        self._cancel.setVisible(state is not WaitingState.MESSAGE)
        self._login_error.setVisible(self._after_failed_login and state is WaitingState.HOST_LOGIN)
        hint = ""
        if state is WaitingState.CONNECTING:
            title = _("Connecting…")
            text = _("Connecting to {server}.").format(server=self._server)
        elif state is WaitingState.LOBBY:
            title = _("Waiting to be let in")
            text = _("You have asked to join “{room}”. Someone in the meeting will let you in "
                     "shortly. Please wait.").format(room=room)
            hint = _("If you were given the room password, you can enter it instead.")
        elif state is WaitingState.WAITING_FOR_HOST:
            title = _("Waiting for the host")
            text = _("The meeting “{room}” has not started yet. You will join automatically "
                     "as soon as the host arrives.").format(room=room)
            hint = _("Are you the host? Then sign in below.")
        elif state is WaitingState.HOST_LOGIN:
            title = _("Sign in to join")
            text = _("The meeting “{room}” only admits people who sign in with their account "
                     "on this server.").format(room=room)
        else:
            message = self._compose() if self._compose else None
            title = message.title if message else ""
            text = message.text if message else ""
            hint = message.hint if message else ""
        self._title.setText(title)
        self._text.setText(text)
        self._hint.setText(hint)
        self._hint.setVisible(bool(hint))
        self._login_title.setText(_("Sign in as host"))
        self._login_error.setText(_("The user name or password was not correct. Please try again."))
        self._user_label.setText(_("&User name:"))
        self._password_label.setText(_("Pass&word:"))
        self._user.setAccessibleName(_("User name"))
        self._password.setAccessibleName(_("Password"))
        self._remember.setText(_("Remember this login in the system keyring"))
        self._login.setText(_("Sign in"))
        self._have_password.setText(_("I have the password"))
        self._cancel.setText(_("Cancel"))
        for action, button in self._action_buttons.items():
            button.setText(action_label(action))
