"""A stand-in for Conference + XmppClient + the MUC, enough for CallMedia: stanzas between
occupants are routed like Prosody's MUC does (``from`` becomes the sender's occupant JID)."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import Callable

from client.jitsi.events import (
    ConferenceEvent,
    Connected,
    Joined,
    ParticipantJoined,
    ParticipantLeft,
    SourceInfo,
)
from client.jitsi.stanza import Element, Jid, parse_xml, serialize_stanza, split_tag
from client.jitsi.xmpp import IqError

ROOM = Jid.parse("room@conference.meet.localhost")


@dataclass(frozen=True)
class FakeOccupant:
    endpoint_id: str
    features: frozenset[str] = frozenset()
_ids = itertools.count(1)


class FakeXmpp:
    def __init__(self, room: "FakeRoom", nick: str) -> None:
        self.room, self.nick = room, nick
        self.jid = Jid.parse(f"user{nick}@meet.localhost/res")
        self.handlers: list[Callable[[Element], bool]] = []
        self.sent: list[Element] = []
        self._waiting: dict[str, asyncio.Future] = {}

    def add_handler(self, handler):  # noqa: ANN001, ANN201
        self.handlers.append(handler)
        return lambda: self.handlers.remove(handler) if handler in self.handlers else None

    def send(self, stanza: Element) -> None:
        self.sent.append(stanza)
        self.room.route(self.nick, stanza)

    async def iq(self, stanza: Element, timeout_s: float = 10.0) -> Element:
        if not stanza.get("id"):
            stanza.set("id", f"fake-{next(_ids)}")
        future = asyncio.get_running_loop().create_future()
        self._waiting[stanza.get("id")] = future
        self.send(stanza)
        try:
            reply = await asyncio.wait_for(future, timeout_s)
        finally:
            self._waiting.pop(stanza.get("id"), None)
        if reply.get("type") == "error":
            error = reply.find("{jabber:client}error")
            condition = split_tag(error[0].tag)[1] if error is not None and len(error) else "undefined"
            raise IqError(condition=condition, error_type="cancel")
        return reply

    def deliver(self, stanza: Element) -> None:
        kind = stanza.get("type")
        if split_tag(stanza.tag)[1] == "iq" and kind in ("result", "error"):
            future = self._waiting.get(stanza.get("id") or "")
            if future is not None and not future.done():
                future.set_result(stanza)
            return
        for handler in list(self.handlers):
            if handler(stanza):
                return
        if split_tag(stanza.tag)[1] == "iq" and kind in ("get", "set"):
            reply = parse_xml(f"<iq xmlns='jabber:client' type='error' id='{stanza.get('id')}'>"
                              "<error type='cancel'><service-unavailable "
                              "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")
            self.room.route(self.nick, reply, to=stanza.get("from"))


class FakeConference:
    def __init__(self, room: "FakeRoom", nick: str) -> None:
        self.xmpp = FakeXmpp(room, nick)
        self.room_jid = ROOM
        self.endpoint_id: str | None = None
        self.nick = nick
        self.occupants: dict = {}
        self.ice_servers: list = []
        self.joined = False
        self.events: list[ConferenceEvent] = []
        self.sources: dict[str, SourceInfo] = {}
        self.mute_calls: list[tuple[str, bool]] = []
        self._listeners: list[Callable[[ConferenceEvent], None]] = []
        self._changed = asyncio.Event()

    def add_listener(self, callback):  # noqa: ANN001, ANN201
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def add_stanza_handler(self, handler):  # noqa: ANN001, ANN201
        return self.xmpp.add_handler(handler)   # one connection for the fake's whole life

    def send(self, stanza: Element) -> None:
        self.xmpp.send(stanza)

    def emit(self, event: ConferenceEvent) -> None:
        self.events.append(event)
        self._changed.set()
        for callback in list(self._listeners):
            callback(event)

    def set_sources(self, sources) -> None:  # noqa: ANN001
        self.sources = dict(sources)

    def set_muted(self, kind: str, muted: bool) -> None:
        self.mute_calls.append((kind, muted))
        for name, info in list(self.sources.items()):
            if name.endswith("-a0" if kind == "audio" else "-v0"):
                self.sources[name] = SourceInfo(muted=muted, video_type=info.video_type)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    async def wait_for(self, kind: type, predicate=lambda e: True, timeout: float = 20.0):  # noqa: ANN001, ANN201
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self.events:
                if isinstance(event, kind) and predicate(event):
                    return event
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{self.nick}: no {kind.__name__}; got {[e.kind for e in self.events]}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass


class FakeRoom:
    def __init__(self) -> None:
        self.members: dict[str, FakeConference] = {}
        self.jingle_log: list[tuple[str, str, str]] = []     # (from nick, to nick, action)

    def join(self, nick: str) -> FakeConference:
        conference = FakeConference(self, nick)
        conference.emit(Connected(str(conference.xmpp.jid), "meet.localhost"))
        conference.endpoint_id = nick
        conference.joined = True
        conference.emit(Joined(str(ROOM), nick, None, "participant", "none"))
        for other in self.members.values():
            conference.occupants[other.nick] = FakeOccupant(other.nick)
            other.occupants[nick] = FakeOccupant(nick)
            conference.emit(ParticipantJoined(other.nick, None, "participant", "none"))
            other.emit(ParticipantJoined(nick, None, "participant", "none"))
        self.members[nick] = conference
        return conference

    def leave(self, nick: str) -> None:
        self.members.pop(nick)
        for other in self.members.values():
            other.occupants.pop(nick, None)
            other.emit(ParticipantLeft(nick, None))

    def route(self, from_nick: str, stanza: Element, to: str | None = None) -> None:
        target = Jid.parse(to or stanza.get("to") or "")
        member = self.members.get(target.resource or "")
        copy = parse_xml(serialize_stanza(stanza))            # what goes over the wire
        copy.set("from", str(ROOM.with_resource(from_nick)))
        jingle = copy.find("{urn:xmpp:jingle:1}jingle")
        if jingle is not None:
            self.jingle_log.append((from_nick, target.resource or "", jingle.get("action")))
        if member is not None:
            asyncio.get_running_loop().call_soon(member.xmpp.deliver, copy)
