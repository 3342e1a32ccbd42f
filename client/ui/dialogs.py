"""Small dialogs of the call: password, name, lock, leave, shortcuts, errors.

All of them are opened with ``open()`` (window-modal, never ``exec()``, which
would spin a nested event loop and stall the meeting) and report through
signals.  Each has ``retranslate()`` for a language switch while it is open.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from client.i18n import N_, _
from client.ui.messages import Action, UserMessage, action_label


def _wrap_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class PasswordDialog(QDialog):
    """The room is locked: ask for its password (again, when it was wrong)."""

    password_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, room: str, *, after_wrong_password: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self._room = room
        self._after_wrong = after_wrong_password
        self._intro = _wrap_label()
        self._wrong = _wrap_label()
        self._wrong.setObjectName("errorText")
        self._wrong.setVisible(after_wrong_password)
        self._field = QLineEdit()
        self._field.setEchoMode(QLineEdit.EchoMode.Password)
        self._show = QCheckBox()
        self._show.toggled.connect(lambda on: self._field.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self._field_label = QLabel()
        self._field_label.setBuddy(self._field)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                         | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._on_accept)
        self._buttons.rejected.connect(self.reject)
        self._field.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self._wrong)
        form = QFormLayout()
        form.addRow(self._field_label, self._field)
        form.addRow("", self._show)
        layout.addLayout(form)
        layout.addWidget(self._buttons)
        self.rejected.connect(self.cancelled.emit)
        self.retranslate()
        self._update_ok()
        self._field.setFocus()

    def field(self) -> QLineEdit:
        return self._field

    def _update_ok(self) -> None:
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._field.text()))

    def _on_accept(self) -> None:
        if not self._field.text():
            return
        self.password_entered.emit(self._field.text())
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Password required"))
        self._intro.setText(_("The meeting “{room}” is locked with a password. "
                              "Please enter the password you were given.").format(room=self._room))
        self._wrong.setText(_("That password was not correct. Please check it and try again."))
        self._field_label.setText(_("&Password:"))
        self._field.setAccessibleName(_("Room password"))
        self._show.setText(_("Show password"))
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Join"))


class DisplayNameDialog(QDialog):
    """The room needs a name before it lets us in."""

    name_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._intro = _wrap_label()
        self._field = QLineEdit(current)
        self._field_label = QLabel()
        self._field_label.setBuddy(self._field)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                         | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._on_accept)
        self._buttons.rejected.connect(self.reject)
        self._field.textChanged.connect(lambda text: self._buttons.button(
            QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        form = QFormLayout()
        form.addRow(self._field_label, self._field)
        layout.addLayout(form)
        layout.addWidget(self._buttons)
        self.rejected.connect(self.cancelled.emit)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(current.strip()))
        self.retranslate()

    def field(self) -> QLineEdit:
        return self._field

    def _on_accept(self) -> None:
        name = self._field.text().strip()
        if name:
            self.name_entered.emit(name)
            self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Your name"))
        self._intro.setText(_("This meeting asks everyone for a name. The others will see it."))
        self._field_label.setText(_("&Name:"))
        self._field.setAccessibleName(_("Your name"))


class LockRoomDialog(QDialog):
    """Moderator: choose a password for the room."""

    password_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._intro = _wrap_label()
        self._field = QLineEdit()
        self._field_label = QLabel()
        self._field_label.setBuddy(self._field)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                         | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._on_accept)
        self._buttons.rejected.connect(self.reject)
        self._field.textChanged.connect(lambda text: self._buttons.button(
            QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text)))
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        form = QFormLayout()
        form.addRow(self._field_label, self._field)
        layout.addLayout(form)
        layout.addWidget(self._buttons)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.retranslate()

    def field(self) -> QLineEdit:
        return self._field

    def _on_accept(self) -> None:
        if self._field.text():
            self.password_chosen.emit(self._field.text())
            self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Lock the room"))
        self._intro.setText(_("Everyone who joins from now on must enter this password. "
                              "Send it to your guests separately from the link."))
        self._field_label.setText(_("&Password:"))
        self._field.setAccessibleName(_("New room password"))
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Lock room"))


class LeaveDialog(QDialog):
    """Leaving needs a confirmation so a slip of the hand does not end the call."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leaveDialog")
        self._text = _wrap_label()
        self._buttons = QDialogButtonBox()
        self._leave = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self._stay = self._buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self._leave.setObjectName("leaveButton")
        self._stay.setDefault(True)
        self._buttons.accepted.connect(self._on_accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._text)
        layout.addWidget(self._buttons)
        self.retranslate()

    def leave_button(self) -> QPushButton:
        return self._leave

    def stay_button(self) -> QPushButton:
        return self._stay

    def _on_accept(self) -> None:
        self.confirmed.emit()
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Leave the meeting?"))
        self._text.setText(_("Do you want to leave the meeting? You can join again with the same link."))
        self._leave.setText(_("Leave"))
        self._stay.setText(_("Stay"))


SHORTCUTS = (
    ("M", N_("Turn the microphone on or off")),
    ("V", N_("Turn the camera on or off")),
    ("C", N_("Show or hide the chat")),
    ("P", N_("Show or hide the participants")),
    ("?", N_("Show this list")),
    ("Esc", N_("Back to the tile view")),
    ("PgUp / PgDn", N_("Previous or next page of tiles")),
)


class ShortcutsDialog(QDialog):
    """The keyboard shortcut list (opened with “?”)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self._grid = QGridLayout()
        self._labels: list[tuple[QLabel, str]] = []
        for row, (keys, text) in enumerate(SHORTCUTS):
            key_label = QLabel(f"<b>{keys}</b>")
            key_label.setTextFormat(Qt.TextFormat.RichText)
            description = QLabel()
            self._grid.addWidget(key_label, row, 0)
            self._grid.addWidget(description, row, 1)
            self._labels.append((description, text))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._buttons.rejected.connect(self.reject)
        self._buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(self._grid)
        layout.addWidget(self._buttons)
        self.retranslate()

    def texts(self) -> list[str]:
        return [label.text() for label, _source in self._labels]

    def retranslate(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        for label, source in self._labels:
            label.setText(_(source))


class MessageDialog(QDialog):
    """An error or an ending: title, what happened, what to do, and action buttons."""

    action_chosen = Signal(object)  # Action

    def __init__(self, compose: Callable[[], UserMessage], parent: QWidget | None = None) -> None:
        """``compose`` builds the message in the current language (again after a switch)."""
        super().__init__(parent)
        self.setObjectName("messageDialog")
        self._compose = compose
        self.message = message = compose()
        self._title = QLabel()
        self._title.setObjectName("messageTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._text = _wrap_label()
        self._hint = _wrap_label()
        self._buttons = QDialogButtonBox()
        self._action_buttons: dict[Action, QPushButton] = {}
        for action in message.actions:
            button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
            self._action_buttons[action] = button
        if message.actions:
            self._action_buttons[message.actions[0]].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._text)
        layout.addWidget(self._hint)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(420)
        self.retranslate()

    def button(self, action: Action) -> QPushButton | None:
        return self._action_buttons.get(action)

    def _choose(self, action: Action) -> None:
        self.action_chosen.emit(action)
        self.accept()

    def retranslate(self) -> None:
        self.message = self._compose()
        self.setWindowTitle(self.message.title)
        self._title.setText(self.message.title)
        self._text.setText(self.message.text)
        self._hint.setText(self.message.hint)
        self._hint.setVisible(bool(self.message.hint))
        for action, button in self._action_buttons.items():
            button.setText(action_label(action))
