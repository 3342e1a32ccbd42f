"""Jingle ⇄ SDP against lib-jitsi-meet's own vectors, and against aiortc's SDP parser."""

from __future__ import annotations

import pytest
from aiortc import sdp as aiortc_sdp

from client.jitsi.description import (
    Candidate,
    Fingerprint,
    Parameter,
    SctpMap,
    SsrcGroup,
    description_from_jingle,
)
from client.jitsi.ns import NS_JINGLE
from client.jitsi.sdp import (
    candidate_from_sdp,
    candidate_to_sdp,
    jingle_senders,
    local_description,
    parse_sdp,
    remote_sdp,
    sdp_direction,
)
from client.jitsi.stanza import parse_xml


def vector_text(path) -> str:
    text = path.read_text()
    if text.lstrip().startswith("<!--"):
        text = text.split("-->", 1)[1]
    elif text.startswith("# "):
        text = text.split("\n", 1)[1]      # the .sdp.txt files start with one comment line
    return text.strip()


def jingle_description(path):
    root = parse_xml(vector_text(path))
    jingle = root if root.tag == f"{{{NS_JINGLE}}}jingle" else root.find(f"{{{NS_JINGLE}}}jingle")
    return description_from_jingle(jingle)


def ssrcs_of(section) -> list[int]:
    seen: list[int] = []
    for value in section.values("ssrc"):
        ssrc = int(value.split()[0])
        if ssrc not in seen:
            seen.append(ssrc)
    return seen


def test_p2p_offer_from_the_captured_session_initiate(captured_p2p):
    description = jingle_description(captured_p2p / "01-peer0-out-session-initiate.xml")
    remote = remote_sdp(description, sdp_type="offer", peer_endpoint="8cac7ae6")

    assert [(line.mid, line.media, line.direction, line.source_name, line.owner) for line in remote.lines] == [
        ("0", "audio", "sendrecv", "8cac7ae6-a0", "8cac7ae6"),
        ("1", "video", "sendrecv", "8cac7ae6-v0", "8cac7ae6")]
    assert remote.content_mids == {"0", "1"}
    assert [s.ssrc for s in remote.lines[1].sources] == [4256995103, 778984465]

    parsed = parse_sdp(remote.text)
    assert parsed.values("group") == ["BUNDLE 0 1"]
    video = parsed.media[1]
    assert video.value("setup") == "actpass" and video.value("ice-ufrag") == "ha0b"
    assert video.values("ssrc-group") == ["FID 4256995103 778984465"]
    assert "96 VP8/90000" in video.values("rtpmap") and "97 apt=96" in video.values("fmtp")
    assert "63 111/111" in parsed.media[0].values("fmtp")        # RED's nameless value


def test_aiortc_reads_our_offer_with_the_primary_ssrc_first(captured_p2p, protocol_examples):
    """aiortc takes ssrc[0] as the stream and ssrc[1] as its RTX, by order of appearance."""
    for description in (
            jingle_description(captured_p2p / "01-peer0-out-session-initiate.xml"),
            jingle_description(protocol_examples / "media-jicofo-session-initiate-json-sources-ljm-fixture.xml")):
        remote = remote_sdp(description, sdp_type="offer", peer_endpoint="peer")
        parsed = aiortc_sdp.SessionDescription.parse(remote.text)
        assert [m.rtp.muxId for m in parsed.media] == [line.mid for line in remote.lines]
        for media, line in zip(parsed.media, remote.lines):
            assert [s.ssrc for s in media.ssrc] == [s.ssrc for s in line.sources]
            if len(media.ssrc) == 2:
                [group] = media.ssrc_group
                assert group.items == [media.ssrc[0].ssrc, media.ssrc[1].ssrc]
            assert media.dtls.role == "auto"            # actpass
            assert media.ice.usernameFragment


