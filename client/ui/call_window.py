"""The meeting: tiles, toolbar, chat and participants, and every state around it.

Everything the conference reports arrives as events through the bridge and is
handed to the models and to ``on_event`` here; every click becomes a bridge
command (scheduled as a task, never awaited).  Before the room is joined, and
after it ended, the page in the middle is the ``WaitingView``.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from client.errors import TreffpunktError
from client.i18n import _
from client.jitsi import events as ev
from client.meeting.address import MeetingAddress
from client.ui.bridge import ConferenceBridge
from client.ui.chat_panel import ChatPanel
from client.ui.credentials import keyring_available, load_host_login
from client.ui.dialogs import (DisplayNameDialog, LeaveDialog, LockRoomDialog, MessageDialog,
                               PasswordDialog, ShortcutsDialog)
from client.ui.frame_binding import FrameBinding
from client.ui.grid import VideoGrid
from client.ui.invite_dialog import InviteDialog
from client.ui.messages import Action, UserMessage, ending_message, error_message
from client.ui.models import ChatModel, KnockerModel, ParticipantModel
from client.ui.participants_panel import ParticipantsPanel
from client.ui.toolbar import CallToolbar
from client.ui.waiting_view import WaitingView

log = logging.getLogger("treffpunkt.ui")
NOTICE_TIMEOUT_MS = 8000


class CallWindow(QWidget):
    """One meeting from "connecting" to "ended"."""

    closed = Signal()               # back to the join screen
    retry_requested = Signal()      # join the same room again
    settings_requested = Signal()
    host_login_remember = Signal(str, str)   # user, password: store in the keyring

    def __init__(self, bridge: ConferenceBridge, address: MeetingAddress, *,
                 display_name: str = "", microphone_on: bool = True, camera_on: bool = True,
                 media: Any = None, local_preview: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callWindow")
        self.bridge = bridge
        self.address = address
        self.room = address.room
        self.server_host = address.display_host
        self.link = address.link
        self.media = media if media is not None else bridge.media
        if local_preview is None and self.media is not None:
            local_preview = getattr(self.media, "preview", None)
        self.local_preview = local_preview
        self.room_password: str | None = None
        self.joined = False
        self.ended = False
        self._end_cause: Any = None
        self._unread = 0
        self._bindings: dict[str, FrameBinding] = {}
        self._video_sources: dict[str, str] = {}   # endpoint id → video source name
        self.dialog: QWidget | None = None         # the one dialog currently open

        self.participants = ParticipantModel(self)
        self.participants.local_display_name = display_name
        self.participants.local_audio_muted = not microphone_on
        self.participants.local_video_muted = not camera_on
        self.chat = ChatModel(self)
        self.knockers = KnockerModel(self)

        self.banner = QLabel()
        self.banner.setObjectName("reconnectBanner")
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        self.notice = QLabel()
        self.notice.setObjectName("noticeBanner")
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.header = QLabel()
        self.header.setObjectName("callHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)

        self.waiting = WaitingView()
        self.grid = VideoGrid()
        self.chat_panel = ChatPanel(self.chat, self.participants)
        self.participants_panel = ParticipantsPanel(self.participants, self.knockers)
        self.side = QStackedWidget()
        self.side.addWidget(self.chat_panel)
        self.side.addWidget(self.participants_panel)
        self.side.hide()
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.addWidget(self.grid)
        self._splitter.addWidget(self.side)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setChildrenCollapsible(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.waiting)
        self.pages.addWidget(self._splitter)
        self.toolbar = CallToolbar()
        self.toolbar.set_microphone_on(microphone_on)
        self.toolbar.set_camera_on(camera_on)
        self.toolbar.set_in_room(False)

        header_row = QHBoxLayout()
        header_row.setContentsMargins(10, 6, 10, 0)
        header_row.addWidget(self.header, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addLayout(header_row)
        layout.addWidget(self.pages, 1)
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(separator)
        layout.addWidget(self.toolbar)

        self._connect()
        self._shortcuts = self._make_shortcuts()
        self.waiting.show_connecting(self.server_host)
        self.retranslate()

    # --- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        self.bridge.event.connect(self.on_event)
        self.bridge.failed.connect(self.on_failed)
        tb = self.toolbar
        tb.microphone_toggled.connect(self.set_microphone_on)
        tb.camera_toggled.connect(self.set_camera_on)
        tb.chat_clicked.connect(lambda: self.toggle_panel("chat"))
        tb.participants_clicked.connect(lambda: self.toggle_panel("participants"))
        tb.invite_clicked.connect(self.open_invite)
        tb.settings_clicked.connect(self.settings_requested.emit)
        tb.help_clicked.connect(self.open_shortcuts)
        tb.leave_clicked.connect(self.ask_leave)
        self.chat_panel.send_requested.connect(self._send_chat)
        pp = self.participants_panel
        pp.admit_requested.connect(self.bridge.admit)
        pp.reject_requested.connect(self.bridge.reject)
        pp.kick_requested.connect(self.bridge.kick)
        pp.lock_requested.connect(self.open_lock)
        pp.unlock_requested.connect(lambda: self.bridge.lock(None))
        pp.lobby_requested.connect(self.bridge.set_lobby)
        self.waiting.cancel_requested.connect(self.bridge.cancel)
        self.waiting.password_offered.connect(lambda: self.open_password(after_wrong=False))
        self.waiting.host_login_submitted.connect(self._login_as_host)
        self.waiting.action_chosen.connect(self._on_action)
        model = self.participants
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self._sync_tiles)
        for signal in (self.knockers.rowsInserted, self.knockers.rowsRemoved, self.knockers.modelReset):
            signal.connect(lambda *_: self.toolbar.set_knockers(self.knockers.rowCount()))
        self.grid.visible_tiles_changed.connect(self._show_view)
        self.grid.stage_changed.connect(lambda _: self._show_view(self.grid.visible_tiles()))

    def _show_view(self, visible: dict[str, tuple[int, int]]) -> None:
        self.bridge.set_view(visible, self.grid.staged_endpoint)

    def _make_shortcuts(self) -> list[QShortcut]:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        pairs: list[tuple[str, Callable[[], None]]] = [
            ("M", self.toolbar.microphone.toggle),
            ("V", self.toolbar.camera.toggle),
            ("C", lambda: self.toggle_panel("chat")),
            ("P", lambda: self.toggle_panel("participants")),
            ("F1", self.open_shortcuts),
        ]
        shortcuts = []
        for keys, slot in pairs:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
            shortcuts.append(shortcut)
        return shortcuts

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # "?" is Shift+ß on German keyboards and Shift+/ on others: match the text, not the key
        if event.text() == "?":
            self.open_shortcuts()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- events -------------------------------------------------------------------------
    def on_event(self, event: Any) -> None:
        self.participants.apply(event)
        self.knockers.apply(event)
        if self.chat.apply(event) and not self._panel_open("chat"):
            self._unread += 1
            self.toolbar.set_unread(self._unread)
        name = type(event).__name__
        handler = getattr(self, f"_on_{name}", None)
        if handler is not None:
            handler(event)

    def _on_WaitingForHost(self, event: ev.WaitingForHost) -> None:  # noqa: N802
        self._show_waiting()
        self.waiting.show_waiting_for_host(self.room)
        self._fill_saved_login()

    def _on_HostLoginRequested(self, event: ev.HostLoginRequested) -> None:  # noqa: N802
        self._show_waiting()
        self.waiting.show_host_login(self.room, after_failed_login=event.after_failed_login)
        if not event.after_failed_login:
            self._fill_saved_login()

    def _fill_saved_login(self) -> None:
        """A host login remembered in the keyring (read in a worker thread: it may block)."""
        if not keyring_available() or self.waiting.login_fields()[0].text():
            return
        future = self.bridge.loop.run_in_executor(None, load_host_login, self.address.server)

        def filled(done: Any) -> None:
            saved = None if done.cancelled() or done.exception() else done.result()
            if saved is not None and shiboken6.isValid(self.waiting):
                self.waiting.set_host_login(*saved)
        future.add_done_callback(filled)

    def _on_HostLoggedIn(self, event: ev.HostLoggedIn) -> None:  # noqa: N802
        self.waiting.show_connecting(self.server_host)

    def _on_PasswordRequested(self, event: ev.PasswordRequested) -> None:  # noqa: N802
        self.open_password(after_wrong=event.after_wrong_password)

    def _on_DisplayNameRequired(self, event: ev.DisplayNameRequired) -> None:  # noqa: N802
        dialog = DisplayNameDialog(self.participants.local_display_name, self)
        dialog.name_entered.connect(self._set_display_name)
        dialog.cancelled.connect(self.bridge.cancel)
        self._open_dialog(dialog)

    def _on_LobbyWaiting(self, event: ev.LobbyWaiting) -> None:  # noqa: N802
        self._show_waiting()
        if event.waiting_for_host:
            self.waiting.show_waiting_for_host(self.room)
        else:
            self.waiting.show_lobby(self.room)

    def _on_LobbyAdmitted(self, event: ev.LobbyAdmitted) -> None:  # noqa: N802
        self.waiting.show_connecting(self.server_host)

    def _on_Joined(self, event: ev.Joined) -> None:  # noqa: N802
        self.joined = True
        self.banner.hide()
        self._close_dialog()
        if event.locked:
            self.participants_panel.set_locked(True)
        self.pages.setCurrentWidget(self._splitter)
        self.toolbar.set_in_room(True)
        self.grid.setFocus()
        self._update_header()

    def _on_RoleChanged(self, event: ev.RoleChanged) -> None:  # noqa: N802
        self.participants_panel.retranslate()

    def _on_Reconnecting(self, event: ev.Reconnecting) -> None:  # noqa: N802
        self._reconnect_attempt = event.attempt
        self.banner.show()
        self._update_banner()

    def _on_MuteRequested(self, event: ev.MuteRequested) -> None:  # noqa: N802
        if event.media == "audio":
            self.toolbar.set_microphone_on(False)
            self.participants.set_local_muted("audio", True)
            self.show_notice(_("A moderator has turned off your microphone."))
        elif event.media == "video":
            self.toolbar.set_camera_on(False)
            self.participants.set_local_muted("video", True)
            self.show_notice(_("A moderator has turned off your camera."))

    def _on_RoomLockChanged(self, event: ev.RoomLockChanged) -> None:  # noqa: N802
        self.participants_panel.set_locked(event.locked)
        if not event.locked:
            self.room_password = None
        self._update_header()

    def _on_LobbyEnabledChanged(self, event: ev.LobbyEnabledChanged) -> None:  # noqa: N802
        self.participants_panel.set_lobby_enabled(event.enabled)

    def _on_KnockerAdded(self, event: ev.KnockerAdded) -> None:  # noqa: N802
        self.show_notice(_("{name} is waiting in the lobby.").format(name=event.display_name or _("Guest")))

    def _on_CommandFailed(self, event: ev.CommandFailed) -> None:  # noqa: N802
        self.show_notice(error_message(event.error).text)

    def _on_Kicked(self, event: Any) -> None:  # noqa: N802
        self._end_cause = event

    _on_RoomDestroyed = _on_Kicked
    _on_LobbyRejected = _on_Kicked
    _on_JoinFailed = _on_Kicked
    _on_Left = _on_Kicked

    def _on_ConferenceEnded(self, event: ev.ConferenceEnded) -> None:  # noqa: N802
        self.ended = True
        self.joined = False
        self.banner.hide()
        self._close_dialog()
        self._release_media()
        cause = self._end_cause
        if ending_message(cause, event) is None:
            self.closed.emit()
            return
        self._show_waiting()
        self.waiting.show_message(lambda: ending_message(cause, event))  # type: ignore[arg-type,return-value]

    # media events (defined by the media layer; matched by name so either side can land first)
    def _on_RemoteTrackAdded(self, event: ev.RemoteTrackAdded) -> None:  # noqa: N802
        if event.media == "video":
            self._video_sources[event.endpoint_id] = event.source_name
            self._bind_remote(event.endpoint_id)

    def _on_FirstFrame(self, event: ev.FirstFrame) -> None:  # noqa: N802
        # the pump may only exist once frames flow
        if event.media == "video" and event.endpoint_id not in self._bindings:
            self._video_sources[event.endpoint_id] = event.source_name
            self._bind_remote(event.endpoint_id)

    def _on_LocalMuteChanged(self, event: ev.LocalMuteChanged) -> None:  # noqa: N802
        # the media layer has the last word (a device may be gone, a moderator may mute)
        if event.media == "audio":
            self.toolbar.set_microphone_on(not event.muted)
        elif event.media == "video":
            self.toolbar.set_camera_on(not event.muted)
        self.participants.set_local_muted(event.media, event.muted)

    def _on_RemoteTrackRemoved(self, event: ev.RemoteTrackRemoved) -> None:  # noqa: N802
        if event.media == "video":
            if self._video_sources.get(event.endpoint_id) == event.source_name:
                del self._video_sources[event.endpoint_id]
            binding = self._bindings.pop(event.endpoint_id, None)
            if binding is not None:
                binding.close()
                binding.tile.set_frame(None)

    def _on_MediaError(self, event: ev.MediaError) -> None:  # noqa: N802
        self.show_notice(error_message(event.error).full_text())

    def on_failed(self, error: TreffpunktError) -> None:
        """A command or the run itself raised (instead of reporting an event)."""
        if error.details.get("command") == "run" and not self.ended:
            self._end_cause = ev.JoinFailed(error=error)
            self._on_ConferenceEnded(ev.ConferenceEnded(reason=ev.EndReason.JOIN_FAILED, error=error))
        else:
            self.show_notice(error_message(error).text)

    # --- tiles and media ----------------------------------------------------------------
    def _sync_tiles(self, *_args: object) -> None:
        rows = self.participants.rows()
        wanted = {row.endpoint_id for row in rows}
        for tile in self.grid.tiles():
            if tile.endpoint_id not in wanted:
                binding = self._bindings.pop(tile.endpoint_id, None)
                if binding is not None:
                    binding.close()
                self.grid.remove_tile(tile.endpoint_id)
        for row in rows:
            tile = self.grid.tile(row.endpoint_id)
            if tile is None:
                tile = self.grid.add_tile(row.endpoint_id, row.display_name, is_self=row.is_self)
                if row.is_self:
                    self._bind_local(row.endpoint_id)
                else:
                    self._bind_remote(row.endpoint_id)
            tile.set_display_name(row.display_name)
            tile.set_audio_muted(row.audio_muted)
            tile.set_video_muted(row.video_muted)
            tile.set_speaking(row.speaking)

    def _bind_local(self, endpoint_id: str) -> None:
        tile = self.grid.tile(endpoint_id)
        if tile is None or self.local_preview is None or endpoint_id in self._bindings:
            return
        try:
            self._bindings[endpoint_id] = FrameBinding(self.local_preview, tile)
        except TypeError:
            log.warning("local preview offers no frames")

    def _bind_remote(self, endpoint_id: str) -> None:
        tile = self.grid.tile(endpoint_id)
        source = self._video_sources.get(endpoint_id)
        if tile is None or source is None or self.media is None:
            return
        old = self._bindings.pop(endpoint_id, None)
        if old is not None:
            old.close()
        pump = self.media.frames(source)
        if pump is None:
            return
        try:
            self._bindings[endpoint_id] = FrameBinding(pump, tile)
        except Exception:  # noqa: BLE001 - a missing video must not end the meeting
            log.exception("cannot show video %s", source)

    def _release_media(self) -> None:
        for binding in self._bindings.values():
            binding.close()
        self._bindings.clear()

    # --- commands -----------------------------------------------------------------------
    def set_microphone_on(self, on: bool) -> None:
        self.toolbar.set_microphone_on(on)
        self.participants.set_local_muted("audio", not on)
        self.bridge.set_muted("audio", not on)

    def set_camera_on(self, on: bool) -> None:
        self.toolbar.set_camera_on(on)
        self.participants.set_local_muted("video", not on)
        self.bridge.set_muted("video", not on)

    def _send_chat(self, text: str, to: str | None) -> None:
        self.bridge.send_chat(text, to)
        if to:
            self.chat.note_sent_private(text, to, self.participants.local_display_name)

    def _set_display_name(self, name: str) -> None:
        self.participants.set_local_display_name(name)
        self.bridge.set_display_name(name)

    def _login_as_host(self, user: str, password: str, remember: bool) -> None:
        self.waiting.show_connecting(self.server_host)
        self.bridge.login_as_host(user, password)
        if remember:
            self.host_login_remember.emit(user, password)

    def _submit_password(self, password: str) -> None:
        self.room_password = password
        self.bridge.submit_password(password)

    def _lock_with(self, password: str) -> None:
        self.room_password = password
        self.bridge.lock(password)

    def _on_action(self, action: Action) -> None:
        if action is Action.RETRY:
            self.retry_requested.emit()
        elif action is Action.OPEN_SETTINGS:
            self.settings_requested.emit()
        else:
            self.closed.emit()

    # --- panels and dialogs -------------------------------------------------------------
    def _panel_open(self, name: str) -> bool:
        panel = self.chat_panel if name == "chat" else self.participants_panel
        return self.side.isVisibleTo(self) and self.side.currentWidget() is panel

    def toggle_panel(self, name: str) -> None:
        if self._panel_open(name):
            self.side.hide()
            self.toolbar.set_panel(None)
            return
        panel = self.chat_panel if name == "chat" else self.participants_panel
        self.side.setCurrentWidget(panel)
        if not self.side.isVisibleTo(self):
            self.side.show()
            width = self._splitter.width()
            side = max(self.side.minimumWidth(), min(380, width // 3))
            self._splitter.setSizes([max(1, width - side), side])
        self.toolbar.set_panel(name)
        if name == "chat":
            self._unread = 0
            self.toolbar.set_unread(0)
            self.chat_panel.focus_input()

    def _open_dialog(self, dialog: QWidget) -> None:
        self._close_dialog()
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._forget_dialog(d))  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def _forget_dialog(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.blockSignals(True)
            dialog.close()
            dialog.deleteLater()

    def open_password(self, *, after_wrong: bool) -> None:
        dialog = PasswordDialog(self.room, after_wrong_password=after_wrong, parent=self)
        dialog.password_entered.connect(self._submit_password)
        if not self.joined:
            dialog.cancelled.connect(self._password_cancelled)
        self._open_dialog(dialog)

    def _password_cancelled(self) -> None:
        # in the lobby, cancelling the password prompt just keeps waiting
        if self.waiting.state.value != "lobby":
            self.bridge.cancel()

    def open_lock(self) -> None:
        dialog = LockRoomDialog(self)
        dialog.password_chosen.connect(self._lock_with)
        self._open_dialog(dialog)

    def open_invite(self) -> None:
        self._open_dialog(InviteDialog(self.address, self.room_password,
                                       inviter=self.participants.local_display_name, parent=self))

    def open_shortcuts(self) -> None:
        self._open_dialog(ShortcutsDialog(self))

    def ask_leave(self) -> None:
        if self.ended:
            self.closed.emit()
            return
        if not self.joined:
            self.bridge.cancel()
            return
        dialog = LeaveDialog(self)
        dialog.confirmed.connect(self.leave)
        self._open_dialog(dialog)

    def leave(self) -> None:
        self.bridge.leave()

    def show_error(self, compose: Callable[[], UserMessage]) -> None:
        dialog = MessageDialog(compose, self)
        dialog.action_chosen.connect(self._on_action)
        self._open_dialog(dialog)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_TIMEOUT_MS)

    def _show_waiting(self) -> None:
        self.pages.setCurrentWidget(self.waiting)
        self.toolbar.set_in_room(False)
        self.side.hide()
        self.toolbar.set_panel(None)

    # --- texts --------------------------------------------------------------------------
    def _update_banner(self) -> None:
        attempt = getattr(self, "_reconnect_attempt", 1)
        self.banner.setText(_("The connection was interrupted. Reconnecting… (attempt {n})").format(n=attempt))

    def _update_header(self) -> None:
        text = _("Room <b>{room}</b> on <b>{server}</b>").format(
            room=_html(self.room), server=_html(self.server_host))
        if self.participants_panel.locked:
            text += " · " + _("locked with a password")
        self.header.setText(text)

    def retranslate(self) -> None:
        self._update_header()
        self._update_banner()
        self.header.setAccessibleName(_("Meeting"))
        self.grid.setAccessibleName(_("Video tiles"))

    def shutdown(self) -> None:
        """The window is going away: stop frames and listening."""
        self._release_media()
        self.bridge.detach()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
