"""Bridge-channel messages against JVB's own JSON fixtures (media spec §4.2)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.errors import RemoteProtocolError
from client.jitsi.colibri import (
    AudioSourcesMap,
    ClientHello,
    ConnectionStats,
    DominantSpeakerEndpointChangeEvent,
    EndpointConnectivityStatusChangeEvent,
    EndpointMessage,
    EndpointStats,
    ForwardedSources,
    LastNChangedEvent,
    LastNEndpointsChangeEvent,
    ReceiverAudioSubscription,
    ReceiverVideoConstraints,
    SenderSourceConstraints,
    SenderVideoConstraints,
    ServerHello,
    SourceMapping,
    SourceVideoTypeMessage,
    UnknownMessage,
    VideoConstraints,
    VideoSourcesMap,
    parse_message,
    render_message,
)


def jvb_fixtures(protocol_examples) -> dict[str, str]:
    """The '## name' blocks of media-bridge-channel-jvb-fixtures.txt, by the name's first word."""
    blocks: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in (protocol_examples / "media-bridge-channel-jvb-fixtures.txt").read_text().splitlines():
        if line.startswith("## "):
            if name:
                blocks[name] = "\n".join(lines)
            name, lines = line[3:], []
        elif name is not None:
            lines.append(line)
    if name:
        blocks[name] = "\n".join(lines)
    return blocks


def fixture(protocol_examples, title_start: str) -> str:
    matches = [text for title, text in jvb_fixtures(protocol_examples).items()
               if title.startswith(title_start)]
    assert len(matches) == 1, title_start
    return matches[0]


# --- JVB's fixtures parse to the right values ---------------------------------------

def test_receiver_video_constraints_fixture_parses_per_source_heights(protocol_examples):
    message = parse_message(fixture(protocol_examples, "ReceiverVideoConstraints (client"))
    assert message == ReceiverVideoConstraints(
        last_n=3,
        default_constraints=VideoConstraints(max_height=0),
        constraints={"epOnStage": VideoConstraints(720), "epThumbnail1": VideoConstraints(180),
                     "epThumbnail2": VideoConstraints(180, 30.0)})


def test_empty_receiver_video_constraints_changes_nothing(protocol_examples):
    message = parse_message(fixture(protocol_examples, "ReceiverVideoConstraints with only"))
    assert message == ReceiverVideoConstraints()
    assert render_message(message) == '{"colibriClass":"ReceiverVideoConstraints"}'


def test_endpoint_message_keeps_arbitrary_fields(protocol_examples):
    message = parse_message(fixture(protocol_examples, "EndpointMessage with arbitrary"))
    assert isinstance(message, EndpointMessage)
    assert message.to == "to_value"
    assert message.payload == {"other_field1": "other_value1", "other_field2": 97, "other_null": None}
    assert json.loads(render_message(message)) == json.loads(
        fixture(protocol_examples, "EndpointMessage with arbitrary"))


def test_broadcast_endpoint_message_round_trips_msg_payload(protocol_examples):
    text = fixture(protocol_examples, "EndpointMessage broadcast")
    message = parse_message(text)
    assert message == EndpointMessage(
        to="", payload={"msgPayload": {"type": "face-box",
                                       "faceBox": {"left": 33, "right": 64, "width": 31}}})
    assert json.loads(render_message(message)) == json.loads(text)


def test_source_video_type_fixture(protocol_examples):
    message = parse_message(fixture(protocol_examples, "SourceVideoTypeMessage"))
    assert message == SourceVideoTypeMessage("source1234", "desktop_high_fps")


def test_deprecated_video_type_message_is_unknown_and_harmless(protocol_examples):
    message = parse_message(fixture(protocol_examples, "VideoTypeMessage"))
    assert isinstance(message, UnknownMessage)
    assert message.name == "VideoTypeMessage"


def test_video_sources_map_fixture(protocol_examples):
    message = parse_message(fixture(protocol_examples, "VideoSourcesMap"))
    assert message == VideoSourcesMap((
        SourceMapping("source1234", "endpoint1", 12345, 45678, "CAMERA"),
        SourceMapping("source5678", "endpoint2", 87654, 98765, "DESKTOP")))
    assert parse_message(render_message(message)) == message


