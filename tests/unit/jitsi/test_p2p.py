"""lib-jitsi-meet's P2P rules: exactly one other (non-bot) participant, smaller id initiates."""

from __future__ import annotations

from client.jitsi.p2p import (
    FEATURE_JIGASI,
    AcceptOffer,
    DeclineOffer,
    P2PPolicy,
    StartP2P,
    StopP2P,
)


def test_the_smaller_id_initiates_when_the_second_participant_arrives():
    assert P2PPolicy("0aaa").participant_joined("8cac7ae6", 0.0) == [StartP2P("8cac7ae6")]
    waiting = P2PPolicy("zpy1")
    assert waiting.participant_joined("8cac7ae6", 0.0) == []
    assert waiting.incoming_offer("8cac7ae6", 0.1) == AcceptOffer("8cac7ae6")
    assert waiting.session_peer == "8cac7ae6"


def test_ids_compare_like_javascript_strings():
    # upper case sorts before lower case, digits before letters
    assert P2PPolicy("B").participant_joined("a", 0) == [StartP2P("a")]
    assert P2PPolicy("a").participant_joined("B", 0) == []


def test_a_third_participant_stops_p2p_and_declines_offers():
    policy = P2PPolicy("0aaa")
    policy.participant_joined("bbbb", 0)
    assert policy.participant_joined("cccc", 1) == [StopP2P("success", "Turning off P2P session")]
    assert policy.session_peer is None
    assert policy.incoming_offer("bbbb", 2) == DeclineOffer("bbbb", "decline", "P2P requirements not met")


def test_back_to_p2p_after_someone_left_waits_the_delay():
    policy = P2PPolicy("0aaa", back_to_p2p_delay_s=5.0)
    policy.participant_joined("bbbb", 0)
    policy.participant_joined("cccc", 1)
    assert policy.participant_left("cccc", 10.0) == []
    assert policy.next_timer() == 15.0
    assert policy.on_timer(14.9) == []
    assert policy.on_timer(15.0) == [StartP2P("bbbb")]
    assert policy.next_timer() is None


def test_the_peer_leaving_ends_the_session_without_a_terminate():
    policy = P2PPolicy("0aaa")
    policy.participant_joined("bbbb", 0)
    assert policy.participant_left("bbbb", 1) == [StopP2P(notify=False)]
    assert policy.session_peer is None and policy.next_timer() is None


def test_offers_while_busy_or_disabled_are_declined_like_lib_jitsi_meet():
    policy = P2PPolicy("zzzz")
    policy.participant_joined("aaaa", 0)
    assert isinstance(policy.incoming_offer("aaaa", 1), AcceptOffer)
    assert policy.incoming_offer("aaaa", 2) == DeclineOffer("aaaa", "busy", "P2P already in progress")
    disabled = P2PPolicy("zzzz", enabled=False)
    assert disabled.participant_joined("aaaa", 0) == []
    assert disabled.incoming_offer("aaaa", 1) == DeclineOffer("aaaa", "decline", "P2P disabled")


def test_bots_are_never_p2p_peers():
    policy = P2PPolicy("0aaa")
    assert policy.participant_joined("jigasi1", 0, features=frozenset({FEATURE_JIGASI})) == []
    assert not policy.should_be_in_p2p()


def test_after_a_failed_session_no_new_attempt_until_membership_changes():
    policy = P2PPolicy("0aaa")
    policy.participant_joined("bbbb", 0)
    policy.session_ended()
    assert policy.participant_updated("bbbb", 1) == []       # same membership: no retry
    assert policy.participant_joined("cccc", 2) == []
    assert policy.participant_left("cccc", 3) == []
    assert policy.on_timer(3 + policy.back_to_p2p_delay_s) == [StartP2P("bbbb")]
