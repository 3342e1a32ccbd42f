"""Invite others: copy the link, or a ready-to-send invitation text.

The text comes from ``client.meeting.invite`` (the user's language, the password
on its own line, the hint for users of the Jitsi mobile app); this dialog only
shows it and puts it on the clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from client.i18n import _
from client.meeting.address import MeetingAddress
from client.meeting.invite import invitation_text


class InviteDialog(QDialog):
    """Shows the link and the invitation text, each with a copy button."""

    copied = Signal(str)  # what was copied: "link" or "invitation"

    def __init__(self, address: MeetingAddress, password: str | None = None, *,
                 inviter: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inviteDialog")
        self._address = address
        self._link_text = address.link
        self._password = password
        self._inviter = inviter
        self._link_label = QLabel()
        self._link = QLineEdit(address.link)
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
        return invitation_text(self._address, password=self._password, inviter=self._inviter)

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
