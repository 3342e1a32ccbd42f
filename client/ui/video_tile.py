"""One participant's tile: the latest video frame, or their initials.

Frames arrive as ``bgra`` numpy arrays (height × width × 4, uint8) from a
``FramePump``.  ``set_frame`` only stores a reference and asks for a repaint;
Qt merges repeated requests, so a frame that was never painted is simply
replaced.  ``paintEvent`` wraps the array as ``QImage.Format_RGB32`` without
copying and keeps the array referenced until the painter is done with it.
Avatars are never fetched: a tile without video shows initials.
"""

from __future__ import annotations

import zlib

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QImage, QKeyEvent, QMouseEvent,
                           QPainter, QPaintEvent, QPen)
from PySide6.QtWidgets import QSizePolicy, QWidget

from client.i18n import _
from client.ui.icons import paint_icon

TILE_BACKGROUND = QColor("#2b2d31")
SPEAKING_COLOR = QColor("#3ddc84")
#: frames arriving after a "video muted" announcement that show the camera is on after all
FRAMES_THAT_OVERRULE_MUTE = 15
#: soft colours for initials circles; picked by a stable hash of the endpoint id
AVATAR_COLORS = ("#5b8def", "#e0823d", "#46a758", "#d6409f", "#8e4ec6", "#12a594",
                 "#c2410c", "#3e63dd")


def initials(name: str) -> str:
    """Up to two letters from a display name: 'Anna Maria Schmidt' → 'AS'."""
    words = [w for w in name.replace("-", " ").split() if any(ch.isalnum() for ch in w)]
    if not words:
        return "?"
    letters = [next(ch for ch in words[0] if ch.isalnum())]
    if len(words) > 1:
        letters.append(next(ch for ch in words[-1] if ch.isalnum()))
    return "".join(letters).upper()


def fit_rect(source_w: int, source_h: int, target: QRectF) -> QRectF:
    """The largest rectangle of the source's aspect ratio centred in ``target``."""
    if source_w <= 0 or source_h <= 0 or target.width() <= 0 or target.height() <= 0:
        return QRectF(target)
    scale = min(target.width() / source_w, target.height() / source_h)
    w, h = source_w * scale, source_h * scale
    return QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2,
                  w, h)


