"""The Jitsi lobby, both sides (jitsi-signaling.md §5), sans-I/O.

A lobby is the main room switched to members-only plus a separate MUC room
``<node>@lobby.<domain>`` where people wait.  Joining the main room then fails with
``registration-required`` naming that lobby room.

Knocker (``LobbyKnock``): join the lobby room with a display name (no conference
request), optionally send the e-mail in a second presence, then wait for one of:
a mediated invite *from the main room* (admitted; may carry the password) → join the
main room; a kick from the lobby room (rejected); the lobby room destroyed with
``jid`` = main room (lobby switched off / host arrived) → join the main room; destroyed
without ``jid`` → the meeting is over.

Moderator (``LobbyWatch``): sit in the lobby room to see knockers (``KnockerAdded``/
``KnockerRemoved``); admit with an invite message to the main room naming the
knocker's real JID; reject by kicking them from the lobby room.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable

from client.errors import TreffpunktError
from client.jitsi.events import (DisplayNameRequired, Joined, KnockerAdded, KnockerRemoved,
                                 LobbyAdmitted, LobbyRejected, LobbyWaiting, ParticipantJoined,
                                 ParticipantLeft)
from client.jitsi.muc import (InviteReceived, JoinRefused, MucRoom, Refusal, RoomExited,
                              RoomState, kick_request)
from client.jitsi.ns import NS_MUC_USER
from client.jitsi.presence import LocalPresence
from client.jitsi.stanza import Element, Jid, el, sub

LOBBY_IDENTITY_TYPE = "lobbyrooms"       # component identity of mod_muc_lobby_rooms (§2.4)


# --- signals for the orchestrator -------------------------------------------------------

@dataclass(frozen=True)
class EnterMainRoom:
    """Go (back) to the main room now; with ``password`` if the invite carried one."""

    password: str | None = None


@dataclass(frozen=True)
class LobbyClosed:
    """The lobby room went away without sending us anywhere: the meeting is over."""

    reason: str | None


@dataclass(frozen=True)
class LobbyFailed:
    """Joining the lobby room itself failed."""

    error: TreffpunktError


class KnockState(Enum):
    IDLE = "idle"
    JOINING = "joining"
    WAITING = "waiting"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    CLOSED = "closed"


class LobbyKnock:
    """Knock at a room's lobby and wait for a moderator."""

    def __init__(self, lobby_room: Jid, main_room: Jid, nick: str, presence: LocalPresence, *,
                 room_name: str, waiting_for_host: bool = False) -> None:
        self.lobby_room = lobby_room.bare
        self.main_room = main_room.bare
        self.room_name = room_name
        self.waiting_for_host = waiting_for_host
        self.state = KnockState.IDLE
        self._email = presence.email
        # the e-mail goes in a second presence once we are in (Lobby.js join)
        self._room = MucRoom(self.lobby_room, nick, presence.replace(email=None),
                             room_name=room_name)
        self._events: list[object] = []

    @property
    def nick(self) -> str:
        return self._room.nick

    def knock(self) -> None:
        self.state = KnockState.JOINING
        self._room.join()

    def leave(self) -> None:
        self._room.leave()

    def take_outgoing(self) -> list[Element]:
        return self._room.take_outgoing()

    def take_events(self) -> list[object]:
        events, self._events = self._events, []
        return events

    def receive(self, stanza: Element) -> bool:
        if self._is_invite_from_main_room(stanza):
            return True
        if not self._room.receive(stanza):
            return False
        for event in self._room.take_events():
            self._on_room_event(event)
        return True

    def _is_invite_from_main_room(self, stanza: Element) -> bool:
        if not stanza.tag.endswith("message") or stanza.get("from") is None:
            return False
        try:
            sender = Jid.parse(stanza.get("from", ""))
        except TreffpunktError:
            return False
        if sender != self.main_room:
            return False
        x = stanza.find(f"{{{NS_MUC_USER}}}x")
        if x is None or x.find(f"{{{NS_MUC_USER}}}invite") is None:
            return False
        if self.state in (KnockState.JOINING, KnockState.WAITING):
            self.state = KnockState.ADMITTED
            self._events.append(LobbyAdmitted(self.room_name))
            self._events.append(EnterMainRoom(x.findtext(f"{{{NS_MUC_USER}}}password") or None))
        return True

    def _on_room_event(self, event: object) -> None:
        if isinstance(event, Joined):
            self.state = KnockState.WAITING
            if self._email:
                self._room.set_presence(self._room.presence.replace(email=self._email))
            self._events.append(LobbyWaiting(self.room_name, str(self.lobby_room),
                                             self.waiting_for_host))
        elif isinstance(event, DisplayNameRequired):
            self._events.append(event)
        elif isinstance(event, RoomExited) and self.state not in (KnockState.ADMITTED,
                                                                   KnockState.IDLE):
            if event.destroy is not None:
                if event.destroy.jid:
                    self.state = KnockState.ADMITTED
                    self._events.append(EnterMainRoom(None))
                else:
                    self.state = KnockState.CLOSED
                    self._events.append(LobbyClosed(event.destroy.reason))
            elif event.kicked:
                self.state = KnockState.REJECTED
                self._events.append(LobbyRejected(self.room_name))
            elif self._room.state is RoomState.LEFT and self.state is KnockState.WAITING:
                # pushed out without a reason: treat like a refusal, never sit forever
                self.state = KnockState.REJECTED
                self._events.append(LobbyRejected(self.room_name))
        elif isinstance(event, JoinRefused):
            if event.refusal.reason is Refusal.CREATION_RESTRICTED:
                # the lobby room is gone already: try the main room again (Lobby.js)
                self.state = KnockState.ADMITTED
                self._events.append(EnterMainRoom(None))
            else:
                self.state = KnockState.CLOSED
                self._events.append(LobbyFailed(event.refusal.to_error(self.room_name)))
        elif isinstance(event, InviteReceived):
            pass    # invites come from the main room, handled above