def test_jicofo_offer_is_split_like_lib_jitsi_meet(protocol_examples):
    """Same m-lines as LJM's expected SDP: one per remote source, bridge sources sendrecv first.
    Differences on purpose: our mids are made up, and the primary SSRC is always written first."""
    description = jingle_description(protocol_examples / "media-jicofo-session-initiate-json-sources-ljm-fixture.xml")
    ours = parse_sdp(remote_sdp(description, sdp_type="offer").text)
    theirs = parse_sdp(vector_text(protocol_examples / "media-ljm-jvb-remote-offer-split.sdp.txt"))

    def shape(section):
        return (section.kind, section.direction, sorted(ssrcs_of(section)), section.values("ssrc-group"),
                section.formats, sorted(section.values("rtpmap")), sorted(section.values("fmtp")),
                sorted(section.values("rtcp-fb")), section.values("extmap"), section.value("ice-ufrag"),
                section.value("ice-pwd"), section.values("fingerprint"), section.value("setup"),
                [c.replace(" generation 0", "") for c in section.values("candidate")])

    assert [shape(s) for s in ours.media] == [shape(s) for s in theirs.media]
    for section in ours.media:
        groups = [g.split() for g in section.values("ssrc-group")]
        if groups:
            assert ssrcs_of(section) == [int(groups[0][1]), int(groups[0][2])]


def test_remote_sources_get_their_own_lines_and_names(protocol_examples):
    description = jingle_description(protocol_examples / "media-jicofo-session-initiate-json-sources-ljm-fixture.xml")
    remote = remote_sdp(description, sdp_type="offer")
    assert [(line.content_name, line.source_name, line.owner, line.direction) for line in remote.lines] == [
        ("audio", "jvb-a0", "jvb", "sendrecv"),
        ("video", "jvb-v0", "jvb", "sendrecv"),
        ("video", "831de82b-v0", "831de82b", "sendonly"),
        ("video", "07af8d49-v0", "07af8d49", "sendonly"),
        ("video", "95edea8d-v0", "95edea8d", "sendonly")]
    assert remote.content_mids == {"audio", "video"}
    assert len({line.mid for line in remote.lines}) == 5


def test_an_answer_has_no_extra_lines(captured_p2p):
    description = jingle_description(captured_p2p / "02-peer0-in-session-accept.xml")
    remote = remote_sdp(description, sdp_type="answer", peer_endpoint="ba650ffb")
    parsed = parse_sdp(remote.text)
    assert [(m.mid, m.direction) for m in parsed.media] == [("0", "sendrecv"), ("1", "sendrecv")]
    assert [m.value("setup") for m in parsed.media] == ["active", "active"]
    assert [line.source_name for line in remote.lines] == ["ba650ffb-a0", "ba650ffb-v0"]


