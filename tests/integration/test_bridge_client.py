"""Our client on the bridge path with lib-jitsi-meet peers and the test bridge (issue 6)."""

from __future__ import annotations

import pytest

from client.jitsi.events import FirstFrame, Joined, MediaConnected, RemoteTrackAdded
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
