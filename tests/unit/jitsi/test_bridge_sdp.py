"""A Jicofo session as SDP offers: one m-line per remote source, stable mids, rejection."""

from __future__ import annotations

import pytest

from client.errors import RemoteProtocolError
from client.jitsi.bridge_sdp import BridgeOffer
from client.jitsi.description import SessionDescription, description_from_jingle
from client.jitsi.jingle import parse_jingle_iq
from client.jitsi.sdp import parse_sdp
from client.jitsi.stanza import parse_xml


def jicofo_offer(protocol_examples) -> SessionDescription:  # noqa: ANN001
    iq = parse_xml((protocol_examples / "media-jicofo-session-initiate-ljm-fixture.xml").read_text())
    iq.set("from", "room@conference.example/focus")
    return parse_jingle_iq(iq).description


def source_add(protocol_examples) -> SessionDescription:  # noqa: ANN001
    return description_from_jingle(parse_xml(
        (protocol_examples / "media-source-add-ljm-fixture.xml").read_text()))


def sections(offer: BridgeOffer):  # noqa: ANN201
    return {media.mid: media for media in parse_sdp(offer.sdp()).media}


def test_the_fixture_offer_has_a_line_per_content_with_the_bridge_source(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    assert [(line.mid, line.media) for line in offer.lines] == [("audio", "audio"), ("video", "video")]
    assert [line.primary_ssrc for line in offer.lines] == [4039389863, 3758540092]
    assert all(line.is_bridge_source and line.is_content_line for line in offer.lines)
    assert offer.active_lines() == []
    assert offer.content_mids == {"audio", "video"}
    media = sections(offer)
    assert media["audio"].direction == "sendrecv" and media["video"].direction == "sendrecv"
    assert media["audio"].value("ice-ufrag") == "someufrag"
    assert media["video"].value("setup") == "actpass"
    assert "a=group:BUNDLE audio video" in offer.sdp()
    # transport-cc, header extensions and the H264 fmtp come from the offer as written
    assert "100" in media["video"].formats


def test_source_add_gives_each_stream_its_own_sendonly_line_with_its_rtx(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    added = offer.add_sources(source_add(protocol_examples))
    assert [(line.mid, line.source_name, line.owner) for line in added] == [
        ("s2", "source1", "peer"), ("s3", "source2", "peer")]
    assert [[s.ssrc for s in line.sources] for line in added] == [[1234, 5678], [4321, 8765]]
    media = sections(offer)
    s2 = media["s2"]
    assert s2.direction == "sendonly" and s2.port == 9
    assert s2.values("ssrc-group") == ["FID 1234 5678"]
    # aiortc takes the first a=ssrc as primary: the primary is written first
    assert [v.split()[0] for v in s2.values("ssrc")][:1] == ["1234"]
    # two-token msid, as browsers need it
    assert s2.value("msid") == "stream1 stream1-s2"
    # adding the same sources again changes nothing
    assert offer.add_sources(source_add(protocol_examples)) == []


def test_source_remove_rejects_the_line_and_never_reuses_its_mid(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    offer.add_sources(source_add(protocol_examples))
    before = offer.sdp()
    rejected = offer.remove_sources({5678})          # the RTX alone identifies the stream
    assert [line.mid for line in rejected] == ["s2"]
    media = sections(offer)
    assert media["s2"].port == 0 and media["s2"].direction == "inactive"
    assert media["s2"].values("ssrc") == []
    assert [m.mid for m in parse_sdp(offer.sdp()).media] == [m.mid for m in parse_sdp(before).media]
    assert [line.source_name for line in offer.active_lines()] == ["source2"]


def renumbered_source_add(protocol_examples, round_: int) -> SessionDescription:  # noqa: ANN001
    """The fixture's source-add with fresh SSRCs, names and owner: another participant."""
    text = (protocol_examples / "media-source-add-ljm-fixture.xml").read_text()
    for ssrc in ("1234", "5678", "4321", "8765"):
        text = text.replace(f"'{ssrc}'", f"'{round_}{ssrc}'")
    text = text.replace("'peer'", f"'peer{round_}'").replace("name='source", f"name='r{round_}source")
    return description_from_jingle(parse_xml(text))


def test_a_rejected_place_is_recycled_with_a_new_mid_once_an_offer_carried_it(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    offer.add_sources(source_add(protocol_examples))                 # s2, s3
    offer.sdp()
    offer.remove_owner("peer")
    # not in the offer that rejects them: the new source gets a place of its own
    early = offer.add_sources(renumbered_source_add(protocol_examples, 1))
    assert [line.mid for line in early] == ["s4", "s5"]
    assert [m.mid for m in parse_sdp(offer.sdp()).media] == ["audio", "video", "s2", "s3", "s4", "s5"]
    # once an offer carried s2/s3 as rejected, their places take new sources, with new mids
    offer.remove_owner("peer1")
    offer.sdp()
    recycled = offer.add_sources(renumbered_source_add(protocol_examples, 2))
    assert [line.mid for line in recycled] == ["s6", "s7"]
    media = parse_sdp(offer.sdp()).media
    assert [m.mid for m in media] == ["audio", "video", "s6", "s7", "s4", "s5"]
    assert [m.port for m in media] == [9, 9, 9, 9, 0, 0]
    assert media[2].direction == "sendonly" and media[2].values("ssrc-group") == ["FID 21234 25678"]
    assert [line.owner for line in offer.active_lines()] == ["peer2", "peer2"]


def test_comings_and_goings_do_not_grow_the_offer(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    for round_ in range(1, 51):              # fifty people join and leave, one after the other
        offer.add_sources(renumbered_source_add(protocol_examples, round_))
        offer.sdp()
        offer.remove_owner(f"peer{round_}")
        offer.sdp()
    assert len(offer.lines) == 4                     # two content lines + one guest's two
    mids = [m.mid for m in parse_sdp(offer.sdp()).media]
    assert len(set(mids)) == len(mids) and mids[-1] == "s101"    # no mid ever used twice


def test_a_participant_leaving_rejects_all_of_its_lines(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    offer.add_sources(source_add(protocol_examples))
    assert len(offer.remove_owner("peer")) == 2
    assert offer.active_lines() == []
    assert offer.remove_owner("peer") == []          # nothing left to reject
    assert offer.remove_owner("jvb") == []           # the bridge's own lines stay


def test_unnamed_json_encoded_sources_get_the_names_jicofo_gives_the_bridge(protocol_examples):
    iq = parse_xml((protocol_examples / "media-jicofo-session-initiate-json-sources-ljm-fixture.xml")
                   .read_text())
    iq.set("from", "room@conference.example/focus")
    offer = BridgeOffer(parse_jingle_iq(iq).description)
    lines = {line.source_name: line for line in offer.active_lines()}
    assert set(lines) == {"831de82b-v0", "07af8d49-v0", "95edea8d-v0"}
    # the FID group says which SSRC is the primary, whatever order the list has
    assert [s.ssrc for s in lines["07af8d49-v0"].sources] == [3873826414, 110279275]
    assert [s.ssrc for s in lines["831de82b-v0"].sources] == [257838819, 865670341]
    # the bridge's own sources stay on the content lines
    assert offer.line("video").primary_ssrc == 1427774514
    assert offer.line("audio").primary_ssrc == 3659539811


def test_session_versions_count_up(protocol_examples):
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    first, second = offer.sdp(), offer.sdp()
    assert "o=- 1 1 IN IP4" in first and "o=- 1 2 IN IP4" in second


def test_an_offer_without_media_or_transport_is_refused():
    with pytest.raises(RemoteProtocolError):
        BridgeOffer(SessionDescription())


def test_a_json_only_source_add_from_jicofo_adds_lines(protocol_examples):
    # Jicofo's JSON-encoded source-add has no <content>, only the json-message
    offer = BridgeOffer(jicofo_offer(protocol_examples))
    jingle = parse_xml(
        "<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='s'>"
        "<json-message xmlns='http://jitsi.org/jitmeet'>"
        '{"sources":{"ab12cd34":[[{"s":11,"n":"ab12cd34-v0","m":"ab12cd34-video-0 t1"},'
        '{"s":12,"n":"ab12cd34-v0","m":"ab12cd34-video-0 t1"}],[["f",11,12]],'
        '[{"s":13,"n":"ab12cd34-a0","m":"ab12cd34-audio-0 t2"}]]}}'
        "</json-message></jingle>")
    added = offer.add_sources(description_from_jingle(jingle))
    assert sorted((line.media, line.source_name, tuple(s.ssrc for s in line.sources))
                  for line in added) == [("audio", "ab12cd34-a0", (13,)),
                                         ("video", "ab12cd34-v0", (11, 12))]
