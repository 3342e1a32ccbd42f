"""Joins a frame source (a ``FramePump``) to a ``VideoTile``.

Media goes sideways: frames never pass through the conference or the bridge.
A pump calls our callback with the latest frame (``client.media.frames.Frame``
or a bare ``bgra`` array); if that happens on
another thread the frame is handed to the GUI thread through a queued signal,
and only the newest one is kept.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from client.ui.video_tile import VideoTile


def subscribe(pump: Any, callback: Callable[[np.ndarray], None]) -> Callable[[], None]:
    """Ask ``pump`` to call ``callback(frame)``; returns the unsubscribe callable."""
    for name in ("add_listener", "subscribe", "add_consumer"):
        method = getattr(pump, name, None)
        if callable(method):
            remover = method(callback)
            if callable(remover):
                return remover
            for remove_name in ("remove_listener", "unsubscribe", "remove_consumer"):
                remove = getattr(pump, remove_name, None)
                if callable(remove):
                    return lambda: remove(callback)
            return lambda: None
    if hasattr(pump, "on_frame"):
        pump.on_frame = callback
        return lambda: setattr(pump, "on_frame", None)
    raise TypeError(f"{type(pump).__name__} offers no way to receive frames")


class _Relay(QObject):
    frame_ready = Signal()


class FrameBinding:
    """Delivers a pump's frames to one tile; ``close()`` stops it."""

    def __init__(self, pump: Any, tile: VideoTile) -> None:
        self.pump = pump
        self.tile = tile
        self._latest: np.ndarray | None = None
        self._lock = threading.Lock()
        self._gui_thread = threading.get_ident()
        self._relay = _Relay()
        self._relay.frame_ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = subscribe(pump, self._on_frame)
        # a tile may go away with its window before anyone closes the binding
        tile.destroyed.connect(self.close)

    def _on_frame(self, frame: Any) -> None:
        frame = getattr(frame, "bgra", frame)   # media's Frame, or a bare array
        if threading.get_ident() == self._gui_thread:
            if shiboken6.isValid(self.tile):
                self.tile.set_frame(frame)
            else:
                self.close()
            return
        with self._lock:
            pending = self._latest is not None
            self._latest = frame
        if not pending:  # one queued delivery carries whatever is newest when it runs
            self._relay.frame_ready.emit()

    def _deliver(self) -> None:
        with self._lock:
            frame, self._latest = self._latest, None
        if frame is not None and shiboken6.isValid(self.tile):
            self.tile.set_frame(frame)

    def close(self) -> None:
        self._unsubscribe()
        self._unsubscribe = lambda: None
