"""The rig works end to end: two lib-jitsi-meet peers meet and exchange media over P2P."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.rig, pytest.mark.browser, pytest.mark.slow]


def test_two_browser_peers_reach_p2p_media_both_ways(rig, room, browser) -> None:  # noqa: ANN001
    alice = browser("alice")
    bob = browser("bob")
    joined_a = alice.join(room, "Alice")
    joined_b = bob.join(room, "Bob")

    # Each sees the other (and not the focus) as the one other participant.
    seen_by_a = alice.wait_event("user_joined", lambda e: e["id"] == joined_b["id"])
    assert seen_by_a["displayName"] == "Bob"
    bob.wait_event("user_joined", lambda e: e["id"] == joined_a["id"])
    assert [p["id"] for p in alice.participants()] == [joined_b["id"]]

    for peer in (alice, bob):
        peer.wait_event("p2p_status", lambda e: e["p2p"] is True)
        kinds = {peer.wait_event("remote_track_added", lambda e, k=k: e["kind"] == k)["kind"]
                 for k in ("audio", "video")}
        assert kinds == {"audio", "video"}
        stats = peer.wait_inbound_media(audio=True, video=True)
        assert stats["p2p"] is True
        assert stats["audio"]["packetsReceived"] >= 20
        assert stats["video"]["framesDecoded"] >= 5

    # The first participant was made moderator by the focus (Jicofo's auto-owner).
    assert alice.is_moderator() is True
    assert bob.is_moderator() is False


def test_browser_peers_chat_and_see_mute_and_name_changes(rig, room, browser) -> None:  # noqa: ANN001
    alice = browser("alice")
    bob = browser("bob")
    a_id = alice.join(room, "Alice", audio=True, video=False)["id"]
    b_id = bob.join(room, "Bob", audio=True, video=False)["id"]
    alice.wait_event("user_joined", lambda e: e["id"] == b_id)

    bob.send_chat("Guten Tag")
    got = alice.wait_event("message_received", lambda e: e["text"] == "Guten Tag")
    assert got["id"] == b_id
    alice.send_private_chat(b_id, "nur für Bob")
    private = bob.wait_event("private_message_received", lambda e: e["text"] == "nur für Bob")
    assert private["id"] == a_id

    bob.set_display_name("Robert")
    alice.wait_event("display_name_changed", lambda e: e["id"] == b_id and e["displayName"] == "Robert")

    # In lib-jitsi-meet 2021 a missing <audiomuted> means muted, and the library adds
    # "false" only once its media session runs; unmute_audio() publishes it right away.
    bob.unmute_audio()
    alice.wait_event("presence_element", lambda e: e["id"] == b_id
                     and e["element"] == "audiomuted" and e["value"] == "false")
    mark = alice.mark()
    bob.mute_audio()
    alice.wait_event("presence_element", lambda e: e["id"] == b_id
                     and e["element"] == "audiomuted" and e["value"] == "true", after=mark)

    bob.leave()
    alice.wait_event("user_left", lambda e: e["id"] == b_id)


def test_chromium_trusts_the_rig_only_through_the_nss_db(rig, room, tmp_path) -> None:  # noqa: ANN001
    from tests.rig.browser_peer import BrowserDriver
    from tests.rig.process import RigError

    driver = BrowserDriver.start(tmp_path / "untrusting", rig, trust_rig_ca=False)
    try:
        peer = driver.new_peer("stranger")
        with pytest.raises(RigError, match="connection failed"):
            peer.join(room, "Fremd", audio=False, video=False)
        failed = peer.wait_event("connection_failed")
        assert "conference_joined" not in peer.event_names()
        assert failed["error"], failed
        console = (driver.artifacts / f"{peer.key}-console.log").read_text()
        assert "ERR_CERT_AUTHORITY_INVALID" in console
        peer.close()
    finally:
        driver.stop()


def test_moderator_mutes_a_participant_through_the_focus(rig, room, browser) -> None:  # noqa: ANN001
    alice, bob = browser("alice"), browser("bob")
    alice.join(room, "Alice", audio=True, video=False)
    alice.wait_event("user_role_changed", lambda e: e["local"] and e["role"] == "moderator")
    b_id = bob.join(room, "Bob", audio=True, video=False)["id"]
    alice.wait_event("user_joined", lambda e: e["id"] == b_id)

    # lib-jitsi-meet sends <mute/> to the focus occupant; the focus asks Bob's client,
    # which mutes its microphone.  (Whether Alice's remote-track state shows it is
    # lib-jitsi-meet's own business and racy in the 2021 build, so it is not asserted.)
    mark = bob.mark()
    alice.mute_participant(b_id, "audio")
    bob.wait_event("track_mute_changed",
                   lambda e: e["local"] and e["kind"] == "audio" and e["muted"], after=mark)

