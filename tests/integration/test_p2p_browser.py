"""1:1 calls between our client and lib-jitsi-meet (2021) in Chromium, peer to peer.

Both roles: the browser initiates when its endpoint id sorts first (our nick starts
with 'z'), we initiate when ours does (nick '0…').  Picture and sound both ways,
mute and video off both ways, no renegotiation for either, and a third participant
ends P2P.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from client.jitsi import muc
from client.jitsi.events import (
    FirstFrame,
    Joined,
    LocalMuteChanged,
    MediaConnected,
    MediaDisconnected,
    MediaStats,
    ParticipantUpdated,
    RemoteTrackAdded,
    RemoteTrackRemoved,
)
from client.jitsi.jingle import parse_jingle_iq
from client.media import call as call_module
from client.media.audio_level import rms_dbov
from tests.integration.p2p_participant import OurParticipant

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def ours(rig, room, monkeypatch):  # noqa: ANN001, ANN201
    """``ours(nick)`` → our client joined to ``room`` with that endpoint id; stopped afterwards.

    ``participant.jingle_actions`` lists the action of every Jingle request it received.
    """
    made: list[OurParticipant] = []
    actions: list[str] = []

    def spying_parse(stanza):  # noqa: ANN001, ANN202
        request = parse_jingle_iq(stanza)
        actions.append(request.action.value)
        return request

    monkeypatch.setattr(call_module, "parse_jingle_iq", spying_parse)

    def make(nick: str) -> OurParticipant:
        # the MUC nick decides who initiates; Prosody's anonymous JIDs give no hex prefix,
        # so Conference draws a random one: fix it for the test
        monkeypatch.setattr(muc, "random_nick", lambda: nick)
        participant = OurParticipant(rig, room).start()
        participant.jingle_actions = actions
        made.append(participant)
        participant.wait_event(Joined)
        return participant

    try:
        yield make
    finally:
        for participant in made:
            participant.stop()


def changing_frames(us: OurParticipant, source_name: str) -> None:
    """Two decoded pictures of the browser's fake camera, a while apart, differ."""
    us.wait_until(lambda: us.media.frames(source_name) is not None
                  and us.media.frames(source_name).frames_converted > 10, what="browser video")
    first = us.run(lambda: us.media.frames(source_name).latest())
    us.wait_until(lambda: us.media.frames(source_name).latest().number > first.number + 15,
                  what="more browser video")
    later = us.run(lambda: us.media.frames(source_name).latest())
    assert first.width > 0 and first.height > 0
    assert np.abs(first.bgra.astype(int) - later.bgra.astype(int)).mean() > 0.5


