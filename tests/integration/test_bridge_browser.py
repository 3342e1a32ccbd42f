"""lib-jitsi-meet (2021) in Chromium through the test bridge: the stand-ins must carry real peers.

Three browser peers with P2P off in a room on the bridge path: Jicofo's
session-initiate comes from the focus occupant, every peer answers with its
sources, the others get source-add, media flows through the bridge, the bridge
channel (colibri-ws over the rig's TLS) is opened by lib-jitsi-meet itself.
"""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):  # noqa: ANN001, ANN201
    """Poll state that has no event of its own (the bridge's counters, getStats)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def test_three_browser_peers_exchange_media_through_the_bridge(browser, bridge_room, rig_bridge):
    peers = [browser(name) for name in ("anna", "bert", "carl")]
    for peer in peers:
        peer.join(bridge_room, peer.name.title(), p2p=False)
    ids = {peer.name: peer.id for peer in peers}

    # every peer gets a remote audio and video track of every other one, over the JVB session
    for peer in peers:
        for other in peers:
            if other is peer:
                continue
            for kind in ("audio", "video"):
                event = peer.wait_event("remote_track_added",
                                        lambda e, o=other, k=kind: e["id"] == ids[o.name] and e["kind"] == k,
                                        timeout=30)
                assert event["p2p"] is False
    # all three endpoints are connected to the bridge, and the bridge forwards both videos
    wait_for(lambda: rig_bridge.connected(bridge_room) == sorted(ids.values()), what="ICE/DTLS")
    for peer in peers:
        stats = peer.wait_inbound_media(audio=True, video=True, min_packets=50, min_frames=20,
                                        timeout=30)
        assert stats["p2p"] is False
        assert sorted(rig_bridge.forwarded(bridge_room, ids[peer.name])) == sorted(
            f"{ids[o.name]}-v0" for o in peers if o is not peer)
    # lib-jitsi-meet opened the bridge channel over the rig's TLS
    assert len(rig_bridge.colibri.connections) >= 3