def test_session_accept_from_lib_jitsi_meets_answer_sdp(protocol_examples):
    """LJM's test expects 3 contents, 1 audio source, 6 video sources and 4 video groups."""
    answer = vector_text(protocol_examples / "media-ljm-session-accept-source-answer.sdp.txt")
    description = local_description(answer, endpoint_id="abcd1234", role="responder",
                                    content_names={"0": "audio", "1": "video", "2": "data"})
    audio, video, data = description.contents
    assert [c.name for c in description.contents] == ["audio", "video", "data"]
    assert description.bundle == ("audio", "video", "data")
    assert all(c.creator == "responder" and c.senders == "both" for c in description.contents)

    assert [(s.ssrc, s.name) for s in audio.description.sources] == [(3134174615, "abcd1234-a0")]
    assert len(video.description.sources) == 6
    assert {s.name for s in video.description.sources} == {"abcd1234-v0"}
    assert {s.video_type for s in video.description.sources} == {"camera"}
    assert len({s.msid for s in video.description.sources}) == 1
    assert video.description.sources[0].msid.startswith("abcd1234-video-0-1 84615c77-")
    assert len(video.description.ssrc_groups) == 4
    assert SsrcGroup("SIM", (691901703, 4098097822, 731566086)) in video.description.ssrc_groups

    opus = audio.description.payload_type(111)
    assert opus.parameters == (Parameter("minptime", "10"), Parameter("useinbandfec", "1"))
    h264 = video.description.payload_type(107)
    assert h264.parameter("profile-level-id") == "42e01f"      # the stray leading ';' is ignored
    assert [(x.id, x.senders) for x in audio.description.header_extensions] == [(1, None), (5, None)]
    assert audio.description.extmap_allow_mixed and audio.description.rtcp_mux

    transport = audio.transport
    assert (transport.ufrag, transport.pwd) == ("gi+W", "NmFZJ6NWoC2gjagIudLFWI8Q")
    assert transport.fingerprints == (Fingerprint(
        "sha-256", "41:1D:49:50:40:0D:68:9F:C6:AB:B2:14:98:67:E7:06:70:F0:B2:4A:5C:AB:03:F3:89:AF:B0:11:"
        "AF:05:2D:D6", setup="active"),)
    assert data.description is None and data.transport.sctp == SctpMap(5000, "webrtc-datachannel", 0)


def test_recvonly_lines_carry_no_sources_and_unknown_mids_are_left_out():
    answer = "\r\n".join([
        "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 x2",
        "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:0", "a=sendrecv", "a=rtpmap:96 VP8/90000",
        "a=ssrc:11 cname:c", "a=setup:active", "a=fingerprint:sha-256 AA:BB",
        "a=fingerprint:sha-512 CC:DD", "a=ice-ufrag:u", "a=ice-pwd:p",
        "a=candidate:f 1 udp 2130706431 127.0.0.2 5000 typ host",
        "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:x2", "a=recvonly", "a=rtpmap:96 VP8/90000",
        "a=ssrc:99 cname:c", ""])
    description = local_description(answer, endpoint_id="ep", role="responder",
                                    include_mids=frozenset({"0"}))
    [content] = description.contents
    assert [s.ssrc for s in content.description.sources] == [11]
    assert [f.hash for f in content.transport.fingerprints] == ["sha-256"]
    [candidate] = content.transport.candidates
    assert (candidate.ip, candidate.port, candidate.type) == ("127.0.0.2", 5000, "host")

    recvonly = local_description(answer, endpoint_id="ep", role="responder")
    assert recvonly.contents[1].description.sources == ()
    assert recvonly.contents[1].senders == "responder"      # LJM's name for our recvonly


@pytest.mark.parametrize("senders,direction", [("both", "sendrecv"), ("initiator", "sendonly"),
                                               ("responder", "recvonly"), ("none", "inactive")])
def test_senders_follow_lib_jitsi_meets_fixed_table(senders, direction):
    """Whoever writes the Jingle: sendonly is 'initiator', recvonly 'responder' (SDP.ts)."""
    assert sdp_direction(senders) == direction
    assert jingle_senders(direction) == senders
    assert sdp_direction("rejected") == "inactive"


def test_candidates_round_trip_through_sdp():
    relay = Candidate(component=1, foundation="4220126560", ip="127.0.0.1", port=49179, priority=58662911,
                      protocol="udp", type="relay", generation=0, rel_addr="127.0.0.1", rel_port=41201)
    text = candidate_to_sdp(relay)
    assert text == ("4220126560 1 udp 58662911 127.0.0.1 49179 typ relay raddr 127.0.0.1 rport 41201 "
                    "generation 0")
    back = candidate_from_sdp(text)
    assert (back.ip, back.port, back.type, back.rel_addr, back.rel_port, back.priority) == (
        "127.0.0.1", 49179, "relay", "127.0.0.1", 41201, 58662911)
    tcp = candidate_from_sdp("candidate:9 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active")
    assert (tcp.protocol, tcp.tcptype) == ("tcp", "active")