class LobbyWatch:
    """A moderator's seat in the lobby room: knockers in, KnockerAdded/Removed out."""

    def __init__(self, lobby_room: Jid, nick: str, presence: LocalPresence, *,
                 in_main_room: Callable[[Jid | None], bool] = lambda jid: False) -> None:
        self.lobby_room = lobby_room.bare
        self._room = MucRoom(self.lobby_room, nick, presence.replace(email=None, sources={}))
        self._in_main_room = in_main_room
        self._knockers: dict[str, Jid | None] = {}
        self._events: list[object] = []
        self.closed = False

    @property
    def knockers(self) -> dict[str, Jid | None]:
        return dict(self._knockers)

    def join(self) -> None:
        self._room.join()

    def leave(self) -> None:
        self._room.leave()
        self._close()

    def real_jid_of(self, knocker_id: str) -> Jid | None:
        return self._knockers.get(knocker_id)

    def reject_request(self, knocker_id: str) -> Element:
        return kick_request(self.lobby_room, knocker_id)

    def take_outgoing(self) -> list[Element]:
        return self._room.take_outgoing()

    def take_events(self) -> list[object]:
        events, self._events = self._events, []
        return events

    def receive(self, stanza: Element) -> bool:
        if not self._room.receive(stanza):
            return False
        for event in self._room.take_events():
            if isinstance(event, ParticipantJoined):
                jid = Jid.parse(event.jid) if event.jid else None
                if self._in_main_room(jid):
                    continue      # already inside (e.g. another moderator's seat)
                self._knockers[event.endpoint_id] = jid
                self._events.append(KnockerAdded(event.endpoint_id, event.display_name))
            elif isinstance(event, ParticipantLeft):
                if event.endpoint_id in self._knockers:
                    del self._knockers[event.endpoint_id]
                    self._events.append(KnockerRemoved(event.endpoint_id))
            elif isinstance(event, (RoomExited, JoinRefused)):
                self._close()
        return True

    def _close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for knocker_id in list(self._knockers):
            self._events.append(KnockerRemoved(knocker_id))
        self._knockers.clear()


def admit_message(main_room: Jid, knocker_jids: list[Jid]) -> Element:
    """Mediated invite to the main room: the room lets these real JIDs in (§5.2)."""
    message = el("message", {"to": str(main_room.bare)})
    x = sub(message, f"{{{NS_MUC_USER}}}x")
    for jid in knocker_jids:
        sub(x, f"{{{NS_MUC_USER}}}invite", {"to": str(jid)})
    return message

