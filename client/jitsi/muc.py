"""``MucRoom``: one Jitsi MUC room, sans-I/O (jitsi-signaling.md §4, §6).

Presences, messages and mute IQs from the room go in (``receive``); stanzas to send
(``take_outgoing``) and events (``take_events``) come out.  No socket, no clock.

What it decides on its own:
- the join presence (the full ``LocalPresence`` plus the MUC ``<x/>`` and password),
  and later replace-all presence updates (mute, display name);
- who is who: ourselves (status 110), Jicofo (real JID ``<focusjid>/…``; never a
  participant), everyone else as an ``Occupant`` keyed by endpoint id (= nick);
- a nickname conflict: pick a new random nick and join again (never reaches the UI);
- every join error as a ``JoinRefusal`` (password, lobby, full, banned …, §4.6);
- mute requests from Jicofo (§6.4), answered with an IQ result, and the self-unmute IQ
  after the user unmutes what a moderator muted.

Events are the public ones from ``events.py`` plus a few internal signals (below) that
the orchestrator acts on.  Moderator operations are request builders at the end: the
orchestrator awaits their IQ results.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Mapping

from client.errors import (AuthenticationRequiredError, BannedError, DisplayNameRequiredError,
                           JoinError, MembersOnlyError, NicknameConflictError, NotAllowedError,
                           PasswordRequiredError, RemoteProtocolError, RoomCreationRestrictedError,
                           RoomFullError, TreffpunktError, WrongPasswordError)
from client.jitsi.chat import parse_chat_message
from client.jitsi.events import (ChatFailed, ChatReceived, DisplayNameRequired, Joined,
                                 MuteRequested, ParticipantJoined, ParticipantLeft,
                                 ParticipantUpdated, PasswordRequested, RoleChanged, SourceInfo)
from client.jitsi.ns import (NS_DATA, NS_DISCO_INFO, NS_JITSI_AUDIO, NS_JITSI_VIDEO, NS_MUC_ADMIN,
                             NS_MUC_OWNER, NS_MUC_USER, NS_STANZAS)
from client.jitsi.presence import (Destroy, LocalPresence, OccupantPresence, client_child,
                                   media_of_source, render_presence, with_muted)
from client.jitsi.stanza import Element, Jid, el, new_id, split_tag, sub

log = logging.getLogger("treffpunkt.muc")

NS_JITSI_DESKTOP = "http://jitsi.org/jitmeet/desktop"
MUTE_NAMESPACES = {NS_JITSI_AUDIO: "audio", NS_JITSI_VIDEO: "video", NS_JITSI_DESKTOP: "desktop"}
MAX_NICK_RETRIES = 3
KICK_REASON = "You have been kicked."


def random_nick() -> str:
    """8 lower-case hex digits, the lib's endpoint-id shape."""
    return secrets.token_hex(4)


def endpoint_id_for(jid: Jid, *, authenticated: bool) -> str:
    """lib-jitsi-meet's rule (JitsiConference resourceCreator, §4.1): an anonymous JID
    whose local part starts with 8 hex digits lends them; otherwise random."""
    local = jid.local or ""
    prefix = local[:8]
    if not authenticated and len(prefix) == 8 and all(c in "0123456789abcdef" for c in prefix):
        return prefix
    return random_nick()


class RoomState(Enum):
    IDLE = "idle"
    JOINING = "joining"
    JOINED = "joined"
    NEEDS_PASSWORD = "needs-password"
    NEEDS_DISPLAY_NAME = "needs-display-name"
    REFUSED = "refused"
    LEAVING = "leaving"
    LEFT = "left"


# --- join errors ------------------------------------------------------------------------

class Refusal(str, Enum):
    PASSWORD = "password"
    MEMBERS_ONLY = "members-only"
    DISPLAY_NAME = "display-name"
    ROOM_FULL = "room-full"
    BANNED = "banned"
    NICK_CONFLICT = "nick-conflict"
    CREATION_RESTRICTED = "creation-restricted"
    AUTHENTICATION_REQUIRED = "authentication-required"
    NOT_ALLOWED = "not-allowed"
    OTHER = "other"


