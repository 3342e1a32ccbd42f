"""The start screen: one field, "Room name or link", and what it will do.

Every keystroke runs ``parse_link`` (pure and fast) and shows "Room *x* on
*host*" or, in plain words, what is wrong.  Before a room on a public or
unknown server can be opened the user has to confirm it.  Recent rooms (with
their server) can be opened, removed one by one, or all at once.  When an
administrator has fixed the server, "Change server" is not offered and the
screen says who fixed it.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from client.errors import AddressError
from client.i18n import _, current_language
from client.meeting.address import MeetingAddress, parse_link
from client.meeting.roomname import assess_room_name, suggest_room_name
from client.meeting.servers import ServerGuard
from client.ui.app_settings import recent_time


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class JoinView(QWidget):
    """Emits ``join_requested(MeetingAddress)`` when the user continues."""

    join_requested = Signal(object)
    settings_requested = Signal()
    recent_removed = Signal(object)     # the entry
    recents_cleared = Signal()

    def __init__(self, default_server: str | None = None, server_name: str | None = None, *,
                 public_servers_allowed: bool = True, server_locked: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinView")
        self._default_server = default_server
        self._server_name = server_name
        self._public_allowed = public_servers_allowed
        self._server_locked = server_locked
        self.address: MeetingAddress | None = None
        self.error: AddressError | None = None
        self._recents: list[Any] = []

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._title.setFont(font)
        self._server_line = QLabel()
        self._server_line.setWordWrap(True)
        self._change_server = QPushButton()
        self._change_server.clicked.connect(self.settings_requested.emit)
        # hidden, not just disabled, when the admin fixed the server: nothing to offer
        self._change_server.setVisible(not server_locked)
        self._server_lock_note = QLabel()
        self._server_lock_note.setObjectName("helpText")
        self._server_lock_note.setWordWrap(True)
        self._server_lock_note.setVisible(server_locked)
        self._field_label = QLabel()
        self._field = QLineEdit()
        self._field.setObjectName("roomField")
        self._field.setClearButtonEnabled(True)
        field_font = self._field.font()
        field_font.setPointSizeF(field_font.pointSizeF() * 1.25)
        self._field.setFont(field_font)
        self._field_label.setBuddy(self._field)
        self._suggest = QPushButton()
        self._suggest.clicked.connect(self.suggest_name)
        self._preview = QLabel()
        self._preview.setObjectName("roomPreview")
        self._preview.setWordWrap(True)
        self._preview.setTextFormat(Qt.TextFormat.RichText)
        self._warning = QLabel()
        self._warning.setObjectName("guardWarning")
        self._warning.setWordWrap(True)
        self._confirm = QCheckBox()
        self._hint = QLabel()
        self._hint.setObjectName("roomHint")
        self._hint.setWordWrap(True)
        self._continue = QPushButton()
        self._continue.setObjectName("continueButton")
        self._continue.setDefault(True)
        self._continue.clicked.connect(self.submit)
        self._field.textChanged.connect(self._update)
        self._field.returnPressed.connect(self.submit)
        self._confirm.toggled.connect(lambda _on: self._update_continue())

        self._recent_label = QLabel()
        self._recent_list = QListWidget()
        self._recent_list.setObjectName("recentList")
        self._recent_list.itemActivated.connect(self._open_recent)
        self._recent_list.currentItemChanged.connect(lambda *_: self._update_recent_buttons())
        self._recent_label.setBuddy(self._recent_list)
        self._remove = QPushButton()
        self._remove.clicked.connect(self._remove_selected)
        self._clear = QPushButton()
        self._clear.clicked.connect(self._clear_all)
        self._settings = QPushButton()
        self._settings.clicked.connect(self.settings_requested.emit)

        server_row = QHBoxLayout()
        server_row.addWidget(self._server_line, 1)
        server_row.addWidget(self._change_server)
        field_row = QHBoxLayout()
        field_row.addWidget(self._field, 1)
        field_row.addWidget(self._suggest)
        recent_buttons = QHBoxLayout()
        recent_buttons.addWidget(self._remove)
        recent_buttons.addWidget(self._clear)
        recent_buttons.addStretch(1)
        recent_buttons.addWidget(self._settings)
        continue_row = QHBoxLayout()
        continue_row.addStretch(1)
        continue_row.addWidget(self._continue)

        column = QVBoxLayout()
        column.addWidget(self._title)
        column.addLayout(server_row)
        column.addWidget(self._server_lock_note)
        column.addSpacing(10)
        column.addWidget(self._field_label)
        column.addLayout(field_row)
        column.addWidget(self._preview)
        column.addWidget(self._warning)
        column.addWidget(self._confirm)
        column.addWidget(self._hint)
        column.addLayout(continue_row)
        column.addSpacing(10)
        column.addWidget(self._recent_label)
        column.addWidget(self._recent_list, 3)
        column.addLayout(recent_buttons)
        column.addStretch(1)   # takes the space while there are no recent rooms
        card = QFrame()
        card.setObjectName("card")
        card.setLayout(column)
        card.setMaximumWidth(760)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 6)
        outer.addStretch(1)
        self.retranslate()
        self._field.setFocus()

    # --- inputs from the app ------------------------------------------------------------
    def set_default_server(self, url: str | None, name: str | None = None) -> None:
        self._default_server = url
        self._server_name = name
        self.retranslate()

    def set_recents(self, recents: Sequence[Any]) -> None:
        self._recents = list(recents)
        self._fill_recents()

    def set_text(self, text: str) -> None:
        self._field.setText(text)

    def field(self) -> QLineEdit:
        return self._field

    def change_server_button(self) -> QPushButton:
        return self._change_server

    @property
    def server_locked(self) -> bool:
        return self._server_locked

    def continue_button(self) -> QPushButton:
        return self._continue

    def confirm_checkbox(self) -> QCheckBox:
        return self._confirm

    def recent_list(self) -> QListWidget:
        return self._recent_list

    def texts(self) -> dict[str, str]:
        return {"preview": self._preview.text(), "warning": self._warning.text() if
                self._warning.isVisibleTo(self) else "", "hint": self._hint.text() if
                self._hint.isVisibleTo(self) else "", "server": self._server_line.text(),
                "server_lock": self._server_lock_note.text() if self._server_locked else ""}

    # --- behaviour ----------------------------------------------------------------------
    def suggest_name(self) -> None:
        self._field.setText(suggest_room_name(current_language()))
        self._field.setFocus()

    def needs_confirmation(self) -> bool:
        return self.address is not None and not self.refused() and (
            self.address.guard in (ServerGuard.PUBLIC, ServerGuard.UNKNOWN)
            or self.address.lookalike_of is not None)

    def refused(self) -> bool:
        """The administrator does not allow public servers, and this is one."""
        return (self.address is not None and not self._public_allowed
                and self.address.guard is ServerGuard.PUBLIC)

    def _update(self) -> None:
        text = self._field.text()
        self.address, self.error = None, None
        if text.strip():
            try:
                self.address = parse_link(text, self._default_server)
            except AddressError as exc:
                self.error = exc
        self._confirm.setChecked(False)
        self._render()

    def _render(self) -> None:
        address, error = self.address, self.error
        if address is not None:
            self._preview.setText(_("Room <b>{room}</b> on <b>{server}</b>").format(
                room=_html(address.room), server=_html(address.display_host)))
            self._preview.setProperty("state", "ok")
        elif error is not None:
            self._preview.setText(_html(error.user_message()))
            self._preview.setProperty("state", "error")
        else:
            self._preview.setText(_("Type the room name you were given, or paste the whole "
                                    "meeting link."))
            self._preview.setProperty("state", "idle")
        self._preview.style().unpolish(self._preview)
        self._preview.style().polish(self._preview)
        warnings = self._warnings(address) if address else []
        self._warning.setText("\n".join(warnings))
        self._warning.setVisible(bool(warnings))
        self._confirm.setVisible(self.needs_confirmation())
        hints = self._hints(address) if address else []
        self._hint.setText("\n".join(hints))
        self._hint.setVisible(bool(hints))
        self._update_continue()

    def _warnings(self, address: MeetingAddress) -> list[str]:
        out = []
        if address.lookalike_of is not None:
            out.append(_("Careful: {host} looks like {known} but is a different server. "
                         "Check the link.").format(host=address.display_host,
                                                   known=address.lookalike_of.host))
        if self.refused():
            out.append(_("Your administrator does not allow meetings on public servers such as "
                         "{host}.").format(host=address.display_host))
        elif address.guard is ServerGuard.PUBLIC:
            out.append(_("{host} is a public server run by a company, not by your town. "
                         "Your town's privacy promises do not apply there.").format(
                host=address.display_host))
        elif address.guard is ServerGuard.UNKNOWN and address.lookalike_of is None:
            out.append(_("Treffpunkt does not know the server {host}. Only continue if you "
                         "trust whoever sent you this link.").format(host=address.display_host))
        if address.upgraded_from_http:
            out.append(_("The link used an unencrypted address (http). Treffpunkt connects "
                         "with encryption (https) instead."))
        return out

    def _hints(self, address: MeetingAddress) -> list[str]:
        assessment = assess_room_name(address.room)
        out = [_(reason) for reason in assessment.reasons]
        if assessment.guessable:
            out.append(_("Tip: “Suggest a name” creates one that is hard to guess."))
        out += [_(hint).format(room=address.room, lower=address.room.lower())
                for hint in assessment.hints]
        return out

    def _update_continue(self) -> None:
        ok = self.address is not None and not self.refused() and (
            not self.needs_confirmation() or self._confirm.isChecked())
        self._continue.setEnabled(ok)

    def submit(self) -> None:
        if self._continue.isEnabled() and self.address is not None:
            self.join_requested.emit(self.address)

    # --- recents ------------------------------------------------------------------------
    def _fill_recents(self) -> None:
        self._recent_list.clear()
        for entry in self._recents:
            item = QListWidgetItem(self._recent_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self._recent_list.addItem(item)
        self._recent_label.setVisible(bool(self._recents))
        self._recent_list.setVisible(bool(self._recents))
        self._remove.setVisible(bool(self._recents))
        self._clear.setVisible(bool(self._recents))
        self._update_recent_buttons()

    def _recent_text(self, entry: Any) -> str:
        server = str(getattr(entry, "server", ""))
        host = server.split("://", 1)[-1].rstrip("/")
        tenant = getattr(entry, "tenant", None)
        if tenant:
            host += "/" + tenant
        when = recent_time(entry)
        day = time.strftime("%d.%m.%Y", time.localtime(when)) if when else ""
        text = _("{room} on {server}").format(room=getattr(entry, "room", ""), server=host)
        return f"{text} · {day}" if day else text

    def _update_recent_buttons(self) -> None:
        self._remove.setEnabled(self._recent_list.currentItem() is not None)

    def _open_recent(self, item: QListWidgetItem) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole)
        link = getattr(entry, "link", None)
        if not link:
            link = f"{str(getattr(entry, 'server', '')).rstrip('/')}/{getattr(entry, 'room', '')}"
        self._field.setText(link)
        self.submit()

    def _remove_selected(self) -> None:
        item = self._recent_list.currentItem()
        if item is None:
            return
        entry = item.data(Qt.ItemDataRole.UserRole)
        self._recents = [e for e in self._recents if e is not entry]
        self._fill_recents()
        self.recent_removed.emit(entry)

    def _clear_all(self) -> None:
        self._recents = []
        self._fill_recents()
        self.recents_cleared.emit()

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self._title.setText(_("Join a meeting"))
        if self._default_server:
            host = self._default_server.split("://", 1)[-1].rstrip("/")
            if self._server_name:
                self._server_line.setText(_("Your server: {name} ({host})").format(
                    name=self._server_name, host=host))
            else:
                self._server_line.setText(_("Your server: {host}").format(host=host))
        elif self._server_locked:
            self._server_line.setText(_("No server has been set. Paste a full meeting link."))
        else:
            self._server_line.setText(_("No server chosen yet. Paste a full meeting link, or "
                                        "choose your town's server."))
        self._change_server.setText(_("Change server"))
        note = _("Your administrator has fixed the server setting; it cannot be changed here.")
        self._server_lock_note.setText(note)
        # screen readers hear why there is no "Change server" next to the server
        self._server_line.setAccessibleDescription(note if self._server_locked else "")
        self._field_label.setText(_("&Room name or link"))
        self._field.setAccessibleName(_("Room name or link"))
        self._field.setPlaceholderText(_("for example: Familie-Berg-Sonntag or a link"))
        self._suggest.setText(_("Suggest a name"))
        self._suggest.setToolTip(_("Create a room name that is hard to guess"))
        self._confirm.setText(_("I understand and want to open the room on this server"))
        self._continue.setText(_("Continue"))
        self._recent_label.setText(_("R&ecent rooms"))
        self._recent_list.setAccessibleName(_("Recent rooms"))
        self._remove.setText(_("Remove"))
        self._remove.setAccessibleName(_("Remove the selected room from the list"))
        self._clear.setText(_("Clear list"))
        self._settings.setText(_("Settings"))
        self._render()
        self._fill_recents()
