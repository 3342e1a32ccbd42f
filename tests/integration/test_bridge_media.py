"""The bridge stand-in's media plane, in one process: aiortc peers exchange media through it.

No XMPP here: the test plays Jicofo itself with the same offer builder the rig's
Jicofo uses (tests/rig/bridge/jicofo.py), and our ``MediaSession`` answers.  What is
checked is what a real videobridge guarantees: media flows between endpoints only
through the bridge, only signalled SSRCs are forwarded, and video a receiver does
not want (constraint 0, last-N) is not sent to it.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from client.jitsi.description import Candidate
from client.media.frames import FramePump
from client.media.session import MediaSession, TrackReceived
from client.media.synthetic import TestPatternTrack, ToneTrack, read_frame_counter
from tests.rig.bridge.bridge import Bridge
from tests.rig.bridge.jicofo import (
    EndpointSources,
    bridge_offer,
    bridge_sources,
    feedback_sources,
    participant_sources,
)
from tests.unit.media.waiting import wait_until

CONF = "conf1"


class Peer:
    """One participant: a MediaSession that sends a test pattern and a tone."""

    def __init__(self, endpoint_id: str, *, send_video: bool = True) -> None:
        self.id = endpoint_id
        self.tracks: dict[str, object] = {}
        self.session = MediaSession(
            endpoint_id=endpoint_id, audio=ToneTrack(),
            video=TestPatternTrack(320, 180, 15) if send_video else None,
            on_event=self._on_event)
        self.sources: EndpointSources | None = None
        self.channel: list[dict] = []          # what the bridge told us on the colibri channel
        self.pumps: dict[str, FramePump] = {}

    def _on_event(self, event) -> None:
        if isinstance(event, TrackReceived):
            self.tracks[event.remote.source_name] = event.remote
            if event.remote.media == "video":
                self.pumps[event.remote.source_name] = FramePump(event.remote.track).start()

    def frames(self, source_name: str) -> int:
        pump = self.pumps.get(source_name)
        return pump.frames_received if pump else 0

    async def close(self) -> None:
        for pump in self.pumps.values():
            await pump.stop()
        await self.session.close()


def announced_sources(peer: Peer) -> EndpointSources:
    """The sources a peer will announce: aiortc chose its SSRCs when the session was built."""
    audio, _ = peer.session.sender_ssrcs("audio")
    video, rtx = peer.session.sender_ssrcs("video")
    from client.jitsi.description import Parameter, Source, SsrcGroup

    def source(ssrc: int, media: str) -> Source:
        letter = media[0]
        return Source(ssrc, name=f"{peer.id}-{letter}0", owner=peer.id,
                      video_type="camera" if media == "video" else None,
                      parameters=(Parameter("msid", f"{peer.id}-{media}-0-1 t{peer.id}{letter}-1"),))
    return EndpointSources(audio=[source(audio, "audio")],
                           video=[source(video, "video"), source(rtx, "video")],
                           video_groups=[SsrcGroup("FID", (video, rtx))])


async def join(bridge: Bridge, peer: Peer, others: list[Peer]) -> None:
    """Jicofo's part for one participant: allocate, offer with the others' sources, accept."""
    offer = await bridge.allocate(CONF, peer.id)
    audio_ssrc, video_ssrc = bridge.feedback_ssrcs(CONF)
    remote = [feedback_sources(audio_ssrc, video_ssrc)] + [announced_sources(o) for o in others]
    answer = await peer.session.answer(bridge_offer(offer, remote))
    peer.sources = participant_sources(answer, peer.id)
    transport = next(c.transport for c in answer.contents if c.transport is not None)
    bridge.add_sources(CONF, peer.id, bridge_sources(peer.sources, peer.id))
    bridge.connect(CONF, peer.id, ufrag=transport.ufrag, pwd=transport.pwd,
                   fingerprints=[(f.hash, f.value) for f in transport.fingerprints],
                   setup=transport.fingerprints[0].setup, candidates=transport.candidates)
    bridge.attach_channel(CONF, peer.id, bridge.channel_password(CONF, peer.id),
                          send=lambda text: peer.channel.append(json.loads(text)),
                          close=lambda code: None)


def messages(peer: Peer, kind: str) -> list[dict]:
    return [m for m in peer.channel if m["colibriClass"] == kind]


def sent_to(bridge: Bridge, receiver: Peer, ssrc: int) -> int:
    endpoint = bridge.endpoint(CONF, receiver.id)
    return endpoint.stats.rtp_out.get(ssrc, 0) if endpoint else 0


def run(coro, timeout: float = 90.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.mark.timeout(120)
def test_two_aiortc_peers_exchange_audio_and_video_through_the_bridge_only():
    async def main():
        bridge = Bridge()
        a, b = Peer("aaaa1111"), Peer("bbbb2222")
        try:
            # both peers' SSRCs are known up front, so each offer carries the other's sources
            await join(bridge, a, [b])
            await join(bridge, b, [a])
            await wait_until(lambda: a.frames("bbbb2222-v0") >= 10 and b.frames("aaaa1111-v0") >= 10,
                             timeout=30, what="video through the bridge both ways")
            assert set(a.tracks) >= {"bbbb2222-a0", "bbbb2222-v0"}
            assert set(b.tracks) >= {"aaaa1111-a0", "aaaa1111-v0"}
            # the picture is the sender's test pattern, counting up
            frame = a.pumps["bbbb2222-v0"].latest()
            assert frame is not None and read_frame_counter(frame.bgra) is not None
            # audio went through the bridge too
            audio_b = b.session.sender_ssrcs("audio")[0]
            await wait_until(lambda: sent_to(bridge, a, audio_b) > 50, timeout=10,
                             what="audio forwarded")
            # the peers only talk to the bridge: their ICE pairs end at the bridge's candidate
            for peer in (a, b):
                pc = peer.session.peer_connection
                gatherer = pc.getTransceivers()[0].receiver.transport.transport.iceGatherer
                pair = gatherer._connection._nominated.get(1)
                bridge_port = next(c.port for c in (await bridge_endpoint_candidates(bridge, peer)))
                assert pair is not None and pair.remote_addr[1] == bridge_port
            # the bridge told each receiver what it forwards
            assert messages(a, "ForwardedSources")[-1]["forwardedSources"] == ["bbbb2222-v0"]
            assert messages(a, "ServerHello")
        finally:
            await a.close()
            await b.close()
            await bridge.close()
    run(main())


async def bridge_endpoint_candidates(bridge: Bridge, peer: Peer) -> list[Candidate]:
    endpoint = bridge.endpoint(CONF, peer.id)
    return [c for c in endpoint.gatherer.getLocalCandidates()]


@pytest.mark.timeout(120)
def test_only_wanted_video_is_forwarded():
    async def main():
        bridge = Bridge(speaker_interval_s=0.1)
        a, b, c = Peer("aaaa1111"), Peer("bbbb2222"), Peer("cccc3333")
        peers = [a, b, c]
        try:
            for peer in peers:
                await join(bridge, peer, [p for p in peers if p is not peer])
            await wait_until(lambda: a.frames("bbbb2222-v0") >= 5 and a.frames("cccc3333-v0") >= 5,
                             timeout=30, what="a receives both videos")
            video_b = b.session.sender_ssrcs("video")[0]
            video_c = c.session.sender_ssrcs("video")[0]
            audio_b = b.session.sender_ssrcs("audio")[0]

            # a says: b's video at 180p, nothing else (defaultConstraints 0)
            bridge.on_channel_message(CONF, a.id, json.dumps({
                "colibriClass": "ReceiverVideoConstraints", "lastN": -1,
                "defaultConstraints": {"maxHeight": 0},
                "constraints": {"bbbb2222-v0": {"maxHeight": 180}}}))
            assert messages(a, "ForwardedSources")[-1]["forwardedSources"] == ["bbbb2222-v0"]
            before_c, before_b = sent_to(bridge, a, video_c), sent_to(bridge, a, video_b)
            before_audio = sent_to(bridge, a, audio_b)
            await wait_until(lambda: sent_to(bridge, a, video_b) > before_b + 30, timeout=10,
                             what="b's video keeps flowing to a")
            assert sent_to(bridge, a, video_c) == before_c            # c's video stopped
            assert sent_to(bridge, a, audio_b) > before_audio          # audio is never thinned
            # c learns that nobody but b watches it … b still wants it (default 180)
            assert messages(c, "SenderSourceConstraints")[-1] == {
                "colibriClass": "SenderSourceConstraints", "sourceName": "cccc3333-v0",
                "maxHeight": 180}

            # b and a both stop wanting c: c is told nobody watches
            bridge.on_channel_message(CONF, b.id, json.dumps({
                "colibriClass": "ReceiverVideoConstraints", "defaultConstraints": {"maxHeight": 0},
                "constraints": {}}))
            assert messages(c, "SenderSourceConstraints")[-1]["maxHeight"] == 0

            # last-N 1 with both wanted: exactly one video reaches a
            bridge.on_channel_message(CONF, a.id, json.dumps({
                "colibriClass": "ReceiverVideoConstraints", "lastN": 1,
                "constraints": {"bbbb2222-v0": {"maxHeight": 180},
                                "cccc3333-v0": {"maxHeight": 180}}}))
            forwarded = messages(a, "ForwardedSources")[-1]["forwardedSources"]
            assert len(forwarded) == 1
            # on-stage wins over speaker order
            bridge.on_channel_message(CONF, a.id, json.dumps({
                "colibriClass": "ReceiverVideoConstraints", "onStageSources": ["cccc3333-v0"]}))
            assert messages(a, "ForwardedSources")[-1]["forwardedSources"] == ["cccc3333-v0"]
            before_b = sent_to(bridge, a, video_b)
            before_c = sent_to(bridge, a, video_c)
            await wait_until(lambda: sent_to(bridge, a, video_c) > before_c + 30, timeout=10,
                             what="c's video flows to a again")
            assert sent_to(bridge, a, video_b) == before_b
        finally:
            for peer in peers:
                await peer.close()
            await bridge.close()
    run(main())


@pytest.mark.timeout(120)
def test_unsignalled_ssrcs_are_dropped():
    async def main():
        bridge = Bridge()
        a, b = Peer("aaaa1111"), Peer("bbbb2222")
        try:
            await join(bridge, a, [b])
            await join(bridge, b, [a])
            await wait_until(lambda: a.frames("bbbb2222-v0") >= 3, timeout=30, what="video")
            # the bridge forgets b's video source (as after a source-remove)
            video_b, rtx_b = b.session.sender_ssrcs("video")
            bridge.remove_sources(CONF, b.id, [video_b])
            count = sent_to(bridge, a, video_b)
            dropped = bridge.endpoint(CONF, b.id).stats.rtp_dropped
            await wait_until(lambda: bridge.endpoint(CONF, b.id).stats.rtp_dropped > dropped + 20,
                             timeout=10, what="b's video being dropped")
            assert sent_to(bridge, a, video_b) == count
        finally:
            await a.close()
            await b.close()
            await bridge.close()
    run(main())
