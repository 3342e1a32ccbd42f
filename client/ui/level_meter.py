"""A microphone level meter: a bar from quiet to loud, with an accessible value."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from client.i18n import _

#: levels decay slowly so short syllables stay visible
DECAY_PER_UPDATE = 0.85


def read_level(source: object) -> float:
    """0…1 from a level source: ``client.media.audio_level.LevelMeter`` (a ``level``
    property, fed from the audio thread) or anything with a ``level()`` method."""
    value = getattr(source, "level", 0.0)
    if callable(value):
        value = value()
    try:
        return float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0


class LevelMeter(QWidget):
    """``set_level(0.0 … 1.0)``; the shown value falls back gently."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._peak_seen = 0.0
        self.setMinimumHeight(14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.retranslate()

    @property
    def level(self) -> float:
        return self._level

    @property
    def peak_seen(self) -> float:
        """The loudest level since the last ``reset_peak()`` (for "the microphone works")."""
        return self._peak_seen

    def reset_peak(self) -> None:
        self._peak_seen = 0.0

    def set_level(self, level: float) -> None:
        level = max(0.0, min(1.0, float(level)))
        self._level = max(level, self._level * DECAY_PER_UPDATE)
        self._peak_seen = max(self._peak_seen, level)
        self.setAccessibleDescription(_("{percent} percent").format(percent=int(self._level * 100)))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 16)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Microphone level"))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QColor("#9aa0a6"))
        painter.setBrush(QColor("#e8eaed"))
        painter.drawRoundedRect(rect, 4, 4)
        filled = QRectF(rect.left(), rect.top(), rect.width() * self._level, rect.height())
        color = QColor("#1e8e3e") if self._level < 0.85 else QColor("#d93025")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(filled, 4, 4)
        painter.end()
