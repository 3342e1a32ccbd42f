"""Invite others: copy the link, or a ready-to-send invitation text.

The invitation is in the user's language, names the server, keeps the password
on its own line (people forward links; the password can then be sent apart),
and tells users of the Jitsi mobile app to paste the full address, since the
app would otherwise open the room on a public server.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from client.i18n import _


def compose_invitation(link: str, room: str, server_host: str, password: str | None = None,
                       language: str | None = None) -> str:
    """The invitation text; uses client.meeting.invite when that module provides one."""
    try:
        from client.meeting import invite as meeting_invite
    except ImportError:
        meeting_invite = None
    compose = getattr(meeting_invite, "invitation_text", None)
    if callable(compose):
        try:
            return str(compose(link=link, room=room, server=server_host, password=password,
                               language=language))
        except TypeError:
            pass  # a different signature: fall back to our own text
    lines = [
        _("You are invited to a video meeting.", language),
        "",
        _("Room: {room}", language).format(room=room),
        _("Server: {server}", language).format(server=server_host),
        "",
        _("Join with this link:", language),
        link,
    ]
    if password:
        lines += ["", _("Password:", language), password]
    lines += ["", _("Using the Jitsi Meet app on a phone? Paste the complete address above, "
                    "including https://, so that the app opens the right server.", language)]
    return "\n".join(lines)


class InviteDialog(QDialog):
    """Shows the link and the invitation text, each with a copy button."""

    copied = Signal(str)  # what was copied: "link" or "invitation"

    def __init__(self, link: str, room: str, server_host: str, password: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inviteDialog")
        self._link_text = link
        self._room = room
        self._server = server_host
        self._password = password
        self._link_label = QLabel()
        self._link = QLineEdit(link)
        self._link.setReadOnly(True)
        self._link_label.setBuddy(self._link)
        self._copy_link = QPushButton()
        self._copy_link.clicked.connect(self.copy_link)
        self._text_label = QLabel()
        self._text = QPlainTextEdit()
        self._text.setReadOnly(True)
        self._text_label.setBuddy(self._text)
        self._copy_text = QPushButton()
        self._copy_text.clicked.connect(self.copy_invitation)
        self._status = QLabel()
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._buttons.rejected.connect(self.reject)
        link_row = QHBoxLayout()
        link_row.addWidget(self._link, 1)
        link_row.addWidget(self._copy_link)
        layout = QVBoxLayout(self)
        layout.addWidget(self._link_label)
        layout.addLayout(link_row)
        layout.addWidget(self._text_label)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._copy_text)
        layout.addWidget(self._status)
        layout.addWidget(self._buttons)
        self.resize(560, 460)
        self.retranslate()

    def invitation(self) -> str:
        return compose_invitation(self._link_text, self._room, self._server, self._password)

    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self._link_text)
        self._status.setText(_("The link has been copied."))
        self.copied.emit("link")

    def copy_invitation(self) -> None:
        QGuiApplication.clipboard().setText(self.invitation())
        self._status.setText(_("The invitation has been copied. Paste it into an e-mail or message."))
        self.copied.emit("invitation")

    def retranslate(self) -> None:
        self.setWindowTitle(_("Invite others"))
        self._link_label.setText(_("Meeting &link:"))
        self._link.setAccessibleName(_("Meeting link"))
        self._copy_link.setText(_("Copy link"))
        self._text_label.setText(_("&Invitation to send:"))
        self._text.setAccessibleName(_("Invitation text"))
        self._text.setPlainText(self.invitation())
        self._copy_text.setText(_("Copy invitation"))