def test_audio_sources_map_fixture(protocol_examples):
    message = parse_message(fixture(protocol_examples, "AudioSourcesMap"))
    assert message == AudioSourcesMap((SourceMapping("source1234-a", "endpoint1", 23456),
                                       SourceMapping("source5678-a", "endpoint2", 98765)))


def test_receiver_audio_subscription_both_forms(protocol_examples):
    current = parse_message(fixture(protocol_examples, "ReceiverAudioSubscription, current"))
    assert current == ReceiverAudioSubscription(True, ("endpoint1", "endpoint2"), ("endpoint3",))
    legacy = parse_message(fixture(protocol_examples, "ReceiverAudioSubscription, legacy"))
    assert legacy == ReceiverAudioSubscription(None, None, None, "All")


# --- the documented examples of jitsi-media.md §4.2 -------------------------------------

@pytest.mark.parametrize("text, expected", [
    ('{"colibriClass":"DominantSpeakerEndpointChangeEvent","dominantSpeakerEndpoint":"a1b2c3d4",'
     '"previousSpeakers":["c9d0e1f2"]}',
     DominantSpeakerEndpointChangeEvent("a1b2c3d4", ("c9d0e1f2",))),
    ('{"colibriClass":"ForwardedSources","forwardedSources":["a1b2c3d4-v0","c9d0e1f2-v0"]}',
     ForwardedSources(("a1b2c3d4-v0", "c9d0e1f2-v0"))),
    ('{"colibriClass":"SenderSourceConstraints","sourceName":"e5f6a7b8-v0","maxHeight":360}',
     SenderSourceConstraints("e5f6a7b8-v0", 360)),
    ('{"colibriClass":"EndpointConnectivityStatusChangeEvent","endpoint":"c9d0e1f2","active":"false"}',
     EndpointConnectivityStatusChangeEvent("c9d0e1f2", False)),
    ('{"colibriClass":"ConnectionStats","estimatedDownlinkBandwidth":2500000}',
     ConnectionStats(2500000)),
    ('{"colibriClass":"ServerHello","version":"2.3-61"}', ServerHello("2.3-61")),
    ('{"colibriClass":"ServerHello"}', ServerHello()),
    ('{"colibriClass":"LastNEndpointsChangeEvent","lastNEndpoints":["a","b"]}',
     LastNEndpointsChangeEvent(("a", "b"))),
    ('{"colibriClass":"SenderVideoConstraints","videoConstraints":{"idealHeight":180}}',
     SenderVideoConstraints(180)),
    ('{"colibriClass":"EndpointStats","from":"ab12","bitrate":{"upload":10}}',
     EndpointStats({"bitrate": {"upload": 10}}, "ab12")),
])
def test_bridge_messages_parse(text, expected):
    assert parse_message(text) == expected


def test_connectivity_status_is_written_as_a_string_like_jvb():
    text = render_message(EndpointConnectivityStatusChangeEvent("ab", True))
    assert json.loads(text)["active"] == "true"


def test_constraints_render_only_current_field_names():
    message = ReceiverVideoConstraints(
        last_n=2, selected_sources=("a-v0",), on_stage_sources=("b-v0",),
        default_constraints=VideoConstraints(0), constraints={"a-v0": VideoConstraints(360)})
    obj = json.loads(render_message(message))
    # JVB rejects the whole message if it carries a field it does not know
    assert set(obj) == {"colibriClass", "lastN", "selectedSources", "onStageSources",
                        "defaultConstraints", "constraints"}
    assert obj["constraints"] == {"a-v0": {"maxHeight": 360}}
    assert parse_message(render_message(message)) == message


def test_client_messages_round_trip():
    for message in (ClientHello(), LastNChangedEvent(4), SourceVideoTypeMessage("x-v0", "none"),
                    ReceiverAudioSubscription(True), EndpointMessage("ep", {"msgPayload": {"a": 1}})):
        assert parse_message(render_message(message)) == message


