"""The focus stand-in: what Jicofo does on the wire for participants, minus the bridge.

Contract (test-rig.md §3, jitsi-signaling.md §3, §4.5, §6.4), modelled on Jicofo:

* A conference request ``<iq type='set'><conference xmlns='http://jitsi.org/protocol/focus'
  room='R'/></iq>`` makes the focus join R as nick ``focus`` (an owner: Prosody lists
  it as a MUC admin) and only *after* its self-presence reply ``ready='true'`` with
  ``focusjid`` and the ``authentication``/``externalAuth`` properties.
* Secure-domain mode (``require_host``, globally or per room), as Jicofo's XMPP
  domain auth authority: a request for a room that does not exist yet from a JID
  that is not authenticated gets ``<not-authorized/>`` "not authorized user domain".
  A request from the auth domain creates an authentication session (needs a
  ``machine-uid``) and the reply carries ``session-id`` and ``identity``; a guest
  connection that presents that ``session-id`` with the same ``machine-uid`` is
  authenticated too.  Unknown sessions get ``<not-acceptable/>`` + ``<session-invalid/>``,
  a different machine-uid ``<not-acceptable/>`` "machine UID mismatch or empty".
* Moderators: without auth, the first participant becomes owner and a new one is
  elected when no moderator is left (Jicofo's auto-owner); with auth, every
  authenticated participant becomes owner.
* Mute requests from moderators (to ``R/focus``) are carried out by asking the
  participant to mute; unmuting others is refused.
* disco#info is answered; other IQ requests get ``<service-unavailable/>``.
* The focus leaves a room when its last participant has left, or when nobody
  joined within ``initial_timeout_s`` of the last request.  It never sends Jingle.

``FocusService`` is sans-I/O (stanzas and time in, stanzas out);
``FocusStandIn`` attaches it to Prosody as the component ``focus.<domain>``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from client.errors import RemoteProtocolError
from client.jitsi.ns import (NS_DISCO_INFO, NS_JITSI_FOCUS, NS_MUC, NS_MUC_ADMIN, NS_MUC_USER,
                             NS_STANZAS, NS_XML)
from client.jitsi.stanza import Element, Jid, el, new_id, sub
from tests.rig.component import NS_COMPONENT, ComponentConnection

FOCUS_NICK = "focus"
NS_JITSI_MEET = "http://jitsi.org/jitmeet"
MUTE_NAMESPACES = {"http://jitsi.org/jitmeet/audio": "audio",
                   "http://jitsi.org/jitmeet/video": "video",
                   "http://jitsi.org/jitmeet/desktop": "desktop"}


def c(tag: str) -> str:
    """A top-level stanza tag (or a child inheriting the stream namespace)."""
    return f"{{{NS_COMPONENT}}}{tag}"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _jid(text: str | None) -> Jid | None:
    if not text:
        return None
    try:
        return Jid.parse(text)
    except RemoteProtocolError:
        return None


# -- errors -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StanzaError:
    """An XMPP stanza error as Smack (Jicofo) writes it: condition, type, English text."""

    condition: str
    error_type: str
    text: str | None = None
    extension: tuple[str, str] | None = None  # (namespace, local name) of an app-specific child

    def element(self) -> Element:
        error = el(c("error"), {"type": self.error_type})
        sub(error, f"{{{NS_STANZAS}}}{self.condition}")
        if self.text:
            sub(error, f"{{{NS_STANZAS}}}text", {f"{{{NS_XML}}}lang": "en"}, text=self.text)
        if self.extension:
            ns, name = self.extension
            sub(error, f"{{{ns}}}{name}")
        return error


def error_reply(request: Element, error: StanzaError, *, keep_payload: bool = True) -> Element:
    reply = el(c(_local(request.tag)), {"type": "error", "id": request.get("id"),
                                        "from": request.get("to"), "to": request.get("from")})
    if keep_payload:
        for child in request:
            if _local(child.tag) != "error":
                reply.append(child)
    reply.append(error.element())
    return reply


BAD_REQUEST_NO_ROOM = StanzaError("bad-request", "modify", "No 'room' specified.")
NOT_AUTHORIZED = StanzaError("not-authorized", "auth", "not authorized user domain")
SESSION_INVALID = StanzaError("not-acceptable", "modify", "invalid session",
                              (NS_JITSI_FOCUS, "session-invalid"))
MACHINE_UID_MISMATCH = StanzaError("not-acceptable", "modify", "machine UID mismatch or empty")
MACHINE_UID_MISSING = StanzaError("not-acceptable", "modify",
                                  "Missing mandatory attribute 'machine-uid'")
SERVICE_UNAVAILABLE = StanzaError("service-unavailable", "cancel")


# -- the conference request -------------------------------------------------------------
@dataclass(frozen=True)
class ConferenceRequest:
    sender: Jid
    room: Jid | None
    machine_uid: str | None
    session_id: str | None
    properties: dict[str, str]

    @classmethod
    def from_element(cls, iq: Element, conference: Element) -> "ConferenceRequest":
        sender = _jid(iq.get("from"))
        if sender is None:
            raise RemoteProtocolError(reason="conference request without a sender")
        props = {p.get("name", ""): p.get("value", "")
                 for p in conference if _local(p.tag) == "property"}
        return cls(sender=sender, room=_jid(conference.get("room")),
                   machine_uid=conference.get("machine-uid") or None,
                   session_id=conference.get("session-id") or None, properties=props)


# -- Jicofo's XMPP-domain authentication authority ----------------------------------------
@dataclass
class AuthSession:
    session_id: str
    machine_uid: str
    identity: str          # the authenticated user's bare JID
    room: str
    user_jid: Jid | None = None   # the (full) JID the session is bound to now


class AuthAuthority:
    """Sessions for users of the auth domain, bindable to guest connections by session-id."""

    def __init__(self, auth_domain: str) -> None:
        self.auth_domain = auth_domain
        self.sessions: dict[str, AuthSession] = {}

    def process(self, request: ConferenceRequest) -> StanzaError | AuthSession | None:
        """An error to send, the session the sender is now bound to, or None (a guest)."""
        session = self.sessions.get(request.session_id) if request.session_id else None
        if request.session_id:
            if session is None:
                return SESSION_INVALID
            if session.machine_uid != request.machine_uid:
                return MACHINE_UID_MISMATCH
        if session is None and request.sender.domain == self.auth_domain:
            if not request.machine_uid:
                return MACHINE_UID_MISSING
            session = AuthSession(self._new_id(), request.machine_uid,
                                  str(request.sender.bare), str(request.room or ""))
            self.sessions[session.session_id] = session
        if session is not None:
            session.user_jid = request.sender
        return session

    def identity_of(self, jid: Jid) -> str | None:
        for session in self.sessions.values():
            if session.user_jid == jid:
                return session.identity
        return None

    def logout(self, session_id: str | None) -> bool:
        return self.sessions.pop(session_id or "", None) is not None

    def _new_id(self) -> str:
        while True:
            candidate = str(uuid.uuid4())
            if candidate not in self.sessions:
                return candidate


# -- rooms --------------------------------------------------------------------------------
@dataclass
class Occupant:
    nick: str
    real_jid: Jid | None
    role: str
    affiliation: str
    order: int


@dataclass
class FocusRoom:
    jid: Jid
    joined: bool = False
    pending: list[tuple[Element, Element]] = field(default_factory=list)   # (request iq, reply)
    occupants: dict[str, Occupant] = field(default_factory=dict)           # without the focus
    had_participants: bool = False
    last_request_at: float = 0.0
    owner_grants: set[str] = field(default_factory=set)                   # bare JIDs asked for


@dataclass
class FocusSettings:
    domain: str = "meet.localhost"
    focus_domain: str = "focus.meet.localhost"
    muc_domain: str = "conference.meet.localhost"
    auth_domain: str = "auth.meet.localhost"
    require_host: bool = False
    host_required_rooms: set[str] = field(default_factory=set)    # room nodes
    initial_timeout_s: float = 15.0

    @property
    def focus_jid(self) -> Jid:
        """The bare JID announced as ``focusjid``; our occupant's real JID starts with it."""
        return Jid("focus", self.focus_domain)


