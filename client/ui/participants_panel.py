"""Who is here, who is knocking, and what a moderator can do about it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFrame, QGroupBox, QHBoxLayout, QLabel, QListView,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from client.i18n import _
from client.ui.models import KnockerModel, ParticipantModel


class ParticipantsPanel(QWidget):
    """Lists participants and knockers; moderator actions become signals."""

    admit_requested = Signal(str)
    reject_requested = Signal(str)
    kick_requested = Signal(str)
    lock_requested = Signal()            # ask for a password, then lock
    unlock_requested = Signal()
    lobby_requested = Signal(bool)

    def __init__(self, participants: ParticipantModel, knockers: KnockerModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._participants = participants
        self._knockers = knockers
        self._locked = False
        self._lobby_enabled = False

        self._heading = QLabel()
        self._heading.setObjectName("panelHeading")
        self._list = QListView()
        self._list.setModel(participants)
        self._list.setWordWrap(True)
        self._kick = QPushButton()
        self._kick.clicked.connect(self._on_kick)
        self._list.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self._knock_box = QGroupBox()
        self._knock_list = QListView()
        self._knock_list.setModel(knockers)
        self._knock_list.setMaximumHeight(self._knock_list.fontMetrics().height() * 5 + 8)
        self._admit = QPushButton()
        self._reject = QPushButton()
        self._admit.clicked.connect(lambda: self._on_knocker(self.admit_requested))
        self._reject.clicked.connect(lambda: self._on_knocker(self.reject_requested))
        self._knock_list.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        knock_buttons = QHBoxLayout()
        knock_buttons.addWidget(self._admit)
        knock_buttons.addWidget(self._reject)
        knock_layout = QVBoxLayout(self._knock_box)
        knock_layout.addWidget(self._knock_list)
        knock_layout.addLayout(knock_buttons)

        self._room_box = QGroupBox()
        self._lock = QPushButton()
        self._lock.clicked.connect(self._on_lock)
        self._lobby = QCheckBox()
        self._lobby.toggled.connect(self._on_lobby_toggled)
        self._lobby_help = QLabel()
        self._lobby_help.setWordWrap(True)
        self._lobby_help.setObjectName("helpText")
        self._lock_state = QLabel()
        self._lock_state.setWordWrap(True)
        room_layout = QVBoxLayout(self._room_box)
        room_layout.addWidget(self._lock_state)
        room_layout.addWidget(self._lock)
        room_layout.addWidget(self._lobby)
        room_layout.addWidget(self._lobby_help)
        self._not_moderator = QLabel()
        self._not_moderator.setWordWrap(True)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self._heading)
        layout.addWidget(self._knock_box)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._kick)
        layout.addWidget(self._room_box)
        layout.addWidget(self._not_moderator)
        self._list.setMinimumHeight(self._list.fontMetrics().height() * 4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setMinimumWidth(280)

        for model in (participants, knockers):
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
                signal.connect(self._on_models_changed)
        self.retranslate()

    # --- accessors for tests and the call window --------------------------------------
    def participant_list(self) -> QListView:
        return self._list

    def knocker_list(self) -> QListView:
        return self._knock_list

    def buttons(self) -> dict[str, QPushButton]:
        return {"kick": self._kick, "admit": self._admit, "reject": self._reject, "lock": self._lock}

    def lobby_checkbox(self) -> QCheckBox:
        return self._lobby

    # --- room state -------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self.retranslate()

    def set_lobby_enabled(self, enabled: bool) -> None:
        self._lobby_enabled = enabled
        self._lobby.blockSignals(True)
        self._lobby.setChecked(enabled)
        self._lobby.blockSignals(False)

    # --- slots --------------------------------------------------------------------------
    def _selected(self, view: QListView, role: int) -> str | None:
        indexes = view.selectionModel().selectedIndexes()
        return indexes[0].data(role) if indexes else None

    def _on_kick(self) -> None:
        endpoint_id = self._selected(self._list, ParticipantModel.EndpointIdRole)
        row = self._participants.row_for(endpoint_id) if endpoint_id else None
        if row is not None and not row.is_self:
            self.kick_requested.emit(endpoint_id)

    def _on_knocker(self, signal: Signal) -> None:
        knocker_id = self._selected(self._knock_list, KnockerModel.KnockerIdRole)
        if knocker_id:
            signal.emit(knocker_id)

    def _on_lock(self) -> None:
        (self.unlock_requested if self._locked else self.lock_requested).emit()

    def _on_lobby_toggled(self, on: bool) -> None:
        self.lobby_requested.emit(on)

    def _on_models_changed(self, *_args: object) -> None:
        if self._knockers.rowCount() and not self._knock_list.selectionModel().hasSelection():
            self._knock_list.setCurrentIndex(self._knockers.index(0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        moderator = self._participants.is_self_moderator()
        has_knockers = self._knockers.rowCount() > 0
        self._knock_box.setVisible(moderator and has_knockers)
        knocker = self._selected(self._knock_list, KnockerModel.KnockerIdRole)
        self._admit.setEnabled(moderator and knocker is not None)
        self._reject.setEnabled(moderator and knocker is not None)
        endpoint_id = self._selected(self._list, ParticipantModel.EndpointIdRole)
        row = self._participants.row_for(endpoint_id) if endpoint_id else None
        self._kick.setVisible(moderator)
        self._kick.setEnabled(moderator and row is not None and not row.is_self)
        self._room_box.setVisible(moderator)
        self._not_moderator.setVisible(not moderator)
        self._update_titles()

    def _update_titles(self) -> None:
        count = self._participants.rowCount()
        self._heading.setText(_("Participants ({count})").format(count=count))
        self._knock_box.setTitle(_("Waiting in the lobby ({count})").format(count=self._knockers.rowCount()))

    def retranslate(self) -> None:
        self._list.setAccessibleName(_("Participants"))
        self._knock_list.setAccessibleName(_("People waiting in the lobby"))
        self._kick.setText(_("Remove from meeting"))
        self._admit.setText(_("Let in"))
        self._reject.setText(_("Decline"))
        self._room_box.setTitle(_("Room"))
        self._lock.setText(_("Remove password") if self._locked else _("Lock with password…"))
        self._lock_state.setText(_("The room is locked with a password.") if self._locked
                                 else _("Anyone with the link can join."))
        self._lobby.setText(_("Use a lobby"))
        self._lobby_help.setText(_("People knock and wait until a moderator lets them in."))
        self._not_moderator.setText(_("Only moderators can let people in, lock the room or "
                                      "remove participants."))
        self._participants.refresh_texts()
        self._update_buttons()
