"""Toolbar and tile icons, drawn as vectors with QPainter.

Drawing them in code keeps the app free of icon downloads and image-format
plugins, and lets every icon follow the palette (dark call area, light screens).
Each icon is drawn in a 24×24 design grid and scaled to the target rectangle.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ICON_NAMES = ("mic", "mic-off", "camera", "camera-off", "chat", "participants", "invite",
              "settings", "leave", "help", "lock", "copy", "hand")

#: the diagonal "off" slash is drawn in this colour so state is not told by shape alone
OFF_COLOR = QColor("#e5484d")


def paint_icon(painter: QPainter, name: str, rect: QRectF, color: QColor) -> None:
    """Draw icon ``name`` into ``rect`` (kept square and centred)."""
    side = min(rect.width(), rect.height())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(rect.center().x() - side / 2, rect.center().y() - side / 2)
    painter.scale(side / 24.0, side / 24.0)
    pen = QPen(color, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    _DRAWERS.get(name, _draw_unknown)(painter, color)
    painter.restore()


def _slash(painter: QPainter) -> None:
    painter.setPen(QPen(OFF_COLOR, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(4, 3), QPointF(20, 21))


def _draw_mic(painter: QPainter, color: QColor) -> None:
    painter.drawRoundedRect(QRectF(9, 2.5, 6, 11.5), 3, 3)
    path = QPainterPath(QPointF(5.5, 11))
    path.cubicTo(QPointF(5.5, 19), QPointF(18.5, 19), QPointF(18.5, 11))
    painter.drawPath(path)
    painter.drawLine(QPointF(12, 17), QPointF(12, 21))
    painter.drawLine(QPointF(8.5, 21), QPointF(15.5, 21))


def _draw_mic_off(painter: QPainter, color: QColor) -> None:
    _draw_mic(painter, color)
    _slash(painter)


def _draw_camera(painter: QPainter, color: QColor) -> None:
    painter.drawRoundedRect(QRectF(2.5, 6.5, 13, 11), 2, 2)
    path = QPainterPath(QPointF(15.5, 10.5))
    path.lineTo(21.5, 7)
    path.lineTo(21.5, 17)
    path.lineTo(15.5, 13.5)
    painter.drawPath(path)


def _draw_camera_off(painter: QPainter, color: QColor) -> None:
    _draw_camera(painter, color)
    _slash(painter)


def _draw_chat(painter: QPainter, color: QColor) -> None:
    path = QPainterPath()
    path.addRoundedRect(QRectF(3, 4, 18, 12), 3, 3)
    painter.drawPath(path)
    tail = QPainterPath(QPointF(7.5, 16))
    tail.lineTo(6.5, 20.5)
    tail.lineTo(11.5, 16)
    painter.drawPath(tail)


def _draw_person(painter: QPainter, cx: float, cy: float, r: float) -> None:
    painter.drawEllipse(QPointF(cx, cy), r, r)
    body = QPainterPath(QPointF(cx - 2.2 * r, cy + 4.6 * r))
    body.cubicTo(QPointF(cx - 2.2 * r, cy + 1.6 * r), QPointF(cx + 2.2 * r, cy + 1.6 * r),
                 QPointF(cx + 2.2 * r, cy + 4.6 * r))
    painter.drawPath(body)


def _draw_participants(painter: QPainter, color: QColor) -> None:
    _draw_person(painter, 9, 7.5, 3)
    painter.save()
    painter.setPen(QPen(color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawEllipse(QPointF(17.5, 8.5), 2.3, 2.3)
    side = QPainterPath(QPointF(17, 13.3))
    side.cubicTo(QPointF(20, 13.3), QPointF(22, 15), QPointF(22, 19.5))
    painter.drawPath(side)
    painter.restore()


def _draw_invite(painter: QPainter, color: QColor) -> None:
    _draw_person(painter, 9, 7.5, 3)
    painter.drawLine(QPointF(19, 7), QPointF(19, 14))
    painter.drawLine(QPointF(15.5, 10.5), QPointF(22.5, 10.5))


def _draw_settings(painter: QPainter, color: QColor) -> None:
    import math

    painter.drawEllipse(QPointF(12, 12), 3, 3)
    painter.drawEllipse(QPointF(12, 12), 6.5, 6.5)
    for i in range(8):
        angle = i * math.pi / 4
        inner = QPointF(12 + 6.5 * math.cos(angle), 12 + 6.5 * math.sin(angle))
        outer = QPointF(12 + 9.5 * math.cos(angle), 12 + 9.5 * math.sin(angle))
        painter.drawLine(inner, outer)


def _draw_leave(painter: QPainter, color: QColor) -> None:
    painter.save()
    painter.setPen(QPen(color, 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    path = QPainterPath(QPointF(3.5, 15.5))
    path.lineTo(3.5, 12.5)
    path.cubicTo(QPointF(8, 7.5), QPointF(16, 7.5), QPointF(20.5, 12.5))
    path.lineTo(20.5, 15.5)
    painter.drawPath(path)
    painter.restore()


def _draw_help(painter: QPainter, color: QColor) -> None:
    painter.drawEllipse(QPointF(12, 12), 9.5, 9.5)
    path = QPainterPath(QPointF(9, 9.5))
    path.cubicTo(QPointF(9, 5.5), QPointF(15, 5.5), QPointF(15, 9.5))
    path.cubicTo(QPointF(15, 12), QPointF(12, 12), QPointF(12, 14.5))
    painter.drawPath(path)
    painter.setBrush(QBrush(color))
    painter.drawEllipse(QPointF(12, 17.8), 0.6, 0.6)


def _draw_lock(painter: QPainter, color: QColor) -> None:
    painter.drawRoundedRect(QRectF(5, 10.5, 14, 10), 2, 2)
    path = QPainterPath(QPointF(8, 10.5))
    path.lineTo(8, 7.5)
    path.cubicTo(QPointF(8, 2.5), QPointF(16, 2.5), QPointF(16, 7.5))
    path.lineTo(16, 10.5)
    painter.drawPath(path)


def _draw_copy(painter: QPainter, color: QColor) -> None:
    painter.drawRoundedRect(QRectF(8.5, 8.5, 12, 12), 2, 2)
    path = QPainterPath(QPointF(5.5, 15.5))
    path.lineTo(3.5, 15.5)
    path.lineTo(3.5, 3.5)
    path.lineTo(15.5, 3.5)
    path.lineTo(15.5, 5.5)
    painter.drawPath(path)


def _draw_hand(painter: QPainter, color: QColor) -> None:
    path = QPainterPath(QPointF(7, 13))
    path.lineTo(7, 6)
    path.moveTo(10, 12)
    path.lineTo(10, 4)
    path.moveTo(13, 12)
    path.lineTo(13, 4.5)
    path.moveTo(16, 12.5)
    path.lineTo(16, 6.5)
    path.moveTo(16, 12.5)
    path.cubicTo(QPointF(16, 19), QPointF(14, 21), QPointF(11, 21))
    path.cubicTo(QPointF(8, 21), QPointF(6, 19), QPointF(4, 14))
    path.lineTo(7, 13)
    painter.drawPath(path)


def _draw_unknown(painter: QPainter, color: QColor) -> None:
    painter.drawRect(QRectF(4, 4, 16, 16))


_DRAWERS = {
    "mic": _draw_mic, "mic-off": _draw_mic_off, "camera": _draw_camera,
    "camera-off": _draw_camera_off, "chat": _draw_chat, "participants": _draw_participants,
    "invite": _draw_invite, "settings": _draw_settings, "leave": _draw_leave,
    "help": _draw_help, "lock": _draw_lock, "copy": _draw_copy, "hand": _draw_hand,
}


@lru_cache(maxsize=128)
def _icon(name: str, rgba: int) -> QIcon:
    color = QColor.fromRgba(rgba)
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        paint_icon(painter, name, QRectF(0, 0, size, size), color)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str, color: QColor | str = "#202124") -> QIcon:
    """A QIcon of ``name`` in ``color`` (cached per name and colour)."""
    return _icon(name, QColor(color).rgba())