class FocusExtension(Protocol):
    """More of Jicofo's job (e.g. the bridge path, tests/rig/bridge/jicofo.py).

    Called under the focus lock on the component thread; must return quickly.
    """

    def claim_iq(self, iq: Element) -> bool: ...          # True: handled (and answered) there
    def room_occupant_joined(self, room: Jid, nick: str, presence: Element) -> None: ...
    def room_occupant_left(self, room: Jid, nick: str) -> None: ...
    def room_closed(self, room: Jid) -> None: ...


class FocusService:
    """Sans-I/O: ``receive(stanza, now)`` and ``tick(now)`` return the stanzas to send."""

    def __init__(self, settings: FocusSettings | None = None) -> None:
        self.settings = settings or FocusSettings()
        self.auth = AuthAuthority(self.settings.auth_domain)
        self.rooms: dict[Jid, FocusRoom] = {}
        self.requests: list[ConferenceRequest] = []      # every conference request, for tests
        self.extensions: list[FocusExtension] = []
        self._order = 0

    @property
    def full_jid(self) -> Jid:
        return self.settings.focus_jid.with_resource(FOCUS_NICK)

    def host_required(self, room: Jid) -> bool:
        s = self.settings
        return s.require_host or (room.local or "") in s.host_required_rooms

    # -- input ------------------------------------------------------------------------
    def receive(self, stanza: Element, now: float) -> list[Element]:
        kind = _local(stanza.tag)
        if kind == "iq":
            return self._on_iq(stanza, now)
        if kind == "presence":
            return self._on_presence(stanza, now)
        return []

    def tick(self, now: float) -> list[Element]:
        out: list[Element] = []
        for room in list(self.rooms.values()):
            idle = now - room.last_request_at
            if not room.occupants and not room.had_participants and idle > self.settings.initial_timeout_s:
                out += self._leave(room)
        return out

    # -- IQs ----------------------------------------------------------------------------
    def _on_iq(self, iq: Element, now: float) -> list[Element]:
        for extension in self.extensions:
            if extension.claim_iq(iq):
                return []
        iq_type = iq.get("type")
        if iq_type not in ("get", "set"):
            return []                      # results of our own requests (owner grants, mutes)
        payload = next(iter(iq), None)
        if payload is None:
            return [error_reply(iq, StanzaError("bad-request", "modify"))]
        if payload.tag == f"{{{NS_JITSI_FOCUS}}}conference" and iq_type == "set":
            return self._on_conference_request(iq, payload, now)
        if payload.tag == f"{{{NS_JITSI_FOCUS}}}logout" and iq_type == "set":
            return self._on_logout(iq, payload)
        if payload.tag == f"{{{NS_DISCO_INFO}}}query" and iq_type == "get":
            return [self._disco_info(iq, payload)]
        if payload.tag.startswith("{") and payload.tag[1:].partition("}")[0] in MUTE_NAMESPACES \
                and _local(payload.tag) == "mute" and iq_type == "set":
            return self._on_mute(iq, payload)
        return [error_reply(iq, SERVICE_UNAVAILABLE)]

    def _on_conference_request(self, iq: Element, conference: Element, now: float) -> list[Element]:
        try:
            request = ConferenceRequest.from_element(iq, conference)
        except RemoteProtocolError:
            return [error_reply(iq, StanzaError("bad-request", "modify"))]
        self.requests.append(request)
        room_jid = request.room
        if room_jid is None or room_jid.local is None:
            return [error_reply(iq, BAD_REQUEST_NO_ROOM)]
        room_jid = room_jid.bare
        room = self.rooms.get(room_jid)
        auth_on = self.host_required(room_jid)

        reply = el(c("iq"), {"type": "result", "id": iq.get("id"), "from": iq.get("to"),
                             "to": iq.get("from")})
        result = sub(reply, f"{{{NS_JITSI_FOCUS}}}conference",
                     {"room": str(room_jid), "focusjid": str(self.settings.focus_jid)})
        out: list[Element] = []
        if auth_on:
            outcome = self.auth.process(request)
            if isinstance(outcome, StanzaError):
                return [error_reply(iq, outcome)]
            if isinstance(outcome, AuthSession):
                result.set("session-id", outcome.session_id)
                result.set("identity", outcome.identity)
                if room is not None:       # someone already in the room may now be a host
                    out += self._grant_owners(room)
            if room is None and self.auth.identity_of(request.sender) is None:
                return [error_reply(iq, NOT_AUTHORIZED)]
        result.set("ready", "true")
        if auth_on:
            sub(result, f"{{{NS_JITSI_FOCUS}}}property", {"name": "authentication", "value": "true"})
            sub(result, f"{{{NS_JITSI_FOCUS}}}property", {"name": "externalAuth", "value": "false"})
        else:
            sub(result, f"{{{NS_JITSI_FOCUS}}}property", {"name": "authentication", "value": "false"})

        if room is None:
            room = FocusRoom(room_jid)
            self.rooms[room_jid] = room
            out.append(self._join_presence(room))
        room.last_request_at = now
        if room.joined:
            out.append(reply)
        else:
            room.pending.append((iq, reply))   # Jicofo answers only once it is in the room
        return out

    def _on_logout(self, iq: Element, logout: Element) -> list[Element]:
        if not self.auth.logout(logout.get("session-id")):
            return [error_reply(iq, SESSION_INVALID)]
        reply = el(c("iq"), {"type": "result", "id": iq.get("id"), "from": iq.get("to"),
                             "to": iq.get("from")})
        sub(reply, f"{{{NS_JITSI_FOCUS}}}logout", {"session-id": logout.get("session-id")})
        return [reply]

    def _disco_info(self, iq: Element, query: Element) -> Element:
        reply = el(c("iq"), {"type": "result", "id": iq.get("id"), "from": iq.get("to"),
                             "to": iq.get("from")})
        answer = sub(reply, f"{{{NS_DISCO_INFO}}}query", {"node": query.get("node")})
        sub(answer, f"{{{NS_DISCO_INFO}}}identity",
            {"category": "component", "type": "generic", "name": "Treffpunkt rig focus stand-in"})
        for var in (NS_DISCO_INFO, NS_JITSI_FOCUS):
            sub(answer, f"{{{NS_DISCO_INFO}}}feature", {"var": var})
        return reply

    def _on_mute(self, iq: Element, mute: Element) -> list[Element]:
        ns = mute.tag[1:].partition("}")[0]
        actor = _jid(iq.get("from"))
        target = _jid(mute.get("jid"))
        room = self.rooms.get(actor.bare) if actor else None
        if room is None or actor is None or actor.resource not in room.occupants:
            return [error_reply(iq, StanzaError("not-allowed", "cancel"))]
        if room.occupants[actor.resource].role != "moderator":
            return [error_reply(iq, StanzaError("not-allowed", "cancel", "not a moderator"))]
        if (mute.text or "").strip() != "true":
            return [error_reply(iq, StanzaError("not-allowed", "cancel", "cannot unmute others"))]
        if target is None or target.bare != room.jid or target.resource not in room.occupants:
            return [error_reply(iq, StanzaError("item-not-found", "cancel"))]
        result = el(c("iq"), {"type": "result", "id": iq.get("id"), "from": iq.get("to"),
                              "to": iq.get("from")})
        ask = el(c("iq"), {"type": "set", "id": new_id("mute"), "from": str(self.full_jid),
                           "to": str(target)})
        sub(ask, f"{{{ns}}}mute", {"actor": str(actor)}, text="true")
        return [result, ask]

    # -- presence ----------------------------------------------------------------------
    def _on_presence(self, presence: Element, now: float) -> list[Element]:
        sender = _jid(presence.get("from"))
        if sender is None or sender.resource is None:
            return []
        room = self.rooms.get(sender.bare)
        if room is None:
            return []
        ptype = presence.get("type")
        if sender.resource == FOCUS_NICK:
            return self._on_own_presence(room, presence, ptype)
        if ptype == "error":
            return []
        if ptype == "unavailable":
            gone = room.occupants.pop(sender.resource, None)
            if gone is not None and gone.real_jid is not None:
                room.owner_grants.discard(str(gone.real_jid.bare))
            if gone is not None:
                for extension in self.extensions:
                    extension.room_occupant_left(room.jid, sender.resource)
            if not room.occupants and room.had_participants:
                return self._leave(room)
            return self._elect_owner(room)
        item = presence.find(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}item")
        real = _jid(item.get("jid")) if item is not None else None
        role = item.get("role", "participant") if item is not None else "participant"
        affiliation = item.get("affiliation", "none") if item is not None else "none"
        known = room.occupants.get(sender.resource)
        if known is None:
            self._order += 1
            room.occupants[sender.resource] = Occupant(sender.resource, real, role, affiliation,
                                                       self._order)
            room.had_participants = True
            for extension in self.extensions:
                extension.room_occupant_joined(room.jid, sender.resource, presence)
        else:
            known.role, known.affiliation = role, affiliation
            known.real_jid = real or known.real_jid
        if role == "moderator" and real is not None:
            room.owner_grants.discard(str(real.bare))
        return self._grant_owners(room) if self.host_required(room.jid) else self._elect_owner(room)

    def _on_own_presence(self, room: FocusRoom, presence: Element, ptype: str | None) -> list[Element]:
        if ptype == "error":
            # Could not join: answer the waiting requests so clients do not hang.
            self.rooms.pop(room.jid, None)
            return [error_reply(iq, StanzaError("internal-server-error", "wait",
                                                "the focus could not join the room"))
                    for iq, _ in room.pending]
        if ptype == "unavailable":        # kicked or room destroyed
            self.rooms.pop(room.jid, None)
            for extension in self.extensions:
                extension.room_closed(room.jid)
            return []
        codes = {s.get("code") for s in presence.iterfind(f"{{{NS_MUC_USER}}}x/{{{NS_MUC_USER}}}status")}
        if "110" in codes and not room.joined:
            room.joined = True
            replies = [reply for _, reply in room.pending]
            room.pending.clear()
            return replies
        return []

    # -- roles --------------------------------------------------------------------------
    def _elect_owner(self, room: FocusRoom) -> list[Element]:
        """Jicofo's auto-owner: make the longest-present participant owner if none is moderator."""
        if any(o.role == "moderator" for o in room.occupants.values()) or room.owner_grants:
            return []
        candidates = sorted((o for o in room.occupants.values() if o.real_jid is not None),
                            key=lambda o: o.order)
        if not candidates:
            return []
        return [self._grant_owner(room, candidates[0].real_jid)]  # type: ignore[arg-type]

    def _grant_owners(self, room: FocusRoom) -> list[Element]:
        """With authentication: every authenticated participant becomes owner."""
        out = []
        for occupant in room.occupants.values():
            real = occupant.real_jid
            if real is None or occupant.affiliation == "owner" or str(real.bare) in room.owner_grants:
                continue
            if self.auth.identity_of(real) is not None:
                out.append(self._grant_owner(room, real))
        return out

    def _grant_owner(self, room: FocusRoom, real: Jid) -> Element:
        room.owner_grants.add(str(real.bare))
        iq = el(c("iq"), {"type": "set", "id": new_id("owner"), "from": str(self.full_jid),
                          "to": str(room.jid)})
        query = sub(iq, f"{{{NS_MUC_ADMIN}}}query")
        sub(query, f"{{{NS_MUC_ADMIN}}}item", {"affiliation": "owner", "jid": str(real.bare)})
        return iq

    # -- joining and leaving -----------------------------------------------------------
    def _join_presence(self, room: FocusRoom) -> Element:
        presence = el(c("presence"), {"from": str(self.full_jid),
                                      "to": str(room.jid.with_resource(FOCUS_NICK))})
        sub(presence, f"{{{NS_MUC}}}x")
        props = sub(presence, f"{{{NS_JITSI_FOCUS}}}conference-properties")
        sub(props, f"{{{NS_JITSI_FOCUS}}}property",
            {"key": "created-ms", "value": str(int(time.time() * 1000))})
        versions = sub(presence, f"{{{NS_JITSI_MEET}}}versions")
        sub(versions, f"{{{NS_JITSI_MEET}}}component", {"name": "focus"}, text="rig-standin")
        return presence

    def _leave(self, room: FocusRoom) -> list[Element]:
        self.rooms.pop(room.jid, None)
        for extension in self.extensions:
            extension.room_closed(room.jid)
        return [el(c("presence"), {"type": "unavailable", "from": str(self.full_jid),
                                   "to": str(room.jid.with_resource(FOCUS_NICK))})]


