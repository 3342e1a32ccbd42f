"""The Jingle description model against verbatim stanzas: parse, render, parse again."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest

from client.errors import RemoteProtocolError
from client.jitsi.description import (
    Candidate,
    Fingerprint,
    SessionDescription,
    SsrcGroup,
    description_from_jingle,
    description_to_elements,
)
from client.jitsi.ns import NS_JINGLE
from client.jitsi.stanza import el, parse_xml, serialize


def jingle_of(path) -> ET.Element:
    root = parse_xml(_strip_comment(path.read_text()))
    if root.tag == f"{{{NS_JINGLE}}}jingle":
        return root
    jingle = root.find(f"{{{NS_JINGLE}}}jingle")
    assert jingle is not None
    return jingle


def _strip_comment(text: str) -> str:
    # the example files start with an XML comment naming their source
    if text.lstrip().startswith("<!--"):
        text = text.split("-->", 1)[1]
    return text.strip()


def render_and_parse(description: SessionDescription) -> SessionDescription:
    jingle = el(f"{{{NS_JINGLE}}}jingle", {"action": "x", "sid": "1"}, *description_to_elements(description))
    return description_from_jingle(parse_xml(serialize(jingle)))


ROUND_TRIP_FILES = [
    ("captured", "01-peer0-out-session-initiate.xml"),
    ("captured", "02-peer0-in-session-accept.xml"),
    ("captured", "04-peer0-out-transport-info.xml"),
    ("captured", "06-peer0-in-transport-info.xml"),
    ("examples", "media-jicofo-session-initiate-ljm-fixture.xml"),
    ("examples", "media-jicofo-session-initiate-json-sources-ljm-fixture.xml"),
    ("examples", "media-source-add-ljm-fixture.xml"),
]


@pytest.mark.parametrize("where,name", ROUND_TRIP_FILES)
def test_parse_render_parse_is_identity(where, name, captured_p2p, protocol_examples):
    path = (captured_p2p if where == "captured" else protocol_examples) / name
    parsed = description_from_jingle(jingle_of(path))
    assert parsed.contents, "vector has contents"
    assert render_and_parse(parsed) == parsed


def test_captured_lib_jitsi_meet_session_initiate_parses_fully(captured_p2p):
    description = description_from_jingle(jingle_of(captured_p2p / "01-peer0-out-session-initiate.xml"))

    assert description.bundle == ("0", "1")
    audio, video = description.contents
    assert (audio.name, audio.creator, audio.senders, audio.media) == ("0", "initiator", "both", "audio")
    assert (video.name, video.media) == ("1", "video")

    assert [pt.name for pt in audio.description.payload_types] == [
        "opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"]
    opus = audio.description.payload_types[0]
    assert (opus.id, opus.clockrate, opus.channels) == (111, 48000, 2)
    assert opus.parameter("useinbandfec") == "1" and opus.parameter("minptime") == "10"
    assert [fb.type for fb in opus.feedback] == ["transport-cc"]
    red = audio.description.payload_types[1]
    assert red.parameter("") == "111/111"          # nameless fmtp value survives

    assert audio.description.rtcp_mux and audio.description.ssrc == 4204848736
    assert [(x.id, x.uri.rsplit(":", 1)[-1]) for x in audio.description.header_extensions][0] == (
        1, "ssrc-audio-level")
    [audio_source] = audio.description.sources
    assert audio_source.ssrc == 4204848736
    assert audio_source.msid == ("99a46730-057e-4021-8fa1-247dff9600e4-1 "
                                 "045ebb65-a82b-4623-b4de-f6450af2c6d7-1")

    video_pts = video.description.payload_types
    assert len(video_pts) == 23
    vp8 = video.description.payload_type(96)
    assert vp8.name == "VP8" and vp8.clockrate == 90000
    assert {(fb.type, fb.subtype) for fb in vp8.feedback} == {
        ("goog-remb", None), ("transport-cc", None), ("ccm", "fir"), ("nack", None), ("nack", "pli")}
    rtx = video.description.payload_type(97)
    assert rtx.is_rtx and rtx.apt == 96
    h264 = [pt for pt in video_pts if pt.name == "H264"]
    assert {pt.parameter("profile-level-id") for pt in h264} == {"42001f", "42e01f", "4d001f"}
    assert [s.ssrc for s in video.description.sources] == [4256995103, 778984465]
    assert video.description.ssrc_groups == (SsrcGroup("FID", (4256995103, 778984465)),)
    assert len(video.description.header_extensions) == 11

    for content in (audio, video):
        transport = content.transport
        assert (transport.ufrag, transport.pwd) == ("ha0b", "x+oNGv625qfMNRFxQR0gAcR0")
        assert transport.candidates == ()          # trickled later in transport-info
        assert transport.fingerprints == (Fingerprint(
            "sha-256", "7F:A5:1C:27:11:98:A1:51:E6:D8:DC:FC:05:F6:F0:54:40:ED:35:25:B1:C4:D9:A6:52:E8:74:"
            "9B:33:83:0F:A8", setup="actpass"),)


def test_trickled_candidates_parse_with_all_attributes(captured_p2p):
    description = description_from_jingle(jingle_of(captured_p2p / "04-peer0-out-transport-info.xml"))
    [content] = description.contents
    assert content.description is None and content.name == "0"
    host, relay1, relay2, tcp = content.transport.candidates
    assert host == Candidate(component=1, foundation="3197877893", ip="127.0.0.1", port=41201,
                             priority=2122260223, protocol="udp", type="host", generation=0,
                             id="mh4u6w9qss", network=1)
    assert (relay1.type, relay1.rel_addr, relay1.rel_port) == ("relay", "127.0.0.1", 41201)
    assert (tcp.protocol, tcp.tcptype, tcp.port) == ("tcp", "active", 9)
    assert content.transport.fingerprints[0].required == "true"


def test_jicofo_offer_keeps_bridge_sources_and_allow_mixed(protocol_examples):
    description = description_from_jingle(jingle_of(protocol_examples / "media-jicofo-session-initiate-ljm-fixture.xml"))
    audio = description.content("audio")
    assert audio.description.extmap_allow_mixed
    assert audio.description.maxptime == 60
    [source] = audio.description.sources
    assert source.msid == "mixedmslabel mixedlabelaudio0"
    assert [p.name for p in source.parameters] == ["cname", "label", "msid", "mslabel"]
    telephone = audio.description.payload_type(126)
    assert telephone.parameter("") == "0-15"
    [host, srflx] = audio.transport.candidates
    assert (srflx.type, srflx.rel_addr, srflx.network) == ("srflx", "10.0.0.1", 0)


def test_json_sources_are_expanded_into_sources_and_groups(protocol_examples):
    description = description_from_jingle(jingle_of(
        protocol_examples / "media-jicofo-session-initiate-json-sources-ljm-fixture.xml"))
    video = description.content("video").description
    audio = description.content("audio").description
    owners = sorted({s.owner for s in video.sources})
    assert owners == ["07af8d49", "831de82b", "95edea8d", "jvb"]
    assert len(video.sources) == 7
    assert all(s.video_type == "camera" for s in video.sources)
    # the FID order is semantic even where the source list has the RTX first
    assert SsrcGroup("FID", (3873826414, 110279275)) in video.ssrc_groups
    [jvb_audio] = audio.sources
    assert (jvb_audio.ssrc, jvb_audio.owner, jvb_audio.msid) == (
        3659539811, "jvb", "mixedmslabel mixedlabelaudio0")


def test_source_add_fixture_owner_attribute_and_groups(protocol_examples):
    description = description_from_jingle(jingle_of(protocol_examples / "media-source-add-ljm-fixture.xml"))
    video = description.content("video").description
    assert [(s.ssrc, s.name, s.owner) for s in video.sources] == [
        (1234, "source1", "peer"), (5678, "source1", "peer"), (4321, "source2", "peer"),
        (8765, "source2", "peer")]
    assert len(video.ssrc_groups) == 2


def test_owner_as_full_muc_jid_maps_to_the_endpoint():
    jingle = parse_xml(
        "<jingle xmlns='urn:xmpp:jingle:1'><content name='audio'>"
        "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
        "<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='1' name='ab12-a0'>"
        "<ssrc-info xmlns='http://jitsi.org/jitmeet' owner='room@conference.example/ab12'/></source>"
        "</description></content></jingle>")
    [source] = description_from_jingle(jingle).content("audio").description.sources
    assert source.owner_endpoint == "ab12"


BAD_STANZAS = [
    "<content name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
    "<payload-type name='opus'/></description></content>",                                # no id
    "<content name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
    "<payload-type id='x1' name='opus'/></description></content>",                         # not a number
    "<content name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>"
    "<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='4294967296'/></description></content>",
    "<content name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1'/></content>",       # no media
    "<content name='0' senders='everyone'/>",
    "<content creator='me' name='0'/>",
    "<content/>",
    "<content name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'>"
    "<candidate component='1' foundation='1' ip='1.2.3.4' port='99999' priority='1' protocol='udp'"
    " type='host'/></transport></content>",
    "<content name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'>"
    "<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='sideways'>AA</fingerprint>"
    "</transport></content>",
    "<group xmlns='urn:xmpp:jingle:apps:grouping:0'><content name='0'/></group>",             # no semantics
    "<json-message xmlns='http://jitsi.org/jitmeet'>{not json</json-message>",
    "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\": {\"a\": [[{\"s\": \"1\"}]]}}</json-message>",
    "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\": {\"a\": [[], [[\"x\", 1]]]}}</json-message>",
]


@pytest.mark.parametrize("inner", BAD_STANZAS)
def test_malformed_descriptions_raise_remote_protocol_error(inner):
    jingle = parse_xml(f"<jingle xmlns='urn:xmpp:jingle:1'>{inner}</jingle>")
    with pytest.raises(RemoteProtocolError):
        description_from_jingle(jingle)


def test_mutated_captured_stanzas_parse_or_raise_remote_protocol_error(captured_p2p):
    """Fuzz invariant: any attribute garbage gives a model or RemoteProtocolError, nothing else."""
    rng = random.Random(5)
    base = _strip_comment((captured_p2p / "01-peer0-out-session-initiate.xml").read_text())
    garbage = ["", "-1", "x", "99999999999999999999", "\u00e9", "1.5", "both", " 7 "]
    outcomes = set()
    for _ in range(300):
        root = parse_xml(base)
        elements = list(root.iter())
        for _ in range(3):
            element = rng.choice(elements)
            if element.attrib:
                key = rng.choice(sorted(element.attrib))
                if rng.random() < 0.2:
                    del element.attrib[key]
                else:
                    element.set(key, rng.choice(garbage))
        try:
            description_from_jingle(root.find(f"{{{NS_JINGLE}}}jingle"))
            outcomes.add("parsed")
        except RemoteProtocolError:
            outcomes.add("rejected")
    assert outcomes == {"parsed", "rejected"}
