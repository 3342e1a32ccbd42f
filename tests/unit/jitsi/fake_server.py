"""An in-process stand-in for Prosody's MUC + Jicofo, scripted by tests, with a fake
``XmppClient`` in front of it.  No sockets: stanzas are routed as Elements.

Enough of XEP-0045 and Jitsi to drive ``Conference`` through every path: rooms only
exist after a conference request (restricted creation), passwords, members-only with
a lobby room, max occupants, bans, nick conflicts, kicks, destroy, mediated invites,
the muc#owner form, room disco#info, and Jicofo's answers (ready, not ready,
not-authorized, session-id for authenticated users).  Other participants are puppets
the test moves (``add_participant``, ``say`` …).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Callable

from client.jitsi.disco import DiscoInfo
from client.jitsi.extdisco import IceServer
from client.jitsi.ns import (NS_DATA, NS_DISCO_INFO, NS_JITSI_FOCUS, NS_MUC, NS_MUC_ADMIN,
                             NS_MUC_OWNER, NS_MUC_USER, NS_NICK, NS_STANZAS)
from client.jitsi.sasl import AnonymousLoginRefusedError, AuthenticationError
from client.jitsi.stanza import Element, Jid, el, parse_xml, serialize_stanza, split_tag, sub
from client.jitsi.xmpp import ConnectionLostError, IqError

_ids = itertools.count(1)


def local(element: Element) -> str:
    return split_tag(element.tag)[1]


@dataclass
class Occupant:
    nick: str
    real: Jid
    client: "FakeXmppClient | None"          # None for puppets
    role: str = "participant"
    affiliation: str = "none"
    extras: list[Element] = field(default_factory=list)


@dataclass
class Room:
    jid: Jid
    occupants: dict[str, Occupant] = field(default_factory=dict)
    password: str | None = None
    members_only: bool = False
    members: set[Jid] = field(default_factory=set)
    banned: set[Jid] = field(default_factory=set)
    max_occupants: int | None = None
    lobby: "Room | None" = None
    is_lobby: bool = False
    main: "Room | None" = None


class FakeServer:
    def __init__(self, *, domain: str = "meet.example", lobby: bool = True) -> None:
        self.domain = domain
        self.muc = f"conference.{domain}"
        self.lobby_domain = f"lobby.{domain}" if lobby else None
        self.auth_domain = f"auth.{domain}"
        self.focus_component = f"focus.{domain}"
        self.focus_real = Jid.parse(f"focus@auth.{domain}/focus")
        self.rooms: dict[Jid, Room] = {}
        self.clients: list[FakeXmppClient] = []
        self.users: dict[str, str] = {}
        self.anonymous_allowed = True
        self.require_host = False           # Jicofo: not-authorized until a host asked
        self.not_ready_answers = 0          # Jicofo: this many ready='false' first
        self.focus_error: str | None = None  # Jicofo: answer every request with this error
        self.focus_silent = False
        self.room_creation_fails = 0        # joins refused as "restricted" this many times
        self.auto_moderator = True          # first client in a room becomes moderator
        self.sessions: dict[str, Jid] = {}
        self.conference_requests: list[Element] = []
        self.ice_servers = [IceServer(["stun:127.0.0.1:3478"], None, None)]
        self.log: list[tuple[str, str]] = []

    # --- the connect function ---------------------------------------------------------

    async def connect(self, websocket_url: str, domain: str, *, trust: object = None,
                      credentials: object = None, timeout_s: float = 10.0,
                      capabilities: object = None) -> "FakeXmppClient":
        await asyncio.sleep(0)
        if credentials is None:
            if not self.anonymous_allowed:
                raise AnonymousLoginRefusedError(host=domain)
            local_part = f"{next(_ids):08x}feedbeef"
        else:
            user = credentials.authcid            # type: ignore[attr-defined]
            if self.users.get(user) != credentials.password:   # type: ignore[attr-defined]
                raise AuthenticationError(condition="not-authorized")
            local_part = user
        client = FakeXmppClient(self, Jid(local_part, domain, f"r{next(_ids)}"), capabilities,
                                websocket_url, authenticated=credentials is not None)
        self.clients.append(client)
        return client

    # --- helpers -------------------------------------------------------------------------

    def room(self, name: str) -> Room:
        return self.rooms[Jid(name, self.muc)]

    def _deliver(self, client: "FakeXmppClient | None", stanza: Element) -> None:
        if client is not None and not client.closed.done():
            client.push(stanza)

    def _occupant_presence(self, room: Room, occupant: Occupant, *, to: Occupant,
                           kind: str | None = None, codes: tuple[int, ...] = (),
                           actor: str | None = None, reason: str | None = None,
                           destroy: tuple[str | None, str | None] | None = None) -> Element:
        presence = el("presence", {"from": str(room.jid.with_resource(occupant.nick)),
                                   "to": str(to.real), "type": kind})
        if kind is None:
            for extra in occupant.extras:
                presence.append(extra)
        x = sub(presence, f"{{{NS_MUC_USER}}}x")
        item = sub(x, f"{{{NS_MUC_USER}}}item", {
            "jid": str(occupant.real), "affiliation": occupant.affiliation,
            "role": "none" if kind == "unavailable" else occupant.role})
        if actor:
            sub(item, f"{{{NS_MUC_USER}}}actor", {"nick": actor})
        if reason:
            sub(item, f"{{{NS_MUC_USER}}}reason", text=reason)
        if destroy is not None:
            d = sub(x, f"{{{NS_MUC_USER}}}destroy", {"jid": destroy[1]})
            if destroy[0]:
                sub(d, f"{{{NS_MUC_USER}}}reason", text=destroy[0])
        codes = codes + ((110,) if occupant is to else ())
        for code in codes:
            sub(x, f"{{{NS_MUC_USER}}}status", {"code": str(code)})
        return presence

    def _broadcast(self, room: Room, occupant: Occupant, **kwargs: object) -> None:
        for other in list(room.occupants.values()):
            self._deliver(other.client, self._occupant_presence(room, occupant, to=other, **kwargs))

    def _error_presence(self, client: "FakeXmppClient", to_jid: Jid, kind: str, condition: str,
                        *extra: Element, text: str | None = None) -> None:
        presence = el("presence", {"from": str(to_jid), "to": str(client.jid), "type": "error"})
        error = sub(presence, "error", {"type": kind})
        sub(error, f"{{{NS_STANZAS}}}{condition}")
        if text:
            sub(error, f"{{{NS_STANZAS}}}text", text=text)
        for child in extra:
            error.append(child)
        self._deliver(client, presence)

    def _ensure_room(self, name: Jid) -> Room:
        room = self.rooms.get(name)
        if room is None:
            room = Room(name)
            self.rooms[name] = room
            room.occupants["focus"] = Occupant("focus", self.focus_real, None, "moderator", "owner")
        return room

    # --- routing ---------------------------------------------------------------------------

    def route(self, client: "FakeXmppClient", stanza: Element) -> None:
        kind = local(stanza)
        self.log.append((kind, serialize_stanza(stanza)))
        to = Jid.parse(stanza.get("to", self.domain))
        if kind == "presence":
            self._on_presence(client, to, stanza)
        elif kind == "message":
            self._on_message(client, to, stanza)

    def _room_for(self, to: Jid) -> Room | None:
        room = self.rooms.get(to.bare)
        if room is not None:
            return room
        for main in self.rooms.values():
            if main.lobby is not None and main.lobby.jid == to.bare:
                return main.lobby
        return None

    def _on_presence(self, client: "FakeXmppClient", to: Jid, stanza: Element) -> None:
        room = self._room_for(to)
        nick = to.resource or ""
        mine = None
        if room is not None:
            mine = next((o for o in room.occupants.values() if o.client is client), None)
        if stanza.get("type") == "unavailable":
            if room is not None and mine is not None:
                self._remove(room, mine)
            return
        if room is None:
            if self.room_creation_fails > 0 or to.domain == self.muc:
                self.room_creation_fails = max(0, self.room_creation_fails - 1)
                self._error_presence(client, to, "cancel", "not-allowed",
                                     text="Room creation is restricted")
            return
        extras = [child for child in stanza if local(child) != "x"]
        if mine is not None:               # a presence update
            mine.extras = extras
            self._broadcast(room, mine)
            return
        x = stanza.find(f"{{{NS_MUC}}}x")
        if x is None:
            return
        if self.room_creation_fails > 0 and not room.is_lobby:
            self.room_creation_fails -= 1
            self._error_presence(client, to, "cancel", "not-allowed",
                                 text="Room creation is restricted")
            return
        if nick in room.occupants:
            self._error_presence(client, to, "cancel", "conflict")
            return
        if client.jid.bare in room.banned:
            self._error_presence(client, to, "auth", "forbidden")
            return
        if room.max_occupants is not None and len(room.occupants) - 1 >= room.max_occupants:
            self._error_presence(client, to, "cancel", "service-unavailable")
            return
        password = x.findtext(f"{{{NS_MUC}}}password")
        if room.password and password != room.password:
            self._error_presence(client, to, "auth", "not-authorized")
            return
        affiliation = "member" if client.jid.bare in room.members else "none"
        if room.members_only and affiliation == "none" and not (room.password and password):
            lobbyroom = el("{http://jitsi.org/jitmeet}lobbyroom",
                           text=str(room.lobby.jid) if room.lobby else None)
            extra = (lobbyroom,) if room.lobby else ()
            self._error_presence(client, to, "auth", "registration-required", *extra)
            return
        role = "participant"
        clients_inside = [o for o in room.occupants.values() if o.client is not None]
        if client.authenticated or (self.auto_moderator and not clients_inside and not room.is_lobby):
            role, affiliation = "moderator", "owner"
        if room.is_lobby and room.main is not None:
            main_mods = [o for o in room.main.occupants.values() if o.role == "moderator"
                         and o.real.bare == client.jid.bare]
            if main_mods:
                role, affiliation = "moderator", "owner"
        occupant = Occupant(nick, client.jid, client, role, affiliation, extras)
        for other in room.occupants.values():
            if room.is_lobby and role != "moderator" and other.role != "moderator":
                continue
            if room.is_lobby and role != "moderator":
                continue       # knockers see only themselves
            self._deliver(client, self._occupant_presence(room, other, to=occupant))
        room.occupants[nick] = occupant
        for other in room.occupants.values():
            if room.is_lobby and other is not occupant and other.role != "moderator":
                continue
            self._deliver(other.client, self._occupant_presence(room, occupant, to=other))

    def _remove(self, room: Room, occupant: Occupant, **kwargs: object) -> None:
        self._broadcast(room, occupant, kind="unavailable", **kwargs)
        room.occupants.pop(occupant.nick, None)

    def _on_message(self, client: "FakeXmppClient", to: Jid, stanza: Element) -> None:
        room = self._room_for(to)
        if room is None:
            return
        sender = next((o for o in room.occupants.values() if o.client is client), None)
        x = stanza.find(f"{{{NS_MUC_USER}}}x")
        if x is not None and x.find(f"{{{NS_MUC_USER}}}invite") is not None:
            for invite in x.findall(f"{{{NS_MUC_USER}}}invite"):
                invitee = Jid.parse(invite.get("to", ""))
                room.members.add(invitee.bare)
                for other in self.clients:
                    if other.jid == invitee or other.jid.bare == invitee:
                        message = el("message", {"from": str(room.jid), "to": str(other.jid)})
                        ix = sub(message, f"{{{NS_MUC_USER}}}x")
                        sub(ix, f"{{{NS_MUC_USER}}}invite",
                            {"from": str(client.jid)})
                        if room.password:
                            sub(ix, f"{{{NS_MUC_USER}}}password", text=room.password)
                        self._deliver(other, message)
            return
        if sender is None:
            return
        if stanza.get("type") == "groupchat":
            for other in room.occupants.values():
                copy = parse_xml(serialize_stanza(stanza))
                copy.set("from", str(room.jid.with_resource(sender.nick)))
                copy.set("to", str(other.real))
                self._deliver(other.client, copy)
        elif stanza.get("type") == "chat" and to.resource in room.occupants:
            target = room.occupants[to.resource]
            copy = parse_xml(serialize_stanza(stanza))
            copy.set("from", str(room.jid.with_resource(sender.nick)))
            if target.client is None:
                self.log.append(("private-to-puppet", copy.findtext("{jabber:client}body") or ""))
            self._deliver(target.client, copy)

    # --- IQs -------------------------------------------------------------------------------

    def answer_iq(self, client: "FakeXmppClient", iq: Element) -> Element:
        to = Jid.parse(iq.get("to", self.domain))
        payload = next(iter(iq), None)
        if payload is None:
            raise self._iq_error(iq, "bad-request")
        ns, name = split_tag(payload.tag)
        if ns == NS_JITSI_FOCUS and name == "conference":
            return self._conference(client, iq, payload)
        room = self._room_for(to)
        if to.bare == Jid.parse(self.domain) and ns == NS_DISCO_INFO:
            return self._result(iq, self.domain_disco())
        if room is None:
            raise self._iq_error(iq, "item-not-found")
        me = next((o for o in room.occupants.values() if o.client is client), None)
        if ns == NS_DISCO_INFO:
            query = el(f"{{{NS_DISCO_INFO}}}query")
            if room.password:
                sub(query, f"{{{NS_DISCO_INFO}}}feature", {"var": "muc_passwordprotected"})
            if room.members_only:
                sub(query, f"{{{NS_DISCO_INFO}}}feature", {"var": "muc_membersonly"})
            if room.lobby is not None:
                x = sub(query, f"{{{NS_DATA}}}x", {"type": "result"})
                f = sub(x, f"{{{NS_DATA}}}field", {"var": "muc#roominfo_lobbyroom"})
                sub(f, f"{{{NS_DATA}}}value", text=str(room.lobby.jid))
            return self._result(iq, query)
        if me is None or me.role != "moderator":
            raise self._iq_error(iq, "forbidden", "auth")
        if ns == NS_MUC_OWNER:
            if iq.get("type") == "get":
                query = el(f"{{{NS_MUC_OWNER}}}query")
                x = sub(query, f"{{{NS_DATA}}}x", {"type": "form"})
                for var in ("muc#roomconfig_roomsecret", "muc#roomconfig_passwordprotectedroom",
                            "muc#roomconfig_membersonly", "muc#roomconfig_whois"):
                    sub(x, f"{{{NS_DATA}}}field", {"var": var})
                return self._result(iq, query)
            values = {f.get("var"): f.findtext(f"{{{NS_DATA}}}value") or ""
                      for f in payload.iter(f"{{{NS_DATA}}}field")}
            self.log.append(("config", json.dumps(values, sort_keys=True)))
            if "muc#roomconfig_roomsecret" in values:
                room.password = values["muc#roomconfig_roomsecret"] or None
            if "muc#roomconfig_membersonly" in values:
                self._set_members_only(room, values["muc#roomconfig_membersonly"] == "true")
            self._status_104(room)
            return self._result(iq)
        if ns == NS_MUC_ADMIN:
            for item in payload.findall(f"{{{NS_MUC_ADMIN}}}item"):
                if item.get("role") == "none":
                    victim = room.occupants.get(item.get("nick", ""))
                    if victim is None:
                        raise self._iq_error(iq, "item-not-found")
                    self._remove(room, victim, codes=(307,), actor=me.nick,
                                 reason=item.findtext(f"{{{NS_MUC_ADMIN}}}reason"))
                elif item.get("affiliation") == "member":
                    room.members.add(Jid.parse(item.get("jid", "")).bare)
            return self._result(iq)
        if name == "mute":
            return self._result(iq)
        raise self._iq_error(iq, "service-unavailable")

    def domain_disco(self) -> Element:
        query = el(f"{{{NS_DISCO_INFO}}}query")
        sub(query, f"{{{NS_DISCO_INFO}}}identity", {"category": "server", "type": "im"})
        if self.lobby_domain:
            sub(query, f"{{{NS_DISCO_INFO}}}identity",
                {"category": "component", "type": "lobbyrooms", "name": self.lobby_domain})
        return query

    def _set_members_only(self, room: Room, enabled: bool) -> None:
        room.members_only = enabled
        if enabled and room.lobby is None and self.lobby_domain:
            room.lobby = Room(Jid(room.jid.local, self.lobby_domain), is_lobby=True, main=room)
        elif not enabled and room.lobby is not None:
            lobby, room.lobby = room.lobby, None
            for occupant in list(lobby.occupants.values()):
                self._deliver(occupant.client, self._occupant_presence(
                    lobby, occupant, to=occupant, kind="unavailable", destroy=(None, str(room.jid))))

    def _status_104(self, room: Room) -> None:
        for other in room.occupants.values():
            message = el("message", {"from": str(room.jid), "to": str(other.real),
                                     "type": "groupchat"})
            x = sub(message, f"{{{NS_MUC_USER}}}x")
            sub(x, f"{{{NS_MUC_USER}}}status", {"code": "104"})
            self._deliver(other.client, message)

    def _conference(self, client: "FakeXmppClient", iq: Element, conference: Element) -> Element:
        self.conference_requests.append(iq)
        if self.focus_silent:
            raise TimeoutError
        if self.focus_error:
            raise self._iq_error(iq, self.focus_error)
        room_jid = Jid.parse(conference.get("room", ""))
        session = conference.get("session-id")
        authenticated = client.authenticated or (session is not None and session in self.sessions)
        if session is not None and session not in self.sessions:
            error = self._iq_error(iq, "not-acceptable", "modify")
            sub(error.element.find("error"), f"{{{NS_JITSI_FOCUS}}}session-invalid")
            raise error
        result = el(f"{{{NS_JITSI_FOCUS}}}conference",
                    {"room": str(room_jid), "focusjid": str(self.focus_real.bare)})
        if self.require_host and room_jid not in self.rooms and not authenticated:
            raise self._iq_error(iq, "not-authorized", "auth", text="not authorized user domain")
        if client.authenticated:
            sid = f"session-{next(_ids)}"
            self.sessions[sid] = client.jid
            result.set("session-id", sid)
            result.set("identity", str(client.jid.bare))
        if self.not_ready_answers > 0:
            self.not_ready_answers -= 1
            result.set("ready", "false")
            return self._result(iq, result)
        result.set("ready", "true")
        sub(result, f"{{{NS_JITSI_FOCUS}}}property", {"name": "authentication",
                                                      "value": "true" if self.require_host else "false"})
        self._ensure_room(room_jid)
        return self._result(iq, result)

    @staticmethod
    def _result(iq: Element, payload: Element | None = None) -> Element:
        result = el("{jabber:client}iq", {"type": "result", "id": iq.get("id"),
                                          "from": iq.get("to")})
        if payload is not None:
            result.append(payload)
        return parse_xml(serialize_stanza(result))

    @staticmethod
    def _iq_error(iq: Element, condition: str, kind: str = "cancel",
                  text: str | None = None) -> IqError:
        reply = el("iq", {"type": "error", "id": iq.get("id"), "from": iq.get("to")})
        error = sub(reply, "error", {"type": kind})
        sub(error, f"{{{NS_STANZAS}}}{condition}")
        if text:
            sub(error, f"{{{NS_STANZAS}}}text", text=text)
        return IqError(condition=condition, error_type=kind, text=text, element=reply)

    # --- puppets and moderator actions by others ----------------------------------------------

    def add_participant(self, room_name: str, nick: str, display_name: str | None = None, *,
                        role: str = "participant", affiliation: str = "none",
                        source_info: dict | None = None) -> Occupant:
        room = self.room(room_name)
        occupant = Occupant(nick, Jid.parse(f"{nick}-x@{self.domain}/web"), None, role, affiliation)
        occupant.extras = self._extras(display_name, source_info)
        room.occupants[nick] = occupant
        self._broadcast(room, occupant)
        return occupant

    def knock(self, room_name: str, nick: str, display_name: str) -> Occupant:
        lobby = self.room(room_name).lobby
        assert lobby is not None, "lobby is off"
        occupant = Occupant(nick, Jid.parse(f"{nick}-k@{self.domain}/web"), None)
        occupant.extras = self._extras(display_name, None)
        lobby.occupants[nick] = occupant
        for other in lobby.occupants.values():
            if other.role == "moderator":
                self._deliver(other.client, self._occupant_presence(lobby, occupant, to=other))
        return occupant

    def _extras(self, display_name: str | None, source_info: dict | None) -> list[Element]:
        extras = []
        if display_name:
            extras.append(el(f"{{{NS_NICK}}}nick", text=display_name))
        if source_info is not None:
            extras.append(el("{jabber:client}SourceInfo", text=json.dumps(source_info)))
        return extras

    def update_participant(self, room_name: str, nick: str, display_name: str | None = None,
                           source_info: dict | None = None) -> None:
        room = self.room(room_name)
        occupant = room.occupants[nick]
        occupant.extras = self._extras(display_name, source_info)
        self._broadcast(room, occupant)

    def remove_participant(self, room_name: str, nick: str) -> None:
        room = self.room(room_name)
        self._remove(room, room.occupants[nick])

    def say(self, room_name: str, nick: str, text: str, *, private_to: str | None = None) -> None:
        room = self.room(room_name)
        targets = [room.occupants[private_to]] if private_to else list(room.occupants.values())
        for other in targets:
            message = el("message", {"from": str(room.jid.with_resource(nick)), "to": str(other.real),
                                     "type": "chat" if private_to else "groupchat"})
            sub(message, "body", text=text)
            self._deliver(other.client, message)

    def kick(self, room_name: str, nick: str, *, actor: str = "boss",
             reason: str = "You have been kicked.", lobby: bool = False) -> None:
        room = self.room(room_name)
        if lobby:
            assert room.lobby is not None
            room = room.lobby
        self._remove(room, room.occupants[nick], codes=(307,), actor=actor, reason=reason)

    def destroy(self, room_name: str, reason: str | None = None) -> None:
        room = self.rooms.pop(Jid(room_name, self.muc))
        for occupant in list(room.occupants.values()):
            # each occupant hears only of its own exit (XEP-0045 §10.9)
            self._deliver(occupant.client, self._occupant_presence(
                room, occupant, to=occupant, kind="unavailable", destroy=(reason, None)))

    def focus_leaves(self, room_name: str) -> None:
        room = self.room(room_name)
        self._remove(room, room.occupants["focus"])

    def focus_mutes(self, room_name: str, nick: str, media: str = "audio") -> None:
        room = self.room(room_name)
        target = room.occupants[nick]
        iq = el("iq", {"type": "set", "id": f"mute{next(_ids)}",
                       "from": str(room.jid.with_resource("focus")), "to": str(target.real)})
        sub(iq, f"{{http://jitsi.org/jitmeet/{media}}}mute", {"actor": str(room.jid) + "/boss"},
            text="true")
        self._deliver(target.client, iq)

    def admit(self, room_name: str, client: "FakeXmppClient") -> None:
        """A moderator (not us) admits ``client`` from the lobby."""
        room = self.room(room_name)
        room.members.add(client.jid.bare)
        message = el("message", {"from": str(room.jid), "to": str(client.jid)})
        x = sub(message, f"{{{NS_MUC_USER}}}x")
        sub(x, f"{{{NS_MUC_USER}}}invite", {"from": "boss@" + self.domain})
        if room.password:
            sub(x, f"{{{NS_MUC_USER}}}password", text=room.password)
        self._deliver(client, message)


class FakeXmppClient:
    """What ``Conference`` sees of ``XmppClient``."""

    def __init__(self, server: FakeServer, jid: Jid, capabilities: object, url: str, *,
                 authenticated: bool) -> None:
        self.server = server
        self.jid = jid
        self.domain = jid.domain
        self.capabilities = capabilities
        self.url = url
        self.authenticated = authenticated
        self.closed: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self.sent: list[Element] = []
        self.unclaimed: list[Element] = []
        self._handlers: list[Callable[[Element], bool]] = []

    def send(self, stanza: Element) -> None:
        if self.closed.done():
            return
        self.sent.append(stanza)
        wire = parse_xml(serialize_stanza(stanza))
        if local(wire) == "iq" and wire.get("type") in ("result", "error"):
            return
        asyncio.get_running_loop().call_soon(self.server.route, self, wire)

    async def iq(self, stanza: Element, timeout_s: float = 10.0) -> Element:
        if self.closed.done():
            raise ConnectionLostError(host=self.domain)
        stanza.set("id", stanza.get("id") or f"iq{next(_ids)}")
        self.sent.append(stanza)
        wire = parse_xml(serialize_stanza(stanza))
        await asyncio.sleep(0)
        try:
            return self.server.answer_iq(self, wire)
        except TimeoutError:
            await asyncio.sleep(timeout_s)
            from client.jitsi.xmpp import IqTimeoutError
            raise IqTimeoutError() from None

    def add_handler(self, handler: Callable[[Element], bool]) -> Callable[[], None]:
        self._handlers.append(handler)
        return lambda: self._handlers.remove(handler) if handler in self._handlers else None

    def push(self, stanza: Element) -> None:
        wire = parse_xml(serialize_stanza(stanza))
        asyncio.get_running_loop().call_soon(self._dispatch, wire)

    def _dispatch(self, stanza: Element) -> None:
        if self.closed.done():
            return
        for handler in list(self._handlers):
            if handler(stanza):
                return
        self.unclaimed.append(stanza)

    async def external_services(self) -> list[IceServer]:
        return list(self.server.ice_servers)

    async def disco_info(self, to: str | None = None, node: str | None = None) -> DiscoInfo:
        return DiscoInfo.from_element(self.server.domain_disco())

    async def close(self) -> None:
        if not self.closed.done():
            self._leave_everything()
            self.closed.set_result(None)

    def drop(self) -> None:
        """The network goes away."""
        if not self.closed.done():
            self._leave_everything()
            self.closed.set_result(ConnectionLostError(host=self.domain))

    def _leave_everything(self) -> None:
        for room in list(self.server.rooms.values()):
            for r in (room, room.lobby):
                if r is None:
                    continue
                for occupant in list(r.occupants.values()):
                    if occupant.client is self:
                        self.server._remove(r, occupant)

    def sent_of(self, kind: str) -> list[Element]:
        return [s for s in self.sent if local(s) == kind]