@dataclass(frozen=True)
class JoinRefusal:
    """Why the room said no to our join presence (§4.6)."""

    reason: Refusal
    condition: str | None = None
    error_type: str | None = None
    text: str | None = None
    lobby_room: Jid | None = None
    waiting_for_host: bool = False

    @classmethod
    def from_element(cls, presence: Element) -> "JoinRefusal":
        """An error presence → JoinRefusal.  Never raises; unknown shapes are OTHER."""
        error = client_child(presence, "error")
        if error is None:
            return cls(Refusal.OTHER)
        condition = text = None
        lobby_text = None
        waiting = display_name_required = room_missing = auth_required = False
        for child in error:
            if not isinstance(child.tag, str):
                continue
            ns, local = split_tag(child.tag)
            if ns == NS_STANZAS and local == "text":
                text = (child.text or "").strip() or None
            elif ns == NS_STANZAS and condition is None:
                condition = local
            elif local == "lobbyroom" and lobby_text is None:   # any namespace (lib: by local name)
                lobby_text = (child.text or "").strip()
            elif local == "waiting-for-host":
                waiting = True
            elif local == "displayname-required":
                display_name_required = True
            elif local == "room-does-not-exist":
                room_missing = True
            elif local == "authentication-required":
                auth_required = True
        if not lobby_text:
            # before 2021-12 the lobby JID was only outside <error/> (ljm a874f0f0)
            for child in presence:
                if isinstance(child.tag, str) and split_tag(child.tag)[1] == "lobbyroom":
                    lobby_text = (child.text or "").strip()
                    break
        lobby_room = None
        if lobby_text:
            try:
                lobby_room = Jid.parse(lobby_text).bare
            except RemoteProtocolError:
                lobby_room = None
        error_type = error.get("type")

        # Order as lib-jitsi-meet's onPresenceError; match conditions, not types (Jitsi's
        # max-occupants error is type='cancel' where XEP-0045 says 'wait').
        if condition == "not-authorized":
            reason = Refusal.PASSWORD
        elif condition == "not-allowed":
            if text == "Room creation is restricted" or room_missing:
                reason = Refusal.CREATION_RESTRICTED
            elif auth_required:
                reason = Refusal.AUTHENTICATION_REQUIRED
            else:
                reason = Refusal.NOT_ALLOWED
        elif condition == "service-unavailable":
            reason = Refusal.ROOM_FULL
        elif condition == "registration-required":
            reason = Refusal.MEMBERS_ONLY
        elif display_name_required:
            reason = Refusal.DISPLAY_NAME
        elif condition == "conflict":
            reason = Refusal.NICK_CONFLICT
        elif condition == "forbidden":
            reason = Refusal.BANNED
        else:
            reason = Refusal.OTHER
        return cls(reason, condition, error_type, text, lobby_room, waiting)

    def to_error(self, room_name: str, *, password_sent: bool = False) -> TreffpunktError:
        details = {"room": room_name, "condition": self.condition, "text": self.text}
        mapping: dict[Refusal, type[JoinError]] = {
            Refusal.MEMBERS_ONLY: MembersOnlyError,
            Refusal.DISPLAY_NAME: DisplayNameRequiredError,
            Refusal.ROOM_FULL: RoomFullError,
            Refusal.BANNED: BannedError,
            Refusal.NICK_CONFLICT: NicknameConflictError,
            Refusal.CREATION_RESTRICTED: RoomCreationRestrictedError,
            Refusal.AUTHENTICATION_REQUIRED: AuthenticationRequiredError,
            Refusal.NOT_ALLOWED: NotAllowedError,
        }
        if self.reason is Refusal.PASSWORD:
            return (WrongPasswordError if password_sent else PasswordRequiredError)(**details)
        return mapping.get(self.reason, JoinError)(**details)


# --- internal signals for the orchestrator -----------------------------------------------

@dataclass(frozen=True)
class JoinRefused:
    """The join attempt ended (password / display name prompts are public events instead)."""

    refusal: JoinRefusal


@dataclass(frozen=True)
class FocusJoined:
    occupant: Jid


@dataclass(frozen=True)
class FocusLeft:
    occupant: Jid


@dataclass(frozen=True)
class RoomExited:
    """Our own unavailable presence: we left, were kicked, or the room was destroyed."""

    kicked: bool = False
    actor: str | None = None
    reason: str | None = None
    destroy: Destroy | None = None


