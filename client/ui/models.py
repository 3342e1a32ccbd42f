"""Qt item models fed by conference events: participants, chat, lobby knockers.

Each model has ``apply(event)`` that takes any ``ConferenceEvent`` and ignores
those it does not care about, so the call window can hand every event to every
model.  Rows are frozen dataclasses, replaced on change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from client.i18n import _
from client.jitsi import events as ev

ROLE_OFFSET = int(Qt.ItemDataRole.UserRole)


@dataclass(frozen=True)
class ParticipantRow:
    endpoint_id: str
    display_name: str
    is_self: bool = False
    role: str = "participant"
    audio_muted: bool = True
    video_muted: bool = True
    raised_hand: bool = False
    speaking: bool = False

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"

    def label(self) -> str:
        name = self.display_name or _("Guest")
        return _("{name} (you)").format(name=name) if self.is_self else name


class ParticipantModel(QAbstractListModel):
    """Everyone in the meeting, yourself first."""

    EndpointIdRole = ROLE_OFFSET + 1
    RowRole = ROLE_OFFSET + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ParticipantRow] = []
        self.self_id: str | None = None
        self.local_display_name = ""
        self.local_audio_muted = False
        self.local_video_muted = False

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(row)
        if role == self.EndpointIdRole:
            return row.endpoint_id
        if role == self.RowRole:
            return row
        return None

    def _display(self, row: ParticipantRow) -> str:
        parts = [row.label()]
        if row.is_moderator:
            parts.append(_("moderator"))
        if row.audio_muted:
            parts.append(_("microphone off"))
        if row.video_muted:
            parts.append(_("camera off"))
        if row.raised_hand:
            parts.append(_("hand raised"))
        return " · ".join(parts)

    # --- access ----------------------------------------------------------------------------
    def rows(self) -> list[ParticipantRow]:
        return list(self._rows)

    def row_for(self, endpoint_id: str) -> ParticipantRow | None:
        for row in self._rows:
            if row.endpoint_id == endpoint_id:
                return row
        return None

    def self_row(self) -> ParticipantRow | None:
        return self.row_for(self.self_id) if self.self_id else None

    def is_self_moderator(self) -> bool:
        row = self.self_row()
        return bool(row and row.is_moderator)

    def refresh_texts(self) -> None:
        """After a language switch the display texts change."""
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    # --- changes ---------------------------------------------------------------------------
    def _index_of(self, endpoint_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.endpoint_id == endpoint_id:
                return i
        return -1

    def upsert(self, row: ParticipantRow) -> None:
        i = self._index_of(row.endpoint_id)
        if i >= 0:
            if self._rows[i] != row:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i), self.index(i))
            return
        position = 0 if row.is_self else len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()

    def remove(self, endpoint_id: str) -> None:
        i = self._index_of(endpoint_id)
        if i < 0:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self.endRemoveRows()

    def clear(self) -> None:
        if not self._rows:
            return
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()
        self.self_id = None

    def set_local_muted(self, kind: str, muted: bool) -> None:
        if kind == "audio":
            self.local_audio_muted = muted
        else:
            self.local_video_muted = muted
        row = self.self_row()
        if row is not None:
            field = "audio_muted" if kind == "audio" else "video_muted"
            self.upsert(replace(row, **{field: muted}))

    def set_local_display_name(self, name: str) -> None:
        self.local_display_name = name
        row = self.self_row()
        if row is not None:
            self.upsert(replace(row, display_name=name))

    def set_speaking(self, endpoint_id: str | None) -> None:
        """Mark ``endpoint_id`` as the one speaking now (None: nobody)."""
        for row in list(self._rows):
            speaking = row.endpoint_id == endpoint_id
            if row.speaking != speaking:
                self.upsert(replace(row, speaking=speaking))

    def apply(self, event: Any) -> None:
        if isinstance(event, ev.Joined):
            if self.self_id and self.self_id != event.endpoint_id:
                self.remove(self.self_id)
            self.self_id = event.endpoint_id
            self.upsert(ParticipantRow(
                endpoint_id=event.endpoint_id,
                display_name=event.display_name or self.local_display_name,
                is_self=True, role=event.role,
                audio_muted=self.local_audio_muted, video_muted=self.local_video_muted))
        elif isinstance(event, ev.RoleChanged):
            row = self.row_for(event.endpoint_id)
            if row is not None:
                self.upsert(replace(row, role=event.role))
        elif isinstance(event, (ev.ParticipantJoined, ev.ParticipantUpdated)):
            old = self.row_for(event.endpoint_id)
            self.upsert(ParticipantRow(
                endpoint_id=event.endpoint_id, display_name=event.display_name or "",
                role=event.role, audio_muted=event.audio_muted, video_muted=event.video_muted,
                raised_hand=event.raised_hand, speaking=bool(old and old.speaking)))
        elif isinstance(event, ev.ParticipantLeft):
            self.remove(event.endpoint_id)
        elif isinstance(event, (ev.Reconnecting, ev.ConferenceEnded)):
            # after a reconnect the join repeats and everyone is announced again
            self.clear()
        elif type(event).__name__ == "DominantSpeakerChanged":
            self.set_speaking(getattr(event, "endpoint_id", None))


@dataclass(frozen=True)
class ChatLine:
    sender: str                 # display name as shown
    text: str
    private: bool
    is_self: bool
    timestamp: float
    peer_id: str | None = None  # the other side of a private conversation
    system: bool = False        # a notice from the app, not a person


class ChatModel(QAbstractListModel):
    """The chat history of this meeting (group and private), oldest first."""

    LineRole = ROLE_OFFSET + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[ChatLine] = []
        self._names: dict[str, str] = {}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(line)
        if role == self.LineRole:
            return line
        return None

    def describe(self, line: ChatLine) -> str:
        clock = time.strftime("%H:%M", time.localtime(line.timestamp))
        if line.system:
            return f"{clock}  {line.text}"
        if line.private and line.is_self:
            who = _("You to {name} (private)").format(name=self._names.get(line.peer_id or "", line.sender))
        elif line.private:
            who = _("{name} (private)").format(name=line.sender)
        elif line.is_self:
            who = _("You")
        else:
            who = line.sender
        return f"{clock}  {who}: {line.text}"

    def lines(self) -> list[ChatLine]:
        return list(self._lines)

    def append(self, line: ChatLine) -> None:
        self.beginInsertRows(QModelIndex(), len(self._lines), len(self._lines))
        self._lines.append(line)
        self.endInsertRows()

    def refresh_texts(self) -> None:
        if self._lines:
            self.dataChanged.emit(self.index(0), self.index(len(self._lines) - 1))

    def note_sent_private(self, text: str, to_id: str, sender: str) -> None:
        """Private messages are not echoed by the room; record our own copy."""
        self.append(ChatLine(sender=sender, text=text, private=True, is_self=True,
                             timestamp=time.time(), peer_id=to_id))

    def apply(self, event: Any) -> bool:
        """Returns True when a new message from someone else arrived."""
        if isinstance(event, (ev.ParticipantJoined, ev.ParticipantUpdated)):
            self._names[event.endpoint_id] = event.display_name or _("Guest")
        elif isinstance(event, ev.ChatReceived):
            name = event.display_name or self._names.get(event.from_id or "", "") or _("Guest")
            self.append(ChatLine(sender=name, text=event.text, private=event.private,
                                 is_self=event.is_self, timestamp=event.timestamp or time.time(),
                                 peer_id=event.from_id))
            return not event.is_self and not event.delayed
        elif isinstance(event, ev.ChatFailed):
            self.append(ChatLine(sender="", text=_("Your message could not be sent."),
                                 private=False, is_self=True, timestamp=time.time(), system=True))
        return False


@dataclass(frozen=True)
class KnockerRow:
    knocker_id: str
    display_name: str


class KnockerModel(QAbstractListModel):
    """Moderator view: people waiting in the lobby."""

    KnockerIdRole = ROLE_OFFSET + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[KnockerRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.display_name or _("Guest")
        if role == self.KnockerIdRole:
            return row.knocker_id
        return None

    def rows(self) -> list[KnockerRow]:
        return list(self._rows)

    def apply(self, event: Any) -> None:
        if isinstance(event, ev.KnockerAdded):
            if any(r.knocker_id == event.knocker_id for r in self._rows):
                return
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(KnockerRow(event.knocker_id, event.display_name or ""))
            self.endInsertRows()
        elif isinstance(event, ev.KnockerRemoved):
            self._remove(event.knocker_id)
        elif isinstance(event, (ev.Reconnecting, ev.ConferenceEnded)) or (
                isinstance(event, ev.LobbyEnabledChanged) and not event.enabled):
            if self._rows:
                self.beginResetModel()
                self._rows.clear()
                self.endResetModel()

    def _remove(self, knocker_id: str) -> None:
        for i, row in enumerate(self._rows):
            if row.knocker_id == knocker_id:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
                return
