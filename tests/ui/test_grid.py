"""Tile view arithmetic, stage view, paging and the visible-tiles report."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt

from client.ui.grid import (MAX_TILES_PER_PAGE, VideoGrid, grid_shape, layout_grid, layout_stage,
                            tiles_per_page)
from client.ui.video_tile import VideoTile, fit_rect, initials

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("count, width, height, columns", [
    (1, 1280, 720, 1), (2, 1280, 720, 2), (4, 1280, 720, 2), (5, 1280, 720, 3),
    (9, 1280, 720, 3), (2, 400, 900, 1), (25, 1920, 1080, 5),
])
def test_grid_shape_picks_the_columns_that_make_tiles_largest(count, width, height, columns):
    shape = grid_shape(count, width, height)
    assert shape.columns == columns
    assert shape.columns * shape.rows >= count
    assert shape.tile_width * shape.columns <= width
    assert shape.tile_height * shape.rows <= height


def test_grid_rectangles_do_not_overlap_and_stay_inside():
    rects = layout_grid(7, 1000, 600)
    assert len(rects) == 7
    for i, a in enumerate(rects):
        assert a.left() >= 0 and a.top() >= 0 and a.right() < 1000 and a.bottom() < 600
        for b in rects[i + 1:]:
            assert not a.intersects(b)


def test_tiles_per_page_is_capped_and_shrinks_with_the_window():
    assert tiles_per_page(4000, 3000) == MAX_TILES_PER_PAGE
    small = tiles_per_page(400, 300)
    assert 1 <= small < tiles_per_page(1280, 720)


def test_stage_layout_puts_the_strip_below_the_stage():
    stage, strip = layout_stage(3, 1200, 800)
    assert len(strip) == 3
    assert all(r.top() > stage.bottom() for r in strip)
    assert stage.width() == 1200


def test_initials_and_aspect_fit():
    assert initials("Anna Maria Schmidt") == "AS"
    assert initials("özlem") == "Ö"
    assert initials("  ") == "?"
    assert initials("Jean-Luc") == "JL"
    r = fit_rect(640, 360, QRectF(0, 0, 400, 400))
    assert (r.width(), round(r.height())) == (400, 225)
    assert round(r.top()) == 88


def _grid(qtbot, count, size=(960, 540)):
    grid = VideoGrid()
    qtbot.addWidget(grid)
    grid.resize(*size)
    grid.show()
    qtbot.waitExposed(grid)
    grid.add_tile("me", "Ich Selbst", is_self=True)
    for i in range(count - 1):
        grid.add_tile(f"ep{i}", f"Person {i}")
    return grid


def test_self_tile_comes_first_and_all_are_visible(qtbot):
    grid = _grid(qtbot, 4)
    assert [t.endpoint_id for t in grid.tiles()][0] == "me"
    visible = grid.visible_tiles()
    assert set(visible) == {"me", "ep0", "ep1", "ep2"}
    assert all(w > 100 and h > 50 for w, h in visible.values())


def test_click_on_a_tile_puts_it_on_the_stage_and_back(qtbot):
    grid = _grid(qtbot, 4)
    tile = grid.tile("ep1")
    with qtbot.waitSignal(grid.stage_changed) as blocker:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert blocker.args == ["ep1"]
    visible = grid.visible_tiles()
    assert visible["ep1"][0] == grid._canvas.width()
    assert all(visible["ep1"][1] > h for e, (w, h) in visible.items() if e != "ep1")
    # yourself can be staged too
    qtbot.mouseClick(grid.tile("me"), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert grid.staged_endpoint == "me"
    qtbot.mouseClick(grid.tile("me"), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert grid.staged_endpoint is None


def test_escape_leaves_the_stage_and_enter_on_a_tile_stages_it(qtbot):
    grid = _grid(qtbot, 3)
    qtbot.keyClick(grid.tile("ep0"), Qt.Key.Key_Return)
    assert grid.staged_endpoint == "ep0"
    qtbot.keyClick(grid, Qt.Key.Key_Escape)
    assert grid.staged_endpoint is None


def test_many_tiles_are_paged_and_only_the_page_is_reported_visible(qtbot):
    grid = _grid(qtbot, 30, size=(800, 500))
    per_page = tiles_per_page(grid._canvas.width(), grid._canvas.height())
    assert grid.page_count() == -(-30 // per_page) > 1
    first = set(grid.visible_tiles())
    assert len(first) == per_page and "me" in first
    with qtbot.waitSignal(grid.visible_tiles_changed) as blocker:
        grid.next_page()
    second = set(blocker.args[0])
    assert second and not (second & first)
    assert not grid.tile("me").isVisible()
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    assert grid.page == 0


def test_removing_the_staged_person_returns_to_the_tile_view(qtbot):
    grid = _grid(qtbot, 3)
    grid.stage("ep0")
    grid.remove_tile("ep0")
    assert grid.staged_endpoint is None
    assert set(grid.visible_tiles()) == {"me", "ep1"}


def test_tile_paints_the_latest_frame_keeping_aspect(qtbot):
    tile = VideoTile("x", "Anna")
    qtbot.addWidget(tile)
    tile.resize(400, 400)
    tile.set_video_muted(False)
    frame = np.zeros((90, 160, 4), dtype=np.uint8)
    frame[..., 2] = 255  # red in bgra
    tile.set_frame(frame)
    image = tile.grab().toImage()
    centre = image.pixelColor(200, 200)
    assert (centre.red(), centre.green(), centre.blue()) == (255, 0, 0)
    # letterbox above the picture keeps the tile background
    top = image.pixelColor(200, 20)
    assert top.red() < 100
    assert tile.frames_painted >= 1


def test_camera_off_tile_shows_initials_not_the_old_frame(qtbot):
    tile = VideoTile("x", "Anna Berg")
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    frame = np.full((90, 160, 4), 255, dtype=np.uint8)
    tile.set_frame(frame)
    tile.set_video_muted(True)
    image = tile.grab().toImage()
    assert image.pixelColor(5, 5).red() < 100  # background, not the white frame
    assert "camera off" in tile.accessibleName()


def test_tile_rejects_frames_of_the_wrong_shape(qtbot):
    tile = VideoTile("x", "Anna")
    qtbot.addWidget(tile)
    with pytest.raises(ValueError):
        tile.set_frame(np.zeros((10, 10, 3), dtype=np.uint8))


def test_steady_video_overrules_a_default_muted_state_but_not_a_fresh_mute(qtbot):
    from client.ui.video_tile import FRAMES_THAT_OVERRULE_MUTE

    tile = VideoTile("x", "Anna")     # starts "video muted", as unannounced peers do
    qtbot.addWidget(tile)
    frame = np.full((90, 160, 4), 200, dtype=np.uint8)
    for _ in range(FRAMES_THAT_OVERRULE_MUTE - 1):
        tile.set_frame(frame)
    assert tile.camera_off
    tile.set_frame(frame)
    assert not tile.camera_off and tile.shows_video()
    assert "camera off" not in tile.accessibleName()
    tile.set_video_muted(False)
    tile.set_video_muted(True)        # an announced mute hides the picture at once
    assert tile.camera_off and not tile.shows_video()
