"""Our disco#info answer and caps hash; reading the server's disco#info."""

from __future__ import annotations

import pytest

from client.errors import RemoteProtocolError
from client.jitsi.disco import (BASE_FEATURES, CAPS_NODE, FEATURE_DTLS_SCTP, FEATURE_JSON_SOURCES,
                                FEATURE_OPUS_RED, FEATURE_REMB, FEATURE_RTP_AUDIO,
                                FEATURE_RTP_VIDEO, FEATURE_RTX, FEATURE_SSRC_REWRITING,
                                FEATURE_TCC, Capabilities, DiscoInfo, Identity, caps_hash,
                                is_disco_info_request, media_features)
from client.jitsi.ns import (NS_CAPS, NS_DISCO_INFO, NS_JINGLE, NS_JINGLE_DTLS, NS_JINGLE_ICE_UDP,
                             NS_JINGLE_RTP, NS_PING, NS_STANZAS)
from client.jitsi.stanza import parse_xml, serialize_stanza

JICOFO_QUERY = ("<iq xmlns='jabber:client' type='get' id='disco1' "
                "from='room@conference.meet.localhost/focus' to='room@conference.meet.localhost/ab12'>"
                "<query xmlns='http://jabber.org/protocol/disco#info'{node}/></iq>")


def test_caps_hash_matches_the_xep_0115_simple_example():
    identities = [Identity("client", "pc", "Exodus 0.9.1")]
    features = ["http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info",
                "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc"]
    assert caps_hash(identities, features) == "QgayPKawpkPSDYmwT/WM94uAlu0="


def test_signaling_only_claims_no_jingle_at_all():
    caps = Capabilities.signaling_only()
    assert caps.features == BASE_FEATURES == {NS_DISCO_INFO, NS_CAPS, NS_PING}
    assert not any("jingle" in var or "jitsi.org" in var for var in caps.features)


def test_media_capabilities_claim_only_what_the_flags_say():
    caps = Capabilities.with_media(audio=True, video=True)
    for var in (NS_JINGLE, NS_JINGLE_RTP, NS_JINGLE_ICE_UDP, NS_JINGLE_DTLS, FEATURE_RTP_AUDIO,
                FEATURE_RTP_VIDEO):
        assert var in caps.features
    for var in (FEATURE_TCC, FEATURE_REMB, FEATURE_RTX, FEATURE_DTLS_SCTP, FEATURE_OPUS_RED,
                FEATURE_JSON_SOURCES, FEATURE_SSRC_REWRITING):
        assert var not in caps.features
    audio_only = Capabilities.with_media(audio=True, video=False, rtx=True)
    assert FEATURE_RTP_VIDEO not in audio_only.features
    assert FEATURE_RTX in audio_only.features
    assert media_features(audio=False, video=False) == frozenset()


def test_different_features_give_different_caps_versions():
    assert Capabilities.signaling_only().ver != Capabilities.with_media(audio=True, video=True).ver
    assert Capabilities.with_media(audio=True, video=True).ver == \
        Capabilities.with_media(video=True, audio=True).ver


def test_the_caps_version_in_presence_matches_our_disco_answer():
    """Smack (inside Jicofo) rejects a ver that does not hash to the disco#info it gets."""
    caps = Capabilities.with_media(audio=True, video=True, rtx=True)
    c = caps.caps_element()
    assert (c.tag, c.get("hash"), c.get("node")) == (f"{{{NS_CAPS}}}c", "sha-1", CAPS_NODE)
    request = parse_xml(JICOFO_QUERY.format(node=f" node='{CAPS_NODE}#{caps.ver}'"))
    reply = parse_xml(serialize_stanza(caps.answer(request)))
    info = DiscoInfo.from_element(reply)
    assert caps_hash(info.identities, info.features) == c.get("ver")
    assert info.node == f"{CAPS_NODE}#{caps.ver}"  # echoed, as lib-jitsi-meet does


def test_the_answer_goes_back_to_the_asker_with_the_same_id():
    caps = Capabilities.signaling_only()
    request = parse_xml(JICOFO_QUERY.format(node=""))
    assert is_disco_info_request(request)
    reply = caps.answer(request)
    assert reply.get("type") == "result" and reply.get("id") == "disco1"
    assert reply.get("to") == "room@conference.meet.localhost/focus"
    query = reply.find(f"{{{NS_DISCO_INFO}}}query")
    assert query is not None and query.get("node") is None
    assert [i.get("category") for i in query.iter(f"{{{NS_DISCO_INFO}}}identity")] == ["client"]
    assert serialize_stanza(reply).startswith('<iq xmlns="jabber:client"')


def test_a_node_that_is_not_ours_is_item_not_found():
    caps = Capabilities.signaling_only()
    reply = caps.answer(parse_xml(JICOFO_QUERY.format(node=" node='http://jitsi.org/jitsimeet#x'")))
    assert reply.get("type") == "error"
    assert reply.find(f"error/{{{NS_STANZAS}}}item-not-found") is not None


def test_server_disco_info_of_meet_jit_si_gives_components_and_features(protocol_examples):
    text = (protocol_examples / "disco-info-domain-result-meet-jit-si.xml").read_text()
    info = DiscoInfo.from_element(parse_xml(text))
    assert info.components() == {
        "lobbyrooms": "lobby.meet.jit.si",
        "conference_duration": "conferenceduration.meet.jit.si",
        "av_moderation": "avmoderation.meet.jit.si",
        "breakout_rooms": "breakout.meet.jit.si",
        "speakerstats": "speakerstats.meet.jit.si",
    }
    assert info.server_info() == {"shard": "meet-jit-si-eu-frankfurt-1-s25",
                                  "region": "eu-central-1", "release": "3201"}
    assert info.has_feature(NS_PING) and info.has_feature("urn:xmpp:extdisco:2")
    assert Identity("server", "im", "Prosody") in info.identities


def test_broken_identities_and_features_are_skipped():
    reply = parse_xml("<iq xmlns='jabber:client' type='result'><query "
                      "xmlns='http://jabber.org/protocol/disco#info'><identity category='component'/>"
                      "<identity type='x'/><feature/><feature var=''/><feature var='urn:a'/>"
                      "</query></iq>")
    info = DiscoInfo.from_element(reply)
    assert info.identities == () and info.features == {"urn:a"}


@pytest.mark.parametrize("text", [
    "<iq xmlns='jabber:client' type='result'/>",
    "<iq xmlns='jabber:client' type='result'><query xmlns='urn:other'/></iq>",
])
def test_a_result_without_a_disco_query_is_a_remote_protocol_error(text):
    with pytest.raises(RemoteProtocolError):
        DiscoInfo.from_element(parse_xml(text))
