"""BridgeCall against the test bridge and the rig's Jicofo logic, in one process.

The MUC is the media tests' ``FakeRoom`` (stanzas routed like Prosody's MUC), with
a ``focus`` occupant played by ``JicofoBridgePath``; media goes over real ICE/DTLS/
SRTP through the test ``Bridge``, the bridge channel over a real colibri WebSocket
on loopback.  No Prosody, no browser.
"""

from __future__ import annotations

import asyncio

import pytest

from client.jitsi.events import (
    DominantSpeakerChanged,
    EndpointMessageReceived,
    FirstFrame,
    ForwardedSourcesChanged,
    MediaConnected,
    MediaDisconnected,
    RemoteTrackAdded,
    RemoteTrackRemoved,
    SendConstraintChanged,
)
from client.jitsi.stanza import Element, Jid, el, parse_xml, serialize_stanza
from client.jitsi.view import Tile, View
from client.media.audio_io import ClockedAudioIO
from client.media.bridge_call import BridgeCall
from client.media.call import CallMedia
from client.media.capture import CameraSettings
from client.media.local import MediaOptions
from tests.rig.bridge.bridge import Bridge
from tests.rig.bridge.colibri_ws import ColibriWebSocketServer
from tests.rig.bridge.jicofo import JicofoBridgePath, RoomOptions
from tests.unit.media.fake_room import ROOM, FakeConference, FakeRoom
from tests.unit.media.waiting import wait_until

FOCUS = Jid.parse("focus@focus.meet.localhost/focus")


class FocusedRoom(FakeRoom):
    """The fake MUC plus the focus occupant, which is Jicofo's bridge path."""

    def __init__(self, bridge: Bridge, options: RoomOptions) -> None:
        super().__init__()
        self.jicofo = JicofoBridgePath(bridge, focus_jid=FOCUS, send=self._from_focus,
                                       loop=asyncio.get_running_loop())
        self.jicofo.enable(str(ROOM), options)

    def _from_focus(self, stanzas: list[Element]) -> None:
        for stanza in stanzas:
            self.route("focus", stanza)

    def route(self, from_nick: str, stanza: Element, to: str | None = None) -> None:
        target = Jid.parse(to or stanza.get("to") or "")
        if target.resource == "focus" and from_nick != "focus":
            copy = parse_xml(serialize_stanza(stanza))
            copy.set("from", str(ROOM.with_resource(from_nick)))
            copy.set("to", str(FOCUS))
            self.jicofo.claim_iq(copy)
            return
        super().route(from_nick, stanza, to)

    def join(self, nick: str) -> FakeConference:
        conference = super().join(nick)
        self.jicofo.room_occupant_joined(ROOM, nick, el("presence"))
        return conference

    def leave(self, nick: str) -> None:
        super().leave(nick)
        self.jicofo.room_occupant_left(ROOM, nick)


class Member:
    def __init__(self, room: FocusedRoom, nick: str, *, last_n: int = -1) -> None:
        self.nick = nick
        self.conference = room.join(nick)
        self.media = CallMedia(self.conference, MediaOptions(
            test_media=True, audio_io=ClockedAudioIO(), camera_settings=CameraSettings(320, 180, 15)),
            p2p_enabled=False)
        self.bridge = BridgeCall(self.media, last_n=last_n)

    async def start(self) -> "Member":
        await self.media.start()
        await self.bridge.start()
        return self

    def frames(self, source: str) -> int:
        pump = self.media.frames(source)
        return pump.frames_received if pump is not None else 0

    async def close(self) -> None:
        await self.bridge.close()
        await self.media.close()


async def setup(options: RoomOptions | None = None):  # noqa: ANN201
    bridge = Bridge(speaker_interval_s=0.1)
    colibri = ColibriWebSocketServer(bridge, public_host="127.0.0.1")
    await colibri.start()
    room = FocusedRoom(bridge, options or RoomOptions(single_participant_timeout_s=None))
    return bridge, colibri, room


async def wait_after(conference: FakeConference, mark: int, kind: type, predicate,  # noqa: ANN001
                     timeout: float = 20.0):  # noqa: ANN201
    """The first ``kind`` event after index ``mark`` for which ``predicate`` holds."""
    def found():  # noqa: ANN202
        return next((e for e in conference.events[mark:] if isinstance(e, kind) and predicate(e)), None)
    await wait_until(lambda: found() is not None, timeout=timeout, what=kind.__name__)
    return found()