@dataclass(frozen=True)
class RoomConfigChanged:
    """Status 104 from the room: ask disco#info again (lock, lobby)."""


@dataclass(frozen=True)
class InviteReceived:
    """A mediated invite from the room (this is how a lobby moderator admits us, §5.1)."""

    room: Jid
    inviter: str | None
    password: str | None


RoomSignal = JoinRefused | FocusJoined | FocusLeft | RoomExited | RoomConfigChanged | InviteReceived


# --- occupants ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Occupant:
    """Another participant as the room shows it (Jicofo is never one)."""

    endpoint_id: str
    display_name: str | None
    role: str
    affiliation: str
    jid: Jid | None
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)
    audio_muted: bool = True
    video_muted: bool = True
    video_type: str | None = None
    raised_hand: bool = False
    features: frozenset[str] = frozenset()
    codecs: tuple[str, ...] = ()
    stats_id: str | None = None
    email: str | None = None
    properties: Mapping[str, str] = field(default_factory=dict)

    #: fields a ParticipantUpdated reports as changed
    PUBLIC_FIELDS = ("display_name", "role", "affiliation", "jid", "sources", "audio_muted",
                     "video_muted", "video_type", "raised_hand", "features")

    @classmethod
    def from_presence(cls, presence: OccupantPresence) -> "Occupant":
        return cls(
            endpoint_id=presence.nick or "",
            display_name=presence.display_name,
            role=presence.role or "none",
            affiliation=presence.affiliation or "none",
            jid=presence.real_jid,
            sources=dict(presence.sources or {}),
            audio_muted=presence.audio_muted,
            video_muted=presence.video_muted,
            video_type=presence.video_type,
            raised_hand=presence.raised_hand,
            features=presence.features,
            codecs=presence.codecs,
            stats_id=presence.stats_id,
            email=presence.email,
            properties=dict(presence.properties),
        )

    def _public(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.PUBLIC_FIELDS}

    def joined_event(self) -> ParticipantJoined:
        values = self._public()
        values["jid"] = str(self.jid) if self.jid else None
        return ParticipantJoined(endpoint_id=self.endpoint_id, **values)  # type: ignore[arg-type]

    def updated_event(self, before: "Occupant") -> ParticipantUpdated | None:
        now, then = self._public(), before._public()
        changed = frozenset(name for name in self.PUBLIC_FIELDS if now[name] != then[name])
        if not changed:
            return None
        now["jid"] = str(self.jid) if self.jid else None
        return ParticipantUpdated(endpoint_id=self.endpoint_id, changed=changed, **now)  # type: ignore[arg-type]


# --- the room -------------------------------------------------------------------------------