class FocusStandIn:
    """The focus attached to Prosody as ``focus.<domain>``; modes can change while it runs.

    ``require_host = True`` switches on the secure-domain mode for every room;
    ``require_host_for(room)`` for one room only (parallel tests share the rig).
    """

    def __init__(self, settings: FocusSettings, *, host: str, port: int, secret: str,
                 log_file: Path | None = None) -> None:
        self.service = FocusService(settings)
        self._connection = ComponentConnection(
            host, port, settings.focus_domain, secret,
            handler=lambda stanza: self.service.receive(stanza, time.monotonic()),
            tick=self.service.tick, log_file=log_file)
        self._lock = self._connection.lock

    def start(self) -> None:
        self._connection.start()

    def stop(self) -> None:
        self._connection.stop()

    @property
    def focus_jid(self) -> str:
        return str(self.service.settings.focus_jid)

    @property
    def full_jid(self) -> Jid:
        """Our occupant's real JID (``focus@focus.<domain>/focus``): Jingle's initiator."""
        return self.service.full_jid

    def add_extension(self, extension: FocusExtension) -> None:
        with self._lock:
            self.service.extensions.append(extension)

    def remove_extension(self, extension: FocusExtension) -> None:
        with self._lock:
            if extension in self.service.extensions:
                self.service.extensions.remove(extension)

    def send(self, stanzas: list[Element]) -> None:
        """Send stanzas from any thread (an extension's asynchronous answers)."""
        self._connection.send(stanzas)

    @property
    def require_host(self) -> bool:
        return self.service.settings.require_host

    @require_host.setter
    def require_host(self, value: bool) -> None:
        with self._lock:
            self.service.settings.require_host = bool(value)

    def require_host_for(self, room: str, required: bool = True) -> None:
        """Secure-domain mode for one room (its node, or its bare JID)."""
        node = room.partition("@")[0].lower()
        with self._lock:
            if required:
                self.service.settings.host_required_rooms.add(node)
            else:
                self.service.settings.host_required_rooms.discard(node)

    def rooms(self) -> dict[str, list[str]]:
        """A snapshot: room JID → nicks of the participants the focus sees."""
        with self._lock:
            return {str(j): sorted(r.occupants) for j, r in self.service.rooms.items()}

    def requests(self) -> list[ConferenceRequest]:
        with self._lock:
            return list(self.service.requests)

    def has_room(self, room: str) -> bool:
        with self._lock:
            return any(str(j) == room or j.local == room for j in self.service.rooms)


def wait_for(predicate: Callable[[], bool], timeout_s: float = 10.0,
             interval_s: float = 0.02) -> bool:
    """Poll a cheap predicate (used by tests on the focus's state)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return bool(predicate())

