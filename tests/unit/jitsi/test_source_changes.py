"""A P2P peer's source-add/-remove applied to its description (captured lib-jitsi-meet offer)."""

from __future__ import annotations

from dataclasses import replace

from client.jitsi.description import SessionDescription, Source, SsrcGroup
from client.jitsi.jingle import parse_jingle_iq
from client.jitsi.sdp import remote_sdp, sdp_direction
from client.jitsi.source_changes import with_sources_added, with_sources_removed
from client.jitsi.stanza import parse_xml


def captured_offer(captured_p2p) -> SessionDescription:  # noqa: ANN001
    iq = parse_xml((captured_p2p / "01-peer0-out-session-initiate.xml").read_text())
    iq.set("from", "p2ptest@conference.meet.localhost/8cac7ae6")
    return parse_jingle_iq(iq).description


def without_video_sources(offer: SessionDescription) -> SessionDescription:
    """The same offer from a peer that joined with its camera off (video line recvonly)."""
    contents = []
    for content in offer.contents:
        if content.description is not None and content.description.media == "video":
            content = replace(content, senders="responder",     # lib-jitsi-meet's recvonly
                              description=replace(content.description, sources=(), ssrc_groups=()))
        contents.append(content)
    return replace(offer, contents=tuple(contents))


def camera_on(content_name: str, media: str = "video") -> SessionDescription:
    from client.jitsi.description import Content, RtpDescription
    return SessionDescription((Content(content_name, description=RtpDescription(
        media, sources=(Source(111, name="8cac7ae6-v0"), Source(222, name="8cac7ae6-v0")),
        ssrc_groups=(SsrcGroup("FID", (111, 222)),))),))


def video(description: SessionDescription):  # noqa: ANN201
    return next(c for c in description.contents if c.description and c.description.media == "video")


def test_a_camera_switched_on_adds_its_source_and_the_line_starts_sending(captured_p2p):
    offer = without_video_sources(captured_offer(captured_p2p))
    assert sdp_direction(video(offer).senders) == "recvonly"
    for name in ("1", "video"):          # by mid, or by media as older builds name it
        changed = with_sources_added(offer, camera_on(name))
        content = video(changed)
        assert content.name == "1" and sdp_direction(content.senders) == "sendrecv"
        assert [s.ssrc for s in content.description.sources] == [111, 222]
        assert content.description.ssrc_groups == (SsrcGroup("FID", (111, 222)),)
        # the SDP our peer connection gets: same mids, the video line with its source
        line = remote_sdp(changed, sdp_type="offer").line("1")
        assert line.direction == "sendrecv" and line.source_name == "8cac7ae6-v0"
        assert line.primary_ssrc == 111
    # the audio content is untouched; adding the same again changes nothing
    changed = with_sources_added(offer, camera_on("1"))
    assert changed.contents[0] == offer.contents[0]
    assert with_sources_added(changed, camera_on("1")) == changed


def test_a_camera_switched_off_takes_its_source_and_the_line_stops_sending(captured_p2p):
    offer = captured_offer(captured_p2p)
    ssrcs = {s.ssrc for s in video(offer).description.sources}
    assert sdp_direction(video(offer).senders) == "sendrecv"
    changed = with_sources_removed(offer, ssrcs)
    content = video(changed)
    assert content.description.sources == () and content.description.ssrc_groups == ()
    assert sdp_direction(content.senders) == "recvonly"
    assert remote_sdp(changed, sdp_type="offer").line("1").source_name is None
    # back on: sendrecv again
    assert sdp_direction(video(with_sources_added(changed, camera_on("1"))).senders) == "sendrecv"


def test_removing_one_of_two_sources_keeps_the_line_sending(captured_p2p):
    offer = with_sources_added(captured_offer(captured_p2p), camera_on("1"))
    first = next(s.ssrc for s in video(captured_offer(captured_p2p)).description.sources)
    changed = with_sources_removed(offer, {first})
    assert sdp_direction(video(changed).senders) == "sendrecv"
    assert first not in {s.ssrc for s in video(changed).description.sources}
    assert all(first not in g.ssrcs for g in video(changed).description.ssrc_groups)
    # unknown SSRCs and contents without a match change nothing
    assert with_sources_removed(offer, {42}) == offer
    assert with_sources_added(offer, camera_on("9", media="application")) == offer
