"""Tile view of everyone (yourself included), the stage view, and paging.

The arithmetic is pure (``grid_shape``, ``tiles_per_page``, ``layout_grid``,
``layout_stage``) so it is tested without widgets.  ``VideoGrid`` places
``VideoTile`` children by hand and reports which tiles are on screen and at
what pixel size, so that only those videos are asked for, at that size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from client.i18n import _
from client.ui.video_tile import VideoTile

ASPECT = 16 / 9
GAP_PX = 6
MIN_TILE_WIDTH_PX = 192
#: as the Jitsi web app: at most 25 tiles, 5 columns (filmstrip/constants.ts)
MAX_TILES_PER_PAGE = 25
MAX_COLUMNS = 5


@dataclass(frozen=True)
class GridShape:
    columns: int
    rows: int
    tile_width: int
    tile_height: int


def grid_shape(count: int, width: int, height: int, *, gap: int = GAP_PX,
               max_columns: int = MAX_COLUMNS) -> GridShape:
    """Columns and rows that make ``count`` 16:9 tiles as large as possible."""
    if count <= 0 or width <= 0 or height <= 0:
        return GridShape(0, 0, 0, 0)
    best = GridShape(1, count, 0, 0)
    for columns in range(1, min(count, max_columns) + 1):
        rows = math.ceil(count / columns)
        cell_w = (width - gap * (columns - 1)) / columns
        cell_h = (height - gap * (rows - 1)) / rows
        tile_w = min(cell_w, cell_h * ASPECT)
        if tile_w > best.tile_width:
            best = GridShape(columns, rows, int(tile_w), int(tile_w / ASPECT))
    return best


def tiles_per_page(width: int, height: int, *, min_tile_width: int = MIN_TILE_WIDTH_PX,
                   max_tiles: int = MAX_TILES_PER_PAGE) -> int:
    """How many tiles fit on one page without becoming smaller than ``min_tile_width``."""
    fitting = 1
    for count in range(1, max_tiles + 1):
        if grid_shape(count, width, height).tile_width >= min_tile_width:
            fitting = count
    return fitting


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / max(1, per_page)))


def layout_grid(count: int, width: int, height: int) -> list[QRect]:
    """Rectangles for ``count`` tiles, centred rows, the last row centred too."""
    shape = grid_shape(count, width, height)
    if shape.columns == 0:
        return []
    total_h = shape.rows * shape.tile_height + (shape.rows - 1) * GAP_PX
    top = (height - total_h) // 2
    rects: list[QRect] = []
    for index in range(count):
        row, column = divmod(index, shape.columns)
        in_row = min(shape.columns, count - row * shape.columns)
        row_w = in_row * shape.tile_width + (in_row - 1) * GAP_PX
        left = (width - row_w) // 2
        rects.append(QRect(left + column * (shape.tile_width + GAP_PX),
                           top + row * (shape.tile_height + GAP_PX),
                           shape.tile_width, shape.tile_height))
    return rects


def strip_height(height: int) -> int:
    return max(72, min(160, height // 5))


def strip_capacity(width: int, height: int) -> int:
    tile_w = int(strip_height(height) * ASPECT)
    return max(1, (width + GAP_PX) // (tile_w + GAP_PX))


def layout_stage(strip_count: int, width: int, height: int) -> tuple[QRect, list[QRect]]:
    """The stage rectangle, and ``strip_count`` strip rectangles below it."""
    if strip_count <= 0:
        return QRect(0, 0, width, height), []
    strip_h = strip_height(height)
    tile_w = int(strip_h * ASPECT)
    stage = QRect(0, 0, width, max(1, height - strip_h - GAP_PX))
    row_w = strip_count * tile_w + (strip_count - 1) * GAP_PX
    left = max(0, (width - row_w) // 2)
    top = height - strip_h
    return stage, [QRect(left + i * (tile_w + GAP_PX), top, tile_w, strip_h)
                   for i in range(strip_count)]


class VideoGrid(QWidget):
    """Everyone's tiles: a paged grid, or one person on the stage with a strip."""

    #: endpoint id → (width, height) in pixels of every tile currently on screen
    visible_tiles_changed = Signal(object)
    #: the endpoint on the stage, or "" for the tile view
    stage_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[str, VideoTile] = {}
        self._order: list[str] = []
        self._staged: str | None = None
        self._page = 0
        self._visible: dict[str, tuple[int, int]] = {}

        self._canvas = QWidget(self)
        self._canvas.setObjectName("videoCanvas")
        self._canvas.installEventFilter(self)
        self._previous = QPushButton(self)
        self._next = QPushButton(self)
        self._page_label = QLabel(self)
        self._page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._previous.clicked.connect(self.previous_page)
        self._next.clicked.connect(self.next_page)
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 4, 0, 0)
        nav.addStretch(1)
        nav.addWidget(self._previous)
        nav.addWidget(self._page_label)
        nav.addWidget(self._next)
        nav.addStretch(1)
        self._nav = QWidget(self)
        self._nav.setLayout(nav)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._canvas, 1)
        layout.addWidget(self._nav)
        self.retranslate()

    # --- tiles ---------------------------------------------------------------------------
    def add_tile(self, endpoint_id: str, display_name: str = "", *, is_self: bool = False) -> VideoTile:
        existing = self._tiles.get(endpoint_id)
        if existing is not None:
            return existing
        tile = VideoTile(endpoint_id, display_name, is_self=is_self, parent=self._canvas)
        tile.activated.connect(self._on_tile_activated)
        self._tiles[endpoint_id] = tile
        if is_self:
            self._order.insert(0, endpoint_id)
        else:
            self._order.append(endpoint_id)
        self._relayout()
        return tile

    def remove_tile(self, endpoint_id: str) -> None:
        tile = self._tiles.pop(endpoint_id, None)
        if tile is None:
            return
        self._order.remove(endpoint_id)
        tile.hide()
        tile.deleteLater()
        if self._staged == endpoint_id:
            self._staged = None
            self.stage_changed.emit("")
        self._relayout()

    def tile(self, endpoint_id: str) -> VideoTile | None:
        return self._tiles.get(endpoint_id)

    def tiles(self) -> list[VideoTile]:
        return [self._tiles[e] for e in self._order]

    def clear(self) -> None:
        for endpoint_id in list(self._order):
            self.remove_tile(endpoint_id)

    # --- stage ---------------------------------------------------------------------------
    @property
    def staged_endpoint(self) -> str | None:
        return self._staged

    def stage(self, endpoint_id: str | None) -> None:
        """Put ``endpoint_id`` on the stage (``None``: back to the tile view)."""
        if endpoint_id is not None and endpoint_id not in self._tiles:
            return
        if endpoint_id == self._staged:
            return
        self._staged = endpoint_id
        self._page = 0
        self._relayout()
        self.stage_changed.emit(endpoint_id or "")

    def _on_tile_activated(self, endpoint_id: str) -> None:
        self.stage(None if endpoint_id == self._staged else endpoint_id)

    # --- paging --------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return self._page

    def page_count(self) -> int:
        others = self._paged_ids()
        return page_count(len(others), self._per_page())

    def set_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if page != self._page:
            self._page = page
            self._relayout()

    def next_page(self) -> None:
        self.set_page(self._page + 1)

    def previous_page(self) -> None:
        self.set_page(self._page - 1)

    def _paged_ids(self) -> list[str]:
        if self._staged is None:
            return list(self._order)
        return [e for e in self._order if e != self._staged]

    def _per_page(self) -> int:
        size = self._canvas.size()
        if self._staged is None:
            return tiles_per_page(size.width(), size.height())
        return strip_capacity(size.width(), size.height())

    # --- visibility ----------------------------------------------------------------------
    def visible_tiles(self) -> dict[str, tuple[int, int]]:
        return dict(self._visible)

    # --- layout --------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self._canvas and event.type() == event.Type.Resize:
            self._relayout()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        size = self._canvas.size()
        width, height = size.width(), size.height()
        paged = self._paged_ids()
        per_page = self._per_page()
        pages = page_count(len(paged), per_page)
        self._page = max(0, min(self._page, pages - 1))
        on_page = paged[self._page * per_page:(self._page + 1) * per_page]
        placed: list[tuple[str, QRect]] = []
        if self._staged is None:
            placed = list(zip(on_page, layout_grid(len(on_page), width, height)))
        else:
            stage_rect, strip_rects = layout_stage(len(on_page), width, height)
            placed = [(self._staged, stage_rect), *zip(on_page, strip_rects)]
        shown = {endpoint_id for endpoint_id, _ in placed}
        for endpoint_id, tile in self._tiles.items():
            if endpoint_id not in shown:
                tile.hide()
        previous: VideoTile | None = None
        for endpoint_id, rect in placed:
            tile = self._tiles[endpoint_id]
            tile.setGeometry(rect)
            tile.show()
            if previous is not None:
                QWidget.setTabOrder(previous, tile)
            previous = tile
        self._nav.setVisible(pages > 1)
        self._previous.setEnabled(self._page > 0)
        self._next.setEnabled(self._page < pages - 1)
        self._update_page_label(pages)
        visible = {endpoint_id: (rect.width(), rect.height()) for endpoint_id, rect in placed
                   if rect.width() > 0 and rect.height() > 0 and self.isVisible()}
        if visible != self._visible:
            self._visible = visible
            self.visible_tiles_changed.emit(dict(visible))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._relayout()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        if self._visible:
            self._visible = {}
            self.visible_tiles_changed.emit({})

    def _update_page_label(self, pages: int) -> None:
        self._page_label.setText(_("Page {page} of {pages}").format(page=self._page + 1, pages=pages))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._staged is not None:
            self.stage(None)
        elif key == Qt.Key.Key_PageDown:
            self.next_page()
        elif key == Qt.Key.Key_PageUp:
            self.previous_page()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def retranslate(self) -> None:
        self._previous.setText(_("Previous page"))
        self._previous.setAccessibleName(_("Previous page"))
        self._next.setText(_("Next page"))
        self._next.setAccessibleName(_("Next page"))
        self._update_page_label(self.page_count())
        for tile in self._tiles.values():
            tile.retranslate()

    def sizeHint(self) -> QSize:
        return QSize(960, 540)