def test_an_unknown_class_is_kept_for_the_log():
    message = parse_message('{"colibriClass":"SyntheticSourceSendingChangeEvent","sending":true}')
    assert message == UnknownMessage(name="SyntheticSourceSendingChangeEvent",
                                     fields={"sending": True})


def test_bytes_frames_are_accepted():
    assert parse_message(b'{"colibriClass":"ClientHello"}') == ClientHello()


def test_null_slot_owner_in_a_source_map_is_accepted():
    message = parse_message('{"colibriClass":"VideoSourcesMap","mappedSources":'
                            '[{"source":null,"owner":null,"ssrc":5,"rtx":-1}]}')
    assert message == VideoSourcesMap((SourceMapping("", "", 5, None),))


# --- malformed frames --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "not json", "[]", "42", '"x"', "{}", '{"colibriClass":7}', '{"colibriClass":""}',
    b"\xff\xfe",
    '{"colibriClass":"ReceiverVideoConstraints","lastN":"3"}',
    '{"colibriClass":"ReceiverVideoConstraints","lastN":true}',
    '{"colibriClass":"ReceiverVideoConstraints","lastN":2.5}',
    '{"colibriClass":"ReceiverVideoConstraints","constraints":[]}',
    '{"colibriClass":"ReceiverVideoConstraints","constraints":{"a":5}}',
    '{"colibriClass":"ReceiverVideoConstraints","defaultConstraints":{"maxHeight":-5}}',
    '{"colibriClass":"ReceiverVideoConstraints","onStageSources":"a"}',
    '{"colibriClass":"ReceiverVideoConstraints","selectedSources":[1]}',
    '{"colibriClass":"ForwardedSources","forwardedSources":{"a":1}}',
    '{"colibriClass":"SenderSourceConstraints","maxHeight":180}',
    '{"colibriClass":"SenderSourceConstraints","sourceName":"a","maxHeight":1e400}',
    '{"colibriClass":"DominantSpeakerEndpointChangeEvent"}',
    '{"colibriClass":"EndpointConnectivityStatusChangeEvent","endpoint":"a","active":"maybe"}',
    '{"colibriClass":"VideoSourcesMap","mappedSources":[{"source":"a"}]}',
    '{"colibriClass":"VideoSourcesMap","mappedSources":[5]}',
    '{"colibriClass":"VideoSourcesMap","mappedSources":[{"ssrc":4294967296}]}',
    '{"colibriClass":"SenderVideoConstraints","videoConstraints":[]}',
    "[" * 100_000,
])
def test_malformed_frames_raise_remote_protocol_error(text):
    with pytest.raises(RemoteProtocolError):
        parse_message(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                      max_size=4),
    max_leaves=12)
classes = st.sampled_from([
    "ReceiverVideoConstraints", "ServerHello", "DominantSpeakerEndpointChangeEvent",
    "ForwardedSources", "SenderSourceConstraints", "VideoSourcesMap", "AudioSourcesMap",
    "EndpointMessage", "EndpointStats", "EndpointConnectivityStatusChangeEvent",
    "ReceiverAudioSubscription", "LastNChangedEvent", "SourceVideoTypeMessage",
    "ConnectionStats", "LastNEndpointsChangeEvent", "SenderVideoConstraints", "Whatever"])
field_names = st.sampled_from([
    "lastN", "constraints", "defaultConstraints", "onStageSources", "selectedSources",
    "maxHeight", "sourceName", "forwardedSources", "dominantSpeakerEndpoint", "previousSpeakers",
    "mappedSources", "to", "from", "active", "endpoint", "videoType", "version", "all",
    "include", "videoConstraints", "estimatedDownlinkBandwidth", "silence", "lastNEndpoints"])


@settings(max_examples=150, deadline=None)
@given(classes, st.dictionaries(field_names, json_values, max_size=5))
def test_any_object_gives_a_message_or_remote_protocol_error(colibri_class, fields):
    text = json.dumps({"colibriClass": colibri_class, **fields})
    try:
        message = parse_message(text)
    except RemoteProtocolError:
        return
    # whatever parsed also renders
    render_message(message)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_any_bytes_give_a_message_or_remote_protocol_error(data):
    try:
        parse_message(data)
    except RemoteProtocolError:
        pass