class MucRoom:
    """Presences in, presences and events out.  No socket, no clock, no Qt."""

    def __init__(self, room: Jid, nick: str, presence: LocalPresence | None = None, *,
                 room_name: str | None = None,
                 is_focus: Callable[[Jid | None], bool] = lambda jid: False,
                 billing_id: str | None = None,
                 nick_factory: Callable[[], str] = random_nick) -> None:
        self.room = room.bare
        self.nick = nick
        self.room_name = room_name or (room.local or str(room))
        self.state = RoomState.IDLE
        self.role = "none"
        self.affiliation = "none"
        self.occupants: dict[str, Occupant] = {}
        self.focus: Jid | None = None                 # Jicofo's occupant JID
        self.focus_properties: dict[str, str] = {}
        self.password: str | None = None              # the one our last join carried
        self._presence = presence or LocalPresence()
        self._is_focus = is_focus
        self._billing_id = billing_id
        self._nick_factory = nick_factory
        self._nick_retries = 0
        self._muted_by_focus: set[str] = set()
        self._presence_dirty = False
        self._outgoing: list[Element] = []
        self._events: list[object] = []

    # --- plumbing ------------------------------------------------------------------------

    @property
    def occupant_jid(self) -> Jid:
        return self.room.with_resource(self.nick)

    @property
    def presence(self) -> LocalPresence:
        return self._presence

    @property
    def joined(self) -> bool:
        return self.state is RoomState.JOINED

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"

    def take_outgoing(self) -> list[Element]:
        out, self._outgoing = self._outgoing, []
        return out

    def take_events(self) -> list[object]:
        events, self._events = self._events, []
        return events

    def display_name_of(self, nick: str) -> str | None:
        if nick == self.nick:
            return self._presence.display_name
        occupant = self.occupants.get(nick)
        return occupant.display_name if occupant else None

    # --- commands ------------------------------------------------------------------------

    def join(self, password: str | None = None) -> None:
        """Queue the join presence (with the MUC ``<x/>``, and the password if any)."""
        self.password = password
        self.state = RoomState.JOINING
        self._presence_dirty = False
        self.occupants.clear()
        self.focus = None
        self._outgoing.append(render_presence(self.occupant_jid, self._presence, join=True,
                                              password=password, billing_id=self._billing_id))

    def leave(self, status: str | None = None) -> None:
        if self.state in (RoomState.LEFT, RoomState.IDLE):
            return
        if self.state is not RoomState.JOINED and self.state is not RoomState.JOINING:
            self.state = RoomState.LEFT
            return
        presence = el("presence", {"to": str(self.occupant_jid), "type": "unavailable"})
        if status:
            sub(presence, "status", text=status)
        self._outgoing.append(presence)
        self.state = RoomState.LEAVING

    def forget(self) -> None:
        """We are gone without a goodbye (connection lost): report everyone as left."""
        self._drop_everyone()
        self.state = RoomState.LEFT

    def set_presence(self, presence: LocalPresence) -> None:
        """Replace our presence state; send it if we are in the room."""
        self._presence = presence
        if self.state is RoomState.JOINED:
            self._outgoing.append(render_presence(self.occupant_jid, presence))
        elif self.state is RoomState.JOINING:
            self._presence_dirty = True     # sent once the join is through (ChatRoom.onPresence)

    def set_display_name(self, name: str | None) -> None:
        self.set_presence(self._presence.replace(display_name=(name or "").strip() or None))

    def set_sources(self, sources: Mapping[str, SourceInfo]) -> None:
        self.set_presence(self._presence.replace(sources=dict(sources)))

    def set_muted(self, media: str, muted: bool) -> None:
        """Mute/unmute our ``media`` sources ('audio'/'video'); creates ``<ep>-a0``/``-v0``
        if we publish none yet.  Unmuting what Jicofo muted also tells Jicofo (§6.4)."""
        self.set_presence(with_muted(self._presence, self.nick, media, muted))
        if not muted and media in self._muted_by_focus:
            self._muted_by_focus.discard(media)
            if self.focus is not None and self.state is RoomState.JOINED:
                self._outgoing.append(mute_request(self.focus, self.occupant_jid, media, False))

    # --- input ---------------------------------------------------------------------------

    def claims(self, stanza: Element) -> bool:
        sender = stanza.get("from")
        if not sender:
            return False
        try:
            return Jid.parse(sender).bare == self.room
        except RemoteProtocolError:
            return False

    def receive(self, stanza: Element) -> bool:
        """Feed a stanza; returns True if it belonged to this room."""
        if not self.claims(stanza):
            return False
        local = split_tag(stanza.tag)[1] if isinstance(stanza.tag, str) else ""
        if local == "presence":
            self._on_presence(stanza)
        elif local == "message":
            self._on_message(stanza)
        elif local == "iq":
            return self._on_iq(stanza)
        return True

    # --- presences -----------------------------------------------------------------------

    def _on_presence(self, stanza: Element) -> None:
        if stanza.get("type") == "error":
            self._on_error_presence(stanza)
            return
        try:
            presence = OccupantPresence.from_element(stanza)
        except RemoteProtocolError as exc:
            log.debug("ignoring presence from %s: %s", stanza.get("from"), exc)
            return
        if presence.ignore or presence.nick is None:
            return
        if presence.type == "unavailable" and presence.destroy is not None:
            # the room is gone for everyone, whoever's presence told us (ChatRoom.ts)
            self._on_self_presence(replace(presence, occupant=self.occupant_jid))
            return
        if presence.is_self or presence.occupant == self.occupant_jid:
            self._on_self_presence(presence)
        else:
            self._on_occupant_presence(presence)

    def _on_error_presence(self, stanza: Element) -> None:
        if self.state is not RoomState.JOINING:
            log.info("presence error outside a join from %s", stanza.get("from"))
            return
        refusal = JoinRefusal.from_element(stanza)
        if refusal.reason is Refusal.NICK_CONFLICT and self._nick_retries < MAX_NICK_RETRIES:
            # a ghost of an earlier connection holds our nick: take another one (§4.1)
            self._nick_retries += 1
            self.nick = self._nick_factory()
            self._rename_sources()
            self.join(self.password)
            return
        if refusal.reason is Refusal.PASSWORD:
            self.state = RoomState.NEEDS_PASSWORD
            self._events.append(PasswordRequested(self.room_name,
                                                  after_wrong_password=bool(self.password)))
            return
        if refusal.reason is Refusal.DISPLAY_NAME:
            self.state = RoomState.NEEDS_DISPLAY_NAME
            self._events.append(DisplayNameRequired(self.room_name))
            return
        self.state = RoomState.REFUSED
        self._events.append(JoinRefused(refusal))

    def _rename_sources(self) -> None:
        """Source names start with the endpoint id; follow a nick change."""
        renamed: dict[str, SourceInfo] = {}
        for name, info in self._presence.sources.items():
            media = media_of_source(name)
            suffix = name.rpartition("-")[2]
            renamed[f"{self.nick}-{suffix}" if media else name] = info
        self._presence = self._presence.replace(sources=renamed)

    def _on_self_presence(self, presence: OccupantPresence) -> None:
        if presence.nick != self.nick and presence.nick:
            # the service assigned a different nick (status 210)
            self.nick = presence.nick
            self._rename_sources()
        if presence.type == "unavailable":
            self._drop_everyone()
            self.state = RoomState.LEFT
            self._events.append(RoomExited(
                kicked=307 in presence.status_codes, actor=presence.actor,
                reason=presence.item_reason or presence.status_text, destroy=presence.destroy))
            return
        role = presence.role or "none"
        affiliation = presence.affiliation or "none"
        if self.state is RoomState.JOINING:
            self.state = RoomState.JOINED
            self._nick_retries = 0
            self.role, self.affiliation = role, affiliation
            self._events.append(Joined(room=self.room_name, endpoint_id=self.nick,
                                       display_name=self._presence.display_name, role=role,
                                       affiliation=affiliation, locked=bool(self.password)))
            for occupant in self.occupants.values():
                self._events.append(occupant.joined_event())
            if self._presence_dirty:
                self._presence_dirty = False
                self._outgoing.append(render_presence(self.occupant_jid, self._presence))
            return
        if self.state is RoomState.JOINED and (role, affiliation) != (self.role, self.affiliation):
            self.role, self.affiliation = role, affiliation
            self._events.append(RoleChanged(self.nick, role, affiliation))

    def _looks_like_focus(self, presence: OccupantPresence) -> bool:
        if presence.real_jid is not None:
            return self._is_focus(presence.real_jid)
        # rooms that hide real JIDs: the lib would ignore such an occupant; we only
        # keep Jicofo's well-known nick out of the participant list
        return presence.nick == "focus"

    def _on_occupant_presence(self, presence: OccupantPresence) -> None:
        nick = presence.nick or ""
        if (self.focus is not None and presence.occupant == self.focus) or (
                nick not in self.occupants and self._looks_like_focus(presence)):
            self._on_focus_presence(presence)
            return
        if presence.type == "unavailable":
            occupant = self.occupants.pop(nick, None)
            if occupant is not None and self.state is RoomState.JOINED:
                kicked = 307 in presence.status_codes
                self._events.append(ParticipantLeft(
                    nick, occupant.display_name,
                    reason=(presence.item_reason if kicked else None) or presence.status_text,
                    kicked=kicked, actor=presence.actor))
            return
        occupant = Occupant.from_presence(presence)
        before = self.occupants.get(nick)
        self.occupants[nick] = occupant
        if self.state is not RoomState.JOINED:
            return              # announced right after our own Joined
        if before is None:
            self._events.append(occupant.joined_event())
        else:
            update = occupant.updated_event(before)
            if update is not None:
                self._events.append(update)

    def _on_focus_presence(self, presence: OccupantPresence) -> None:
        if presence.type == "unavailable":
            if self.focus is not None:
                gone, self.focus = self.focus, None
                self._events.append(FocusLeft(gone))
            return
        self.focus_properties.update(presence.conference_properties)
        if self.focus is None:
            self.focus = presence.occupant
            self._events.append(FocusJoined(presence.occupant))

    def _drop_everyone(self) -> None:
        was_joined = self.state in (RoomState.JOINED, RoomState.LEAVING)
        for nick, occupant in list(self.occupants.items()):
            if was_joined:
                self._events.append(ParticipantLeft(nick, occupant.display_name))
        self.occupants.clear()
        self.focus = None

    # --- messages ------------------------------------------------------------------------

    def _on_message(self, stanza: Element) -> None:
        sender = Jid.parse(stanza.get("from", ""))
        if sender.resource is None and stanza.get("type") != "error":
            x = stanza.find(f"{{{NS_MUC_USER}}}x")
            if x is not None:
                codes = {s.get("code") for s in x.findall(f"{{{NS_MUC_USER}}}status")}
                if "104" in codes:
                    self._events.append(RoomConfigChanged())
                invite = x.find(f"{{{NS_MUC_USER}}}invite")
                if invite is not None:
                    password = x.findtext(f"{{{NS_MUC_USER}}}password")
                    self._events.append(InviteReceived(self.room, invite.get("from") or None,
                                                       password or None))
                    return
        event = parse_chat_message(stanza, room=self.room, own_nick=self.nick,
                                   display_name_of=self.display_name_of)
        if isinstance(event, (ChatReceived, ChatFailed)) and (
                self.state is RoomState.JOINED or isinstance(event, ChatFailed)):
            self._events.append(event)

    # --- IQs ---------------------------------------------------------------------------------

    def _on_iq(self, stanza: Element) -> bool:
        if stanza.get("type") != "set" or self.focus is None:
            return False
        try:
            sender = Jid.parse(stanza.get("from", ""))
        except RemoteProtocolError:
            return False
        if sender != self.focus:
            return False            # only Jicofo may mute us (ChatRoom.onMute)
        for child in stanza:
            if not isinstance(child.tag, str):
                continue
            ns, local = split_tag(child.tag)
            if local == "mute" and ns in MUTE_NAMESPACES:
                media = MUTE_NAMESPACES[ns]
                self._outgoing.append(el("iq", {"type": "result", "to": stanza.get("from"),
                                                "id": stanza.get("id")}))
                if (child.text or "").strip() == "true":
                    self._apply_remote_mute(media)
                    self._events.append(MuteRequested(media, child.get("actor") or None))
                return True
        return False

    def _apply_remote_mute(self, media: str) -> None:
        sources = dict(self._presence.sources)
        for name, info in sources.items():
            if media == "desktop":
                hit = media_of_source(name) == "video" and info.video_type == "desktop"
            else:
                hit = media_of_source(name) == media and (
                    media == "audio" or info.video_type != "desktop")
            if hit:
                sources[name] = SourceInfo(True, info.video_type)
        self._muted_by_focus.add("video" if media == "desktop" else media)
        self.set_presence(self._presence.replace(sources=sources))


