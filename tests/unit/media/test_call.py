"""CallMedia end to end in one process: two (or three) participants in a fake MUC, real media."""

from __future__ import annotations

import asyncio

from client.jitsi.events import (
    FirstFrame,
    LocalMuteChanged,
    MediaConnected,
    MediaDisconnected,
    MediaStats,
    RemoteTrackAdded,
    RemoteTrackRemoved,
    SendConstraintChanged,
)
from client.jitsi.description import SessionDescription
from client.jitsi.jingle import JingleSession
from client.media.call import CallMedia, media_capabilities
from client.media.local import MediaOptions
from client.media.synthetic import read_frame_counter
from tests.unit.media.fake_room import ROOM, FakeRoom
from tests.unit.media.waiting import wait_quiet, wait_until


def run(coro, timeout: float = 90.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def test_capabilities_claim_only_what_we_implement():
    features = media_capabilities().features
    assert {"urn:xmpp:jingle:apps:rtp:audio", "urn:xmpp:jingle:apps:rtp:video", "urn:ietf:rfc:4588",
            "urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:dtls:0"} <= features
    assert not features & {"http://jitsi.org/tcc", "http://jitsi.org/opus-red", "http://jitsi.org/remb",
                           "http://jitsi.org/ssrc-rewriting-1"}


def test_two_participants_call_p2p_then_a_third_ends_it():
    async def main():
        room = FakeRoom()
        a_conf = room.join("0aaa")
        a = CallMedia(a_conf, MediaOptions(test_media=True))
        await a.start()
        b_conf = room.join("zbbb")
        b = CallMedia(b_conf, MediaOptions(test_media=True, test_tone_hz=660))
        await b.start()         # after its join: it catches up with the occupants it has
        try:
            # the smaller id (0aaa) initiates
            connected_a = await a_conf.wait_for(MediaConnected)
            connected_b = await b_conf.wait_for(MediaConnected)
            assert (connected_a.endpoint_id, connected_a.initiator) == ("zbbb", True)
            assert (connected_b.endpoint_id, connected_b.initiator) == ("0aaa", False)
            assert room.jingle_log[:2] == [("0aaa", "zbbb", "session-initiate"),
                                           ("zbbb", "0aaa", "session-accept")]

            added = {(e.endpoint_id, e.source_name, e.media) for e in b_conf.of(RemoteTrackAdded)}
            assert added == {("0aaa", "0aaa-a0", "audio"), ("0aaa", "0aaa-v0", "video")}
            for conf, peer in ((a_conf, "zbbb"), (b_conf, "0aaa")):
                video = await conf.wait_for(FirstFrame, lambda e: e.media == "video")
                audio = await conf.wait_for(FirstFrame, lambda e: e.media == "audio")
                assert (video.source_name, video.width, video.height) == (f"{peer}-v0", 640, 360)
                assert audio.source_name == f"{peer}-a0"

            # our sources are in presence, named after our endpoint
            assert set(a_conf.sources) == {"0aaa-a0", "0aaa-v0"}
            assert a_conf.sources["0aaa-v0"].video_type == "camera"

            pump = b.frames("0aaa-v0")
            await wait_until(lambda: pump.frames_received > 15, what="video at b")
            counter = read_frame_counter(pump.latest().bgra)
            assert counter is not None and counter > 0
            await wait_until(lambda: b.playback.frames("0aaa-a0") > 20, what="audio at b")

            # video off at a: presence says so, b gets no more frames, nobody renegotiates
            jingle_before = len(room.jingle_log)
            assert await a.set_muted("video", True)
            assert a_conf.of(LocalMuteChanged)[-1] == LocalMuteChanged("video", True, "user")
            assert a_conf.sources["0aaa-v0"].muted is True
            stopped = await wait_quiet(lambda: pump.frames_received)
            await a.set_muted("video", False)
            await wait_until(lambda: pump.frames_received > stopped + 10, what="video back at b")
            assert a_conf.sources["0aaa-v0"].muted is False
            assert len(room.jingle_log) == jingle_before

            # the stats know what came in
            stats = {s.source_name: s for s in b.stats().streams}
            assert stats["0aaa-v0"].frames > 20 and 10 < stats["0aaa-v0"].fps < 40
            assert stats["0aaa-a0"].frames > 20

            # a third participant: a (initiator) stops P2P, both sides end the session
            c_conf = room.join("cccc")
            await a_conf.wait_for(MediaDisconnected)
            await b_conf.wait_for(MediaDisconnected)
            assert ("0aaa", "zbbb", "session-terminate") in room.jingle_log
            assert {e.source_name for e in b_conf.of(RemoteTrackRemoved)} == {"0aaa-a0", "0aaa-v0"}
            final = b_conf.of(MediaStats)[-1]
            assert {s.source_name for s in final.streams} == {"0aaa-a0", "0aaa-v0"}
            assert b.frames("0aaa-v0") is None
            assert c_conf.events  # c saw the others join
        finally:
            await a.close()
            await b.close()
    run(main())


def test_an_offer_when_p2p_is_not_wanted_is_acked_and_declined():
    async def main():
        room = FakeRoom()
        a_conf = room.join("zaaa")
        a = CallMedia(a_conf, MediaOptions(test_media=True), p2p_enabled=False)
        await a.start()
        room.join("0bbb")
        try:
            offer_from = JingleSession.outgoing(local=ROOM.with_resource("0bbb"), peer=ROOM.with_resource("zaaa"),
                                                sid="abc123")
            iq = offer_from.initiate(SessionDescription())
            reply = await room.members["0bbb"].xmpp.iq(iq)
            assert reply.get("type") == "result"
            await wait_until(lambda: ("zaaa", "0bbb", "session-terminate") in room.jingle_log,
                             what="the decline")
            terminate = [s for s in a_conf.xmpp.sent
                         if s.find("{urn:xmpp:jingle:1}jingle") is not None][-1]
            reason = terminate.find("{urn:xmpp:jingle:1}jingle/{urn:xmpp:jingle:1}reason")
            assert reason.find("{urn:xmpp:jingle:1}decline") is not None
            assert reason.findtext("{urn:xmpp:jingle:1}text") == "P2P disabled"
            assert a.session is None
        finally:
            await a.close()
    run(main())


async def connected_pair():  # noqa: ANN201
    """0aaa and zbbb in a fake room, their P2P call connected."""
    room = FakeRoom()
    a_conf = room.join("0aaa")
    a = CallMedia(a_conf, MediaOptions(test_media=True))
    await a.start()
    b_conf = room.join("zbbb")
    b = CallMedia(b_conf, MediaOptions(test_media=True))
    await b.start()
    await a_conf.wait_for(MediaConnected)
    await b_conf.wait_for(MediaConnected)
    return room, a_conf, a, b_conf, b


def test_content_modify_limits_our_video():
    async def main():
        room, a_conf, a, b_conf, b = await connected_pair()
        try:
            # b asks a for at most 180 lines (LJM's content-modify), a scales down
            call = b._call
            iq = call.jingle.content_modify(max_height=180, source_heights={"0aaa-v0": 180})
            await b_conf.xmpp.iq(iq)
            assert (await a_conf.wait_for(SendConstraintChanged)).max_height == 180
            pump = b.frames("0aaa-v0")
            await wait_until(lambda: pump.latest() is not None and pump.latest().height == 180,
                             what="a 180-line picture at b")
            assert pump.latest().width == 320
        finally:
            await a.close()
            await b.close()
    run(main())


def test_the_tiles_on_screen_decide_what_the_peer_sends():
    async def main():
        room, a_conf, a, b_conf, b = await connected_pair()
        try:
            pump = b.frames("0aaa-v0")
            await wait_until(lambda: pump.latest() is not None, what="a's video at b")
            # b's window shows a in a small tile: a is asked for (and sends) 180 lines
            b.show_endpoints({"0aaa": 150, "zbbb": 150})
            await wait_until(lambda: any(e.max_height == 180 for e in a_conf.of(SendConstraintChanged)),
                             what="a told to send 180")
            await wait_until(lambda: pump.latest().height == 180, what="180 lines at b")
            # the same again asks nothing new
            asked = [entry for entry in room.jingle_log if entry[2] == "content-modify"]
            b.show_endpoints({"0aaa": 170})
            await asyncio.sleep(0.2)
            assert [entry for entry in room.jingle_log if entry[2] == "content-modify"] == asked
            # a's tile leaves the screen (another page): a stops sending video altogether
            b.show_endpoints({"zbbb": 150})
            await wait_until(lambda: a_conf.of(SendConstraintChanged)[-1].max_height == 0,
                             what="a told to send nothing")
            await wait_quiet(lambda: pump.frames_received, quiet_s=1.0)
            # back on screen, large: video again at full size
            b.show_endpoints({"0aaa": 700})
            before = pump.frames_received
            await wait_until(lambda: pump.frames_received > before + 5 and pump.latest().height > 180,
                             what="a's full video again")
            assert ("zbbb", "0aaa", "content-modify") in room.jingle_log
        finally:
            await a.close()
            await b.close()
    run(main())
