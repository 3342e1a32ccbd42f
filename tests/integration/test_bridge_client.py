"""Our client on the bridge path with lib-jitsi-meet peers and the test bridge (issue 6)."""

from __future__ import annotations

import pytest

from client.jitsi.events import (FirstFrame, Joined, Left, MediaConnected, MediaDisconnected,
                                 RemoteTrackAdded)
from client.media.audio_io import ClockedAudioIO
from client.media.local import MediaOptions
from tests.integration.bridge_participant import BridgeParticipant

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def ours(rig, bridge_room):  # noqa: ANN001, ANN201
    made: list[BridgeParticipant] = []

    def make(name: str = "Treffpunkt", **kwargs) -> BridgeParticipant:  # noqa: ANN003
        options = MediaOptions(test_media=True, audio_io=ClockedAudioIO(),
                               test_tone_hz=kwargs.pop("tone_hz", 440.0))
        participant = BridgeParticipant(rig, bridge_room, display_name=name, options=options,
                                        **kwargs).start()
        made.append(participant)
        participant.wait_event(Joined)
        return participant

    try:
        yield make
    finally:
        for participant in reversed(made):
            participant.stop()


def test_our_client_and_two_browsers_exchange_media_through_the_bridge(ours, browser, bridge_room,
                                                                       rig_bridge):
    anna, bert = browser("anna"), browser("bert")
    anna.join(bridge_room, "Anna", p2p=False)
    bert.join(bridge_room, "Bert", p2p=False)
    us = ours("Uwe", p2p=False)
    ids = {"anna": anna.id, "bert": bert.id, "us": us.endpoint_id}

    us.wait_event(MediaConnected, lambda e: e.mode == "jvb", timeout=30)
    for who in ("anna", "bert"):
        for media in ("audio", "video"):
            us.wait_event(FirstFrame, lambda e, w=who, m=media: e.endpoint_id == ids[w] and e.media == m,
                          timeout=30)
    for peer in (anna, bert):
        for kind in ("audio", "video"):
            peer.wait_event("remote_track_added", lambda e, k=kind: e["id"] == ids["us"] and e["kind"] == k,
                            timeout=30)
    us.wait_until(lambda: us.media.frames(f"{ids['anna']}-v0").frames_received >= 30, timeout=30,
                  what="anna's video keeps coming")
    assert sorted(rig_bridge.forwarded(bridge_room, ids["anna"])) == sorted(
        [f"{ids['bert']}-v0", f"{ids['us']}-v0"])


def test_p2p_for_two_then_the_bridge_for_three_then_p2p_again(ours, browser, bridge_room, rig_bridge):
    anna = browser("anna")
    anna.join(bridge_room, "Anna", p2p=True)
    us = ours("Uwe", p2p=True)
    anna_id, our_id = anna.id, us.endpoint_id
    # two people: P2P carries the media; the bridge session exists but is suspended
    us.wait_event(MediaConnected, lambda e: e.mode == "p2p", timeout=30)
    us.wait_event(FirstFrame, lambda e: e.endpoint_id == anna_id and e.media == "video", timeout=30)
    anna.wait_event("p2p_status", lambda e: e["p2p"] is True, timeout=30)
    us.wait_until(lambda: us.bridge.current_view().tiles == (), timeout=10,
                  what="no video asked of the bridge while P2P runs")

    # a third joins: P2P ends, everything goes through the bridge
    mark = us.mark()
    bert = browser("bert")
    bert.join(bridge_room, "Bert", p2p=True)
    bert_id = bert.id
    us.wait_event(MediaDisconnected, lambda e: e.mode == "p2p", timeout=30, after=mark)
    us.wait_event(FirstFrame, lambda e: e.endpoint_id == bert_id and e.media == "video", timeout=30)
    us.wait_event(RemoteTrackAdded, lambda e: e.endpoint_id == anna_id and e.media == "video",
                  timeout=30, after=mark)
    count = us.frames(f"{anna_id}-v0")
    us.wait_until(lambda: us.media.frames(f"{anna_id}-v0").frames_received > count + 10, timeout=30,
                  what="Anna's video through the bridge")
    assert sorted(rig_bridge.forwarded(bridge_room, our_id)) == sorted([f"{anna_id}-v0", f"{bert_id}-v0"])
    for peer in (anna, bert):
        peer.wait_event("remote_track_added", lambda e: e["id"] == our_id and e["kind"] == "video"
                        and e["p2p"] is False, timeout=30)

    # back to two: P2P again (after lib-jitsi-meet's back-to-P2P delay), the bridge suspended
    mark = us.mark()
    bert.leave()
    us.wait_event(MediaConnected, lambda e: e.mode == "p2p", timeout=40, after=mark)
    us.wait_until(lambda: rig_bridge.forwarded(bridge_room, our_id) == [], timeout=20,
                  what="the bridge sending us no video")


def test_a_restarted_bridge_session_carries_media_without_leaving_the_room(ours, browser, bridge_room,
                                                                          rig_bridge):
    anna, bert = browser("anna"), browser("bert")
    anna.join(bridge_room, "Anna", p2p=False)
    bert.join(bridge_room, "Bert", p2p=False)
    us = ours("Uwe", p2p=False)
    anna_id, our_id = anna.id, us.endpoint_id
    us.wait_event(FirstFrame, lambda e: e.endpoint_id == anna_id and e.media == "video", timeout=30)

    mark = us.mark()
    rig_bridge.move(bridge_room, our_id)          # Jicofo: session-terminate "moving" + a new offer
    us.wait_event(MediaDisconnected, lambda e: e.mode == "jvb" and e.reason == "success",
                  timeout=20, after=mark)
    us.wait_event(MediaConnected, lambda e: e.mode == "jvb", timeout=30, after=mark)
    us.wait_event(RemoteTrackAdded, lambda e: e.endpoint_id == anna_id and e.media == "video",
                  timeout=30, after=mark)
    count = us.frames(f"{anna_id}-v0")
    us.wait_until(lambda: us.media.frames(f"{anna_id}-v0").frames_received > count + 10, timeout=30,
                  what="Anna's video in the new session")
    # the others got our new sources (source-remove of the old, source-add of the new)
    anna.wait_event("remote_track_added", lambda e: e["id"] == our_id and e["kind"] == "video",
                    timeout=30)
    assert not any(isinstance(e, Left) for e in us.events)