# --- request builders for moderator operations (the orchestrator awaits the results) ------

def mute_request(focus: Jid, target: Jid, media: str, mute: bool) -> Element:
    """To Jicofo's occupant: mute someone (moderators) or unmute ourselves (§4.9, §6.4)."""
    ns = {"audio": NS_JITSI_AUDIO, "video": NS_JITSI_VIDEO, "desktop": NS_JITSI_DESKTOP}[media]
    return el("iq", {"type": "set", "to": str(focus), "id": new_id("mute")},
              el(f"{{{ns}}}mute", {"jid": str(target)}, text="true" if mute else "false"))


def kick_request(room: Jid, nick: str, reason: str = KICK_REASON) -> Element:
    item = el(f"{{{NS_MUC_ADMIN}}}item", {"nick": nick, "role": "none"})
    sub(item, f"{{{NS_MUC_ADMIN}}}reason", text=reason)
    return el("iq", {"type": "set", "to": str(room.bare), "id": new_id("kick")},
              el(f"{{{NS_MUC_ADMIN}}}query", None, item))


def affiliation_request(room: Jid, jids: list[Jid], affiliation: str = "member") -> Element:
    query = el(f"{{{NS_MUC_ADMIN}}}query")
    for jid in jids:
        sub(query, f"{{{NS_MUC_ADMIN}}}item", {"affiliation": affiliation, "jid": str(jid.bare)})
    return el("iq", {"type": "set", "to": str(room.bare), "id": new_id("affiliation")}, query)


