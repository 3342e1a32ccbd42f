"""Jitsi MUC presence: what we publish, and how we read what others publish."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import RemoteProtocolError
from client.jitsi.events import SourceInfo
from client.jitsi.ns import NS_CAPS, NS_MUC, NS_NICK
from client.jitsi.presence import (Caps, LocalPresence, OccupantPresence, media_of_source,
                                   parse_source_info, render_presence, render_source_info,
                                   source_name)
from client.jitsi.stanza import Jid, parse_xml, serialize_stanza

ROOM = Jid.parse("room@conference.meet.localhost/abcd1234")


def load(examples, name: str):
    return parse_xml((examples / name).read_text(encoding="utf-8"))


def wire(element):
    return parse_xml(serialize_stanza(element))


def children(element):
    return [child.tag for child in element]


def test_join_presence_has_everything_the_lib_sends_and_the_muc_x_first():
    state = LocalPresence(
        display_name="Anna Beispiel",
        sources={"abcd1234-a0": SourceInfo(muted=True), "abcd1234-v0": SourceInfo(muted=False)},
        codecs=("VP8", "h264"), stats_id="Anna-xyz", caps=Caps("https://treffpunkt.invalid", "ver="),
        properties={"raisedHand": "0"})
    presence = wire(render_presence(ROOM, state, join=True, password="geheim"))
    assert presence.get("to") == str(ROOM) and presence.get("type") is None
    tags = children(presence)
    assert tags[0] == f"{{{NS_MUC}}}x"
    assert presence.findtext(f"{{{NS_MUC}}}x/{{{NS_MUC}}}password") == "geheim"
    assert presence.findtext("{jabber:client}stats-id") == "Anna-xyz"
    caps = presence.find(f"{{{NS_CAPS}}}c")
    assert caps.attrib == {"hash": "sha-1", "node": "https://treffpunkt.invalid", "ver": "ver="}
    assert presence.findtext("{jabber:client}jitsi_participant_codecList") == "vp8,h264"
    assert json.loads(presence.findtext("{jabber:client}SourceInfo")) == {
        "abcd1234-a0": {"muted": True}, "abcd1234-v0": {"muted": False}}
    assert presence.findtext(f"{{{NS_NICK}}}nick") == "Anna Beispiel"
    assert presence.findtext("{jabber:client}audiomuted") == "true"
    assert presence.findtext("{jabber:client}videomuted") == "false"
    assert presence.findtext("{jabber:client}jitsi_participant_raisedHand") == "0"


def test_updates_never_repeat_the_muc_x_and_an_empty_name_sends_no_nick():
    presence = wire(render_presence(ROOM, LocalPresence(display_name=None)))
    assert presence.find(f"{{{NS_MUC}}}x") is None
    assert presence.find(f"{{{NS_NICK}}}nick") is None


def test_source_info_always_carries_muted_and_only_non_camera_video_types():
    text = render_source_info({"e-a0": SourceInfo(False), "e-v0": SourceInfo(True, "camera"),
                               "e-v1": SourceInfo(False, "desktop")})
    assert json.loads(text) == {"e-a0": {"muted": False}, "e-v0": {"muted": True},
                                "e-v1": {"muted": False, "videoType": "desktop"}}


def test_jicofo_source_info_fixture_missing_muted_counts_as_muted(protocol_examples):
    text = load(protocol_examples, "muc-presence-sourceinfo-fixture.xml").text
    assert parse_source_info(text) == {
        "3b554cf4-a0": SourceInfo(muted=False),
        "3b554cf4-v0": SourceInfo(muted=True),
        "3b554cf4-v1": SourceInfo(muted=True, video_type="desktop"),
        "3b554cf4-v3": SourceInfo(muted=True),
    }


@pytest.mark.parametrize("text", ["", "[]", "{", "12", "\"x\"", "[" * 3000, "{" * 100_000])
def test_broken_source_info_is_a_remote_protocol_error(text):
    with pytest.raises(RemoteProtocolError):
        parse_source_info(text)


def test_lib_2021_presence_as_received_reads_legacy_mute_and_codec(protocol_examples):
    presence = OccupantPresence.from_element(
        load(protocol_examples, "muc-presence-ljm-2021-as-received.xml"))
    assert presence.nick == "fda767f7"
    assert presence.display_name == "StreamStudio"
    assert presence.role == "participant" and presence.affiliation == "none"
    assert presence.real_jid == Jid.parse("fda767f7-ca28-4cc8-8b6f-3c4ca2a8568a@meet.jitsi/TeYqpl6d")
    assert presence.sources is None
    assert presence.audio_muted is False and presence.video_muted is False
    assert presence.codecs == ("vp8",)
    assert presence.stats_id == "Krystel-yIc"
    assert not presence.is_self


def test_codec_list_fixture(protocol_examples):
    presence = OccupantPresence.from_element(load(protocol_examples, "muc-presence-codeclist-fixture.xml"))
    assert presence.codecs == ("vp9", "vp8", "h264")


def test_source_info_wins_over_legacy_elements():
    presence = OccupantPresence.from_element(parse_xml(
        "<presence xmlns='jabber:client' from='r@c.x/ab'>"
        "<SourceInfo>{\"ab-a0\":{\"muted\":false},\"ab-v0\":{\"muted\":true},"
        "\"ab-v1\":{\"muted\":false,\"videoType\":\"desktop\"}}</SourceInfo>"
        "<audiomuted>true</audiomuted><videomuted>false</videomuted></presence>"))
    assert presence.audio_muted is False
    assert presence.video_muted is True           # the camera is off, the screen share on
    assert presence.video_type == "camera"


def test_our_own_presence_reads_back_the_same_state():
    state = LocalPresence(display_name="Jürgen", sources={"abcd1234-a0": SourceInfo(False)},
                          properties={"raisedHand": "1700000000000"})
    echoed = render_presence(ROOM, state)
    echoed.set("from", str(ROOM))
    presence = OccupantPresence.from_element(wire(echoed))
    assert presence.display_name == "Jürgen"
    assert presence.sources == {"abcd1234-a0": SourceInfo(False)}
    assert presence.audio_muted is False and presence.video_muted is True
    assert presence.raised_hand is True


def test_source_names_follow_the_lib_scheme():
    assert source_name("abcd1234", "audio") == "abcd1234-a0"
    assert source_name("abcd1234", "video", 1) == "abcd1234-v1"
    assert media_of_source("abcd1234-a0") == "audio"
    assert media_of_source("abcd1234-v12") == "video"
    assert media_of_source("nodash") is None and media_of_source("x-q0") is None
    assert media_of_source("x-a") is None
    with pytest.raises(ValueError):
        source_name("x", "data")


def test_status_codes_in_other_scripts_are_ignored_not_fatal():
    presence = OccupantPresence.from_element(parse_xml(
        "<presence xmlns='jabber:client' from='r@c.x/a'><x xmlns='http://jabber.org/protocol/muc#user'>"
        "<status code='\u00b2'/><status code='\u0661\u0661\u0660'/><status code='110'/></x></presence>"))
    assert presence.status_codes == {110}
    assert media_of_source("ab-a\u00b2") is None


def test_presence_without_from_is_a_remote_protocol_error():
    with pytest.raises(RemoteProtocolError):
        OccupantPresence.from_element(parse_xml("<presence xmlns='jabber:client'/>"))


def test_kick_and_destroy_details_are_read():
    presence = OccupantPresence.from_element(parse_xml(
        "<presence xmlns='jabber:client' from='r@c.x/me' type='unavailable'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'>"
        "<actor nick='boss'/><reason>Bye</reason></item><status code='307'/><status code='110'/>"
        "<destroy jid='main@c.x'><reason>Host arrived.</reason></destroy></x></presence>"))
    assert presence.is_self and presence.status_codes == {307, 110}
    assert presence.actor == "boss" and presence.item_reason == "Bye"
    assert presence.destroy.jid == "main@c.x" and presence.destroy.reason == "Host arrived."


# --- fuzz ----------------------------------------------------------------------------

_PIECES = [
    "<nick xmlns='http://jabber.org/protocol/nick'>{text}</nick>",
    "<SourceInfo>{text}</SourceInfo>",
    "<SourceInfo>{{\"{text}\":{{\"muted\":{text}}}}}</SourceInfo>",
    "<audiomuted>{text}</audiomuted>", "<videomuted>{text}</videomuted>",
    "<videoType>{text}</videoType>",
    "<jitsi_participant_codecList>{text}</jitsi_participant_codecList>",
    "<jitsi_participant_codecType>{text}</jitsi_participant_codecType>",
    "<jitsi_participant_{tag}>{text}</jitsi_participant_{tag}>",
    "<features><feature var='{text}'/><feature/></features>", "<stats-id>{text}</stats-id>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><item jid='{text}' role='{text}'><actor/></item>"
    "<status code='{text}'/><destroy jid='{text}'><reason>{text}</reason></destroy></x>",
    "<x xmlns='http://jabber.org/protocol/muc#user'><status/><item/></x>",
    "<c xmlns='http://jabber.org/protocol/caps' ver='{text}'/>", "<status>{text}</status>",
    "<conference-properties xmlns='http://jitsi.org/protocol/focus'>"
    "<property key='{text}' value='{text}'/><property/></conference-properties>",
    "<ignore xmlns='http://jitsi.org/jitmeet/'/>",
    "<bridgeNotAvailable xmlns='http://jitsi.org/protocol/focus'/>", "<!-- {tag} -->",
]

_word = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
    lambda s: s.replace("&", "").replace("<", "").replace("'", "").replace('"', "").replace("{", "")
    .replace("}", ""))
_tagsafe = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.tuples(st.sampled_from(_PIECES), _tagsafe, _word), max_size=8),
       sender=st.one_of(st.just("r@c.x/nick"), _word), kind=st.sampled_from(
           [None, "unavailable", "error", "subscribe", ""]))
def test_fuzz_occupant_presence(pieces, sender, kind):
    body = "".join(piece.replace("{tag}", tag).replace("{text}", text).replace("{{", "{")
                   .replace("}}", "}") for piece, tag, text in pieces)
    attrs = f" from='{sender}'" + (f" type='{kind}'" if kind is not None else "")
    try:
        element = parse_xml(f"<presence xmlns='jabber:client'{attrs}>{body}</presence>")
    except RemoteProtocolError:
        return
    try:
        presence = OccupantPresence.from_element(element)
    except RemoteProtocolError:
        return
    # derived values never raise either
    assert isinstance(presence.audio_muted, bool) and isinstance(presence.video_muted, bool)
    assert isinstance(presence.raised_hand, bool)
    _ = presence.video_type


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=25))
def test_fuzz_source_info_json(value):
    try:
        result = parse_source_info(json.dumps(value))
    except RemoteProtocolError:
        return
    assert all(isinstance(info, SourceInfo) and isinstance(info.muted, bool) for info in result.values())


def test_elements_built_without_namespace_are_read_too():
    presence = ET.Element("presence", {"from": "r@c.x/ab"})
    ET.SubElement(presence, "SourceInfo").text = '{"ab-a0":{"muted":false}}'
    assert OccupantPresence.from_element(presence).audio_muted is False