class VideoTile(QWidget):
    """Paints one participant; click or Enter asks for them to be put on the stage."""

    activated = Signal(str)  # endpoint id

    def __init__(self, endpoint_id: str, display_name: str = "", *, is_self: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.endpoint_id = endpoint_id
        self._display_name = display_name
        self.is_self = is_self
        self._audio_muted = False
        self._video_muted = True
        self._speaking = False
        self._frame: np.ndarray | None = None
        self._frames_since_muted = 0
        self.frames_received = 0
        self.frames_painted = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(96, 54)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._update_accessibility()

    # --- state ---------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self._display_name

    def set_display_name(self, name: str) -> None:
        if name != self._display_name:
            self._display_name = name
            self._update_accessibility()
            self.update()

    @property
    def audio_muted(self) -> bool:
        return self._audio_muted

    def set_audio_muted(self, muted: bool) -> None:
        if muted != self._audio_muted:
            self._audio_muted = muted
            self._update_accessibility()
            self.update()

    @property
    def video_muted(self) -> bool:
        return self._video_muted

    def set_video_muted(self, muted: bool) -> None:
        if muted != self._video_muted:
            self._video_muted = muted
            self._frames_since_muted = 0
            self._update_accessibility()
            self.update()

    @property
    def speaking(self) -> bool:
        return self._speaking

    def set_speaking(self, speaking: bool) -> None:
        if speaking != self._speaking:
            self._speaking = speaking
            self.update()

    def set_frame(self, frame: np.ndarray | None) -> None:
        """Show ``frame`` (bgra, H×W×4 uint8) at the next paint; ``None`` clears it."""
        if frame is not None:
            if frame.ndim != 3 or frame.shape[2] != 4 or frame.dtype != np.uint8:
                raise ValueError(f"expected a bgra H×W×4 uint8 frame, got {frame.shape} {frame.dtype}")
            if not frame.flags["C_CONTIGUOUS"]:
                frame = np.ascontiguousarray(frame)
            self.frames_received += 1
            self._frames_since_muted += 1
            if self._frames_since_muted == FRAMES_THAT_OVERRULE_MUTE:
                self._update_accessibility()
        self._frame = frame
        self.update()

    @property
    def has_frame(self) -> bool:
        return self._frame is not None

    @property
    def camera_off(self) -> bool:
        """Muted as announced, unless video keeps arriving since then.

        Some clients (lib-jitsi-meet 2021) announce their video state only after the
        first change, so "muted" is also the default for a camera that is on; a steady
        stream of frames after the announcement shows that it is really on."""
        return self._video_muted and self._frames_since_muted < FRAMES_THAT_OVERRULE_MUTE

    def shows_video(self) -> bool:
        return self._frame is not None and not self.camera_off

    def label_text(self) -> str:
        name = self._display_name or _("Guest")
        return _("{name} (you)").format(name=name) if self.is_self else name

    def retranslate(self) -> None:
        self._update_accessibility()
        self.update()

    def _update_accessibility(self) -> None:
        parts = [self.label_text()]
        if self._audio_muted:
            parts.append(_("microphone off"))
        if self.camera_off:
            parts.append(_("camera off"))
        self.setAccessibleName(", ".join(parts))
        self.setAccessibleDescription(_("Press Enter to show this person large."))
        self.setToolTip(self.label_text())

    # --- input ---------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.endpoint_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.endpoint_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(320, 180)

    def use_aspect_height(self) -> None:
        """In a layout (previews), be as tall as a 16:9 picture of the given width."""
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return self.sizePolicy().hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return width * 9 // 16

    # --- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        bounds = QRectF(self.rect())
        painter.fillRect(bounds, TILE_BACKGROUND)
        frame = self._frame  # keep the buffer alive while QImage points into it
        if frame is not None and not self.camera_off:
            height, width = frame.shape[0], frame.shape[1]
            image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB32)
            if bounds.width() < width:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(fit_rect(width, height, bounds), image)
            del image
            self.frames_painted += 1
        else:
            self._paint_initials(painter, bounds)
        self._paint_label(painter, bounds)
        if self._speaking:
            painter.setPen(QPen(SPEAKING_COLOR, 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bounds.adjusted(2, 2, -2, -2))
        if self.hasFocus():
            painter.setPen(QPen(QColor("#ffffff"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(bounds.adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_initials(self, painter: QPainter, bounds: QRectF) -> None:
        diameter = min(bounds.width() * 0.45, bounds.height() * 0.5, 160.0)
        circle = QRectF(bounds.center().x() - diameter / 2, bounds.center().y() - diameter / 2 - 8,
                        diameter, diameter)
        index = zlib.crc32(self.endpoint_id.encode("utf-8")) % len(AVATAR_COLORS)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(AVATAR_COLORS[index]))
        painter.drawEllipse(circle)
        font = QFont(self.font())
        font.setPixelSize(max(8, int(diameter * 0.4)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials(self._display_name or _("Guest")))

    def _paint_label(self, painter: QPainter, bounds: QRectF) -> None:
        metrics = QFontMetrics(self.font())
        icon_side = metrics.height()
        pad = 6.0
        icons = [name for flag, name in ((self._audio_muted, "mic-off"),
                                         (self.camera_off, "camera-off")) if flag]
        available = bounds.width() - 2 * pad - len(icons) * (icon_side + 4) - 2 * pad
        text = metrics.elidedText(self.label_text(), Qt.TextElideMode.ElideRight, max(10, int(available)))
        text_w = metrics.horizontalAdvance(text)
        box_w = pad + len(icons) * (icon_side + 4) + text_w + pad
        box = QRectF(bounds.left() + pad, bounds.bottom() - pad - icon_side - 8, box_w, icon_side + 8)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, 4, 4)
        x = box.left() + pad
        for name in icons:
            paint_icon(painter, name, QRectF(x, box.top() + 4, icon_side, icon_side), QColor("#ffffff"))
            x += icon_side + 4
        painter.setFont(self.font())
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(x, box.top(), text_w + 1, box.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