def owner_form_request(room: Jid) -> Element:
    return el("iq", {"type": "get", "to": str(room.bare), "id": new_id("config")},
              el(f"{{{NS_MUC_OWNER}}}query"))


def form_fields(result: Element) -> frozenset[str]:
    """The ``var``s of the muc#owner configuration form in an IQ result."""
    query = result.find(f"{{{NS_MUC_OWNER}}}query")
    if query is None:
        return frozenset()
    x = query.find(f"{{{NS_DATA}}}x")
    if x is None:
        return frozenset()
    return frozenset(f.get("var", "") for f in x.findall(f"{{{NS_DATA}}}field") if f.get("var"))


def config_submit(room: Jid, fields: Mapping[str, str]) -> Element:
    x = el(f"{{{NS_DATA}}}x", {"type": "submit"})
    for var, value in {"FORM_TYPE": "http://jabber.org/protocol/muc#roomconfig", **fields}.items():
        field_el = sub(x, f"{{{NS_DATA}}}field", {"var": var})
        sub(field_el, f"{{{NS_DATA}}}value", text=value)
    return el("iq", {"type": "set", "to": str(room.bare), "id": new_id("config")},
              el(f"{{{NS_MUC_OWNER}}}query", None, x))


def lock_fields(password: str | None, *, members_only: bool) -> dict[str, str]:
    """ChatRoom.lockRoom: secret + protected flag; keep the lobby on if it is on (§4.8)."""
    fields = {
        "muc#roomconfig_roomsecret": password or "",
        "muc#roomconfig_passwordprotectedroom": "1" if password else "0",
    }
    if members_only:
        fields["muc#roomconfig_membersonly"] = "true"
    fields["muc#roomconfig_whois"] = "anyone"       # Prosody 0.9 work-around the lib keeps
    return fields