def run(coro, timeout: float = 120.0):  # noqa: ANN001, ANN201
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.mark.timeout(180)
def test_three_members_see_each_other_and_sources_follow_the_room():
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222", "cccc3333"):
                members.append(await Member(room, nick).start())
            a, b, c = members
            for member in members:
                await member.conference.wait_for(MediaConnected, lambda e: e.mode == "jvb", 30)
                for other in members:
                    if other is not member:
                        await member.conference.wait_for(
                            FirstFrame, lambda e, o=other: e.endpoint_id == o.nick and e.media == "video", 30)
            # what was said on the wire: the focus offered, everyone accepted, sources fanned out
            actions = [(direction, action) for direction, action, _ in room.jicofo.log]
            assert actions.count(("out", "session-initiate")) == 3
            assert actions.count(("in", "session-accept")) == 3
            assert ("out", "source-add") in actions
            # our answer named our sources as lib-jitsi-meet does
            conference = bridge.conferences[next(iter(bridge.conferences))]
            assert set(conference.endpoints["aaaa1111"].sources) == {"aaaa1111-a0", "aaaa1111-v0"}
            assert conference.endpoints["aaaa1111"].sources["aaaa1111-v0"].rtx_ssrc is not None

            # c leaves the room: Jicofo sends nothing, the others drop c's sources themselves
            room.leave("cccc3333")
            await c.close()
            for member in (a, b):
                await member.conference.wait_for(
                    RemoteTrackRemoved, lambda e: e.endpoint_id == "cccc3333" and e.media == "video", 20)
                assert "cccc3333-v0" not in member.bridge.remote_sources
            assert not any(action == "source-remove" for _, action, _ in room.jicofo.log)
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


@pytest.mark.timeout(180)
def test_the_view_decides_what_the_bridge_sends_and_senders_hear_about_it():
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222", "cccc3333"):
                members.append(await Member(room, nick).start())
            a, b, c = members
            await wait_until(lambda: a.frames("bbbb2222-v0") > 3 and a.frames("cccc3333-v0") > 3,
                             timeout=40, what="a gets both videos")
            conf = next(iter(bridge.conferences))
            # only b's tile is on a's screen
            mark = len(a.conference.events)
            a.bridge.set_view(View(tiles=(Tile("bbbb2222-v0", 200),)))
            await wait_after(a.conference, mark, ForwardedSourcesChanged,
                             lambda e: e.source_names == ("bbbb2222-v0",))
            settings = bridge.endpoint(conf, "aaaa1111").settings
            assert settings.constraints == {"bbbb2222-v0": 360}
            assert settings.default_max_height == 0
            stalled = a.frames("cccc3333-v0")
            await wait_until(lambda: a.frames("bbbb2222-v0") > 20, timeout=20, what="b keeps coming")
            assert a.frames("cccc3333-v0") <= stalled + 3     # at most what was already on its way
            # nobody shows c: c is told so, and stops encoding (SendConstraintChanged 0)
            mark = len(c.conference.events)
            b.bridge.set_view(View(tiles=(Tile("aaaa1111-v0", 200),)))
            await wait_after(c.conference, mark, SendConstraintChanged, lambda e: e.max_height == 0)
            assert c.media.local.video_track.max_height == 0
            # a shows c again at 180: c may send 180 lines
            mark = len(c.conference.events)
            a.bridge.set_view(View(tiles=(Tile("cccc3333-v0", 150),)))
            await wait_after(c.conference, mark, SendConstraintChanged, lambda e: e.max_height == 180)
            assert c.media.local.video_track.max_height == 180
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


@pytest.mark.timeout(180)
def test_last_n_follows_the_dominant_speaker():
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            members.append(await Member(room, "aaaa1111", last_n=1).start())
            for nick in ("bbbb2222", "cccc3333"):
                members.append(await Member(room, nick).start())
            a, b, c = members
            await a.media.set_muted("audio", True)
            await c.media.set_muted("audio", True)       # only b talks
            await a.conference.wait_for(DominantSpeakerChanged, lambda e: e.endpoint_id == "bbbb2222", 30)
            await a.conference.wait_for(ForwardedSourcesChanged,
                                        lambda e: e.source_names == ("bbbb2222-v0",), 30)
            mark = len(a.conference.events)
            await b.media.set_muted("audio", True)
            await c.media.set_muted("audio", False)      # now c talks
            await wait_after(a.conference, mark, DominantSpeakerChanged,
                             lambda e: e.endpoint_id == "cccc3333", 30)
            await wait_after(a.conference, mark, ForwardedSourcesChanged,
                             lambda e: e.source_names == ("cccc3333-v0",), 30)
            await wait_until(lambda: a.frames("cccc3333-v0") > 3, timeout=30, what="c's video")
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