def loudest_dbov(us: OurParticipant, seconds: float = 3.0) -> float:
    played = us.run(lambda: us.media.local.audio_io.played)[-int(48000 * seconds):, 0]
    blocks = played[: len(played) // 960 * 960].reshape(-1, 960)
    return max(rms_dbov(block) for block in blocks)


def mute_round_trip(us: OurParticipant, browser_peer, our_id: str) -> None:  # noqa: ANN001
    session_before = us.run(lambda: us.media.session)
    for kind in ("audio", "video"):
        for muted in (True, False):
            mark = browser_peer.mark()
            assert us.call(us.media.set_muted(kind, muted))
            us.wait_event(LocalMuteChanged, lambda e, k=kind, m=muted: e.media == k and e.muted == m)
            browser_peer.wait_event("track_mute_changed", lambda e, k=kind, m=muted: (
                e["id"] == our_id and e["kind"] == k and e["muted"] == m), after=mark)
    # no renegotiation: same session, stable, and the browser sent no new offer/answer/sources
    assert us.run(lambda: us.media.session) is session_before
    assert us.run(lambda: us.media.session.peer_connection.signalingState) == "stable"


def browser_mutes_us_see(us: OurParticipant, browser_peer, browser_id: str) -> None:  # noqa: ANN001
    """lib-jitsi-meet 2021 leaves ``audiomuted``/``videomuted`` out of its presence until its
    first unmute ("muted is the default value", ChatRoom.addAudioInfoToPresence), so one
    mute/unmute primes it; after that every change reaches us, without renegotiation."""
    actions_before = len(us.jingle_actions)
    pump = us.run(lambda: us.media.frames(f"{browser_id}-v0"))
    for kind, mute, unmute in (("audio", browser_peer.mute_audio, browser_peer.unmute_audio),
                               ("video", browser_peer.mute_video, browser_peer.unmute_video)):
        field = f"{kind}_muted"

        def changed_to(value: bool, mark: int, f: str = field) -> None:
            us.wait_event(ParticipantUpdated, lambda e: e.endpoint_id == browser_id
                          and f in e.changed and getattr(e, f) is value, after=mark)

        mark = us.mark()
        mute()
        unmute()
        changed_to(False, mark)
        mark = us.mark()
        mute()
        changed_to(True, mark)
        if kind == "video":
            # LJM stops sending video when muted (the stream is removed)
            stopped = us.run(lambda: pump.frames_received)
            time.sleep(1.0)     # no event says "nothing arrived": observe a quiet second
            assert us.run(lambda: pump.frames_received) - stopped <= 3
        mark = us.mark()
        unmute()
        changed_to(False, mark)
    before = us.run(lambda: pump.frames_received)
    us.wait_until(lambda: pump.frames_received > before + 10, what="browser video after its unmute")
    renegotiation = [a for a in us.jingle_actions[actions_before:]
                     if a in ("session-initiate", "session-accept", "source-add", "source-remove")]
    assert renegotiation == []


def check_call(us: OurParticipant, alice, alice_id: str, our_id: str, *, we_initiate: bool) -> None:  # noqa: ANN001
    connected = us.wait_event(MediaConnected, timeout=30)
    assert (connected.endpoint_id, connected.mode, connected.initiator) == (alice_id, "p2p", we_initiate)
    added = {(e.endpoint_id, e.source_name, e.media) for e in
             [us.wait_event(RemoteTrackAdded, lambda e, m=m: e.media == m) for m in ("audio", "video")]}
    assert added == {(alice_id, f"{alice_id}-a0", "audio"), (alice_id, f"{alice_id}-v0", "video")}
    for media in ("audio", "video"):
        first = us.wait_event(FirstFrame, lambda e, m=media: e.media == m, timeout=20)
        assert first.endpoint_id == alice_id

    # picture both ways: the browser's fake camera moves; the browser decodes ours
    changing_frames(us, f"{alice_id}-v0")
    alice.wait_event("p2p_status", lambda e: e["p2p"] is True)
    kinds = {alice.wait_event("remote_track_added", lambda e, k=k: e["id"] == our_id and e["kind"] == k)["kind"]
             for k in ("audio", "video")}
    assert kinds == {"audio", "video"}
    stats = alice.wait_inbound_media(audio=True, video=True, min_frames=30)
    assert stats["p2p"] is True and stats["video"]["framesDecoded"] >= 30
    # sound both ways: our tone reaches the browser, the browser's beeps reach our output
    assert stats["audio"].get("totalAudioEnergy", 0) > 0 or stats["audio"].get("audioLevel", 0) > 0
    us.wait_until(lambda: us.media.playback.frames(f"{alice_id}-a0") > 100, what="browser audio")
    assert loudest_dbov(us) > -50


def test_browser_initiates_and_we_answer(rig, room, browser, ours) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice")["id"]
    us = ours("zzzzzzzz")          # sorts after every 8-hex id: the browser starts P2P
    our_id = us.run(lambda: us.conference.endpoint_id)
    check_call(us, alice, alice_id, our_id, we_initiate=False)
    assert us.jingle_actions[0] == "session-initiate"

    mute_round_trip(us, alice, our_id)
    browser_mutes_us_see(us, alice, alice_id)

    # a third participant: the browser (initiator) stops P2P, we end our session
    bob = browser("bob")
    bob.join(room, "Bob", audio=False, video=False)
    gone = us.wait_event(MediaDisconnected, timeout=30)
    assert gone.endpoint_id == alice_id
    final = us.of(MediaStats)[-1]
    video = [s for s in final.streams if s.source_name == f"{alice_id}-v0"][0]
    assert video.frames > 60 and video.fps > 5


def test_we_initiate_and_the_browser_answers(rig, room, browser, ours) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice")["id"]
    us = ours("00000000")          # sorts before every other id: we start P2P
    our_id = us.run(lambda: us.conference.endpoint_id)
    check_call(us, alice, alice_id, our_id, we_initiate=True)
    assert "session-accept" in us.jingle_actions

    mute_round_trip(us, alice, our_id)
    browser_mutes_us_see(us, alice, alice_id)

    # the browser leaves: the session ends without a terminate from us
    alice.leave()
    assert us.wait_event(MediaDisconnected, timeout=30).endpoint_id == alice_id
    assert us.run(lambda: us.media.session) is None


@pytest.mark.parametrize("nick", ["zzzzzzzz", "00000000"], ids=["browser-initiates", "we-initiate"])
def test_a_browser_without_camera_still_gets_our_picture(rig, room, browser, ours, nick) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice", audio=True, video=False)["id"]
    us = ours(nick)
    us.wait_event(MediaConnected, timeout=30)
    us.wait_event(FirstFrame, lambda e: e.media == "audio", timeout=20)
    assert {e.media for e in us.of(RemoteTrackAdded)} == {"audio"}
    stats = alice.wait_inbound_media(audio=True, video=True, min_frames=20)
    assert stats["video"]["framesDecoded"] >= 20
    assert us.run(lambda: us.media.frames(f"{alice_id}-v0")) is None

    # Alice switches her camera on after all: a new source in the running P2P session
    alice.add_track("video")
    us.wait_event(RemoteTrackAdded, lambda e: e.media == "video" and e.endpoint_id == alice_id,
                  timeout=20)
    us.wait_event(FirstFrame, lambda e: e.media == "video" and e.endpoint_id == alice_id, timeout=20)
    changing_frames(us, f"{alice_id}-v0")
    session = us.run(lambda: us.media.session)
    assert session is not None                                   # still the same P2P call

    # and off again (the track removed, not muted): her tile goes back to initials
    alice.remove_track("video")
    us.wait_event(RemoteTrackRemoved, lambda e: e.media == "video" and e.endpoint_id == alice_id,
                  timeout=20)
    assert us.run(lambda: us.media.frames(f"{alice_id}-v0")) is None
    # on once more: a new source on the receiver aiortc already has
    mark = len(us.of(FirstFrame))
    alice.add_track("video")
    us.wait_until(lambda: len([e for e in us.of(FirstFrame) if e.media == "video"]) >= 2
                  and len(us.of(FirstFrame)) > mark, timeout=20, what="her video once more")
    changing_frames(us, f"{alice_id}-v0")
    assert us.run(lambda: us.media.session) is session


@pytest.mark.parametrize("nick", ["zzzzzzzz", "00000000"], ids=["browser-initiates", "we-initiate"])
def test_the_peer_sends_its_video_at_the_size_of_its_tile(rig, room, browser, ours, nick) -> None:  # noqa: ANN001
    alice = browser("alice")
    alice_id = alice.join(room, "Alice")["id"]
    us = ours(nick)
    name = f"{alice_id}-v0"
    us.wait_until(lambda: us.media.frames(name) is not None
                  and us.media.frames(name).frames_received > 10, timeout=30, what="her video")

    def height() -> int:          # runs on our loop (wait_until's predicates do)
        return us.media.frames(name).latest().height

    assert us.run(height) > 180
    # her tile is small on our screen: she sends at most 180 lines (content-modify)
    us.run(lambda: us.media.show_endpoints({alice_id: 150, "me": 150}))
    us.wait_until(lambda: height() <= 180, timeout=20, what="a picture of at most 180 lines")
    # on stage: large again
    us.run(lambda: us.media.show_endpoints({alice_id: 700}))
    us.wait_until(lambda: height() > 180, timeout=20, what="her full picture again")
    # (a hidden tile asks for 0, which this 2021 build ignores: test_call.py covers it)