def members_only_fields(enabled: bool, *, locked: bool) -> dict[str, str]:
    """ChatRoom.setMembersOnly: switching the lobby must not drop the password (§5.2)."""
    fields = {"muc#roomconfig_membersonly": "true" if enabled else "false"}
    if locked:
        fields["muc#roomconfig_passwordprotectedroom"] = "1"
    return fields


def room_info_request(room: Jid) -> Element:
    return el("iq", {"type": "get", "to": str(room.bare), "id": new_id("roominfo")},
              el(f"{{{NS_DISCO_INFO}}}query"))


@dataclass(frozen=True)
class RoomInfo:
    """disco#info of the room (§4.4 step 5)."""

    locked: bool = False
    members_only: bool = False
    lobby_room: Jid | None = None
    meeting_id: str | None = None

    @classmethod
    def from_iq(cls, result: Element) -> "RoomInfo":
        query = result.find(f"{{{NS_DISCO_INFO}}}query")
        if query is None:
            raise RemoteProtocolError(reason="room disco#info without <query/>")
        features = {f.get("var") for f in query.findall(f"{{{NS_DISCO_INFO}}}feature")}
        values: dict[str, str] = {}
        for x in query.findall(f"{{{NS_DATA}}}x"):
            for field_el in x.findall(f"{{{NS_DATA}}}field"):
                value = field_el.findtext(f"{{{NS_DATA}}}value")
                if field_el.get("var") and value:
                    values[field_el.get("var", "")] = value.strip()
        lobby = None
        if values.get("muc#roominfo_lobbyroom"):
            try:
                lobby = Jid.parse(values["muc#roominfo_lobbyroom"]).bare
            except RemoteProtocolError:
                lobby = None
        return cls(locked="muc_passwordprotected" in features,
                   members_only="muc_membersonly" in features,
                   lobby_room=lobby,
                   meeting_id=values.get("muc#roominfo_meetingId"))
