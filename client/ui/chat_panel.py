"""The chat beside the video: history, recipient (everyone or one person), input."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView,
                               QPushButton, QVBoxLayout, QWidget)

from client.i18n import _
from client.ui.models import ChatModel, ParticipantModel


class ChatPanel(QWidget):
    """Sends ``send_requested(text, to_endpoint_id or None)``; shows a ``ChatModel``."""

    send_requested = Signal(str, object)

    def __init__(self, chat: ChatModel, participants: ParticipantModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._chat = chat
        self._participants = participants
        self._heading = QLabel()
        self._heading.setObjectName("panelHeading")
        self._history = QListView()
        self._history.setModel(chat)
        self._history.setWordWrap(True)
        self._history.setUniformItemSizes(False)
        self._history.setSelectionMode(QListView.SelectionMode.NoSelection)
        self._history.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self._to_label = QLabel()
        self._recipient = QComboBox()
        self._to_label.setBuddy(self._recipient)
        self._input = QLineEdit()
        self._send = QPushButton()
        self._send.setDefault(True)
        self._input.returnPressed.connect(self.send)
        self._send.clicked.connect(self.send)
        self._input.textChanged.connect(lambda t: self._send.setEnabled(bool(t.strip())))
        self._send.setEnabled(False)
        chat.rowsInserted.connect(lambda *_: self._history.scrollToBottom())
        for signal in (participants.rowsInserted, participants.rowsRemoved,
                       participants.modelReset, participants.dataChanged):
            signal.connect(self._refill_recipients)

        to_row = QHBoxLayout()
        to_row.addWidget(self._to_label)
        to_row.addWidget(self._recipient, 1)
        input_row = QHBoxLayout()
        input_row.addWidget(self._input, 1)
        input_row.addWidget(self._send)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._history, 1)
        layout.addLayout(to_row)
        layout.addLayout(input_row)
        self.setMinimumWidth(280)
        self.retranslate()

    def input(self) -> QLineEdit:
        return self._input

    def recipient(self) -> QComboBox:
        return self._recipient

    def focus_input(self) -> None:
        self._input.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send(self) -> None:
        text = self._input.text().strip()
        if not text:
            return
        to = self._recipient.currentData()
        self.send_requested.emit(text, to or None)
        self._input.clear()

    def _refill_recipients(self, *_args: object) -> None:
        current = self._recipient.currentData()
        self._recipient.blockSignals(True)
        self._recipient.clear()
        self._recipient.addItem(_("Everyone"), None)
        for row in self._participants.rows():
            if not row.is_self:
                self._recipient.addItem(_("{name} (private)").format(name=row.display_name or _("Guest")),
                                        row.endpoint_id)
        index = self._recipient.findData(current) if current else 0
        self._recipient.setCurrentIndex(max(0, index))
        self._recipient.blockSignals(False)

    def retranslate(self) -> None:
        self._heading.setText(_("Chat"))
        self._history.setAccessibleName(_("Chat messages"))
        self._to_label.setText(_("&To:"))
        self._recipient.setAccessibleName(_("Send to"))
        self._input.setPlaceholderText(_("Write a message…"))
        self._input.setAccessibleName(_("Message"))
        self._send.setText(_("Send"))
        self._refill_recipients()
        self._chat.refresh_texts()