@pytest.mark.timeout(180)
def test_a_moved_session_is_answered_afresh_and_media_flows_again():
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222"):
                members.append(await Member(room, nick).start())
            a, b = members
            await wait_until(lambda: a.frames("bbbb2222-v0") > 3, timeout=40, what="b's video")
            count = len(a.conference.events)
            room.jicofo.move(str(ROOM), "aaaa1111")
            await a.conference.wait_for(MediaDisconnected, lambda e: e.mode == "jvb", 20)
            await wait_until(lambda: any(isinstance(e, MediaConnected) for e in a.conference.events[count:]),
                             timeout=30, what="a new bridge session")
            await wait_until(lambda: any(isinstance(e, RemoteTrackAdded) and e.endpoint_id == "bbbb2222"
                                         for e in a.conference.events[count:]), timeout=30,
                             what="b's sources in the new session")
            before = a.frames("bbbb2222-v0")
            await wait_until(lambda: a.frames("bbbb2222-v0") > before + 5, timeout=30,
                             what="b's video in the new session")
            # b saw a's old sources go and the new ones come
            actions = [(action, nick) for direction, action, nick in room.jicofo.log if direction == "out"]
            assert ("source-remove", "bbbb2222") in actions
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


@pytest.mark.timeout(240)
def test_guests_who_come_and_go_reuse_the_places_of_those_who_left():
    async def main():
        bridge, colibri, room = await setup()
        a = await Member(room, "aaaa1111").start()
        members: list[Member] = [a, await Member(room, "bbbb2222").start()]      # b stays
        try:
            await a.conference.wait_for(MediaConnected, lambda e: e.mode == "jvb", 30)
            for round_ in range(3):
                nick = f"cccc000{round_}"
                guest = await Member(room, nick).start()
                members.append(guest)
                mark = len(a.conference.events)
                for media in ("video", "audio"):
                    await wait_after(a.conference, mark, FirstFrame,
                                     lambda e, m=media: e.endpoint_id == nick and e.media == m, 40)
                await wait_until(lambda n=nick: a.frames(f"{n}-v0") > 3, timeout=30,
                                 what=f"{nick}'s video decoding")
                room.leave(nick)
                await guest.close()
                members.remove(guest)
                await wait_after(a.conference, mark, RemoteTrackRemoved,
                                 lambda e, n=nick: e.endpoint_id == n and e.media == "video", 20)
                await wait_until(lambda n=nick: f"{n}-v0" not in a.bridge.remote_sources, timeout=20,
                                 what=f"{nick}'s lines rejected")
            # three guests, one after the other: the content lines, b's and one guest's places
            sdp = a.bridge.peer_connection.remoteDescription.sdp
            assert sdp.count("m=audio") + sdp.count("m=video") == 6, sdp
            # a transceiver per source ever received (aiortc keeps the stopped ones)
            received = [t for t in a.bridge.peer_connection.getTransceivers()
                        if t.mid not in ("audio", "video")]
            assert len(received) == 2 + 3 * 2
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main(), timeout=220)


@pytest.mark.timeout(120)
def test_endpoint_messages_go_through_the_bridge_and_e2e_pings_are_answered():
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222"):
                members.append(await Member(room, nick).start())
            a, b = members
            await wait_until(lambda: a.bridge.channel is not None and a.bridge.channel.is_open
                             and b.bridge.channel is not None and b.bridge.channel.is_open,
                             timeout=30, what="both bridge channels open")
            assert a.bridge.send_endpoint_message("bbbb2222", {"type": "hello", "n": 1})
            event = await b.conference.wait_for(EndpointMessageReceived, timeout=10)
            assert event == EndpointMessageReceived("aaaa1111", {"type": "hello", "n": 1})
            # an e2e ping from a (as lib-jitsi-meet sends them) is answered by b, not shown
            a.bridge.send_endpoint_message("bbbb2222", {"type": "e2e-ping-request", "id": 7})
            pong = await a.conference.wait_for(EndpointMessageReceived, timeout=10)
            assert pong == EndpointMessageReceived("bbbb2222", {"type": "e2e-ping-response", "id": 7})
            assert [e.payload["type"] for e in b.conference.of(EndpointMessageReceived)] == ["hello"]
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


@pytest.mark.timeout(120)
@pytest.mark.parametrize("options", [
    RoomOptions(json_sources=True, single_participant_timeout_s=None),   # json-encoded-sources
    RoomOptions(owner_form="jid", single_participant_timeout_s=None),    # Jicofo before 2021
], ids=["json-sources", "owner-as-muc-jid"])
def test_other_source_encodings_of_jicofo_are_understood(options):
    async def main():
        bridge, colibri, room = await setup(options)
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222", "cccc3333"):
                members.append(await Member(room, nick).start())
            a = members[0]
            for other in ("bbbb2222", "cccc3333"):
                await a.conference.wait_for(
                    FirstFrame, lambda e, o=other: e.endpoint_id == o and e.media == "video", 40)
            assert sorted(a.bridge.remote_sources) == ["bbbb2222-a0", "bbbb2222-v0",
                                                       "cccc3333-a0", "cccc3333-v0"]
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


