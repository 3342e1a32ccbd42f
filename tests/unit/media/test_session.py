"""Two MediaSessions in one process, over the test namespace's loopback, with synthetic media."""

from __future__ import annotations

import asyncio
import ipaddress

import numpy as np
import pytest

from client.jitsi.description import SessionDescription
from client.jitsi.extdisco import IceServer
from client.media.frames import FramePump
from client.media.session import (
    AIORTC_DEFAULT_STUN,
    ConnectionStateChanged,
    MediaSession,
    TrackReceived,
    ice_configuration,
)
from client.media.synthetic import TestPatternTrack, ToneTrack, read_frame_counter
from tests.unit.media.waiting import wait_quiet, wait_until


def run(coro, timeout: float = 60.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


class Recorder:
    def __init__(self) -> None:
        self.events: list = []

    def __call__(self, event) -> None:
        self.events.append(event)

    def tracks(self) -> dict[str, object]:
        return {e.remote.source_name: e.remote for e in self.events if isinstance(e, TrackReceived)}

    def states(self) -> list[str]:
        return [e.state for e in self.events if isinstance(e, ConnectionStateChanged)]


async def connect(offerer: MediaSession, answerer: MediaSession, offer_ep: str, answer_ep: str) -> None:
    offer = await offerer.offer()
    answer = await answerer.answer(offer, peer_endpoint=offer_ep)
    await offerer.accept_answer(answer, peer_endpoint=answer_ep)


def test_ice_configuration_is_exactly_what_the_server_advertised():
    assert ice_configuration([]).iceServers == []          # [] — never None, which means Google
    servers = [IceServer(["stun:127.0.0.1:13478"]),
               IceServer(["turn:127.0.0.1:13478?transport=udp"], "user", "secret")]
    configuration = ice_configuration(servers)
    assert [s.urls for s in configuration.iceServers] == [["stun:127.0.0.1:13478"],
                                                          ["turn:127.0.0.1:13478?transport=udp"]]
    assert configuration.iceServers[1].username == "user"
    assert all(AIORTC_DEFAULT_STUN not in s.urls for s in configuration.iceServers)


def test_a_session_without_servers_contacts_no_stun_server_and_offers_only_loopback():
    async def main():
        session = MediaSession(endpoint_id="0abc", audio=ToneTrack(), video=TestPatternTrack())
        try:
            assert session.configuration.iceServers == []
            offer = await session.offer()
            gatherers = {t.receiver.transport.transport.iceGatherer
                         for t in session.peer_connection.getTransceivers()}
            for gatherer in gatherers:
                connection = gatherer._connection       # aioice: what it would contact
                assert connection.stun_server is None and connection.turn_server is None
            candidates = [c for content in offer.contents for c in content.transport.candidates]
            assert candidates and {c.type for c in candidates} == {"host"}
            assert all(ipaddress.ip_address(c.ip).is_loopback for c in candidates)
        finally:
            await session.close()
    run(main())


def test_offer_names_our_sources_and_carries_dtls_and_candidates():
    async def main():
        session = MediaSession(endpoint_id="0abc", audio=ToneTrack(), video=TestPatternTrack())
        try:
            offer = await session.offer()
        finally:
            await session.close()
        audio, video = offer.contents
        assert (audio.name, video.name) == ("0", "1") and offer.bundle == ("0", "1")
        assert {s.name for s in audio.description.sources} == {"0abc-a0"}
        assert {s.name for s in video.description.sources} == {"0abc-v0"}
        assert [g.semantics for g in video.description.ssrc_groups] == ["FID"]
        assert [pt.name for pt in audio.description.payload_types] == ["opus"]
        assert [pt.name for pt in video.description.payload_types if not pt.is_rtx][0] == "VP8"
        assert {pt.name for pt in video.description.payload_types} == {"VP8", "H264", "rtx"}
        [fingerprint] = audio.transport.fingerprints
        assert (fingerprint.hash, fingerprint.setup) == ("sha-256", "actpass")
    run(main())


def test_two_sessions_exchange_media_by_source_name_and_mute_without_renegotiation():
    async def main():
        a_video, a_audio = TestPatternTrack(), ToneTrack()
        b_video, b_audio = TestPatternTrack(), ToneTrack(frequency=660)
        a_events, b_events = Recorder(), Recorder()
        a = MediaSession(endpoint_id="0aaa", audio=a_audio, video=a_video, on_event=a_events)
        b = MediaSession(endpoint_id="zbbb", audio=b_audio, video=b_video, on_event=b_events)
        pumps: list[FramePump] = []
        try:
            await connect(a, b, "0aaa", "zbbb")
            await wait_until(lambda: "connected" in a_events.states() and "connected" in b_events.states(),
                             what="both connected")
            assert set(b_events.tracks()) == {"0aaa-a0", "0aaa-v0"}
            assert set(a_events.tracks()) == {"zbbb-a0", "zbbb-v0"}
            assert b_events.tracks()["0aaa-v0"].endpoint_id == "0aaa"

            # picture both ways, and it is the sender's moving pattern
            at_b = FramePump(b_events.tracks()["0aaa-v0"].track, name="at b").start()
            at_a = FramePump(a_events.tracks()["zbbb-v0"].track, name="at a").start()
            pumps += [at_b, at_a]
            first = await at_b.wait_first_frame()
            await at_a.wait_first_frame()
            assert (first.width, first.height) == (640, 360)
            await wait_until(lambda: at_b.frames_converted > 10, what="ten frames at b")
            later = at_b.latest()
            assert read_frame_counter(later.bgra) > read_frame_counter(first.bgra)

            # audio with energy
            audio_track = b_events.tracks()["0aaa-a0"].track
            samples = []
            while len(samples) < 25:
                frame = await audio_track.recv()
                samples.append(frame.to_ndarray().astype(np.float64))
            rms = float(np.sqrt(np.mean(np.concatenate(samples, axis=None)[-48000 // 4:] ** 2)))
            assert rms > 1000, rms

            # video off: the sender stops reading our track, b stops getting frames
            sent_before = a_video.frames_sent
            a.set_muted("video", True)
            received = await wait_quiet(lambda: at_b.frames_received)
            idle_sent = a_video.frames_sent
            assert idle_sent - sent_before <= 2
            await wait_quiet(lambda: at_b.frames_received, quiet_s=0.5)
            assert at_b.frames_received == received and a_video.frames_sent == idle_sent
            # …and back, without a new offer/answer
            a.set_muted("video", False)
            await wait_until(lambda: at_b.frames_received > received + 10, what="frames after unmute")
            assert read_frame_counter(at_b.latest().bgra) > read_frame_counter(later.bgra)
            assert a.peer_connection.signalingState == "stable" == b.peer_connection.signalingState
            assert a.is_muted("video") is False
        finally:
            for pump in pumps:
                await pump.stop()
            await a.close()
            await b.close()
        assert a_events.states()[-1] == "closed"
    run(main())


def test_answer_to_an_offer_it_cannot_use_is_a_media_connection_error():
    from client.errors import MediaConnectionError
    from client.jitsi.description import Content, IceUdpTransport, PayloadType, RtpDescription

    offer = SessionDescription((Content("0", description=RtpDescription(
        "video", payload_types=(PayloadType(98, "VP9", 90000),)),
        transport=IceUdpTransport("u", "p")),))

    async def main():
        session = MediaSession(endpoint_id="x", video=TestPatternTrack())
        try:
            with pytest.raises(MediaConnectionError):
                await session.answer(offer)
        finally:
            await session.close()
    run(main())
