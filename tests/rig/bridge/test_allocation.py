"""The test bridge's forwarding decisions and speaker detection (pure functions)."""

from __future__ import annotations

import struct

from tests.rig.bridge.allocation import (
    ReceiverSettings,
    SpeakerTracker,
    VideoSource,
    forwarded_sources,
    sender_constraints,
)
from tests.rig.bridge.bridge import audio_level

A, B, C, D = (VideoSource(f"{e}-v0", e) for e in ("a", "b", "c", "d"))
ALL = [A, B, C, D]


def names(sources) -> list[str]:  # noqa: ANN001
    return [s.name for s in sources]


def test_before_any_wish_everything_is_forwarded_at_the_initial_height():
    assert names(forwarded_sources("a", ALL, ReceiverSettings(), [])) == ["b-v0", "c-v0", "d-v0"]


def test_a_bridge_with_initial_height_0_forwards_nothing_until_asked():
    settings = ReceiverSettings(default_max_height=0)
    assert forwarded_sources("a", ALL, settings, []) == []


def test_constraint_zero_stops_a_source_and_does_not_use_up_last_n():
    settings = ReceiverSettings()
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "lastN": 2,
                    "defaultConstraints": {"maxHeight": 0},
                    "constraints": {"c-v0": {"maxHeight": 180}, "d-v0": {"maxHeight": 360}}})
    # b speaks most recently but is not wanted: c and d are forwarded
    assert names(forwarded_sources("a", ALL, settings, ["b", "d", "c"])) == ["d-v0", "c-v0"]


def test_last_n_follows_the_speaker_order():
    settings = ReceiverSettings()
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "lastN": 2})
    assert names(forwarded_sources("a", ALL, settings, ["d", "b", "c"])) == ["d-v0", "b-v0"]
    assert names(forwarded_sources("a", ALL, settings, ["c", "d", "b"])) == ["c-v0", "d-v0"]


def test_on_stage_and_selected_come_before_speakers():
    settings = ReceiverSettings()
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "lastN": 2,
                    "onStageSources": ["c-v0"], "selectedSources": ["b-v0"]})
    assert names(forwarded_sources("a", ALL, settings, ["d"])) == ["c-v0", "b-v0"]


def test_omitted_fields_keep_their_value():
    settings = ReceiverSettings()
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "lastN": 1,
                    "defaultConstraints": {"maxHeight": 0}})
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "constraints": {"b-v0": {"maxHeight": 90}}})
    assert settings.last_n == 1 and settings.default_max_height == 0
    assert names(forwarded_sources("a", ALL, settings, [])) == ["b-v0"]


def test_lib_jitsi_meet_2021_endpoint_keyed_wishes_are_understood():
    settings = ReceiverSettings()
    settings.apply({"colibriClass": "ReceiverVideoConstraints", "lastN": 1,
                    "defaultConstraints": {"maxHeight": 180}, "onStageEndpoints": ["d"],
                    "selectedEndpoints": [], "constraints": {"d": {"maxHeight": 720}}})
    assert names(forwarded_sources("a", ALL, settings, ["b"])) == ["d-v0"]
    assert settings.max_height(D) == 720
    settings.apply({"colibriClass": "LastNChangedEvent", "lastN": 3})
    assert settings.last_n == 3
    assert settings.apply({"colibriClass": "EndpointStats"}) is False


def test_senders_learn_the_largest_wanted_height_or_zero():
    wide, narrow = ReceiverSettings(), ReceiverSettings()
    wide.apply({"colibriClass": "ReceiverVideoConstraints", "constraints": {"c-v0": {"maxHeight": 720}}})
    narrow.apply({"colibriClass": "ReceiverVideoConstraints", "defaultConstraints": {"maxHeight": 0},
                  "constraints": {"c-v0": {"maxHeight": 180}}})
    wishes = {"a": (wide, [B, C, D]), "b": (narrow, [C])}
    assert sender_constraints(ALL, wishes) == {"a-v0": 0, "b-v0": 180, "c-v0": 720, "d-v0": 180}
    unlimited = ReceiverSettings(default_max_height=-1)
    assert sender_constraints([C], {"a": (unlimited, [C])}) == {"c-v0": -1}


def test_the_loudest_endpoint_becomes_dominant_speaker_with_hysteresis():
    tracker = SpeakerTracker(min_switch_s=0.5)
    for endpoint in ("a", "b", "c"):
        tracker.add_endpoint(endpoint)
    now = 0.0
    for _ in range(50):                         # 1 s: b speaks, a is silent (level 127)
        now += 0.02
        tracker.audio_packet("b", 30, now)
        tracker.audio_packet("a", 127, now)
    assert tracker.evaluate(now) == "b"
    assert tracker.evaluate(now) is None         # no change, no event
    assert tracker.order[0] == "b"
    # a short burst from c right after the switch does not take over
    tracker.audio_packet("c", 10, now + 0.05)
    assert tracker.evaluate(now + 0.1) is None
    for _ in range(100):                        # 2 s: c speaks, b is silent
        now += 0.02
        tracker.audio_packet("c", 30, now)
    assert tracker.evaluate(now) == "c"
    assert tracker.previous_speakers() == ["b", "a"]


def test_without_audio_levels_packet_rate_decides():
    tracker = SpeakerTracker(min_switch_s=0.0)
    now = 0.0
    for i in range(100):
        now += 0.02
        tracker.audio_packet("x", None, now)     # 50 packets per second
        if i % 10 == 0:
            tracker.audio_packet("y", None, now)  # DTX: 5 per second
    assert tracker.evaluate(now) == "x"


def rtp_with_extensions(profile: int, elements: bytes) -> bytes:
    padded = elements + b"\0" * (-len(elements) % 4)
    header = struct.pack("!BBHII", 0x90, 111, 1, 1000, 0x1234)
    return header + struct.pack("!HH", profile, len(padded) // 4) + padded + b"payload"


def test_audio_level_is_read_from_one_and_two_byte_headers():
    one_byte = rtp_with_extensions(0xBEDE, bytes([0x10 | 0, 0x80 | 42]))       # id 1, len 1
    assert audio_level(one_byte, 1) == 42
    assert audio_level(one_byte, 2) is None
    with_other = rtp_with_extensions(0xBEDE, bytes([0x32, 1, 2, 3, 0x10, 99]))  # id 3 (3 bytes), id 1
    assert audio_level(with_other, 1) == 99
    two_byte = rtp_with_extensions(0x1000, bytes([1, 1, 0x80 | 17]))
    assert audio_level(two_byte, 1) == 17
    assert audio_level(b"\x80" + b"\0" * 11, 1) is None                       # no extension
    assert audio_level(b"\x90\0", 1) is None                                   # truncated
    assert audio_level(rtp_with_extensions(0xBEDE, b"")[:14], 1) is None