def test_a_bad_jingle_request_from_the_focus_is_refused_not_fatal():
    async def main():
        bridge, colibri, room = await setup()
        member = await Member(room, "aaaa1111").start()
        try:
            bad = parse_xml("<iq xmlns='jabber:client' type='set' id='x1' to='aaaa1111'>"
                            "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'/></iq>")
            bad.set("from", str(ROOM.with_resource("focus")))
            member.conference.xmpp.deliver(bad)
            reply = member.conference.xmpp.sent[-1]
            assert reply.get("type") == "error" and reply.get("id") == "x1"
            unknown = parse_xml("<iq xmlns='jabber:client' type='set' id='x2'>"
                                "<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='nope'/></iq>")
            unknown.set("from", str(ROOM.with_resource("focus")))
            member.conference.xmpp.deliver(unknown)
            reply = member.conference.xmpp.sent[-1]
            assert reply.get("type") == "error"
            assert reply.find("{urn:xmpp:jingle:errors:1}unknown-session") is not None \
                or any(child.tag.endswith("unknown-session") for child in reply.iter())
            # a P2P offer from another occupant is not ours (CallMedia's)
            p2p = parse_xml("<iq xmlns='jabber:client' type='set' id='x3'>"
                            "<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'/></iq>")
            p2p.set("from", str(ROOM.with_resource("bbbb2222")))
            assert member.bridge._on_stanza(p2p) is False
        finally:
            await member.close()
            await bridge.close()
            await colibri.stop()
    run(main(), 60)


@pytest.mark.timeout(180)
def test_tiles_on_screen_pick_the_videos_even_those_signalled_later():
    """The call window names participants, not sources: a video added later for a
    participant already on screen is asked for at once; one off screen never is."""
    async def main():
        bridge, colibri, room = await setup()
        members: list[Member] = []
        try:
            for nick in ("aaaa1111", "bbbb2222"):
                members.append(await Member(room, nick).start())
            a, b = members
            await wait_until(lambda: a.frames("bbbb2222-v0") > 3, timeout=40, what="a gets b")
            conf = next(iter(bridge.conferences))
            # a's grid shows b (200 px) and already has a tile for d, who has no video yet
            a.bridge.show_endpoints({"bbbb2222": 200, "dddd4444": 100, "aaaa1111": 300})
            await wait_until(lambda: bridge.endpoint(conf, "aaaa1111").settings.constraints
                             == {"bbbb2222-v0": 360}, timeout=20, what="b's tile constraint")
            assert bridge.endpoint(conf, "aaaa1111").settings.default_max_height == 0
            # c joins without a tile on a's screen, d joins with one
            for nick in ("cccc3333", "dddd4444"):
                members.append(await Member(room, nick).start())
            await wait_until(lambda: a.frames("dddd4444-v0") > 3, timeout=40, what="a gets d")
            settings = bridge.endpoint(conf, "aaaa1111").settings
            assert settings.constraints == {"bbbb2222-v0": 360, "dddd4444-v0": 180}
            assert settings.default_max_height == 0
            assert a.frames("cccc3333-v0") == 0

            # one video at a time (last-N 1): the one on a's stage is the one forwarded
            a.bridge.set_last_n(1)
            for staged in ("dddd4444", "bbbb2222"):
                a.bridge.show_endpoints({"bbbb2222": 200, "dddd4444": 540}, on_stage=staged)
                await wait_until(lambda s=staged: bridge.forwarded_names(conf, "aaaa1111") == [f"{s}-v0"],
                                 timeout=20, what=f"only {staged}'s video forwarded")
                assert bridge.endpoint(conf, "aaaa1111").settings.on_stage == (f"{staged}-v0",)
            # changing last-N keeps the stage
            a.bridge.set_last_n(2)
            await wait_until(lambda: bridge.endpoint(conf, "aaaa1111").settings.last_n == 2,
                             timeout=20, what="last-N 2 at the bridge")
            assert bridge.endpoint(conf, "aaaa1111").settings.on_stage == ("bbbb2222-v0",)
        finally:
            for member in members:
                await member.close()
            await bridge.close()
            await colibri.stop()
    run(main())


def test_last_n_comes_from_the_servers_config_unless_set():
    from types import SimpleNamespace

    def bridge_call(channel_last_n, **kwargs):  # noqa: ANN001, ANN202
        conference = SimpleNamespace(deployment=SimpleNamespace(channel_last_n=channel_last_n))
        return BridgeCall(SimpleNamespace(conference=conference), **kwargs)

    assert bridge_call(20).last_n == 20                 # config.js channelLastN: 20
    assert bridge_call(-1).last_n == -1                 # -1 there means no limit
    assert bridge_call(None).last_n == -1               # not configured
    assert bridge_call(20, last_n=2).last_n == 2        # --last-n / the user's choice wins
    call = bridge_call(20)
    call.set_last_n(5)
    assert call.last_n == 5
