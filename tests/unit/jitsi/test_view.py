"""What is on screen decides what video is asked for — not the size of the room."""

from __future__ import annotations

import json

import pytest

from client.jitsi.colibri import ReceiverVideoConstraints, VideoConstraints, render_message
from client.jitsi.view import Tile, View, ask_height, receiver_constraints, view_for_endpoints


@pytest.mark.parametrize("height, expected", [
    (0, 0), (-3, 0), (1, 180), (90, 180), (180, 180), (181, 360), (360, 360), (480, 720),
    (720, 720), (1000, 1080), (2160, 1080)])
def test_tile_heights_round_up_to_the_ladder(height, expected):
    assert ask_height(height) == expected


def test_a_cap_limits_the_asked_height():
    assert ask_height(700, cap_px=360) == 360
    assert ask_height(100, cap_px=360) == 180
    assert ask_height(100, cap_px=0) == 0


def test_nothing_on_screen_asks_for_no_video_at_all():
    constraints = receiver_constraints(View())
    assert constraints == ReceiverVideoConstraints(
        last_n=-1, selected_sources=(), on_stage_sources=(),
        default_constraints=VideoConstraints(max_height=0), constraints={})


def test_only_visible_tiles_get_video_and_everyone_else_none():
    # a room of 50, three tiles on screen
    view = View(tiles=(Tile("aaaa-v0", 240), Tile("bbbb-v0", 240), Tile("cccc-v0", 120)))
    constraints = receiver_constraints(view)
    assert constraints.default_constraints == VideoConstraints(0)
    assert constraints.constraints == {"aaaa-v0": VideoConstraints(360),
                                       "bbbb-v0": VideoConstraints(360),
                                       "cccc-v0": VideoConstraints(180)}
    assert constraints.last_n == -1


def test_the_stage_gets_its_own_size_and_priority():
    view = View(tiles=(Tile("aaaa-v0", 700), Tile("bbbb-v0", 120)), on_stage="aaaa-v0")
    constraints = receiver_constraints(view)
    assert constraints.on_stage_sources == ("aaaa-v0",)
    assert constraints.constraints["aaaa-v0"] == VideoConstraints(720)
    assert constraints.constraints["bbbb-v0"] == VideoConstraints(180)


def test_a_stage_that_is_not_shown_is_not_prioritised():
    constraints = receiver_constraints(View(tiles=(Tile("a-v0", 100),), on_stage="z-v0"))
    assert constraints.on_stage_sources == ()
    assert "z-v0" not in constraints.constraints


def test_selected_sources_keep_their_order_and_must_be_visible():
    view = View(tiles=(Tile("a-v0", 100), Tile("b-v0", 100)), selected=("b-v0", "x-v0", "a-v0", "b-v0"))
    assert receiver_constraints(view).selected_sources == ("b-v0", "a-v0")


def test_zero_height_tiles_count_as_hidden():
    constraints = receiver_constraints(View(tiles=(Tile("a-v0", 0), Tile("b-v0", 50))))
    assert set(constraints.constraints) == {"b-v0"}


def test_the_same_source_in_two_tiles_gets_the_larger_height():
    constraints = receiver_constraints(View(tiles=(Tile("a-v0", 100), Tile("a-v0", 600))))
    assert constraints.constraints == {"a-v0": VideoConstraints(720)}


def test_last_n_is_passed_on():
    view = View(tiles=(Tile("a-v0", 100), Tile("b-v0", 100), Tile("c-v0", 100)), last_n=2)
    assert receiver_constraints(view).last_n == 2
    assert receiver_constraints(View(last_n=-7)).last_n == -1


def test_a_height_cap_applies_to_every_tile():
    view = View(tiles=(Tile("a-v0", 1000),), max_height_px=360)
    assert receiver_constraints(view).constraints == {"a-v0": VideoConstraints(360)}


def test_the_message_is_deterministic_json():
    view = View(tiles=(Tile("b-v0", 100), Tile("a-v0", 400)), on_stage="a-v0", last_n=4)
    text = render_message(receiver_constraints(view))
    assert json.loads(text) == {
        "colibriClass": "ReceiverVideoConstraints", "lastN": 4, "selectedSources": [],
        "onStageSources": ["a-v0"], "defaultConstraints": {"maxHeight": 0},
        "constraints": {"a-v0": {"maxHeight": 720}, "b-v0": {"maxHeight": 180}}}
    assert text == render_message(receiver_constraints(
        View(tiles=(Tile("a-v0", 400), Tile("b-v0", 100)), on_stage="a-v0", last_n=4)))


def test_the_person_on_stage_in_the_call_window_has_their_video_on_stage():
    sources = [("anna", "anna-v0"), ("bob", "bob-v0"), ("cleo", "cleo-v0")]
    view = view_for_endpoints(sources, {"anna": 540, "bob": 120}, on_stage_endpoint="anna", last_n=1)
    message = receiver_constraints(view)
    assert message.on_stage_sources == ("anna-v0",)
    assert message.last_n == 1
    assert set(message.constraints) == {"anna-v0", "bob-v0"}          # cleo: no tile, no video
    # yourself (or someone without a tile) on stage: nothing remote is prioritised
    assert view_for_endpoints(sources, {"bob": 120}, on_stage_endpoint="me").on_stage is None
    assert view_for_endpoints(sources, {"bob": 120}, on_stage_endpoint="cleo").on_stage is None
